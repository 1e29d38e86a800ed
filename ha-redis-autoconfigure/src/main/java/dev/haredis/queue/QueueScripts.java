package dev.haredis.queue;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts that change a task's entry and its result in one step, so that a crash or a failover between
 * two commands cannot acknowledge a task without recording where it went. A result is one string,
 * {@code state US updated US error US value} (US: the unit separator, U+001F), written with its time to
 * live in one {@code SET}. Spring Data Redis runs them with
 * {@code EVALSHA} and falls back to {@code EVAL} on a new master that has not seen them yet.
 */
@SuppressWarnings("rawtypes")
final class QueueScripts {

	/**
	 * KEYS: results. ARGV: resultTtlMillis, now.
	 */
	static final RedisScript<Long> MARK_STARTED = RedisScript.of("""
			local US = string.char(31)
			for _, key in ipairs(KEYS) do
			  redis.call('SET', key, 'STARTED' .. US .. ARGV[2] .. US .. US, 'PX', ARGV[1])
			end
			return #KEYS
			""", Long.class);

	/**
	 * KEYS: stream, then the result of each task. ARGV: group, resultTtlMillis ('0': no results), now, then for each
	 * task its entry id and its value (JSON, or '' to leave its result alone). The results first: an error between
	 * the two leaves the tasks pending, to be run again, never acknowledged without their result.
	 */
	static final RedisScript<Long> ACK_SUCCESSES = RedisScript.of("""
			local US = string.char(31)
			if ARGV[2] ~= '0' then
			  for i = 2, #KEYS do
			    local value = ARGV[3 + (i - 1) * 2]
			    if value ~= '' then
			      redis.call('SET', KEYS[i], 'SUCCESS' .. US .. ARGV[3] .. US .. US .. value, 'PX', ARGV[2])
			    end
			  end
			end
			local acked = 0
			local ids = {}
			for i = 2, #KEYS do
			  ids[#ids + 1] = ARGV[2 + (i - 1) * 2]
			  -- One XACK per chunk: unpack has a limit on how many values it spreads.
			  if #ids == 500 or i == #KEYS then
			    acked = acked + redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
			    ids = {}
			  end
			end
			return acked
			""", Long.class);

	/**
	 * KEYS: stream, delayed, result. ARGV: group, entry id, resultTtlMillis, now, due (epoch millis), error, the
	 * delayed task (a JSON array of its fields). Schedules the retry before it acknowledges the failed attempt: a
	 * script stops at its first error without undoing what it did, so an error (a wrong type, out of memory) leaves
	 * the task pending, to be taken over after the visibility timeout, never acknowledged without its retry.
	 */
	static final RedisScript<Long> ACK_RETRY = RedisScript.of("""
			local US = string.char(31)
			redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
			if ARGV[3] ~= '0' then
			  redis.call('SET', KEYS[3], 'RETRY' .. US .. ARGV[4] .. US .. ARGV[6] .. US, 'PX', ARGV[3])
			end
			return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			""", Long.class);

	/**
	 * KEYS: stream, dead-letter stream, result. ARGV: group, entry id, resultTtlMillis ('0': no result), now, error,
	 * the dead-letter queue's bound, then the dead letter's fields. Writes the dead letter before it acknowledges, as
	 * {@link #ACK_RETRY} does, with {@code XADD MAXLEN ~} so that the dead-letter queue stays within its bound
	 * whatever the housekeeping does. Returns how many old dead letters that dropped (from the length before and
	 * after).
	 */
	static final RedisScript<Long> ACK_DEAD_LETTER = RedisScript.of("""
			local US = string.char(31)
			local before = redis.call('XLEN', KEYS[2])
			redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', unpack(ARGV, 7))
			local dropped = before + 1 - redis.call('XLEN', KEYS[2])
			if ARGV[3] ~= '0' then
			  redis.call('SET', KEYS[3], 'FAILURE' .. US .. ARGV[4] .. US .. ARGV[5] .. US, 'PX', ARGV[3])
			end
			redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			return dropped
			""", Long.class);

	/**
	 * KEYS: delayed, stream, dead-letter stream. ARGV: now, how many at most, the error of a malformed retry, the
	 * dead-letter queue's bound. Adds each due retry to the stream before removing it from the delayed set. A member
	 * that is not a task (not a JSON array of field names and values: written by something else, or damaged) goes to
	 * the dead-letter stream as it is ({@code XADD MAXLEN ~}, within its bound), instead of failing the script for
	 * ever and so stopping every retry. Returns the number of retries moved, the number of malformed members
	 * dead-lettered, and the number of old dead letters that dropped.
	 */
	static final RedisScript<List> PROMOTE_DUE = RedisScript.of("""
			local function fields(item)
			  local ok, decoded = pcall(cjson.decode, item)
			  if not ok or type(decoded) ~= 'table' or #decoded == 0 or #decoded % 2 ~= 0 or #decoded > 64 then
			    return nil
			  end
			  for _, value in ipairs(decoded) do
			    if type(value) ~= 'string' then
			      return nil
			    end
			  end
			  return decoded
			end
			local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
			local moved = 0
			local malformed = 0
			local dropped = 0
			for _, item in ipairs(due) do
			  local task = fields(item)
			  if task then
			    redis.call('XADD', KEYS[2], '*', unpack(task))
			    moved = moved + 1
			  else
			    local before = redis.call('XLEN', KEYS[3])
			    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'error', ARGV[3], 'delayed', item)
			    dropped = dropped + before + 1 - redis.call('XLEN', KEYS[3])
			    malformed = malformed + 1
			  end
			  redis.call('ZREM', KEYS[1], item)
			end
			return { moved, malformed, dropped }
			""", List.class);

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
