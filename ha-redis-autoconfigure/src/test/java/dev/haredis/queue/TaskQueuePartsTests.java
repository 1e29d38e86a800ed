package dev.haredis.queue;

import java.time.Duration;
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
		TaskResult failure = TaskResult.parse("t1", "FAILURE\u001F1700000000000\u001F" + TaskResult.storable("x\u001Fy")
				+ "\u001F");
		assertThat(failure.error()).isEqualTo("x y");
		assertThat(failure.valueJson()).isNull();
		assertThat(TaskResult.parse("t1", "garbage").state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void namesDeadLetterQueuesFromTheTemplate() {
		assertThat(new QueueKeys("queue:", "{queue}.dead-letter").deadLetterQueue("emails"))
			.isEqualTo("emails.dead-letter");
		assertThat(new QueueKeys("queue:", "dlq:{queue}").stream("dlq:emails")).isEqualTo("queue:dlq:emails");
	}

}
