package network.subnet.node.api;

import java.time.Duration;
import java.util.List;
import network.subnet.node.identity.PublicKey;

/**
 * The miner's {@link ValidatorApi} as direct calls into a {@link MinerGateway} in the same process,
 * bound to one miner key: the devnet and tests run the whole protocol without serialization or
 * sockets. Closing it leaves the gateway alone; whoever built the gateway owns it.
 */
public final class InProcessValidatorApi implements ValidatorApi {

  private final MinerGateway gateway;
  private final PublicKey miner;

  public InProcessValidatorApi(MinerGateway gateway, PublicKey miner) {
    this.gateway = gateway;
    this.miner = miner;
  }

  @Override
  public Registration register(Capabilities capabilities, String agent) {
    return gateway.register(miner, capabilities, agent);
  }

  @Override
  public List<Lease> lease(int maxTasks, Duration wait) {
    return gateway.lease(miner, maxTasks, wait);
  }

  @Override
  public SubmitOutcome submit(WorkResult result) {
    return gateway.submit(miner, result);
  }

  @Override
  public List<String> heartbeat(List<String> taskIdsInProgress) {
    return gateway.heartbeat(miner, taskIdsInProgress);
  }

  @Override
  public void close() {}
}
