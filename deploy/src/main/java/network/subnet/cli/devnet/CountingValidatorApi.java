package network.subnet.cli.devnet;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.ValidatorApi;
import network.subnet.node.api.WorkResult;

/** Counts, on the miner's side, the distill tokens of results the validator accepted, to compare with its credits. */
final class CountingValidatorApi implements ValidatorApi {

  private final ValidatorApi inner;
  private final LongAdder acceptedTokens = new LongAdder();

  CountingValidatorApi(ValidatorApi inner) {
    this.inner = inner;
  }

  long acceptedTokens() {
    return acceptedTokens.sum();
  }

  @Override
  public Registration register(Capabilities capabilities, String agent) {
    return inner.register(capabilities, agent);
  }

  @Override
  public List<Lease> lease(int maxTasks, Duration wait) {
    return inner.lease(maxTasks, wait);
  }

  @Override
  public SubmitOutcome submit(WorkResult result) {
    SubmitOutcome outcome = inner.submit(result);
    if (outcome.status() == SubmitOutcome.Status.ACCEPTED && result.kind() == TaskKind.DISTILL) {
      acceptedTokens.add(result.softLabels().positions());
    }
    return outcome;
  }

  @Override
  public List<String> heartbeat(List<String> taskIdsInProgress) {
    return inner.heartbeat(taskIdsInProgress);
  }

  @Override
  public void close() {
    inner.close();
  }
}
