package dev.haredis.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrustedPackagesTests {

	private final TrustedPackages shop = new TrustedPackages(List.of("com.example.shop"));

	@Test
	void trustsTheirPackagesWithSubpackagesAndTheJdksValueTypes() {
		assertThat(this.shop.allows("com.example.shop.Price")).isTrue();
		assertThat(this.shop.allows("com.example.shop.model.Cart$Line")).isTrue();
		assertThat(this.shop.allows("java.util.ArrayList")).isTrue();
		assertThat(this.shop.allows("java.time.Instant")).isTrue();
		assertThat(this.shop.allows("java.math.BigDecimal")).isTrue();
		assertThat(this.shop.allows("org.springframework.cache.support.NullValue")).isTrue();
		assertThat(this.shop.allows("[Lcom.example.shop.Price;")).isTrue();
		assertThat(this.shop.allows("[[J")).isTrue();
	}

	@Test
	void refusesEverythingElseIncludingTheJdksOtherPackages() {
		assertThat(this.shop.allows("com.example.shopping.Price")).isFalse();
		assertThat(this.shop.allows("com.example.Other")).isFalse();
		assertThat(this.shop.allows("java.lang.reflect.Proxy")).isFalse();
		assertThat(this.shop.allows("javax.management.BadAttributeValueExpException")).isFalse();
		assertThat(this.shop.allows("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
		assertThat(this.shop.allows("[Lorg.apache.commons.collections.functors.InvokerTransformer;")).isFalse();
	}

	@Test
	void theirPatternMatchesTheSameNames() {
		assertThat(this.shop.pattern().matcher("com.example.shop.model.Cart$Line").matches()).isTrue();
		assertThat(this.shop.pattern().matcher("[Lcom.example.shop.Price;").matches()).isTrue();
		assertThat(this.shop.pattern().matcher("java.util.HashMap").matches()).isTrue();
		assertThat(this.shop.pattern().matcher("java.lang.reflect.Proxy").matches()).isFalse();
		assertThat(this.shop.pattern().matcher("com.example.shopping.Price").matches()).isFalse();
	}

	@Test
	void aStarTrustsEveryClass() {
		TrustedPackages all = new TrustedPackages(List.of("*"));
		assertThat(all.allows("org.apache.commons.collections.functors.InvokerTransformer")).isTrue();
		assertThat(all.pattern().matcher("org.apache.commons.collections.functors.InvokerTransformer").matches())
			.isTrue();
	}

	@Test
	void packagesBroaderThanOneApplicationPackageAreNamed() {
		TrustedPackages trusted = new TrustedPackages(List.of("com.example.shop", "com.example.shop.model",
				"com.example", "com", "*", "org.springframework.security", "java.util.function", "io.acme.billing",
				"io.acme"));
		assertThat(trusted.broaderThan(List.of("com.example.shop")))
			.containsExactly("com.example", "com", "*", "org.springframework.security", "java.util.function",
					"io.acme");
	}

	@Test
	void anApplicationsOwnShortPackageIsNotBroad() {
		assertThat(new TrustedPackages(List.of("acme.shop")).broaderThan(List.of("acme.shop"))).isEmpty();
		assertThat(new TrustedPackages(List.of("acme")).broaderThan(List.of("acme.shop"))).containsExactly("acme");
	}

}
