package network.subnet.validator.scheduler;

import network.subnet.node.api.Lease;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;

/** A snapshot of one lease as the scheduler sees it. */
public record LeaseView(Task task, PublicKey miner, byte[] nonce, long deadlineMs) {

  /** The lease as the miner receives it. */
  public Lease toLease() {
    return new Lease(task.id(), nonce.clone(), deadlineMs, task.kind(), task.spec(), task.compress());
  }
}
