package dev.haredis.queue;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts that change a task's entry and its result in one step, so that a crash or a failover between
 * two commands cannot acknowledge a task without recording where it went. Spring Data Redis runs them with
 * {@code EVALSHA} and falls back to {@code EVAL} on a new master that has not seen them yet.
 */
final class QueueScripts {

	/**
	 * KEYS: stream, result. ARGV: resultTtlMillis ('0': no result), now, then the task's fields.
	 */
	static final RedisScript<String> ENQUEUE = RedisScript.of("""
			local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
			if ARGV[1] ~= '0' then
			  redis.call('HSET', KEYS[2], 'state', 'PENDING', 'updated', ARGV[2])
			  redis.call('PEXPIRE', KEYS[2], ARGV[1])
			end
			return id
			""", String.class);

	/**
	 * KEYS: results. ARGV: resultTtlMillis, now.
	 */
	static final RedisScript<Long> MARK_STARTED = RedisScript.of("""
			for _, key in ipairs(KEYS) do
			  redis.call('HSET', key, 'state', 'STARTED', 'updated', ARGV[2])
			  redis.call('PEXPIRE', key, ARGV[1])
			end
			return #KEYS
			""", Long.class);

	/**
	 * KEYS: stream, result. ARGV: group, entry id, resultTtlMillis, now, value.
	 */
	static final RedisScript<Long> ACK_SUCCESS = RedisScript.of("""
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			if ARGV[3] ~= '0' then
			  redis.call('HSET', KEYS[2], 'state', 'SUCCESS', 'value', ARGV[5], 'updated', ARGV[4])
			  redis.call('HDEL', KEYS[2], 'error')
			  redis.call('PEXPIRE', KEYS[2], ARGV[3])
			end
			return acked
			""", Long.class);

	/**
	 * KEYS: stream, delayed, result. ARGV: group, entry id, resultTtlMillis, now, due (epoch millis), error, the
	 * delayed task (a JSON array of its fields).
	 */
	static final RedisScript<Long> ACK_RETRY = RedisScript.of("""
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
			if ARGV[3] ~= '0' then
			  redis.call('HSET', KEYS[3], 'state', 'RETRY', 'error', ARGV[6], 'updated', ARGV[4])
			  redis.call('PEXPIRE', KEYS[3], ARGV[3])
			end
			return acked
			""", Long.class);

	/**
	 * KEYS: stream, dead-letter stream, result. ARGV: group, entry id, resultTtlMillis, now, error, then the task's
	 * fields.
	 */
	static final RedisScript<Long> ACK_DEAD_LETTER = RedisScript.of("""
			redis.call('XADD', KEYS[2], '*', unpack(ARGV, 6))
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			if ARGV[3] ~= '0' then
			  redis.call('HSET', KEYS[3], 'state', 'FAILURE', 'error', ARGV[5], 'updated', ARGV[4])
			  redis.call('PEXPIRE', KEYS[3], ARGV[3])
			end
			return acked
			""", Long.class);

	/**
	 * KEYS: delayed, stream. ARGV: now, how many at most.
	 */
	static final RedisScript<Long> PROMOTE_DUE = RedisScript.of("""
			local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
			local moved = 0
			for _, item in ipairs(due) do
			  if redis.call('ZREM', KEYS[1], item) == 1 then
			    redis.call('XADD', KEYS[2], '*', unpack(cjson.decode(item)))
			    moved = moved + 1
			  end
			end
			return moved
			""", Long.class);

	/**
	 * KEYS: stream. ARGV: group, entry id, then the task's fields. Puts an entry a worker read but did not start
	 * back at the end of the queue, so that another worker takes it at once.
	 */
	static final RedisScript<Long> RELEASE = RedisScript.of("""
			redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
			return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			""", Long.class);

	private QueueScripts() {
	}

}
