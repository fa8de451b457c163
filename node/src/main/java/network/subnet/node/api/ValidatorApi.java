package network.subnet.node.api;

import java.time.Duration;
import java.util.List;

/**
 * Everything a miner asks of the validator. Two transports implement it: in-process (devnet, tests) and gRPC. The
 * caller's identity is fixed by the channel: the in-process channel is built for one miner key, the gRPC channel
 * signs each call with the miner's key. Failures are {@link ApiException}s.
 */
public interface ValidatorApi extends AutoCloseable {

  Registration register(Capabilities capabilities, String agent);

  /** Up to {@code maxTasks} leases; waits up to {@code wait} when nothing is ready (long poll), then may return none. */
  List<Lease> lease(int maxTasks, Duration wait);

  SubmitOutcome submit(WorkResult result);

  /** Keeps the caller's leases alive; returns the ids of tasks the miner should stop working on. */
  List<String> heartbeat(List<String> taskIdsInProgress);

  @Override
  void close();
}
