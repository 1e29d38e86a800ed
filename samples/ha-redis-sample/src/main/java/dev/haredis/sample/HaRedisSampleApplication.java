package dev.haredis.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A small web application whose Redis is a master and replicas watched by Sentinel, used for plain values, a
 * cache, login sessions and a chat over pub/sub.
 */
@SpringBootApplication
@EnableCaching
public class HaRedisSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(HaRedisSampleApplication.class, args);
	}

}
