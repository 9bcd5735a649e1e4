package org.mciengagements.shared;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the no-configuration run a demo: when no {@code spring.datasource.url} is given, the
 * service starts its own embedded PostgreSQL, loads the demo program and lets the clock be moved.
 * Each default sits below every other property source, so any of them can still be switched off.
 * With an external database all three are off unless set explicitly.
 */
public class EmbeddedDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean external = environment.containsProperty("spring.datasource.url");
        environment.getPropertySources().addLast(new MapPropertySource("mciEmbeddedDefaults", Map.of(
                "mci.embedded-database.enabled", !external,
                "mci.demo.enabled", !external,
                "mci.clock.adjustable", !external,
                "mci.mail.dev-mailbox", !external)));
    }
}
