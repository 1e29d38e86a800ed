package dev.haredis.drill;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The application each drill client runs: Spring Boot's auto-configuration and nothing else, so plain Boot and
 * ha-redis differ only by their properties.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class DrillApplication {

}
