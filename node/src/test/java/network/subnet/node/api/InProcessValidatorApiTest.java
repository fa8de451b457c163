package network.subnet.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.testing.RecordingMinerGateway;
import network.subnet.node.testing.SampleWork;
import org.junit.jupiter.api.Test;

class InProcessValidatorApiTest {

  @Test
  void everyCallReachesTheGatewayAsTheBoundMiner() {
    LocalSigner miner = LocalSigner.generate();
    RecordingMinerGateway gateway = new RecordingMinerGateway(LocalSigner.generate().publicKey());
    Lease lease = SampleWork.distillLease("t");
    gateway.leases = List.of(lease);
    gateway.cancelled = List.of("gone");

    try (ValidatorApi api = new InProcessValidatorApi(gateway, miner.publicKey())) {
      assertThat(api.register(SampleWork.capabilities(), "a").minerKey())
          .isEqualTo(miner.publicKey());
      assertThat(api.lease(1, Duration.ofMillis(5))).containsExactly(lease);
      assertThat(api.submit(SampleWork.distillResult(lease, miner)).status())
          .isEqualTo(SubmitOutcome.Status.ACCEPTED);
      assertThat(api.heartbeat(List.of("t"))).containsExactly("gone");
    }
    assertThat(gateway.calls)
        .extracting(RecordingMinerGateway.Call::caller)
        .containsOnly(miner.publicKey());
    assertThat(gateway.calls)
        .extracting(RecordingMinerGateway.Call::method)
        .containsExactly("register", "lease", "submit", "heartbeat");
  }
}
