package dev.haredis.topology;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which sentinels the application follows and which masters it may contact, without any I/O. The configured
 * sentinels ({@code ha.redis.sentinel.nodes}) are trusted; sentinels learned from them ({@code +sentinel} events,
 * {@code SENTINEL SENTINELS}) are followed for their events and health, at most {@code maxLearned} of them, but a
 * sentinel announces itself on {@code __sentinel__:hello} with no proof of anything, so what a learned sentinel says
 * alone never sends the application (and the data-node credentials of its {@code ROLE} check) to a new address.
 * <p>
 * A master is <em>confirmed</em> when it is a node the application knows already (the current master, a known
 * replica, a master it used before), when a configured sentinel that answered names it, or, while no configured
 * sentinel answers, when a strict majority of the sentinels that answered name it. Learned sentinels cannot outvote
 * a configured sentinel that answers: the bound on learned sentinels alone would not stop one process from
 * announcing enough of them. While a configured sentinel answers, only the configured sentinels' answers pick the
 * master followed (and so the replicas known) and the sentinels followed, and only their events change the
 * topology's state.
 * <p>
 * The decisions are pure functions of their arguments; the bookkeeping of what was logged already is used on the
 * topology thread only.
 */
final class SentinelTrust {

	private static final Log logger = LogFactory.getLog(SentinelTrust.class);

	/** Distinct sentinel and master pairs warned about at most; a rogue cannot fill the log either. */
	private static final int MAX_WARNED = 64;

	private final Set<NodeAddress> configured;

	private final int maxLearned;

	private final Set<String> warned = new HashSet<>();

	private boolean boundReported;

	/**
	 * Create an instance.
	 * @param configured the configured sentinels, as followed (unmapped)
	 * @param maxLearned how many sentinels learned from the others may be followed
	 */
	SentinelTrust(List<NodeAddress> configured, int maxLearned) {
		this.configured = Set.copyOf(configured);
		this.maxLearned = maxLearned;
	}

	/**
	 * Return whether a sentinel is one of the configured ones.
	 * @param sentinel its address, as followed
	 * @return whether it is configured
	 */
	boolean isConfigured(NodeAddress sentinel) {
		return this.configured.contains(sentinel);
	}

	/**
	 * Return whether one more learned sentinel may be followed. The first refusal is logged as a warning, the
	 * others at debug level.
	 * @param sentinel the sentinel announced
	 * @param learned how many learned sentinels are followed now
	 * @return whether it may be followed
	 */
	boolean mayLearn(NodeAddress sentinel, int learned) {
		if (learned < this.maxLearned) {
			return true;
		}
		if (!this.boundReported) {
			this.boundReported = true;
			logger.warn("Not following sentinel " + sentinel + ", announced by the others: " + learned
					+ " learned sentinels are followed already (ha.redis.sentinel.max-learned=" + this.maxLearned
					+ "). List every real sentinel in ha.redis.sentinel.nodes; if these are not real sentinels, "
					+ "someone publishes on __sentinel__:hello (see the ACL users in the production guide). Further "
					+ "ones are logged at debug level");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Not following sentinel " + sentinel + " (ha.redis.sentinel.max-learned reached)");
		}
		return false;
	}

	/**
	 * Return whether an event ({@code +switch-master}, {@code +selected-slave}) may send the application to the node
	 * it names at once: when a configured sentinel published it, or when the node is known already. A refusal is
	 * logged once for each sentinel and node.
	 * @param event the event
	 * @param named the node it names, as reachable
	 * @param known the nodes the application knows already
	 * @return whether the node may be contacted on this event alone
	 */
	boolean trustsEvent(SentinelEvent event, NodeAddress named, Set<NodeAddress> known) {
		if (isConfigured(event.reportedBy()) || known.contains(named)) {
			return true;
		}
		if (firstWarning(event.reportedBy(), named)) {
			logger.warn("Ignoring " + event.type() + " from sentinel " + event.reportedBy() + ", learned from the "
					+ "others: it names " + named + ", which is not a known node; checking with the configured "
					+ "sentinels first");
		}
		return false;
	}

	/**
	 * Return whether the sentinels' answers confirm a master.
	 * @param master the master named
	 * @param views what each sentinel answered at one check
	 * @param known the nodes the application knows already
	 * @return whether it is confirmed
	 */
	boolean confirms(NodeAddress master, List<SentinelView> views, Set<NodeAddress> known) {
		if (known.contains(master)) {
			return true;
		}
		boolean configuredAnswered = false;
		int answered = 0;
		int naming = 0;
		for (SentinelView view : views) {
			if (!view.reachable()) {
				continue;
			}
			answered++;
			boolean names = master.equals(view.master());
			if (isConfigured(view.sentinel())) {
				if (names) {
					return true;
				}
				configuredAnswered = true;
			}
			if (names) {
				naming++;
			}
		}
		return !configuredAnswered && naming * 2 > answered;
	}

	/**
	 * Return the answer to follow. While a configured sentinel answers, it is the one with the highest configuration
	 * epoch among the configured sentinels' answers: a learned sentinel could announce any epoch, and naming a known
	 * node with a made-up one would let it pick the master (and the replicas the application then knows). While none
	 * answers, it is the one with the highest epoch among those that name a master a strict majority of the
	 * sentinels that answered name.
	 * @param views what each sentinel answered at one check
	 * @param known the nodes the application knows already
	 * @return the answer, or {@code null} when none qualifies
	 */
	@Nullable SentinelView best(List<SentinelView> views, Set<NodeAddress> known) {
		List<SentinelView> configuredViews = configuredAnswers(views);
		List<SentinelView> eligible = configuredViews.isEmpty()
				? views.stream().filter((view) -> view.master() != null && namedByMajority(view.master(), views)).toList()
				: configuredViews.stream().filter((view) -> view.master() != null).toList();
		return eligible.stream().max(Comparator.comparingLong(SentinelView::configEpoch)).orElse(null);
	}

	/**
	 * Return whether the replicas an answer lists may be taken as known nodes: only a configured sentinel's list is;
	 * otherwise the replicas known are those the verified master reports.
	 * @param best the answer followed
	 * @return whether its replicas are known nodes
	 */
	boolean vouchesForReplicas(SentinelView best) {
		return isConfigured(best.sentinel());
	}

	/**
	 * Return whether an event may change the topology's state (failover in progress, trouble, the promotion watch):
	 * only a configured sentinel's may. A learned sentinel's event only asks for a check with the sentinels, and is
	 * neither kept in the history nor published to the listeners.
	 * @param event the event
	 * @return whether it is acted on
	 */
	boolean actsOn(SentinelEvent event) {
		return isConfigured(event.reportedBy());
	}

	/**
	 * Return the answers whose lists of sentinels count, to learn sentinels and to forget them: the configured
	 * sentinels' that answered, or, while none answers, all that answered.
	 * @param views what each sentinel answered at one check
	 * @return the answers whose lists count
	 */
	List<SentinelView> listing(List<SentinelView> views) {
		List<SentinelView> configuredViews = configuredAnswers(views);
		return configuredViews.isEmpty() ? views.stream().filter(SentinelView::reachable).toList() : configuredViews;
	}

	/**
	 * Return the learned sentinels to stop following: while a configured sentinel answers, every learned one the
	 * configured ones do not list, whether it answers or not (one that answers proves nothing); while none answers,
	 * those that do not answer and that no sentinel that answered lists.
	 * @param views what each sentinel answered at one check
	 * @param learned the learned sentinels followed
	 * @param listed the sentinels the answers of {@link #listing(List)} list
	 * @return the learned sentinels to forget
	 */
	Set<NodeAddress> unlisted(List<SentinelView> views, Set<NodeAddress> learned, Set<NodeAddress> listed) {
		boolean configuredAnswered = !configuredAnswers(views).isEmpty();
		if (!configuredAnswered && views.stream().noneMatch(SentinelView::reachable)) {
			return Set.of();
		}
		Set<NodeAddress> forget = new LinkedHashSet<>();
		for (SentinelView view : views) {
			if (learned.contains(view.sentinel()) && !listed.contains(view.sentinel())
					&& (configuredAnswered || !view.reachable())) {
				forget.add(view.sentinel());
			}
		}
		return forget;
	}

	private List<SentinelView> configuredAnswers(List<SentinelView> views) {
		return views.stream().filter((view) -> view.reachable() && isConfigured(view.sentinel())).toList();
	}

	private static boolean namedByMajority(NodeAddress master, List<SentinelView> views) {
		long answered = views.stream().filter(SentinelView::reachable).count();
		long naming = views.stream().filter((view) -> view.reachable() && master.equals(view.master())).count();
		return naming * 2 > answered;
	}

	/**
	 * Return the sentinels that name a master nobody confirms, with that master.
	 * @param views what each sentinel answered at one check
	 * @param known the nodes the application knows already
	 * @return the unconfirmed master by the sentinel that names it
	 */
	Map<NodeAddress, NodeAddress> unconfirmed(List<SentinelView> views, Set<NodeAddress> known) {
		Map<NodeAddress, NodeAddress> unconfirmed = new LinkedHashMap<>();
		for (SentinelView view : views) {
			NodeAddress master = view.master();
			if (master != null && !confirms(master, views, known)) {
				unconfirmed.put(view.sentinel(), master);
			}
		}
		return unconfirmed;
	}

	/**
	 * Log, once for each sentinel and master, the sentinels that name a master nobody confirms.
	 * @param unconfirmed the unconfirmed master by the sentinel that names it
	 */
	void reportUnconfirmed(Map<NodeAddress, NodeAddress> unconfirmed) {
		unconfirmed.forEach((sentinel, named) -> {
			if (firstWarning(sentinel, named)) {
				logger.warn("Sentinel " + sentinel + ", learned from the others, names " + named + " as master, "
						+ "which neither a configured sentinel nor a majority of the sentinels confirm; ignoring it");
			}
		});
	}

	private boolean firstWarning(NodeAddress sentinel, NodeAddress master) {
		return this.warned.size() < MAX_WARNED && this.warned.add(sentinel + ">" + master);
	}

}
