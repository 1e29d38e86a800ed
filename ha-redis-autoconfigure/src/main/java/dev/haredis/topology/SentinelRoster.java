package dev.haredis.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sentinels the topology follows, without I/O: configured ones, and those learned from them (bounded, see
 * {@link SentinelTrust}). A sentinel is known by its id ({@code SENTINEL MYID}) as well as its address, since the
 * others list it under the address it announces, which may be another name for it or, behind NAT, one that cannot be
 * reached at all; each is followed once. Changes come out as {@link TopologyDecision.Follow} and
 * {@link TopologyDecision.Forget} for the shell to carry out.
 */
final class SentinelRoster {

	private static final Log logger = LogFactory.getLog(SentinelRoster.class);

	private final Map<NodeAddress, Member> members = new LinkedHashMap<>();

	private final SentinelTrust trust;

	private final AnnouncedAddresses addresses;

	SentinelRoster(SentinelTrust trust, AnnouncedAddresses addresses) {
		this.trust = trust;
		this.addresses = addresses;
	}

	/**
	 * Return the sentinels followed, in the order they were first followed.
	 * @return their addresses
	 */
	List<NodeAddress> followed() {
		return List.copyOf(this.members.keySet());
	}

	boolean follows(NodeAddress sentinel) {
		return this.members.containsKey(sentinel);
	}

	/**
	 * Follow a sentinel, unless it is followed already: at that address, or (for one learned from the others) under
	 * its id, at another address. A learned sentinel that stopped answering and is now announced at another
	 * address (recreated with a new IP, {@code +sentinel-address-switch}) is followed there instead.
	 * @param sentinel its reachable address
	 * @param learned whether it was learned from the other sentinels rather than configured
	 * @param announcedId the id the other sentinels announced it with, if any
	 * @param decisions where the changes go
	 */
	void follow(NodeAddress sentinel, boolean learned, @Nullable String announcedId, List<TopologyDecision> decisions) {
		String id = (announcedId != null && !announcedId.isBlank()) ? announcedId : null;
		Member same = (id != null) ? withId(id) : null;
		if (same != null) {
			if (!same.learned || same.answering || same.address.equals(sentinel)) {
				return;
			}
			logger.info("Sentinel " + same.address + " is announced at " + sentinel + " now; following it there");
			forget(same.address, decisions);
		}
		if (this.members.containsKey(sentinel)) {
			return;
		}
		if (learned && !this.trust.mayLearn(sentinel, learnedCount())) {
			return;
		}
		this.members.put(sentinel, new Member(sentinel, learned, id));
		decisions.add(new TopologyDecision.Follow(sentinel, learned, id));
	}

	/**
	 * Take what the sentinels answered at a check: whether each answered, and its own id.
	 * @param views the answers
	 */
	void answered(List<SentinelView> views) {
		for (SentinelView view : views) {
			Member member = this.members.get(view.sentinel());
			if (member != null) {
				member.answering = view.reachable();
				if (view.id() != null) {
					member.id = view.id();
				}
			}
		}
	}

	/**
	 * Follow the sentinels the answers that count list, and stop following learned sentinels that turned out to be
	 * followed already under another address, or that the sentinels no longer list.
	 * @param views the answers of one check
	 * @param decisions where the changes go
	 */
	void update(List<SentinelView> views, List<TopologyDecision> decisions) {
		for (SentinelView view : this.trust.listing(views)) {
			for (Map<String, String> other : view.sentinels()) {
				NodeAddress address = listedAddress(other);
				if (address != null) {
					follow(address, true, other.get("runid"), decisions);
				}
			}
		}
		forgetDuplicates(decisions);
		forgetUnlisted(views, decisions);
	}

	/**
	 * Stop following learned sentinels followed already under another address: a sentinel configured as
	 * {@code localhost} and listed by the others as {@code 127.0.0.1}, or one they announce under an address only
	 * valid behind NAT. Configured sentinels are kept, and each sentinel is counted once.
	 */
	private void forgetDuplicates(List<TopologyDecision> decisions) {
		Set<String> seen = new HashSet<>();
		for (Member member : List.copyOf(this.members.values())) {
			String id = member.id;
			if (id != null && !seen.add(id) && member.learned) {
				logger.debug("Sentinel " + member.address + " is followed under another address already");
				forget(member.address, decisions);
			}
		}
	}

	/**
	 * Stop following learned sentinels the configured sentinels do not list (removed by {@code SENTINEL RESET}, or
	 * never real: announced once on {@code __sentinel__:hello}), or, while no configured sentinel answers, learned
	 * sentinels that do not answer and no sentinel that answered lists. They give their place under
	 * {@code ha.redis.sentinel.max-learned} back.
	 */
	private void forgetUnlisted(List<SentinelView> views, List<TopologyDecision> decisions) {
		Set<NodeAddress> listed = new HashSet<>();
		this.trust.listing(views)
			.forEach((view) -> view.sentinels()
				.stream()
				.map(this::listedAddress)
				.filter(Objects::nonNull)
				.forEach(listed::add));
		Set<NodeAddress> learned = new HashSet<>();
		this.members.values().stream().filter((member) -> member.learned).forEach((member) -> learned.add(member.address));
		for (NodeAddress sentinel : this.trust.unlisted(views, learned, listed)) {
			if (this.members.containsKey(sentinel)) {
				logger.info("Sentinel " + sentinel + " is no longer listed by the configured sentinels (or, while "
						+ "none answers, does not answer and the others no longer list it); not following it any more");
				forget(sentinel, decisions);
			}
		}
	}

	private void forget(NodeAddress sentinel, List<TopologyDecision> decisions) {
		this.members.remove(sentinel);
		decisions.add(new TopologyDecision.Forget(sentinel));
	}

	private @Nullable Member withId(String id) {
		return this.members.values().stream().filter((member) -> id.equals(member.id)).findFirst().orElse(null);
	}

	private int learnedCount() {
		return (int) this.members.values().stream().filter((member) -> member.learned).count();
	}

	private @Nullable NodeAddress listedAddress(Map<String, String> sentinel) {
		try {
			return this.addresses.reachable(new NodeAddress(sentinel.get("ip"), Integer.parseInt(sentinel.get("port"))));
		}
		catch (RuntimeException ex) {
			logger.debug("Ignoring malformed sentinel entry " + sentinel.keySet());
			return null;
		}
	}

	/**
	 * A sentinel followed. Its id is the one it gave ({@code SENTINEL MYID}) once it gave one, else the one the others
	 * announced it with; a {@code MYID} that fails once leaves the id it gave before.
	 */
	private static final class Member {

		private final NodeAddress address;

		private final boolean learned;

		private @Nullable String id;

		private boolean answering;

		Member(NodeAddress address, boolean learned, @Nullable String announcedId) {
			this.address = address;
			this.learned = learned;
			this.id = announcedId;
		}

	}

	@Override
	public String toString() {
		List<String> described = new ArrayList<>();
		this.members.values().forEach((member) -> described.add(member.address + (member.learned ? " (learned)" : "")));
		return described.toString();
	}

}
