package dev.haredis.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.RedisConnectionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.internal.RedisErrors;

/**
 * The part of the {@link SentinelTopology} shell that lives on the topology thread: it carries out the
 * {@link TopologyCore}'s decisions, in order, through the {@link TopologyTransport}, hands every answer back to the
 * core on that thread, and tells the listeners. All its state is touched on that thread only.
 */
final class DecisionRunner {

	private static final Log logger = LogFactory.getLog(DecisionRunner.class);

	private final TopologyCore core;

	private final TopologyTransport io;

	private final String masterName;

	private final MonitorSettings monitor;

	private final NodeAddress firstSentinel;

	private final Supplier<List<TopologyListener>> listeners;

	private final Map<NodeAddress, TopologyTransport.SentinelFeed> feeds = new LinkedHashMap<>();

	private final List<CompletableFuture<NodeAddress>> waiters = new ArrayList<>();

	private @Nullable CompletableFuture<Void> startup;

	private TopologyTransport.@Nullable RoleProbe probe;

	private TopologyTransport.@Nullable Scheduled nextPoll;

	private TopologyTransport.@Nullable Scheduled nextTick;

	private boolean stopped;

	DecisionRunner(TopologyCore core, TopologyTransport io, SentinelSettings settings, MonitorSettings monitor,
			Supplier<List<TopologyListener>> listeners) {
		this.core = core;
		this.io = io;
		this.masterName = settings.masterName();
		this.monitor = monitor;
		this.firstSentinel = settings.sentinels().get(0);
		this.listeners = listeners;
	}

	/** Begin start-up: the future completes once the core says it is over, or fails with its reason. */
	void start(CompletableFuture<Void> started) {
		this.startup = started;
		carryOut(this.core.start());
	}

	/** A connection thread waits for the master: answered by the next {@link TopologyDecision.AnswerWaiters}. */
	void waitForMaster(CompletableFuture<NodeAddress> answer) {
		this.waiters.add(answer);
		carryOut(this.core.masterWanted(this.io.now()));
	}

	/** Stop: release every connection and answer every waiting caller. */
	void release() {
		this.stopped = true;
		cancel(this.nextTick);
		stopWatchingPromotion();
		this.feeds.values().forEach(TopologyTransport.SentinelFeed::close);
		this.feeds.clear();
		RedisConnectionException stopped = new RedisConnectionException("The ha-redis topology stopped");
		this.waiters.forEach((waiter) -> waiter.completeExceptionally(stopped));
		this.waiters.clear();
	}

	/** Carry out the core's decisions, in order; on the topology thread. */
	void carryOut(List<TopologyDecision> decisions) {
		assert this.io.inTopologyThread() : "decisions carried out on " + Thread.currentThread().getName();
		for (TopologyDecision decision : decisions) {
			if (decision instanceof TopologyDecision.Publish publish) {
				notifyListeners(publish.event());
			}
			else if (decision instanceof TopologyDecision.Reconcile reconcile) {
				logger.debug("Checking with the sentinels: " + reconcile.reason());
			}
			else if (decision instanceof TopologyDecision.AskSentinels ask) {
				askSentinels(ask);
			}
			else if (decision instanceof TopologyDecision.CheckRole check) {
				answer(this.io.role(check.node()),
						(role) -> this.core.roleAnswered(check.round(), role, this.io.now()));
			}
			else if (decision instanceof TopologyDecision.CheckRoleThenSwitch check) {
				answer(this.io.role(check.node()),
						(role) -> this.core.announcedRoleChecked(check, role, this.io.now()));
			}
			else if (decision instanceof TopologyDecision.WatchPromotion watch) {
				stopWatchingPromotion();
				this.probe = this.io.probe(watch.candidate());
			}
			else if (decision instanceof TopologyDecision.PollPromotion poll) {
				pollPromotion(poll);
			}
			else if (decision instanceof TopologyDecision.StopWatchingPromotion) {
				stopWatchingPromotion();
			}
			else if (decision instanceof TopologyDecision.Follow follow) {
				this.feeds.computeIfAbsent(follow.sentinel(), (sentinel) -> this.io.follow(sentinel, follow.learned(),
						follow.announcedId(), (event) -> this.io.execute(() -> carryOut(this.core.event(event)))));
			}
			else if (decision instanceof TopologyDecision.Forget forget) {
				TopologyTransport.SentinelFeed feed = this.feeds.remove(forget.sentinel());
				if (feed != null) {
					feed.close();
				}
			}
			else if (decision instanceof TopologyDecision.Discover) {
				this.io.discover()
					.whenComplete((master, failure) -> this.io.execute(() -> carryOut(this.core.discovered(master,
							(failure != null) ? discoveryFailure(failure) : null, this.io.now()))));
			}
			else if (decision instanceof TopologyDecision.AnswerWaiters answer) {
				answerWaiters(answer);
			}
			else if (decision instanceof TopologyDecision.Started) {
				started();
			}
			else if (decision instanceof TopologyDecision.FailStart fail) {
				if (this.startup != null) {
					this.startup.completeExceptionally(fail.failure());
				}
			}
		}
	}

	private void askSentinels(TopologyDecision.AskSentinels ask) {
		this.feeds.values().forEach(TopologyTransport.SentinelFeed::connect);
		List<CompletableFuture<SentinelView>> pending = new ArrayList<>();
		for (NodeAddress sentinel : ask.request().sentinels()) {
			TopologyTransport.SentinelFeed feed = this.feeds.get(sentinel);
			pending.add((feed != null) ? feed.query(this.masterName)
					: CompletableFuture.completedFuture(SentinelView.unreachable(sentinel, "not followed")));
		}
		CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
			.whenComplete((ignored, failure) -> this.io.execute(() -> carryOut((failure != null)
					? this.core.checkFailed(ask.round())
					: this.core.sentinelsAnswered(ask.round(), pending.stream().map(CompletableFuture::join).toList(),
							this.io.now()))));
	}

	private void pollPromotion(TopologyDecision.PollPromotion poll) {
		TopologyTransport.RoleProbe polled = this.probe;
		if (polled == null) {
			return;
		}
		this.nextPoll = this.io.schedule(poll.after(), () -> {
			if (this.probe == polled) {
				answer(polled.role(poll.timeout()),
						(role) -> this.core.promotionPolled(poll.watch(), role, this.io.now()));
			}
		});
	}

	private void stopWatchingPromotion() {
		cancel(this.nextPoll);
		this.nextPoll = null;
		TopologyTransport.RoleProbe open = this.probe;
		this.probe = null;
		if (open != null) {
			open.close();
		}
	}

	/** When an answer comes, on whatever thread, hand it to the core on the topology thread. */
	private <T> void answer(CompletableFuture<T> answer, Function<T, List<TopologyDecision>> input) {
		answer.thenAccept((value) -> this.io.execute(() -> carryOut(input.apply(value))));
	}

	private void answerWaiters(TopologyDecision.AnswerWaiters answer) {
		NodeAddress master = answer.master();
		for (CompletableFuture<NodeAddress> waiter : this.waiters) {
			if (master != null) {
				waiter.complete(master);
			}
			else {
				waiter.completeExceptionally((answer.failure() != null) ? answer.failure()
						: new RedisConnectionException("No master of '" + this.masterName + "' found"));
			}
		}
		this.waiters.clear();
	}

	private void started() {
		if (this.startup != null) {
			this.startup.complete(null);
		}
		if (this.monitor.enabled() && this.nextTick == null) {
			tick();
		}
	}

	private void tick() {
		this.nextTick = this.io.schedule(this.monitor.refreshInterval(), () -> {
			carryOut(this.core.reconcileRequested("refresh"));
			if (!this.stopped) {
				tick();
			}
		});
	}

	private MasterDiscoveryException discoveryFailure(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof MasterDiscoveryException known) {
			return known;
		}
		return new MasterDiscoveryException(this.masterName, List.of(new DiscoveryAttempt(this.firstSentinel, null,
				DiscoveryAttempt.Problem.OTHER, RedisErrors.describe(cause))), List.of());
	}

	private static void cancel(TopologyTransport.@Nullable Scheduled scheduled) {
		if (scheduled != null) {
			scheduled.cancel();
		}
	}

	private void notifyListeners(TopologyEvent event) {
		for (TopologyListener listener : this.listeners.get()) {
			try {
				listener.onTopologyEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Topology listener " + listener + " failed on " + event, ex);
			}
		}
	}

}
