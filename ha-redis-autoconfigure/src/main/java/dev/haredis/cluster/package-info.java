/**
 * Redis Cluster monitoring: what the nodes say of the shards ({@link dev.haredis.cluster.ClusterView}) and the
 * decisions taken on it without I/O ({@code ClusterCore}): when to poll, when the client's slot map must be
 * reloaded, and which shard failed over ({@link dev.haredis.cluster.ShardFailoverEvent}).
 */
@NullMarked
package dev.haredis.cluster;

import org.jspecify.annotations.NullMarked;
