package network.subnet.node.api;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import network.subnet.node.identity.PublicKey;

/**
 * The validator's side of {@link ValidatorApi}: the same calls, with the caller's authenticated key made explicit.
 * The gRPC service takes the key from the verified request signature; the in-process channel is bound to one key.
 */
public interface MinerGateway {

  Registration register(PublicKey miner, Capabilities capabilities, String agent);

  /**
   * As {@link #register(PublicKey, Capabilities, String)}, knowing the address the registration came from (null:
   * unknown, as in-process), so that a validator can tell miners of one operator apart.
   */
  default Registration register(PublicKey miner, Capabilities capabilities, String agent, InetAddress from) {
    return register(miner, capabilities, agent);
  }

  List<Lease> lease(PublicKey miner, int maxTasks, Duration wait);

  SubmitOutcome submit(PublicKey miner, WorkResult result);

  List<String> heartbeat(PublicKey miner, List<String> taskIdsInProgress);
}
