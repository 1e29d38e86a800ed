package dev.haredis.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small web application whose Redis is a master and replicas watched by Sentinel.
 */
@SpringBootApplication
public class HaRedisSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(HaRedisSampleApplication.class, args);
	}

}
