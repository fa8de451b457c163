package network.subnet.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.ValidatorApi;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.PublicKey;

/**
 * A miner's client that remembers what the validator answered: every lease it granted and every result it
 * acknowledged (accepted, or a duplicate of one accepted before). What a validator acknowledged, it must never lose.
 */
final class AckRecorder implements ValidatorApi {

  record Granted(String taskId, PublicKey miner, byte[] nonce, long deadlineMs) {}

  record Acked(String taskId, PublicKey miner, SubmitOutcome.Status status) {}

  private final ValidatorApi delegate;
  private final PublicKey miner;
  private final List<Granted> granted = new ArrayList<>();
  private final List<Acked> acked = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong answers = new java.util.concurrent.atomic.AtomicLong();

  AckRecorder(ValidatorApi delegate, PublicKey miner) {
    this.delegate = delegate;
    this.miner = miner;
  }

  @Override
  public Registration register(Capabilities capabilities, String agent) {
    Registration registration = delegate.register(capabilities, agent);
    answers.incrementAndGet();
    return registration;
  }

  @Override
  public List<Lease> lease(int maxTasks, Duration wait) {
    List<Lease> leases = delegate.lease(maxTasks, wait);
    answers.incrementAndGet();
    synchronized (this) {
      leases.forEach(l -> granted.add(new Granted(l.taskId(), miner, l.leaseNonce(), l.deadlineMs())));
    }
    return leases;
  }

  @Override
  public SubmitOutcome submit(WorkResult result) {
    SubmitOutcome outcome = delegate.submit(result);
    answers.incrementAndGet();
    synchronized (this) {
      acked.add(new Acked(result.taskId(), miner, outcome.status()));
    }
    return outcome;
  }

  @Override
  public List<String> heartbeat(List<String> taskIdsInProgress) {
    List<String> cancelled = delegate.heartbeat(taskIdsInProgress);
    answers.incrementAndGet();
    return cancelled;
  }

  /** Calls the validator answered (any kind, empty long polls included): it is up and talking to this miner. */
  long answers() {
    return answers.get();
  }

  synchronized List<Granted> granted() {
    return List.copyOf(granted);
  }

  synchronized List<Acked> acked() {
    return List.copyOf(acked);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
