package dev.haredis.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueMetricsAutoConfiguration;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task queue on a real master, replica and three sentinels.
 */
class TaskQueueIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisQueueAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("ha.redis.queue.concurrency=2", "ha.redis.queue.back-off.initial=50ms",
				"ha.redis.queue.block-timeout=200ms", "ha.redis.queue.visibility-timeout=1s",
				"ha.redis.queue.shutdown-timeout=5s", "ha.redis.queue.result-ttl=1d");

	@AfterEach
	void cleanUp() {
		redis.topology().restore();
		redis.topology().master().command("FLUSHALL");
	}

	private ApplicationContextRunner app() {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes());
	}

	private ApplicationContextRunner appWithMeters() {
		return app().withConfiguration(AutoConfigurations.of(HaRedisQueueMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
	}

	@Test
	void runsTasksAcknowledgesThemAndStoresTheirResults() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			String id = queue.enqueue("greetings", new Greeting("alice"));
			TaskResult result = awaitDone(queue, id);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(queue.<String>value(result, String.class)).isEqualTo("hello alice");
			assertThat(pending("greetings")).isZero();
		});
	}

	@Test
	void retriesWithBackOffUntilTheHandlerSucceeds() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			String id = queue.enqueue("flaky", new Greeting("bob"));
			TaskResult result = awaitDone(queue, id);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(handlers.flakyAttempts).containsExactly(1, 2, 3);
		});
	}

	@Test
	void failedTasksGoToTheDeadLetterQueueAfterTheLastAttempt() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			String id = queue.enqueue("broken", new Greeting("carol"));
			TaskResult result = awaitDone(queue, id);
			assertThat(result.state()).isEqualTo(TaskState.FAILURE);
			assertThat(result.error()).contains("IllegalStateException: always broken");
			assertThat(handlers.brokenAttempts).hasValue(3);
			// The dead-letter queue is a queue: its handler gets the task with the error.
			await().atMost(WAIT).until(() -> handlers.deadLetters.containsKey(id));
			assertThat(handlers.deadLetters.get(id)).isEqualTo("carol");
			assertThat(pending("broken")).isZero();
		});
	}

	@Test
	void reportsTheQueuesInHealthAndMetrics() {
		appWithMeters()
			.run((context) -> {
				TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
				assertThat(awaitDone(queue, queue.enqueue("greetings", new Greeting("lou"))).state())
					.isEqualTo(TaskState.SUCCESS);
				assertThat(awaitDone(queue, queue.enqueue("broken", new Greeting("mo"))).state())
					.isEqualTo(TaskState.FAILURE);
				TaskQueueHealthIndicator health = new TaskQueueHealthIndicator(context.getBean(TaskQueueStates.class));
				await().atMost(WAIT).untilAsserted(() -> assertThat(health.health().getDetails()).containsKeys("greetings",
						"broken"));
				await().atMost(WAIT).untilAsserted(() -> {
					@SuppressWarnings("unchecked")
					Map<String, Object> broken = (Map<String, Object>) health.health().getDetails().get("broken");
					assertThat(broken).containsEntry("deadLetters", 1L).containsEntry("pending", 0L);
				});
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("ha.redis.queue.enqueued").tag("queue", "greetings").counter().count()).isEqualTo(1);
				assertThat(meters.get("ha.redis.queue.succeeded").tag("queue", "greetings").counter().count())
					.isEqualTo(1);
				assertThat(meters.get("ha.redis.queue.failed").tag("queue", "broken").tag("retried", "true").counter()
					.count()).isEqualTo(2);
				assertThat(meters.get("ha.redis.queue.dead.lettered").tag("queue", "broken").tag("reason", "failed")
					.counter().count()).isEqualTo(1);
				assertThat(meters.get("ha.redis.queue.in.flight").tag("queue", "greetings").gauge().value()).isZero();
				assertThat(meters.get("ha.redis.queue.dead.letters").tag("queue", "broken").gauge().value()).isEqualTo(1);
				// Queue names are whatever callers pass: a thousand of them make no new meters.
				int before = meters.getMeters().size();
				for (int i = 0; i < 1_000; i++) {
					queue.enqueue("tenant-" + i, new Greeting("x"));
				}
				assertThat(meters.getMeters()).hasSizeLessThanOrEqualTo(before + 5);
				assertThat(meters.get("ha.redis.queue.enqueued").tag("queue", "other").counter().count()).isEqualTo(1_000);
			});
	}

	@Test
	void aPoisonMessageIsDeadLetteredWithoutStoppingTheQueue() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			redis.topology().master().command("XADD", "queue:greetings", "*", "id", "poison-1", "payload", "{not json",
					"attempt", "1");
			String next = queue.enqueue("greetings", new Greeting("dave"));
			assertThat(awaitDone(queue, next).state()).isEqualTo(TaskState.SUCCESS);
			await().atMost(WAIT).until(() -> length("queue:greetings.dead-letter") == 1);
			assertThat(String.valueOf(redis.topology().master().command("XRANGE", "queue:greetings.dead-letter", "-", "+")))
				.contains("poison-1")
				.contains("poison: Cannot read the payload as dev.haredis.queue.TaskQueueIntegrationTests$Greeting");
		});
	}

	@Test
	void aTaskLeftUnacknowledgedByADeadWorkerIsTakenOverAfterTheVisibilityTimeout() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			handlers.pauseSlow.countDown();
			context.getBean(TaskWorkers.class).stop();
			String id = queue.enqueue("greetings", new Greeting("erin"));
			RedisProcess master = redis.topology().master();
			QueueWorkerSupport.readAsADeadWorker(master, "queue:greetings");
			assertThat(pending("greetings")).isEqualTo(1);
			context.getBean(TaskWorkers.class).start();
			TaskResult result = awaitDone(queue, id);
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(pending("greetings")).isZero();
		});
	}

	@Test
	void resultsFollowTheTaskThroughItsStates() {
		app().withPropertyValues("ha.redis.queue.back-off.initial=2s", "ha.redis.queue.track-started=true")
			.run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			assertThat(queue.result(queue.enqueue("nobody-listens", new Greeting("x"))).state())
				.isEqualTo(TaskState.PENDING);
			String slow = queue.enqueue("slow", new Greeting("judy"));
			await().atMost(WAIT).until(() -> queue.result(slow).state() == TaskState.STARTED);
			handlers.pauseSlow.countDown();
			assertThat(awaitDone(queue, slow).state()).isEqualTo(TaskState.SUCCESS);
			String flaky = queue.enqueue("flaky", new Greeting("ken"));
			TaskResult retrying = await().atMost(WAIT).until(() -> queue.result(flaky),
					(result) -> result.state() == TaskState.RETRY);
			assertThat(retrying.error()).contains("not yet");
			assertThat(awaitDone(queue, flaky).state()).isEqualTo(TaskState.SUCCESS);
			assertThat(queue.result(flaky).error()).isNull();
		});
	}

	@Test
	void keepsNoResultsByDefault() {
		app().withPropertyValues("ha.redis.queue.result-ttl=0").run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			String id = queue.enqueue("counted", new Greeting("nat"));
			await().atMost(WAIT).until(() -> handlers.counted.containsKey(id));
			assertThat(queue.result(id).state()).isEqualTo(TaskState.PENDING);
			assertThat(redis.topology().master().command("KEYS", "queue:result:*")).asList().isEmpty();
			// Acknowledged with a plain XACK when there are no results to store.
			await().atMost(WAIT).until(() -> pending("counted") == 0);
		});
	}

	@Test
	void enqueuesInBulkPlainAndDurably() {
		app().withPropertyValues("ha.redis.queue.result-ttl=0").run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			List<Greeting> plain = IntStream.range(0, 50).mapToObj((i) -> new Greeting("plain" + i)).toList();
			List<Greeting> durable = IntStream.range(0, 50).mapToObj((i) -> new Greeting("durable" + i)).toList();
			List<String> plainIds = queue.enqueueAll("counted", plain);
			List<String> durableIds = queue.enqueueAllDurably("counted", durable);
			assertThat(plainIds).hasSize(50).doesNotHaveDuplicates();
			assertThat(durableIds).hasSize(50).doesNotHaveDuplicates().doesNotContainAnyElementsOf(plainIds);
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(handlers.counted).containsKeys(plainIds.toArray(String[]::new));
				assertThat(handlers.counted).containsKeys(durableIds.toArray(String[]::new));
			});
			// Ids come back in the order of the payloads.
			assertThat(handlers.counted.get(plainIds.get(7))).isEqualTo("plain7");
			assertThat(handlers.counted.get(durableIds.get(42))).isEqualTo("durable42");
		});
	}

	@Test
	void resultsExpire() {
		app().withPropertyValues("ha.redis.queue.result-ttl=1s").run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			String id = queue.enqueue("greetings", new Greeting("frank"));
			assertThat(awaitDone(queue, id).state()).isEqualTo(TaskState.SUCCESS);
			await().atMost(WAIT).until(() -> queue.result(id).state() == TaskState.PENDING);
			assertThat(queue.result(id).updatedAt()).isNull();
		});
	}

	@Test
	void aShutdownFinishesTheTaskInProgressAndHandsBackTheOthers() throws Exception {
		Handlers handlers;
		List<String> ids = new CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = start("ha.redis.queue.concurrency=1",
				"ha.redis.queue.batch-size=5")) {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			handlers = context.getBean(Handlers.class);
			for (int i = 0; i < 5; i++) {
				ids.add(queue.enqueue("slow", new Greeting("guest" + i)));
			}
			assertThat(handlers.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
			// Closing while the first task runs: it finishes, the four others go back to the queue. The handler is
			// released only once the stop has begun, so that no other task can start after it.
			TaskWorkers workers = context.getBean(TaskWorkers.class);
			Thread release = new Thread(() -> {
				await().atMost(WAIT).until(() -> !workers.isRunning());
				handlers.pauseSlow.countDown();
			});
			release.start();
		}
		assertThat(handlers.slowFinished).hasSize(1);
		assertThat(String.valueOf(redis.topology().master().command("GET", "queue:result:" + ids.get(0))))
			.startsWith("SUCCESS");
		assertThat(pending("slow")).isZero();
		try (ConfigurableApplicationContext context = start()) {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			context.getBean(Handlers.class).pauseSlow.countDown();
			for (String id : ids) {
				assertThat(awaitDone(queue, id).state()).isEqualTo(TaskState.SUCCESS);
			}
		}
	}

	@Test
	void recreatesAMissingConsumerGroupAndGoesOn() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			assertThat(awaitDone(queue, queue.enqueue("greetings", new Greeting("hank"))).state())
				.isEqualTo(TaskState.SUCCESS);
			// As on a promoted replica that had not received the group yet.
			redis.topology().master().command("XGROUP", "DESTROY", "queue:greetings", "workers");
			String id = queue.enqueue("greetings", new Greeting("ivy"));
			assertThat(awaitDone(queue, id).state()).isEqualTo(TaskState.SUCCESS);
		});
	}

	@Test
	void keepsProcessingAfterTheMasterIsKilled() {
		app().withPropertyValues("ha.redis.timeout=5s").run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			Set<String> acknowledged = ConcurrentHashMap.newKeySet();
			for (int i = 0; i < 20; i++) {
				acknowledged.add(queue.enqueueDurably("counted", new Greeting("before" + i)));
			}
			RedisProcess killed = redis.topology().killMaster();
			redis.topology().awaitNewMaster(killed, Duration.ofSeconds(30));
			await().atMost(WAIT).untilAsserted(() -> acknowledged.add(queue.enqueue("counted", new Greeting("after"))));
			await().atMost(Duration.ofSeconds(20)).until(() -> handlers.counted.keySet().containsAll(acknowledged));
		});
	}

	@Test
	void anErrorFromAHandlerIsAFailedAttemptRetriedThenDeadLettered() {
		appWithMeters()
			.run((context) -> {
				TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
				Handlers handlers = context.getBean(Handlers.class);
				// A StackOverflowError, then a NoClassDefFoundError, then an AssertionError.
				String id = queue.enqueue("erroring", new Greeting("deep"));
				TaskResult result = awaitDone(queue, id);
				assertThat(result.state()).isEqualTo(TaskState.FAILURE);
				assertThat(result.error()).isEqualTo("java.lang.AssertionError: still wrong");
				assertThat(handlers.erroringAttempts).containsExactly(1, 2, 3);
				await().atMost(WAIT).until(() -> length("queue:erroring.dead-letter") == 1);
				assertThat(pending("erroring")).isZero();
				// The workers are alive: the next task runs, and no loop was restarted.
				assertThat(awaitDone(queue, queue.enqueue("erroring", new Greeting("fine"))).state())
					.isEqualTo(TaskState.SUCCESS);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("ha.redis.queue.failed").tag("queue", "erroring").tag("retried", "true").counter()
					.count()).isEqualTo(2);
				assertThat(meters.find("ha.redis.queue.worker.restarts").counter()).isNull();
			});
	}

	@Test
	void aTaskTakenOverAfterTheVisibilityTimeoutWhoseHandlerThrowsAnErrorIsRetried() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			context.getBean(TaskWorkers.class).stop();
			String id = queue.enqueue("erroring", new Greeting("deep"));
			// A worker of another process reads the task, then dies: the housekeeping worker takes it over.
			QueueWorkerSupport.readAsADeadWorker(redis.topology().master(), "queue:erroring");
			context.getBean(TaskWorkers.class).start();
			assertThat(awaitDone(queue, id).state()).isEqualTo(TaskState.FAILURE);
			// Attempt 2 (the second delivery) threw a NoClassDefFoundError, attempt 3 an AssertionError.
			assertThat(handlers.erroringAttempts).containsExactly(2, 3);
			assertThat(awaitDone(queue, queue.enqueue("erroring", new Greeting("fine"))).state())
				.isEqualTo(TaskState.SUCCESS);
		});
	}

	@Test
	void aWorkerLoopThatFailsIsRestartedCountedAndTheHealthIsDownMeanwhile() {
		appWithMeters()
			.withBean(FailingObserver.class)
			.withPropertyValues("ha.redis.queue.concurrency=1")
			.run((context) -> {
				TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
				FailingObserver observer = context.getBean(FailingObserver.class);
				TaskQueueHealthIndicator health = new TaskQueueHealthIndicator(context.getBean(TaskQueueStates.class));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				observer.failing = true;
				await().atMost(WAIT).untilAsserted(() -> {
					Health current = health.health();
					assertThat(current.getStatus()).isEqualTo(Status.DOWN);
					assertThat(current.getDetails().get("greetings")).asString()
						.contains("workers=0")
						.contains("IllegalStateException: observer bug");
				});
				assertThat(meters.get("ha.redis.queue.worker.restarts").tag("queue", "greetings").counter().count())
					.isPositive();
				observer.failing = false;
				await().atMost(WAIT).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
				assertThat(awaitDone(queue, queue.enqueue("greetings", new Greeting("olga"))).state())
					.isEqualTo(TaskState.SUCCESS);
			});
	}

	@Test
	void aHandlerThatLeavesItsThreadInterruptedFailsOnlyItsAttemptAndTheWorkerGoesOn() {
		appWithMeters().withPropertyValues("ha.redis.queue.concurrency=1").run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			// Interrupted (an InterruptedException, with the flag set again), every attempt.
			TaskResult failed = awaitDone(queue, queue.enqueue("interrupting", new Greeting("throws")));
			assertThat(failed.state()).isEqualTo(TaskState.FAILURE);
			assertThat(failed.error()).contains("InterruptedException");
			assertThat(handlers.interruptingAttempts).hasValue(3);
			await().atMost(WAIT).until(() -> length("queue:interrupting.dead-letter") == 1);
			// Returns with the flag set: a success, recorded as such.
			assertThat(awaitDone(queue, queue.enqueue("interrupting", new Greeting("returns"))).state())
				.isEqualTo(TaskState.SUCCESS);
			// The only worker (the housekeeping one too) is still there: later tasks and retries run.
			assertThat(awaitDone(queue, queue.enqueue("interrupting", new Greeting("fine"))).state())
				.isEqualTo(TaskState.SUCCESS);
			assertThat(awaitDone(queue, queue.enqueue("flaky", new Greeting("una"))).state())
				.isEqualTo(TaskState.SUCCESS);
			assertThat(pending("interrupting")).isZero();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("ha.redis.queue.worker.restarts").counter()).isNull();
			// The stop still stops the workers.
			context.getBean(TaskWorkers.class).stop();
			assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
				.noneMatch((name) -> name.startsWith("ha-redis-queue-"));
		});
	}

	@Test
	void aRetryThatCannotBeScheduledLeavesTheTaskPendingInsteadOfLosingIt() {
		app().run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			RedisProcess master = redis.topology().master();
			// The retry's ZADD fails (WRONGTYPE): the script must fail before it acknowledges the attempt.
			master.command("SET", "queue:broken:delayed", "not a sorted set");
			String id = queue.enqueue("broken", new Greeting("pat"));
			await().atMost(WAIT).until(() -> handlers.brokenAttempts.get() >= 1);
			await().atMost(WAIT).until(() -> pending("broken") == 1);
			master.command("DEL", "queue:broken:delayed");
			// Taken over after the visibility timeout, retried, and dead-lettered after its last attempt.
			TaskResult result = awaitDone(queue, id);
			assertThat(result.state()).isEqualTo(TaskState.FAILURE);
			assertThat(String.valueOf(master.command("XRANGE", "queue:broken.dead-letter", "-", "+"))).contains(id);
		});
	}

	@Test
	void deadLetterQueuesAreBoundedAndTheDroppedEntriesCounted() {
		appWithMeters()
			.withPropertyValues("ha.redis.queue.dead-letter-max-length=100")
			.run((context) -> {
				RedisProcess master = redis.topology().master();
				for (int i = 0; i < 1_000; i++) {
					master.command("XADD", "queue:greetings.dead-letter", "*", "id", "dead-" + i, "payload", "{}");
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(WAIT).untilAsserted(() -> assertThat(length("queue:greetings.dead-letter")).isBetween(100L,
						200L));
				await().atMost(WAIT).untilAsserted(() -> assertThat(
						meters.get("ha.redis.queue.dead.letters.dropped").tag("queue", "greetings").counter().count())
					.isEqualTo(1_000 - length("queue:greetings.dead-letter")));
				// The newest are kept.
				assertThat(String.valueOf(master.command("XREVRANGE", "queue:greetings.dead-letter", "+", "-", "COUNT",
						"1"))).contains("dead-999");
			});
	}

	@Test
	void deadLettersAreBoundedAsTheyAreWrittenEvenWithoutHousekeeping() {
		app().withPropertyValues("ha.redis.queue.dead-letter-max-length=10").run((context) -> {
			// No worker, so no housekeeping: only the scripts that dead-letter keep the bound.
			context.getBean(TaskWorkers.class).stop();
			RedisProcess master = redis.topology().master();
			QueueWorkerSupport.createGroup(master, "queue:broken");
			AtomicLong dropped = new AtomicLong();
			TaskQueueObserver observer = new TaskQueueObserver() {

				@Override
				public void deadLettersDropped(String queue, long count) {
					dropped.addAndGet(count);
				}

			};
			TaskQueueSettings settings = context.getBean(TaskQueueSettings.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			TaskOutcomes outcomes = new TaskOutcomes("broken", settings, template, context.getBean(TaskPayloads.class),
					observer, Clock.systemUTC());
			for (int i = 0; i < 300; i++) {
				Map<String, String> fields = Map.of("id", "dead-" + i, "payload", "{}");
				String entry = (String) master.command("XADD", "queue:broken", "*", "id", "dead-" + i, "payload", "{}");
				outcomes.deadLetter(RecordId.of(entry), TaskFields.read(fields), "java.lang.IllegalStateException: no",
						"failed");
				master.command("ZADD", "queue:broken:delayed", "0", "garbage-" + i);
			}
			// Within about a hundred (a node of the stream) of the bound, the newest kept, the dropped ones counted.
			assertThat(length("queue:broken.dead-letter")).isBetween(10L, 110L);
			assertThat(dropped).hasValue(300 - length("queue:broken.dead-letter"));
			assertThat(String.valueOf(master.command("XREVRANGE", "queue:broken.dead-letter", "+", "-", "COUNT", "1")))
				.contains("dead-299");
			// Malformed retries are dead-lettered within the bound too.
			List<?> promoted = template.execute(QueueScripts.PROMOTE_DUE,
					List.of("queue:broken:delayed", "queue:broken", "queue:broken.dead-letter"), "1", "1000",
					"not a task", "10");
			assertThat(((Number) promoted.get(1)).longValue()).isEqualTo(300);
			assertThat(length("queue:broken.dead-letter")).isBetween(10L, 110L);
			assertThat(((Number) promoted.get(2)).longValue() + dropped.get())
				.isEqualTo(600 - length("queue:broken.dead-letter"));
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void malformedEntriesAreDeadLetteredWithTheirIdAndReasonWithoutStoppingTheWorkers(CapturedOutput output) {
		appWithMeters()
			.run((context) -> {
				TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
				Handlers handlers = context.getBean(Handlers.class);
				RedisProcess master = redis.topology().master();
				QueueWorkerSupport.createGroup(master, "queue:greetings");
				String noFields = (String) master.command("XADD", "queue:greetings", "*", "foo", "s3cr3t-field");
				master.command("XADD", "queue:greetings", "*", "id", "m-2", "payload",
						"[\"s3cr3t-array\"]");
				master.command("XADD", "queue:greetings", "*", "id", "m-3", "payload",
						"s3cr3ttoken");
				String badAttempt = (String) master.command("XADD", "queue:greetings", "*", "id", "m-4", "payload",
						"{}", "attempt", "-4");
				String longId = (String) master.command("XADD", "queue:greetings", "*", "id", "x".repeat(300), "payload",
						"{}");
				// Garbage in the delayed retries: never stops the retries of the queue.
				master.command("ZADD", "queue:flaky:delayed", "0", "garbage", "1", "[1,{\"a\":2}]");
				// A result another tool wrote.
				master.command("SET", "queue:result:foreign", "BOGUS\u001Fyesterday\u001F\u001F");
				assertThat(awaitDone(queue, queue.enqueue("greetings", new Greeting("quinn"))).state())
					.isEqualTo(TaskState.SUCCESS);
				assertThat(awaitDone(queue, queue.enqueue("flaky", new Greeting("ray"))).state())
					.isEqualTo(TaskState.SUCCESS);
				assertThat(handlers.flakyAttempts).containsExactly(1, 2, 3);
				await().atMost(WAIT).until(() -> length("queue:greetings.dead-letter") == 5);
				String deadLetters = String.valueOf(master.command("XRANGE", "queue:greetings.dead-letter", "-", "+"));
				assertThat(deadLetters).contains("entry, " + noFields, "not a task: no 'id' field (fields: 1)")
					.contains("m-2", "m-3", "poison: Cannot read the payload as dev.haredis.queue.TaskQueueIntegrationTests$Greeting")
					.contains("entry, " + badAttempt, "an attempt below 1")
					.contains("entry, " + longId, "longer than 200 characters");
				await().atMost(WAIT).until(() -> length("queue:flaky.dead-letter") == 2);
				assertThat(String.valueOf(master.command("XRANGE", "queue:flaky.dead-letter", "-", "+")))
					.contains("garbage", "a delayed retry that is not a JSON array");
				TaskResult foreign = queue.result("foreign");
				assertThat(foreign.state()).isEqualTo(TaskState.PENDING);
				assertThat(foreign.error()).startsWith("Unreadable stored result");
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("ha.redis.queue.dead.lettered").tag("queue", "greetings").tag("reason", "poison")
					.counter().count()).isEqualTo(5);
				assertThat(meters.find("ha.redis.queue.worker.restarts").counter()).isNull();
				// The log names the entries and the reasons, never the payloads.
				assertThat(output.getAll()).contains("Entry " + noFields + " of queue 'greetings' moved to")
					.doesNotContain("s3cr3t");
			});
	}

	@Test
	void aPendingEntryDeletedFromTheStreamDoesNotStopTheHousekeeping() {
		appWithMeters()
			.run((context) -> {
				TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
				context.getBean(TaskWorkers.class).stop();
				RedisProcess master = redis.topology().master();
				String deleted = (String) master.command("XADD", "queue:greetings", "*", "id", "gone", "payload", "{}");
				QueueWorkerSupport.readAsADeadWorker(master, "queue:greetings");
				master.command("XDEL", "queue:greetings", deleted);
				context.getBean(TaskWorkers.class).start();
				// Once the visibility timeout has passed, the housekeeping meets the deleted entry, then goes on.
				await().atMost(WAIT).until(() -> pending("greetings") == 0);
				String id = queue.enqueue("flaky", new Greeting("tess"));
				assertThat(awaitDone(queue, id).state()).isEqualTo(TaskState.SUCCESS);
				assertThat(context.getBean(MeterRegistry.class).find("ha.redis.queue.worker.restarts").counter()).isNull();
			});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void longErrorTextsAreTruncatedInResultsAndLogs(CapturedOutput output) {
		app().withPropertyValues("ha.redis.queue.max-attempts=1").run((context) -> {
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			TaskResult result = awaitDone(queue, queue.enqueue("verbose", new Greeting("sam")));
			assertThat(result.state()).isEqualTo(TaskState.FAILURE);
			assertThat(result.error()).startsWith("java.lang.IllegalStateException: vvvv")
				.endsWith(" more characters]")
				.hasSizeLessThan(1_100);
			await().atMost(WAIT).until(() -> length("queue:verbose.dead-letter") == 1);
			assertThat(output.getAll()).contains("moved to 'verbose.dead-letter'").doesNotContain("v".repeat(400));
		});
	}

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(StartedApplication.class).web(WebApplicationType.NONE)
			.properties("ha.redis.sentinel.master=" + redis.topology().masterName(),
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(), "ha.redis.queue.concurrency=2",
					"ha.redis.queue.block-timeout=200ms", "ha.redis.queue.visibility-timeout=1s",
					"ha.redis.queue.shutdown-timeout=5s", "ha.redis.queue.result-ttl=1d",
					"spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	private static TaskResult awaitDone(TaskQueueOperations queue, String id) {
		return await().atMost(WAIT).until(() -> queue.result(id), TaskResult::isDone);
	}

	private static long pending(String queue) {
		Object summary = redis.topology().master().command("XPENDING", "queue:" + queue, "workers");
		return ((Number) ((List<?>) summary).get(0)).longValue();
	}

	private static long length(String key) {
		return ((Number) redis.topology().master().command("XLEN", key)).longValue();
	}

	record Greeting(String name) {

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<Integer> flakyAttempts = new CopyOnWriteArrayList<>();

		final AtomicInteger brokenAttempts = new AtomicInteger();

		final Map<String, String> deadLetters = new ConcurrentHashMap<>();

		final Map<String, String> counted = new ConcurrentHashMap<>();

		final CountDownLatch slowStarted = new CountDownLatch(1);

		final CountDownLatch pauseSlow = new CountDownLatch(1);

		final List<String> slowFinished = new CopyOnWriteArrayList<>();

		final List<Integer> erroringAttempts = new CopyOnWriteArrayList<>();

		final AtomicInteger interruptingAttempts = new AtomicInteger();

		@TaskListener(queue = "greetings")
		String greet(Greeting greeting) {
			return "hello " + greeting.name();
		}

		@TaskListener(queue = "flaky")
		String flaky(Greeting greeting, TaskContext context) {
			this.flakyAttempts.add(context.attempt());
			if (context.attempt() < 3) {
				throw new IllegalStateException("not yet");
			}
			return "finally " + greeting.name();
		}

		@TaskListener(queue = "broken")
		void broken(Greeting greeting) {
			this.brokenAttempts.incrementAndGet();
			throw new IllegalStateException("always broken");
		}

		@TaskListener(queue = "broken.dead-letter")
		void deadLetter(Greeting greeting, TaskContext context) {
			this.deadLetters.put(context.taskId(), greeting.name());
		}

		@TaskListener(queue = "counted")
		void count(Greeting greeting, TaskContext context) {
			this.counted.put(context.taskId(), greeting.name());
		}

		@TaskListener(queue = "erroring")
		String erroring(Greeting greeting, TaskContext context) {
			if (greeting.name().equals("fine")) {
				return "fine";
			}
			this.erroringAttempts.add(context.attempt());
			if (context.attempt() == 1) {
				return "unreachable " + recurse(0);
			}
			if (context.attempt() == 2) {
				throw new NoClassDefFoundError("com/example/Missing");
			}
			throw new AssertionError("still wrong");
		}

		private static int recurse(int depth) {
			return recurse(depth + 1) + 1;
		}

		@TaskListener(queue = "interrupting")
		String interrupting(Greeting greeting) throws InterruptedException {
			if (greeting.name().equals("fine")) {
				return "fine";
			}
			Thread.currentThread().interrupt();
			if (greeting.name().equals("returns")) {
				return "returned interrupted";
			}
			this.interruptingAttempts.incrementAndGet();
			throw new InterruptedException("cancelled");
		}

		@TaskListener(queue = "verbose")
		void verbose(Greeting greeting) {
			throw new IllegalStateException("v".repeat(50_000));
		}

		@TaskListener(queue = "slow")
		void slow(Greeting greeting) throws InterruptedException {
			this.slowStarted.countDown();
			this.pauseSlow.await(10, TimeUnit.SECONDS);
			this.slowFinished.add(greeting.name());
		}

	}

	/**
	 * An observer with a bug: while failing, it throws on the housekeeping of the 'greetings' queue, which fails
	 * that worker's loop (not a handler).
	 */
	static class FailingObserver implements TaskQueueObserver {

		volatile boolean failing;

		@Override
		public void observed(QueueState state) {
			if (this.failing && state.queue().equals("greetings")) {
				throw new IllegalStateException("observer bug");
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Handlers.class)
	static class StartedApplication {

	}

}
