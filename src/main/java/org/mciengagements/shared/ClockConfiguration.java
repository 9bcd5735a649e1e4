package org.mciengagements.shared;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    ProgramClock programClock() {
        return new ProgramClock(Clock.systemUTC());
    }
}
