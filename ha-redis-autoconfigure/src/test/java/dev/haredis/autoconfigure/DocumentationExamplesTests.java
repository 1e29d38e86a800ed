package dev.haredis.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import dev.haredis.autoconfigure.cache.HaRedisCacheProperties;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionDetails;
import dev.haredis.autoconfigure.connection.HaRedisProperties;
import dev.haredis.autoconfigure.fence.HaRedisFenceProperties;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingProperties;
import dev.haredis.autoconfigure.queue.HaRedisQueueProperties;
import dev.haredis.autoconfigure.session.HaRedisSessionProperties;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.Mockito.mock;

/**
 * Binds every {@code yaml} block of the production and migration guides to the real properties classes, so that a
 * misspelt or invented {@code ha.redis.*} property in the documentation fails the build. A block preceded by the
 * line {@code <!-- not-bound -->} is skipped (for deliberately partial or wrong examples, and for properties that do
 * not exist yet).
 */
class DocumentationExamplesTests {

	private static final Path DOCS = Path.of("..", "docs");

	private static final List<String> DOCUMENTS = List.of("production.md", "migrating-from-celery-django.md", "docker-nat.md");

	private static final String NOT_BOUND = "<!-- not-bound -->";

	/**
	 * The {@code @ConfigurationProperties} classes under {@code ha.redis}. The nested ones are separate classes, so
	 * their keys are hidden from the {@code ha.redis} bind and checked by their own.
	 */
	private static final Map<String, Class<?>> TARGETS = Map.of("ha.redis", HaRedisProperties.class,
			"ha.redis.cache", HaRedisCacheProperties.class, "ha.redis.session", HaRedisSessionProperties.class,
			"ha.redis.messaging", HaRedisMessagingProperties.class, "ha.redis.queue", HaRedisQueueProperties.class,
			"ha.redis.fence", HaRedisFenceProperties.class);

	@TestFactory
	Stream<DynamicTest> everyYamlExampleBindsToTheHaRedisProperties() throws IOException {
		List<DynamicTest> tests = new ArrayList<>();
		for (String document : DOCUMENTS) {
			List<YamlBlock> blocks = yamlBlocks(document);
			assertThat(blocks).as("yaml blocks in %s", document).isNotEmpty();
			for (YamlBlock block : blocks) {
				if (!block.notBound()) {
					tests.add(DynamicTest.dynamicTest(block.toString(), () -> bindAll(block)));
				}
			}
		}
		return tests.stream();
	}

	@Test
	void misspeltPropertyIsReported() {
		YamlBlock block = new YamlBlock("example.md", 1, """
				ha:
				  redis:
				    sentinel:
				      mastr: mymaster
				    queue:
				      visibility-timeout: 1h
				""", false);
		assertThat(catchThrowable(() -> bindAll(block))).isInstanceOf(AssertionError.class)
			.hasMessageContaining("example.md line 1")
			.hasMessageContaining("ha.redis.sentinel.mastr");
	}

	@Test
	void migrationTranslatesTheSeedConfiguration() throws IOException {
		List<YamlBlock> blocks = yamlBlocks("migrating-from-celery-django.md");
		YamlBlock complete = blocks.get(blocks.size() - 1);
		List<PropertySource<?>> sources = load(complete);
		Binder binder = binder(sources);
		HaRedisProperties properties = binder.bind("ha.redis", HaRedisProperties.class).get();
		assertThat(properties.getUrl()).startsWith("sentinel://h1:26379/").contains(";sentinel://h2:26380/");
		assertThat(properties.getSentinel().getMaster()).isEqualTo("mymaster");
		assertThat(binder.bind("ha.redis.cache", HaRedisCacheProperties.class).get().getDatabase()).isEqualTo(1);
		assertThat(binder.bind("ha.redis.session", HaRedisSessionProperties.class).get().getDatabase()).isEqualTo(2);
		HaRedisQueueProperties queue = binder.bind("ha.redis.queue", HaRedisQueueProperties.class).get();
		assertThat(queue.getVisibilityTimeout()).isEqualTo(Duration.ofHours(1));
		assertThat(queue.getResultTtl()).isEqualTo(Duration.ofDays(1));
		// The Celery URL is parsed and checked against the other properties as at startup. The topology is a mock,
		// so nothing connects.
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withInitializer((context) -> sources.forEach(context.getEnvironment().getPropertySources()::addLast))
			.withPropertyValues("SENTINEL_PASSWORD=sentinel-secret", "REDIS_PASSWORD=data-secret",
					"ha.redis.fail-fast=false")
			.withBean(SentinelTopology.class, () -> mock(SentinelTopology.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HaRedisConnectionDetails details = context.getBean(HaRedisConnectionDetails.class);
				assertThat(details.getSentinel().getMaster()).isEqualTo("mymaster");
				assertThat(details.getSentinel().getNodes()).containsExactly(new NodeAddress("h1", 26379),
						new NodeAddress("h2", 26380), new NodeAddress("h3", 26381));
				assertThat(details.getSentinel().getPassword()).isEqualTo("sentinel-secret");
				assertThat(details.getPassword()).isEqualTo("data-secret");
				assertThat(details.getDatabase()).isZero();
			});
	}

	private static void bindAll(YamlBlock block) throws IOException {
		List<PropertySource<?>> sources = load(block);
		TARGETS.forEach((prefix, type) -> {
			Binder binder = binder(sources, (name) -> !belongsToNestedTarget(prefix, name));
			BindHandler strict = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
			try {
				binder.bind(prefix, Bindable.of(type), strict);
			}
			catch (BindException ex) {
				throw new AssertionError(block + ": " + ex.getMessage() + ": " + rootCause(ex).getMessage(), ex);
			}
		});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Whether the name belongs to another properties class nested under the prefix (such as {@code ha.redis.cache.*}
	 * when binding {@code ha.redis}).
	 */
	private static boolean belongsToNestedTarget(String prefix, ConfigurationPropertyName name) {
		ConfigurationPropertyName bound = ConfigurationPropertyName.of(prefix);
		return TARGETS.keySet()
			.stream()
			.map(ConfigurationPropertyName::of)
			.filter((other) -> bound.isAncestorOf(other))
			.anyMatch((other) -> other.equals(name) || other.isAncestorOf(name));
	}

	private static Binder binder(List<PropertySource<?>> sources) {
		return binder(sources, (name) -> true);
	}

	private static Binder binder(List<PropertySource<?>> sources, Predicate<ConfigurationPropertyName> visible) {
		List<ConfigurationPropertySource> filtered = new ArrayList<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.from(sources)) {
			filtered.add((source instanceof IterableConfigurationPropertySource iterable) ? iterable.filter(visible)
					: source.filter(visible));
		}
		return new Binder(filtered, new PropertySourcesPlaceholdersResolver(sources));
	}

	private static List<PropertySource<?>> load(YamlBlock block) throws IOException {
		return new YamlPropertySourceLoader().load(block.toString(),
				new ByteArrayResource(block.yaml().getBytes(StandardCharsets.UTF_8), block.toString()));
	}

	private static List<YamlBlock> yamlBlocks(String document) throws IOException {
		Path path = DOCS.resolve(document);
		assertThat(path).as("%s (relative to %s)", path, Path.of("").toAbsolutePath()).isRegularFile();
		List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
		List<YamlBlock> blocks = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String fence = lines.get(i).strip();
			if (fence.equals("```yaml") || fence.equals("```yml")) {
				boolean notBound = i > 0 && lines.get(i - 1).strip().equals(NOT_BOUND);
				StringBuilder yaml = new StringBuilder();
				int start = i + 1;
				i++;
				while (i < lines.size() && !lines.get(i).strip().equals("```")) {
					yaml.append(lines.get(i)).append('\n');
					i++;
				}
				assertThat(i).as("%s: yaml block from line %d is not closed", document, start).isLessThan(lines.size());
				blocks.add(new YamlBlock(document, start, yaml.toString(), notBound));
			}
		}
		return blocks;
	}

	/**
	 * A fenced {@code yaml} block of a document.
	 *
	 * @param document the document's file name
	 * @param line the line of the fence, counted from 1
	 * @param yaml the block's text
	 * @param notBound whether the block opted out of binding
	 */
	record YamlBlock(String document, int line, String yaml, boolean notBound) {

		@Override
		public String toString() {
			return this.document + " line " + this.line;
		}

	}

}
