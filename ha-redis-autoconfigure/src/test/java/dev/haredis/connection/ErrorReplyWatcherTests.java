package dev.haredis.connection;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorReplyWatcherTests {

	private final AtomicInteger alarms = new AtomicInteger();

	private final EmbeddedChannel channel = new EmbeddedChannel(new ErrorReplyWatcher(this.alarms::incrementAndGet));

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@ParameterizedTest
	@ValueSource(strings = { "-READONLY You can't write against a read only replica.\r\n",
			"-LOADING Redis is loading the dataset in memory\r\n",
			"-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n" })
	void errorReplyOfAServerThatIsNotTheMasterRaisesTheAlarm(String reply) {
		read(reply);
		assertThat(this.alarms).hasValue(1);
	}

	@Test
	void repliesThatSucceedRaiseNoAlarm() {
		read("+OK\r\n$1\r\nv\r\n:42\r\n*2\r\n$1\r\na\r\n$-1\r\n_\r\n");
		assertThat(this.alarms).hasValue(0);
	}

	@Test
	void otherErrorRepliesRaiseNoAlarm() {
		read("-ERR unknown command 'FOO'\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
				+ "-NOSCRIPT No matching script\r\n");
		assertThat(this.alarms).hasValue(0);
	}

	@Test
	void errorReplyAfterOthersInTheSameReadRaisesTheAlarm() {
		read("+OK\r\n$3\r\na-b\r\n:-1\r\n-READONLY You can't write against a read only replica.\r\n+OK\r\n");
		assertThat(this.alarms).hasValue(1);
	}

	@Test
	void markerInsideALineRaisesNoAlarm() {
		read("$12\r\nabc-READONLY\r\n+OK-LOADING\r\n");
		assertThat(this.alarms).hasValue(0);
	}

	@Test
	void errorReplySplitInsideItsMarkerRaisesTheAlarm() {
		read("+OK\r\n-READ");
		assertThat(this.alarms).hasValue(0);
		read("ONLY You can't write against a read only replica.\r\n");
		assertThat(this.alarms).hasValue(1);
	}

	@Test
	void errorReplySplitIntoManySmallReadsRaisesTheAlarm() {
		read("+OK\r\n-");
		read("MA");
		read("STER");
		assertThat(this.alarms).hasValue(0);
		read("DOWN Link with MASTER is down\r\n");
		assertThat(this.alarms).hasValue(1);
	}

	@Test
	void errorReplyStartingARead() {
		read("+OK\r\n");
		read("-LOADING Redis is loading the dataset in memory\r\n");
		assertThat(this.alarms).hasValue(1);
	}

	@Test
	void carriedStartThatIsNotCompletedRaisesNoAlarm() {
		read("+OK\r\n-READ");
		read("Y\r\n");
		read("ONLY\r\n");
		assertThat(this.alarms).hasValue(0);
	}

	@Test
	void bytesReachTheNextHandlerUnchanged() {
		String replies = "+OK\r\n-READONLY You can't write against a read only replica.\r\n$1\r\nv\r\n";
		ByteBuf sent = Unpooled.copiedBuffer(replies, StandardCharsets.US_ASCII);
		this.channel.writeInbound(sent);
		ByteBuf received = this.channel.readInbound();
		assertThat(received).isSameAs(sent);
		assertThat(received.readerIndex()).isZero();
		assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo(replies);
		received.release();
	}

	@Test
	void onlyTheReadableBytesAreScanned() {
		ByteBuf bytes = Unpooled.copiedBuffer("-READONLY\r\n+OK\r\n", StandardCharsets.US_ASCII);
		bytes.readerIndex(11);
		this.channel.writeInbound(bytes);
		assertThat(this.alarms).hasValue(0);
		((ByteBuf) this.channel.readInbound()).release();
	}

	private void read(String bytes) {
		this.channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
		((ByteBuf) this.channel.readInbound()).release();
	}

}
