package dev.haredis.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueAutoConfiguration;
import dev.haredis.gadget.Gadget;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Queue payloads stay plain JSON, read as the handler's type, whatever typing the application's mapper has.
 */
class TaskPayloadsTests {

	// An application mapper with default typing on for every non-final type, and a validator that allows any class.
	private static final JsonMapper POLYMORPHIC = JsonMapper.builder()
		.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
				DefaultTyping.NON_FINAL)
		.build();

	private static final String GADGET = "[\"dev.haredis.gadget.Gadget\",{\"command\":\"rm -rf /\"}]";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisQueueAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused())
		.withBean(JsonMapper.class, () -> POLYMORPHIC);

	@BeforeEach
	void resetGadget() {
		Gadget.instantiated.set(0);
	}

	@Test
	void theApplicationsMapperWouldLetAPayloadNameTheClassToInstantiate() {
		// What the payloads must not do: the mapper as the application configured it.
		assertThat(POLYMORPHIC.readValue(GADGET, Object.class)).isInstanceOf(Gadget.class);
		assertThat(Gadget.instantiated).hasValue(1);
	}

	@Test
	void payloadsAreWrittenAsPlainJsonWithTheApplicationsMapperDefaultTypingOff() {
		this.runner.run((context) -> {
			TaskPayloads payloads = context.getBean(TaskPayloads.class);
			String json = payloads.write(new Order("tea", java.util.List.of("green")));
			assertThat(json).isEqualTo("{\"item\":\"tea\",\"options\":[\"green\"]}");
			assertThat(payloads.read(json, Order.class)).isEqualTo(new Order("tea", java.util.List.of("green")));
		});
	}

	@Test
	void aPayloadNamingAClassIsNeverInstantiated() {
		this.runner.run((context) -> {
			TaskPayloads payloads = context.getBean(TaskPayloads.class);
			assertThat(payloads.read(GADGET, Object.class)).isInstanceOf(java.util.List.class);
			assertThatIllegalArgumentException().isThrownBy(() -> payloads.read(GADGET, Order.class));
			assertThat(Gadget.instantiated).hasValue(0);
		});
	}

	record Order(String item, java.util.List<String> options) {

	}

}
