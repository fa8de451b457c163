package network.subnet.node.metrics;

import network.subnet.node.api.TaskKind;

/**
 * What a node reports about its work, in domain terms; {@link PrometheusMetrics} turns it into Prometheus series and
 * {@link #NONE} drops it. Domain code sees only this interface, never the metrics library.
 *
 * <p>A validator reports leases handed out, settled tasks, results it accepted or refused, tokens of verified distill
 * tasks and the ratios of compress results it verified. A miner reports leases it received, its results as the
 * validator answered them, tokens it labelled and the ratios it encoded at.
 */
public interface NodeMetrics {

  /** Reports nothing. */
  NodeMetrics NONE = new NodeMetrics() {};

  /** One task leased (validator: handed out; miner: received). */
  default void taskLeased(TaskKind kind) {}

  /** One task settled with an agreed result. */
  default void taskVerified(TaskKind kind) {}

  /** One task that ended without a usable result (validator: undecided; miner: work it could not do). */
  default void taskFailed(TaskKind kind) {}

  /** One result accepted by the validator. */
  default void resultAccepted(TaskKind kind) {}

  /** One result refused; {@code reason} is a short, bounded code such as {@code invalid_argument}. */
  default void resultRefused(TaskKind kind, String reason) {}

  /** Tokens labelled by the teacher (miner) or verified in distill tasks (validator). */
  default void tokensLabelled(long tokens) {}

  /** The compression ratio (original bytes / blob bytes) one compress result reached with {@code codec}. */
  default void codecRatio(String codec, double ratio) {}

  /** How long one lease call took, long-poll wait included, in nanoseconds. */
  default void leaseLatency(long nanos) {}
}
