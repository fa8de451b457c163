package network.subnet.validator.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.proto.v1.MinerStatusRequest;
import network.subnet.proto.v1.QueryServiceGrpc;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.epoch.RewardLeaf;
import network.subnet.validator.testing.Fixtures;
import network.subnet.validator.testing.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryGrpcServiceTest {

  private final Network net = new Network(3);
  private Server server;
  private ManagedChannel channel;
  private QueryClient client;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new QueryGrpcService(net.validator)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    client = new QueryClient(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static void refused(Runnable call, ApiException.Code code, String part) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(part);
    });
  }

  @Test
  void rewardsComeBackSignedAndVerifiable() {
    refused(() -> client.rewards(-1), ApiException.Code.NOT_FOUND, "no epoch has closed");
    net.validator.closeEpoch();

    EpochRecord latest = client.rewards(-1);
    assertThat(latest.epoch()).isZero();
    assertThat(latest.verify()).isTrue();
    assertThat(latest.validator()).isEqualTo(net.validatorKey.publicKey());
    assertThat(latest.entries()).extracting(MerkleTree.Entry::credits).containsExactly(18L, 18L);
    assertThat(latest.entries()).allSatisfy(e -> assertThat(latest.share(e)).isEqualTo(0.5));
    RewardLeaf leaf = new RewardLeaf(RewardLeaf.CURRENT, 0, net.a.publicKey(), 18, 36);
    assertThat(MerkleTree.verify(latest.merkleRoot(), leaf, latest.proof(net.a.publicKey()))).isTrue();
    assertThat(client.rewards(0).merkleRoot()).isEqualTo(latest.merkleRoot());
    refused(() -> client.rewards(7), ApiException.Code.NOT_FOUND, "epoch 7 is not closed");
  }

  @Test
  void leaderboardAndStatuses() {
    List<RewardsService.MinerStanding> board = client.leaderboard(10);
    assertThat(board).hasSize(2).allSatisfy(s -> {
      assertThat(s.credits()).isEqualTo(18);
      assertThat(s.resultsAccepted()).isEqualTo(3);
      assertThat(s.resultsRejected()).isZero();
      assertThat(s.lastSeenMs()).isEqualTo(net.clock.getAsLong());
    });
    assertThat(client.leaderboard(1)).hasSize(1);

    RewardsService.NetworkStatus status = client.networkStatus();
    assertThat(status).isEqualTo(new RewardsService.NetworkStatus(4, 3, 1, 2, 0));

    RewardsService.MinerStatus miner = client.minerStatus(net.a.publicKey());
    assertThat(miner.teacher()).isEqualTo(Fixtures.TEACHER);
    assertThat(miner.standing().credits()).isEqualTo(18);
    assertThat(miner.leasesOpen()).isZero();

    refused(() -> client.minerStatus(LocalSigner.generate().publicKey()), ApiException.Code.NOT_FOUND, "not known");
  }

  @Test
  void malformedMinerKeyIsInvalidArgument() {
    var stub = QueryServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.getMinerStatus(MinerStatusRequest.newBuilder().setMinerKey("zz").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("hex");
        });
  }
}
