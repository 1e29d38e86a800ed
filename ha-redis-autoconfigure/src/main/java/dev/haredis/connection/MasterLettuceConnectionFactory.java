package dev.haredis.connection;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.event.command.CommandListener;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import org.jspecify.annotations.Nullable;

/**
 * A {@link LettuceConnectionFactory} whose connections always go to the master the topology has verified: it
 * targets the virtual master address that {@link MasterRoutingSocketAddressResolver} resolves, and its client
 * reports failed commands to a listener (which turns a {@code READONLY} reply into an immediate check).
 */
public class MasterLettuceConnectionFactory extends LettuceConnectionFactory {

	private final CommandListener commandListener;

	/**
	 * Create a new instance.
	 * @param clientConfiguration the client configuration, whose client resources must be
	 * {@link MasterRouting#getClientResources() routed}
	 * @param username the data-node username, or {@code null}
	 * @param password the data-node password, or {@code null}
	 * @param database the database index
	 * @param commandListener told about every command
	 */
	public MasterLettuceConnectionFactory(LettuceClientConfiguration clientConfiguration, @Nullable String username,
			@Nullable String password, int database, CommandListener commandListener) {
		super(master(username, password, database), clientConfiguration);
		this.commandListener = commandListener;
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

	@Override
	protected AbstractRedisClient createClient() {
		AbstractRedisClient client = super.createClient();
		client.addListener(this.commandListener);
		return client;
	}

}
