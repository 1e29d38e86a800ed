package dev.haredis.connection;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import org.jspecify.annotations.Nullable;

/**
 * A {@link LettuceConnectionFactory} whose connections always go to the master the topology has verified: it
 * targets the virtual master address ({@link #MASTER_HOST}:{@link #MASTER_PORT}) that the routed client resources
 * resolve. Its client adds nothing to Lettuce's command path: a {@code READONLY} reply is noticed by the handler
 * that the {@link MasterChannelTracker} puts into every connection of the routed client resources.
 */
public class MasterLettuceConnectionFactory extends LettuceConnectionFactory {

	/**
	 * The host the factory connects to, meaning "the current master" ({@link #getHostName()} returns it); a
	 * {@code .invalid} name never resolves in DNS.
	 */
	public static final String MASTER_HOST = "master.ha-redis.invalid";

	/** The port that goes with {@link #MASTER_HOST}. */
	public static final int MASTER_PORT = 6379;

	/**
	 * Create a new instance.
	 * @param clientConfiguration the client configuration, whose client resources must be
	 * {@link MasterRouting#getClientResources() routed}
	 * @param username the data-node username, or {@code null}
	 * @param password the data-node password, or {@code null}
	 * @param database the database index
	 */
	public MasterLettuceConnectionFactory(LettuceClientConfiguration clientConfiguration, @Nullable String username,
			@Nullable String password, int database) {
		super(master(username, password, database), clientConfiguration);
	}

	private static RedisStandaloneConfiguration master(@Nullable String username, @Nullable String password,
			int database) {
		RedisStandaloneConfiguration master = new RedisStandaloneConfiguration(MASTER_HOST, MASTER_PORT);
		master.setUsername(username);
		master.setPassword(RedisPassword.of(password));
		master.setDatabase(database);
		return master;
	}

}
