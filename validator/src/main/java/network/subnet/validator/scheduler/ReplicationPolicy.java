package network.subnet.validator.scheduler;

import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;

/**
 * Decides, when a task is leased for the first time, how many replicas it needs given who takes it first (adaptive
 * replication). Called with the scheduler's lock held, so it must be quick and must not call back into the scheduler.
 */
@FunctionalInterface
public interface ReplicationPolicy {

  /** Every task keeps the replica count it was added with. */
  ReplicationPolicy FIXED = (miner, task, needed) -> needed;

  /** The replicas {@code task} needs now that {@code firstMiner} takes it; at most {@code needed}. */
  int replicas(PublicKey firstMiner, Task task, int needed);
}
