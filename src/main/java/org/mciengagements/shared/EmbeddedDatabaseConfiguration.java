package org.mciengagements.shared;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded PostgreSQL of the no-configuration run: real PostgreSQL binaries, data kept under
 * {@code mci.embedded-database.data-dir} (default {@code ./data/postgres}) so it survives restarts.
 * A blank data dir means a fresh temporary database, removed on shutdown: what tests use, so that
 * every test context has a database of its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("mci.embedded-database.enabled")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${mci.embedded-database.data-dir:./data/postgres}") String dataDirSetting,
                                      @Value("${mci.embedded-database.port:0}") int port) throws IOException {
        boolean temporary = dataDirSetting.isBlank();
        Path dataDir = temporary ? Files.createTempDirectory("mci-pg-") : Path.of(dataDirSetting);
        Files.createDirectories(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(temporary);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir.toAbsolutePath());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setMaximumPoolSize(20);
        dataSource.setPoolName("mci-embedded");
        return dataSource;
    }
}
