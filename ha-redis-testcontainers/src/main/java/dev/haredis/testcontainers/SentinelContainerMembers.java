package dev.haredis.testcontainers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import dev.haredis.topology.NodeAddress;

/**
 * Process control of a {@link RedisSentinelContainer}: one container per data node and sentinel, all in the
 * namespace holder's network; started, killed, paused, resumed and stopped through the Docker API.
 */
final class SentinelContainerMembers {

	private static final Logger logger = LoggerFactory.getLogger(SentinelContainerMembers.class);

	private final SentinelContainerLayout layout;

	private final DockerImageName redisImage;

	private final DockerClient docker;

	private final List<GenericContainer<?>> dataNodes = new ArrayList<>();

	private final List<GenericContainer<?>> sentinels = new ArrayList<>();

	SentinelContainerMembers(SentinelContainerLayout layout, DockerImageName redisImage, DockerClient docker) {
		this.layout = layout;
		this.redisImage = redisImage;
		this.docker = docker;
	}

	/**
	 * Start the data nodes, then the sentinels, in the network namespace of the container {@code holderId}.
	 */
	void start(String holderId) {
		String network = "container:" + holderId;
		for (int i = 0; i <= this.layout.replicas; i++) {
			GenericContainer<?> node = member(network, "Ready to accept connections")
				.withCommand(this.layout.dataNodeArguments(i));
			node.start();
			this.dataNodes.add(node);
		}
		for (int i = 0; i < this.layout.sentinels; i++) {
			GenericContainer<?> sentinel = member(network, "\\+monitor master")
				.withCopyToContainer(Transferable.of(this.layout.sentinelConfiguration(i)), "/data/sentinel.conf")
				.withCommand("/data/sentinel.conf", "--sentinel");
			sentinel.start();
			this.sentinels.add(sentinel);
		}
	}

	private GenericContainer<?> member(String network, String readyLog) {
		return new GenericContainer<>(this.redisImage).withNetworkMode(network)
			.withCreateContainerCmdModifier((command) -> command.withEntrypoint("redis-server"))
			.waitingFor(Wait.forLogMessage(".*" + readyLog + ".*", 1).withStartupTimeout(this.layout.readyTimeout));
	}

	void kill(NodeAddress announced) {
		this.docker.killContainerCmd(dataNode(announced)).exec();
	}

	void pause(NodeAddress announced) {
		this.docker.pauseContainerCmd(dataNode(announced)).exec();
	}

	void unpause(NodeAddress announced) {
		this.docker.unpauseContainerCmd(dataNode(announced)).exec();
	}

	void stopSentinel(int index) {
		this.docker.stopContainerCmd(this.sentinels.get(index).getContainerId()).withTimeout(1).exec();
	}

	void startSentinel(int index) {
		this.docker.startContainerCmd(this.sentinels.get(index).getContainerId()).exec();
	}

	/**
	 * Return the port of a running sentinel (the first).
	 */
	int runningSentinelPort() {
		for (int i = 0; i < this.sentinels.size(); i++) {
			if (Boolean.TRUE.equals(state(this.sentinels.get(i)).getRunning())) {
				return SentinelContainerLayout.FIRST_SENTINEL_PORT + i;
			}
		}
		throw new IllegalStateException("No sentinel is running");
	}

	/**
	 * Resume every paused member and start every member that is not running (killed or stopped).
	 */
	void resumeAll() {
		forEachMember((member) -> {
			ContainerState state = state(member);
			if (Boolean.TRUE.equals(state.getPaused())) {
				this.docker.unpauseContainerCmd(member.getContainerId()).exec();
			}
			else if (!Boolean.TRUE.equals(state.getRunning())) {
				this.docker.startContainerCmd(member.getContainerId()).exec();
			}
		});
	}

	/**
	 * Stop every member, sentinels first; a member that cannot be stopped is logged and left to Docker.
	 */
	void stopAll() {
		forEachMember((member) -> {
			try {
				member.stop();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not stop {}: {}", member.getContainerId(), ex.getMessage());
			}
		});
		this.sentinels.clear();
		this.dataNodes.clear();
	}

	private void forEachMember(Consumer<GenericContainer<?>> action) {
		List<GenericContainer<?>> members = new ArrayList<>(this.sentinels);
		members.addAll(this.dataNodes);
		members.forEach(action);
	}

	private ContainerState state(GenericContainer<?> member) {
		return this.docker.inspectContainerCmd(member.getContainerId()).exec().getState();
	}

	private String dataNode(NodeAddress announced) {
		return this.dataNodes.get(this.layout.dataNodeIndex(announced)).getContainerId();
	}

}
