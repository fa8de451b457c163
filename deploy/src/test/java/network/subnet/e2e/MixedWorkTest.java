package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.tensor.DType;
import network.subnet.node.testing.TinyModels;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.ledger.Ledger;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.tasks.CompressTaskSource;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.verify.CompressChecker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real miners over loopback gRPC complete a mix of distill and compress tasks; a miner sending a blob below the
 * similarity floor is refused, recorded as rejected and never credited, and its replica is made up by an honest one.
 */
class MixedWorkTest {

  private static final int DISTILL_TASKS = 6;
  private static final int COMPRESS_TASKS = 4;
  private static final int REPLICAS = 2;

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private E2eFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new E2eFixture(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void minersCompleteDistillAndCompressTasksAndEachPassingReplicaIsCreditedOnce() throws Exception {
    Path model = TinyModels.checkpoint();
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    String modelHash = checkpoint.modelHash();
    List<Task> distill = fixture.distillTasks(checkpoint, modelHash, 5, DISTILL_TASKS);
    List<Task> compress = new CompressTaskSource(CodecRegistry.standard(), 0.99).read(List.of(activations()));
    assertThat(compress).hasSize(COMPRESS_TASKS);

    ValidatorConfig config = ValidatorConfig.defaults().withReplicas(REPLICAS).withTeacher(modelHash, 16, 64)
        .withLeaseDuration(Duration.ofSeconds(10));
    RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"));
    fixture.closeLater(storage);
    ValidatorNode node = new ValidatorNode(config, storage, LocalSigner.generate(), clock::millis);
    node.addTasks(distill);
    node.addTasks(compress);
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, clock);
    server.start();
    fixture.closeLater(server::stop);
    String target = "127.0.0.1:" + server.port();

    // A compress-only cheater takes one compress task first and answers it below the floor.
    LocalSigner cheater = LocalSigner.generate();
    GrpcValidatorApi cheaterApi = GrpcValidatorApi.connect(target, cheater, ClientOptions.defaults());
    fixture.closeLater(cheaterApi);
    cheaterApi.register(new Capabilities(Set.of(TaskKind.COMPRESS), null, List.of(), 1), "cheater");
    Lease cheat = cheaterApi.lease(1, Duration.ZERO).get(0);
    assertThat(cheat.kind()).isEqualTo(TaskKind.COMPRESS);
    EncodedBlob coarse = CodecRegistry.standard().encode(cheat.compress().activations(), "quant/2", 0.9);
    WorkResult unsigned = new WorkResult(cheat.taskId(), cheat.leaseNonce(), "", TaskKind.COMPRESS, null,
        new WorkResult.CompressedOutput(coarse.codec(), coarse.blob()), null, 1, new byte[0]);
    WorkResult low = new WorkResult(unsigned.taskId(), unsigned.leaseNonce(), "", TaskKind.COMPRESS, null,
        unsigned.compressed(), null, 1, cheater.sign(ResultDigest.of(unsigned, cheater.publicKey())));
    assertThatThrownBy(() -> cheaterApi.submit(low)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT);
      assertThat(e.getMessage()).contains("below the task's floor");
    });

    for (int i = 0; i < 3; i++) {
      fixture.startMiner(target, model);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (node.ledger().tasksVerified() < DISTILL_TASKS + COMPRESS_TASKS) {
      assertThat(System.nanoTime()).as("every task verified in time").isLessThan(deadline);
      Thread.sleep(50);
    }
    fixture.stopMiners();

    Ledger ledger = node.ledger();
    assertThat(ledger.tasksPending()).isZero();
    long expected = 0;
    for (Task t : distill) {
      expected += (long) t.tokenCount() * REPLICAS;
    }
    for (Task t : compress) {
      List<ResultRecord> agreed =
          ledger.results(t.id()).stream().filter(r -> r.status() == ResultRecord.Status.AGREED).toList();
      assertThat(agreed).as("passing replicas of %s", t.id()).hasSize(REPLICAS);
      for (ResultRecord r : agreed) {
        assertThat(r.miner()).isNotEqualTo(cheater.publicKey());
        long elements = t.compress().activations().elementCount();
        expected += CompressChecker.credits(elements, elements * 2, r.result().compressed().blob().length);
      }
    }
    assertThat(ledger.results(cheat.taskId())).as("the cheater's result is evidence, rejected").anySatisfy(r -> {
      assertThat(r.miner()).isEqualTo(cheater.publicKey());
      assertThat(r.status()).isEqualTo(ResultRecord.Status.REJECTED);
    });
    assertThat(ledger.stats(cheater.publicKey()).credits()).isZero();
    long credited = ledger.openEpochCredits().values().stream().mapToLong(Long::longValue).sum();
    assertThat(credited).as("every passing replica credited exactly once").isEqualTo(expected);
  }

  private Path activations() throws Exception {
    Path acts = Files.createDirectories(dir.resolve("activations"));
    SyntheticActivations.Kind[] kinds = SyntheticActivations.Kind.values();
    for (int i = 0; i < COMPRESS_TASKS; i++) {
      NpyFile.write(acts.resolve("act-" + i + ".npy"),
          SyntheticActivations.tensor(kinds[i % kinds.length], 32, 128, DType.BF16, 100 + i));
    }
    return acts;
  }
}
