package dev.haredis.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskQueuePartsTests {

	@Test
	void backOffGrowsUpToItsMaximum() {
		TaskQueueSettings.BackOff backOff = new TaskQueueSettings.BackOff(Duration.ofSeconds(1), 2,
				Duration.ofSeconds(5));
		assertThat(backOff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backOff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backOff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(backOff.delayAfter(4)).isEqualTo(Duration.ofSeconds(5));
		assertThat(backOff.delayAfter(40)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void comparesStreamEntryIdsByTimeThenSequence() {
		assertThat(RecordIds.compare("1700000000000-5", "1700000000000-12")).isNegative();
		assertThat(RecordIds.compare("1700000000001-0", "1700000000000-12")).isPositive();
		assertThat(RecordIds.compare("0-0", "0")).isZero();
		assertThat(RecordIds.millis("1700000000000-5")).isEqualTo(1700000000000L);
	}

	@Test
	void readsTaskEntriesAndRefusesOthers() {
		TaskFields task = TaskFields.read(Map.of("id", "t1", "payload", "{}", "attempt", "2", "enqueued", "5"));
		assertThat(task).isNotNull();
		assertThat(task.attempt()).isEqualTo(2);
		assertThat(TaskFields.read(Map.of("payload", "{}"))).isNull();
		assertThat(TaskFields.read(Map.of("id", "t1", "payload", "{}", "attempt", "two"))).isNull();
		assertThat(task.failedWith("boom").flat()).containsSubsequence("error", "boom");
		assertThat(new TaskFields("t2", "{}", 1, 0, null).toMap()).containsOnlyKeys("id", "payload");
	}

	@Test
	void readsStoredResults() {
		TaskResult success = TaskResult.parse("t1", "SUCCESS\u001F1700000000000\u001F\u001F\"hi\"");
		assertThat(success.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(success.valueJson()).isEqualTo("\"hi\"");
		assertThat(success.error()).isNull();
		assertThat(success.updatedAt()).isNotNull();
		TaskResult failure = TaskResult.parse("t1", "FAILURE\u001F1700000000000\u001F" + ErrorTexts.storable("x\u001Fy")
				+ "\u001F");
		assertThat(failure.error()).isEqualTo("x y");
		assertThat(failure.valueJson()).isNull();
		assertThat(TaskResult.parse("t1", "garbage").state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void reportsAStoredResultItCannotReadInsteadOfThrowing() {
		for (String stored : List.of("garbage", "BOGUS\u001F1700000000000\u001F\u001F", "SUCCESS\u001Fyesterday\u001F\u001F1")) {
			TaskResult result = TaskResult.parse("t1", stored);
			assertThat(result.state()).isEqualTo(TaskState.PENDING);
			assertThat(result.error()).startsWith("Unreadable stored result");
			assertThat(result.isDone()).isFalse();
		}
	}

	@Test
	void boundsStoredAndLoggedErrorTextsWithAMarker() {
		String huge = "boom ".repeat(100_000);
		String stored = ErrorTexts.storable(huge);
		assertThat(stored).startsWith("boom boom").endsWith("... [" + (huge.length() - ErrorTexts.STORED) + " more characters]");
		assertThat(stored.length()).isLessThan(ErrorTexts.STORED + 40);
		String logged = ErrorTexts.loggable("first line\nsecond line " + huge);
		assertThat(logged).doesNotContain("\n").contains("first line second line");
		assertThat(logged.length()).isLessThan(ErrorTexts.LOGGED + 40);
		assertThat(ErrorTexts.storable("short")).isEqualTo("short");
		assertThat(ErrorTexts.describe(new StackOverflowError())).isEqualTo("java.lang.StackOverflowError");
		// A surrogate pair is never cut in two.
		String emoji = "a".repeat(ErrorTexts.STORED - 1) + "\uD83D\uDE00" + "tail";
		assertThat(ErrorTexts.storable(emoji)).startsWith("a".repeat(ErrorTexts.STORED - 1) + "...");
	}

	@Test
	void saysWhyAnEntryIsNotATaskWithoutShowingItsValues() {
		assertThat(TaskFields.whyNotATask(Map.of("id", "t1", "payload", "{}"))).isNull();
		assertThat(TaskFields.whyNotATask(Map.of("foo", "secret"))).isEqualTo("no 'id' field");
		assertThat(TaskFields.whyNotATask(Map.of("id", "t1"))).isEqualTo("no 'payload' field");
		assertThat(TaskFields.whyNotATask(Map.of("id", "t1", "payload", "{}", "attempt", "0"))).contains("attempt below 1");
		assertThat(TaskFields.whyNotATask(Map.of("id", "x".repeat(201), "payload", "{}"))).contains("longer than 200");
		assertThat(TaskFields.whyNotATask(Map.of("id", " ", "payload", "{}"))).contains("blank");
		assertThat(TaskFields.whyNotATask(Map.of("id", "t1", "payload", "{}", "enqueued", "soon")))
			.contains("malformed");
		assertThat(TaskFields.read(Map.of("id", "t1", "payload", "{}", "attempt", "-3"))).isNull();
	}

	@Test
	void namesDeadLetterQueuesFromTheTemplate() {
		assertThat(new QueueKeys("queue:", "{queue}.dead-letter", false).deadLetterQueue("emails"))
			.isEqualTo("emails.dead-letter");
		assertThat(new QueueKeys("queue:", "dlq:{queue}", false).stream("dlq:emails")).isEqualTo("queue:dlq:emails");
	}

	@Test
	void withHashTagsPutsEveryKeyOfAQueueAndItsDeadLetterQueuesInTheQueuesSlot() {
		QueueKeys keys = new QueueKeys("queue:", "{queue}.dead-letter", true);
		assertThat(keys.stream("emails")).isEqualTo("queue:{emails}");
		assertThat(keys.delayed("emails")).isEqualTo("queue:{emails}:delayed");
		assertThat(keys.deadLetterQueue("emails")).isEqualTo("emails.dead-letter");
		assertThat(keys.stream("emails.dead-letter")).isEqualTo("queue:{emails}.dead-letter");
		assertThat(keys.delayed("emails.dead-letter")).isEqualTo("queue:{emails}.dead-letter:delayed");
		assertThat(keys.stream("emails.dead-letter.dead-letter")).isEqualTo("queue:{emails}.dead-letter.dead-letter");
		String id = keys.newTaskId("emails.dead-letter");
		assertThat(id).matches("emails:[0-9a-f-]{36}");
		assertThat(keys.result(id)).isEqualTo("queue:result:{emails}" + id.substring("emails".length()));
		assertThat(keys.result("dlq:emails:42")).isEqualTo("queue:result:{dlq:emails}:42");
		assertThat(keys.result("no-queue-named")).isEqualTo("queue:result:no-queue-named");
		QueueKeys prefixed = new QueueKeys("q:", "dlq:{queue}", true);
		assertThat(prefixed.stream("dlq:dlq:emails")).isEqualTo("q:dlq:dlq:{emails}");
		assertThat(prefixed.stream("dlq:")).isEqualTo("q:{dlq:}");
	}

	@Test
	void withHashTagsOnlyIdsLedByTheirQueueAreTasksOfIt() {
		QueueKeys keys = new QueueKeys("queue:", "{queue}.dead-letter", true);
		assertThat(keys.whyNotOfQueue("emails", keys.newTaskId("emails"))).isNull();
		assertThat(keys.whyNotOfQueue("emails.dead-letter", keys.newTaskId("emails"))).isNull();
		assertThat(keys.whyNotOfQueue("emails", "order:42")).contains("'emails:'");
		assertThat(keys.whyNotOfQueue("emails", "emails:")).isNotNull();
		assertThat(keys.whyNotOfQueue("emails", "3f2c")).isNotNull();
		assertThat(new QueueKeys("queue:", "{queue}.dead-letter", false).whyNotOfQueue("emails", "order:42")).isNull();
	}

	@Test
	void withoutHashTagsTaskIdsAreUuidsAndResultKeysTakeIdsAsTheyAre() {
		QueueKeys keys = new QueueKeys("queue:", "{queue}.dead-letter", false);
		assertThat(keys.newTaskId("emails")).matches("[0-9a-f-]{36}");
		assertThat(keys.result("order:42")).isEqualTo("queue:result:order:42");
	}

}
