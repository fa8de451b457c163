package network.subnet.node.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.PublicKey;

/**
 * A {@link MinerGateway} test double for transport tests: it records every call with the caller's
 * key and answers from settable values. Set {@link #failWith} to make every call throw.
 */
public final class RecordingMinerGateway implements MinerGateway {

  /** One recorded call: the method name, the authenticated caller and the decoded argument. */
  public record Call(String method, PublicKey caller, Object argument) {}

  public final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  public final PublicKey validatorKey;
  public volatile List<Lease> leases = List.of();
  public volatile SubmitOutcome submitOutcome =
      new SubmitOutcome(SubmitOutcome.Status.ACCEPTED, "stored");
  public volatile List<String> cancelled = List.of();
  public volatile Function<String, RuntimeException> failWith;

  public RecordingMinerGateway(PublicKey validatorKey) {
    this.validatorKey = validatorKey;
  }

  @Override
  public Registration register(PublicKey miner, Capabilities capabilities, String agent) {
    record("register", miner, capabilities);
    return new Registration(miner, validatorKey, 1_000L, 5_000L);
  }

  @Override
  public List<Lease> lease(PublicKey miner, int maxTasks, Duration wait) {
    record("lease", miner, wait);
    return leases;
  }

  @Override
  public SubmitOutcome submit(PublicKey miner, WorkResult result) {
    record("submit", miner, result);
    return submitOutcome;
  }

  @Override
  public List<String> heartbeat(PublicKey miner, List<String> taskIdsInProgress) {
    record("heartbeat", miner, taskIdsInProgress);
    return cancelled;
  }

  /** The calls recorded for {@code method}, in order. */
  public List<Call> callsTo(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  private void record(String method, PublicKey caller, Object argument) {
    Function<String, RuntimeException> failure = failWith;
    if (failure != null) {
      throw failure.apply(method);
    }
    calls.add(new Call(method, caller, argument));
  }
}
