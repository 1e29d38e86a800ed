package dev.haredis.connection;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import org.jspecify.annotations.Nullable;

/**
 * A {@link LettuceConnectionFactory} whose connections always go to the master the topology has verified: it
 * targets the virtual master address that {@link MasterRoutingSocketAddressResolver} resolves. Its client adds nothing
 * to Lettuce's command path: a {@code READONLY} reply is noticed by the {@link MasterChannelTracker} that the
 * routed client resources put into every connection.
 */
public class MasterLettuceConnectionFactory extends LettuceConnectionFactory {

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
		RedisStandaloneConfiguration master = new RedisStandaloneConfiguration(
				MasterRoutingSocketAddressResolver.MASTER_HOST, MasterRoutingSocketAddressResolver.MASTER_PORT);
		master.setUsername(username);
		master.setPassword(RedisPassword.of(password));
		master.setDatabase(database);
		return master;
	}

}
