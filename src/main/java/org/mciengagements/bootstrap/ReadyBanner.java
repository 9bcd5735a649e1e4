package org.mciengagements.bootstrap;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells a newcomer where to go once the service is up: the address, and in the demo the users to
 * sign in as (their password is the demo one from the program file, never printed from the
 * database, which only holds hashes).
 */
@Component
class ReadyBanner {

    private static final Logger log = LoggerFactory.getLogger(ReadyBanner.class);

    private final JdbcClient jdbc;
    private final boolean demo;

    ReadyBanner(JdbcClient jdbc, @Value("${mci.demo.enabled:false}") boolean demo) {
        this.jdbc = jdbc;
        this.demo = demo;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
        StringBuilder banner = new StringBuilder("\n\n  MCI Engagements is ready at http://localhost:" + port + "\n");
        if (demo) {
            List<String> users = jdbc.sql("""
                    select u.username || '  (' || u.display_name || coalesce(', ' || p.name, '') || ': '
                           || coalesce(nullif(concat_ws(', ',
                                (select string_agg(distinct r.role, ', ') from user_location_role r where r.username = u.username),
                                (select string_agg(g.role, ', ') from user_role g where g.username = u.username)), ''),
                              'no role') || ')'
                    from app_user u left join partner p on p.id = u.partner_id order by u.partner_id nulls last, u.username""")
                    .query(String.class).list();
            banner.append("  Demo sign-ins (password: demo):\n");
            users.forEach(u -> banner.append("    ").append(u).append('\n'));
        }
        log.info(banner.toString());
    }
}
