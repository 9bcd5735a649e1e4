package org.mciengagements.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Two filter chains: the JSON API (HTTP Basic, stateless, errors as problem+json) and the pages
 * (form login, CSRF, sessions kept in PostgreSQL so any server can serve any request).
 * Vendor areas are guarded here by role; partner scoping is decided per request from
 * {@link CurrentUser}.
 */
@Configuration(proxyBeanMethods = false)
@EnableJdbcHttpSession
class SecurityConfiguration implements WebMvcConfigurer {

    private final UserAccounts accounts;

    SecurityConfiguration(UserAccounts accounts) {
        this.accounts = accounts;
    }

    /**
     * BCrypt, remembering verified credentials for {@code mci.security.verified-password-ttl}
     * (default 5 minutes; 0 turns it off) so that HTTP Basic API calls do not pay BCrypt each time.
     */
    @Bean
    PasswordEncoder passwordEncoder(@Value("${mci.security.bcrypt-strength:10}") int strength,
                                    @Value("${mci.security.verified-password-ttl:5m}") java.time.Duration ttl) {
        return new RememberingPasswordEncoder(new BCryptPasswordEncoder(strength), ttl, 10_000);
    }

    /**
     * No observation per security filter, authentication and authorization: they were a tenth of
     * the server's CPU under load (docs/benchmarks.md) and only repeat what the request's own
     * observation ({@code http.server.requests}) already measures.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/consent/**").permitAll()
                        .requestMatchers("/api/v1/review/**").hasRole(GlobalRole.PROGRAM_REVIEWER.name())
                        .requestMatchers("/api/v1/admin/**").hasRole(GlobalRole.PROGRAM_OPERATOR.name())
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) ->
                        problem(response, 401, "UNAUTHENTICATED", "Authentication required",
                                "Send HTTP Basic credentials of a local user.")))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) ->
                                problem(response, 401, "UNAUTHENTICATED", "Authentication required",
                                        "Send HTTP Basic credentials of a local user."))
                        .accessDeniedHandler((request, response, e) ->
                                problem(response, 403, "FORBIDDEN", "Forbidden",
                                        "Your roles do not allow this request.")))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Basic-authenticated, cookie-less requests cannot be forged cross-site.
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pageChain(HttpSecurity http, @Value("${mci.mail.dev-mailbox:false}") boolean devMailbox)
            throws Exception {
        return http
                .authorizeHttpRequests(auth -> {
                    // The dev mailbox stands in for the customers' inboxes, so it is as open as the consent page;
                    // without the dev mailbox the path is an ordinary signed-in page (404: no such page).
                    if (devMailbox) {
                        auth.requestMatchers("/dev/mailbox", "/dev/mailbox/**").permitAll();
                    }
                    auth
                            .requestMatchers("/login", "/consent/**", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
                                    "/error", "/error/**", "/actuator/health/**", "/v3/api-docs/**", "/api-explorer/**",
                                    "/swagger-ui/**").permitAll()
                            .requestMatchers("/review/**").hasRole(GlobalRole.PROGRAM_REVIEWER.name())
                            .requestMatchers("/admin/**").hasRole(GlobalRole.PROGRAM_OPERATOR.name())
                            .requestMatchers("/actuator/**").hasRole(GlobalRole.PROGRAM_OPERATOR.name())
                            .anyRequest().authenticated();
                })
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .httpBasic(Customizer.withDefaults())
                .exceptionHandling(ex -> ex.accessDeniedPage("/error/403"))
                .build();
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CurrentUserArgumentResolver(accounts));
    }

    private static void problem(HttpServletResponse response, int status, String code, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"MCI Engagements\"");
        }
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"code\":\"" + code + "\",\"detail\":\"" + detail + "\"}");
    }
}
