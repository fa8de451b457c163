package network.subnet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import network.subnet.cli.devnet.Devnet;
import network.subnet.cli.devnet.SampleCorpus;
import network.subnet.miner.teacher.MistralTeacher;
import network.subnet.miner.teacher.TeacherOptions;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.testing.TinyModels;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.query.QueryClient;
import network.subnet.validator.tasks.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken submissions against a live validator over gRPC: each gets a clear status naming the problem,
 * nothing is credited for it, and the validator keeps serving honest miners afterwards.
 */
class HostileInputTest {

  @TempDir static Path dir;

  private static RocksDbStorage storage;
  private static ValidatorServer server;
  private static MistralTeacher teacher;
  private static LocalSigner miner;
  private static GrpcValidatorApi api;

  @BeforeAll
  static void startValidator() throws Exception {
    Path model = TinyModels.checkpoint();
    MistralCheckpoint checkpoint = MistralCheckpoint.open(model);
    String modelHash = checkpoint.modelHash();
    Path corpus = SampleCorpus.writeIfAbsent(dir.resolve("corpus.jsonl"), 20, 5);
    List<Task> tasks = Devnet.distillTasks(checkpoint, modelHash, corpus, 48, 8, 1.0f, 6);
    storage = RocksDbStorage.open(dir.resolve("ledger"));
    ValidatorConfig config = ValidatorConfig.defaults().withTeacher(modelHash, 8, 48);
    ValidatorNode node = new ValidatorNode(config, storage, LocalSigner.generate(), System::currentTimeMillis);
    node.addTasks(tasks);
    server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC());
    server.start();

    teacher = MistralTeacher.load(model, new TeacherOptions(TeacherOptions.CPU, 1, 4096));
    miner = LocalSigner.generate();
    api = GrpcValidatorApi.connect(server.target(), miner, ClientOptions.defaults());
    api.register(new Capabilities(java.util.Set.of(TaskKind.DISTILL), teacher.spec(), List.of(), 1), "test");
  }

  @AfterAll
  static void stop() {
    api.close();
    teacher.close();
    server.stop();
    storage.close();
  }

  @Test
  void brokenSubmissionsAreRefusedByNameAndHonestWorkStillCounts() {
    Lease lease = api.lease(1, Duration.ofSeconds(2)).get(0);
    SoftLabels labels = teacher.label(List.of(lease.distill().tokens()), 8, 1.0f).get(0);
    PackedSoftLabels packed = SoftLabelCodec.encode(labels);

    assertRefused(signed(lease, "no-such-task", lease.leaseNonce(), packed), ApiException.Code.NOT_FOUND, "no-such-task");
    assertRefused(signed(lease, lease.taskId(), new byte[16], packed), ApiException.Code.NOT_FOUND, "lease");

    WorkResult forged = signed(lease, lease.taskId(), lease.leaseNonce(), packed);
    byte[] badSignature = forged.signature().clone();
    badSignature[0] ^= 1;
    assertRefused(withSignature(forged, badSignature), ApiException.Code.UNAUTHENTICATED, "signature");

    SoftLabels short1 = new SoftLabels(
        Arrays.copyOf(labels.tokenIds(), labels.positions() - 1), Arrays.copyOf(labels.logProbs(), labels.positions() - 1));
    assertRefused(signed(lease, lease.taskId(), lease.leaseNonce(), SoftLabelCodec.encode(short1)),
        ApiException.Code.INVALID_ARGUMENT, "positions");

    byte[] truncated = Arrays.copyOf(packed.packed(), packed.packed().length / 2);
    assertRefused(
        signed(lease, lease.taskId(), lease.leaseNonce(),
            new PackedSoftLabels(packed.positions(), packed.topK(), packed.format(), truncated)),
        ApiException.Code.INVALID_ARGUMENT, "");

    byte[] huge = new byte[80 << 20];
    assertRefused(
        signed(lease, lease.taskId(), lease.leaseNonce(),
            new PackedSoftLabels(packed.positions(), packed.topK(), packed.format(), huge)),
        ApiException.Code.RESOURCE_EXHAUSTED, "");

    WorkResult honest = signed(lease, lease.taskId(), lease.leaseNonce(), packed);
    assertThat(api.submit(honest).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
    assertThat(api.submit(honest).status()).as("a resent result is not counted twice").isEqualTo(SubmitOutcome.Status.DUPLICATE);

    // The validator is still healthy: it leases the next task and answers queries.
    assertThat(api.lease(1, Duration.ofSeconds(2))).hasSize(1);
    try (QueryClient query = QueryClient.connect(server.target())) {
      assertThat(query.networkStatus().tasksTotal()).isEqualTo(6);
      assertThat(query.networkStatus().tasksVerified()).as("one replica alone verifies nothing").isZero();
    }
  }

  private static void assertRefused(WorkResult result, ApiException.Code code, String messagePart) {
    assertThatThrownBy(() -> api.submit(result))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  private static WorkResult signed(Lease lease, String taskId, byte[] nonce, PackedSoftLabels packed) {
    String modelHash = lease.distill().modelHash();
    WorkResult unsigned =
        new WorkResult(taskId, nonce, modelHash, TaskKind.DISTILL, packed, null, teacher.spec(), 1, new byte[64]);
    return withSignature(unsigned, miner.sign(ResultDigest.of(unsigned, miner.publicKey())));
  }

  private static WorkResult withSignature(WorkResult r, byte[] signature) {
    return new WorkResult(r.taskId(), r.leaseNonce(), r.modelHash(), r.kind(), r.softLabels(), r.compressed(),
        r.teacher(), r.computeMs(), signature);
  }
}
