package dev.haredis.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkerSupervisorTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final TaskQueueObserver observer = new TaskQueueObserver() {

		@Override
		public void workerStarted(String queue, String worker) {
			WorkerSupervisorTests.this.events.add("started");
		}

		@Override
		public void workerFailed(String queue, String worker, String reason) {
			WorkerSupervisorTests.this.events.add("failed " + reason);
		}

		@Override
		public void workerEnded(String queue, String worker, String reason) {
			WorkerSupervisorTests.this.events.add("ended " + reason);
		}

		@Override
		public void workerStopped(String queue, String worker) {
			WorkerSupervisorTests.this.events.add("stopped");
		}

	};

	@Test
	void restartsALoopThatFailsWhateverItThrowsUntilTheApplicationStops() {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger runs = new AtomicInteger();
		Runnable loop = () -> {
			switch (runs.incrementAndGet()) {
				case 1 -> throw new IllegalStateException("bug");
				case 2 -> throw new OutOfMemoryError("Java heap space");
				default -> running.set(false);
			}
		};
		new WorkerSupervisor("emails", "w0", loop, this.observer, running::get).run();
		assertThat(this.events).containsExactly("started", "failed java.lang.IllegalStateException: bug", "started",
				"failed java.lang.OutOfMemoryError: Java heap space", "started", "stopped");
	}

	@Test
	void anObserverThatThrowsDoesNotStopTheSupervisor() {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger runs = new AtomicInteger();
		TaskQueueObserver failing = new TaskQueueObserver() {

			@Override
			public void workerFailed(String queue, String worker, String reason) {
				throw new IllegalStateException("observer bug");
			}

		};
		new WorkerSupervisor("emails", "w0", () -> {
			if (runs.incrementAndGet() == 1) {
				throw new AssertionError("loop bug");
			}
			running.set(false);
		}, failing, running::get).run();
		assertThat(runs).hasValue(2);
	}

	@Test
	void aWorkerInterruptedWhileTheApplicationRunsIsRestartedNeverLeftDead() {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger runs = new AtomicInteger();
		List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
		Thread.currentThread().interrupt();
		new WorkerSupervisor("emails", "w0", () -> {
			interruptedAtStart.add(Thread.currentThread().isInterrupted());
			switch (runs.incrementAndGet()) {
				case 1 -> {
					// A handler's 'catch (InterruptedException ex) { interrupt(); throw ... }' that reached the loop.
					Thread.currentThread().interrupt();
					throw new IllegalStateException("bug");
				}
				case 2 -> Thread.currentThread().interrupt();
				default -> running.set(false);
			}
		}, this.observer, running::get).run();
		assertThat(this.events).containsExactly("started", "failed java.lang.IllegalStateException: bug", "started",
				"failed its loop returned", "started", "stopped");
		assertThat(interruptedAtStart).containsExactly(false, false, false);
	}

	@Test
	void aWorkerInterruptedByTheApplicationsStopStopsAndKeepsItsInterrupt() {
		AtomicBoolean running = new AtomicBoolean(true);
		new WorkerSupervisor("emails", "w0", () -> {
			running.set(false);
			Thread.currentThread().interrupt();
		}, this.observer, running::get).run();
		assertThat(Thread.interrupted()).isTrue();
		assertThat(this.events).containsExactly("started", "stopped");
	}

	@Test
	void aSupervisorThatFailsItselfReportsTheWorkerEndedNotRestarted() {
		RuntimeException unprintable = new IllegalStateException() {

			@Override
			public String getMessage() {
				throw new OutOfMemoryError("Java heap space");
			}

		};
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> new WorkerSupervisor("emails", "w0", () -> {
				throw unprintable;
			}, this.observer, () -> true).run());
		assertThat(this.events).containsExactly("started", "ended its thread ended");
	}

}
