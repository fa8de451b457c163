package network.subnet.validator.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.query.RewardsService.Earnings;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code explain} over gRPC: counts by outcome and credits by kind, for the open and for a closed epoch. */
class RewardsExplainerTest {

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();
  private final LocalSigner cheat = LocalSigner.generate();
  private final ValidatorNode validator = new ValidatorNode(
      ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), new InMemoryStorage(),
      LocalSigner.generate(), clock);
  private Server server;
  private ManagedChannel channel;
  private QueryClient client;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new QueryGrpcService(validator)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    client = new QueryClient(channel);
    validator.register(a.publicKey(), Fixtures.bothKinds(Fixtures.TEACHER), "test");
    validator.register(b.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    validator.register(cheat.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private Lease lease(LocalSigner miner) {
    List<Lease> leases = validator.lease(miner.publicKey(), 1, Duration.ZERO);
    assertThat(leases).hasSize(1);
    return leases.get(0);
  }

  private void work() {
    // A disagreement settled by a third replica: a and b agree, the cheat is rejected.
    validator.addTasks(List.of(Fixtures.task(1)));
    Lease la = lease(a);
    Lease lc = lease(cheat);
    validator.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.honest(la.distill())));
    validator.submit(cheat.publicKey(), Fixtures.signed(cheat, lc, Fixtures.dishonest(lc.distill())));
    Lease lb = lease(b);
    validator.submit(b.publicKey(), Fixtures.signed(b, lb, Fixtures.honest(lb.distill())));

    validator.addTasks(List.of(Fixtures.compressTask(3, 8, 32, 0.99)));
    Lease compress = lease(a);
    EncodedBlob blob = CodecRegistry.standard().encodeBest(compress.compress().activations(),
        compress.compress().similarityFloor(), compress.compress().allowedCodecs());
    validator.submit(a.publicKey(), Fixtures.signedBlob(a, compress, blob.codec(), blob.blob()));

    validator.addTasks(List.of(Fixtures.task(2)));
    Lease pending = lease(a);
    validator.submit(a.publicKey(), Fixtures.signed(a, pending, Fixtures.honest(pending.distill())));
  }

  @Test
  void countsAndCreditsByKindInTheOpenAndThenTheClosedEpoch() {
    work();
    Earnings open = client.explain(-1, a.publicKey());
    assertThat(open.epoch()).isZero();
    assertThat(open.closed()).isFalse();
    assertThat(open.verified()).isEqualTo(2);
    assertThat(open.failed()).isZero();
    assertThat(open.pending()).isEqualTo(1);
    assertThat(open.heldBack()).isZero();
    assertThat(open.goldPassed()).isZero();
    assertThat(open.goldFailed()).isZero();
    assertThat(open.byKind().get(TaskKind.DISTILL)).isEqualTo(new RewardsService.KindCredits(1, 6));
    assertThat(open.byKind().get(TaskKind.COMPRESS).tasks()).isEqualTo(1);
    assertThat(open.credits()).isEqualTo(6 + open.byKind().get(TaskKind.COMPRESS).credits());
    assertThat(open.epochCredits()).isEqualTo(open.credits() + 6);

    Earnings cheated = client.explain(0, cheat.publicKey());
    assertThat(cheated.failed()).isEqualTo(1);
    assertThat(cheated.verified()).isZero();
    assertThat(cheated.credits()).isZero();
    assertThat(cheated.byKind()).isEmpty();

    clock.advance(1_000);
    validator.closeEpoch();
    clock.advance(1_000);
    Earnings closed = client.explain(-1, a.publicKey());
    assertThat(closed.closed()).isTrue();
    assertThat(closed.endMs()).isEqualTo(clock.getAsLong() - 1_000);
    assertThat(closed.credits()).isEqualTo(open.credits());
    assertThat(closed.pending()).isEqualTo(1);
    assertThat(closed.share()).isEqualTo(validator.rewards(0).share(validator.rewards(0).entry(a.publicKey())
        .orElseThrow()));
    assertThat(client.explain(1, a.publicKey()).verified()).isZero();
  }

  @Test
  void unknownEpochsAndMinersAreNotFound() {
    assertThatThrownBy(() -> client.explain(3, a.publicKey()))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND);
          assertThat(e.getMessage()).contains("epoch 3 has not begun");
        });
    assertThatThrownBy(() -> client.explain(0, LocalSigner.generate().publicKey()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("not known"));
  }
}
