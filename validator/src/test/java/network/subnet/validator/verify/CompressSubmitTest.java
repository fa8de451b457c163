package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompressSubmitTest {

  private static final CodecRegistry CODECS = CodecRegistry.standard();

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final InMemoryStorage storage = new InMemoryStorage();
  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();
  private final LocalSigner c = LocalSigner.generate();
  private final LocalSigner distillOnly = LocalSigner.generate();
  private final Task task = Fixtures.compressTask(7, 16, 64, 0.99);
  private ValidatorNode validator;

  @BeforeEach
  void setUp() {
    validator = node();
    validator.addTasks(List.of(task));
    for (LocalSigner m : List.of(a, b, c)) {
      validator.register(m.publicKey(), Fixtures.bothKinds(Fixtures.TEACHER), "test");
    }
    validator.register(distillOnly.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
  }

  private ValidatorNode node() {
    return new ValidatorNode(
        ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), storage, LocalSigner.generate(),
        clock);
  }

  private Lease lease(LocalSigner miner) {
    List<Lease> leases = validator.lease(miner.publicKey(), 1, Duration.ZERO);
    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).kind()).isEqualTo(TaskKind.COMPRESS);
    return leases.get(0);
  }

  private static WorkResult honest(LocalSigner miner, Lease lease) {
    EncodedBlob blob = CODECS.encodeBest(lease.compress().activations(), lease.compress().similarityFloor(),
        lease.compress().allowedCodecs());
    return Fixtures.signedBlob(miner, lease, blob.codec(), blob.blob());
  }

  private static void refused(ThrowingCallable call, ApiException.Code code, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }

  @Test
  void eachPassingReplicaIsCreditedOnceByItsCompressionRatio() {
    Lease la = lease(a);
    Lease lb = lease(b);
    WorkResult ra = honest(a, la);
    assertThat(validator.submit(a.publicKey(), ra).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
    long expected = CompressChecker.credits(16 * 64, 16 * 64 * 4, ra.compressed().blob().length);
    assertThat(expected).isGreaterThan(1);
    assertThat(validator.ledger().stats(a.publicKey()).credits()).as("credited at once").isEqualTo(expected);
    assertThat(validator.networkStatus().tasksVerified()).isZero();

    assertThat(validator.submit(b.publicKey(), honest(b, lb)).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
    assertThat(validator.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(validator.ledger().task(task.id()).orElseThrow().status()).isEqualTo(TaskRecord.Status.VERIFIED);

    assertThat(validator.submit(a.publicKey(), ra).status()).isEqualTo(SubmitOutcome.Status.DUPLICATE);
    assertThat(validator.ledger().stats(a.publicKey()).credits()).as("no double credit").isEqualTo(expected);
    assertThat(validator.lease(c.publicKey(), 1, Duration.ZERO)).as("a verified task is not leased").isEmpty();

    // The ledger reloads compress tasks and results as they were.
    ValidatorNode reloaded = node();
    assertThat(reloaded.ledger().stats(a.publicKey()).credits()).isEqualTo(expected);
    assertThat(reloaded.ledger().results(task.id())).extracting(ResultRecord::status)
        .containsOnly(ResultRecord.Status.AGREED);
    Task stored = reloaded.ledger().task(task.id()).orElseThrow().task();
    assertThat(Task.idOf(stored.compress())).isEqualTo(task.id());
    assertThat(stored.compress().activations().data()).isEqualTo(task.compress().activations().data());
  }

  @Test
  void aDistillOnlyMinerNeverGetsACompressTask() {
    assertThat(validator.lease(distillOnly.publicKey(), 4, Duration.ZERO)).isEmpty();
    validator.addTasks(List.of(Fixtures.task(1)));
    assertThat(validator.lease(distillOnly.publicKey(), 4, Duration.ZERO))
        .extracting(Lease::kind).containsExactly(TaskKind.DISTILL);
  }

  @Test
  void aResultBelowTheFloorIsRecordedAsRejectedAndTheTaskGetsAnotherReplica() {
    Lease la = lease(a);
    EncodedBlob coarse = CODECS.encode(la.compress().activations(), "quant/2", 0.9);
    assertThat(coarse.similarity()).isLessThan(0.99);
    WorkResult low = Fixtures.signedBlob(a, la, coarse.codec(), coarse.blob());
    refused(() -> validator.submit(a.publicKey(), low), ApiException.Code.INVALID_ARGUMENT, "below the task's floor");

    assertThat(validator.ledger().stats(a.publicKey()).credits()).isZero();
    assertThat(validator.ledger().stats(a.publicKey()).resultsRejected()).isEqualTo(1);
    assertThat(validator.ledger().task(task.id()).orElseThrow().replicasNeeded()).isEqualTo(3);
    assertThat(validator.submit(a.publicKey(), low).status()).as("repeat").isEqualTo(SubmitOutcome.Status.DUPLICATE);

    // Two honest replicas still verify it.
    Lease lb = lease(b);
    Lease lc = lease(c);
    validator.submit(b.publicKey(), honest(b, lb));
    validator.submit(c.publicKey(), honest(c, lc));
    assertThat(validator.ledger().task(task.id()).orElseThrow().status()).isEqualTo(TaskRecord.Status.VERIFIED);
    assertThat(validator.ledger().stats(a.publicKey()).credits()).isZero();
  }

  @Test
  void malformedResultsAreRefusedAndTheLeaseStaysUsable() {
    Lease la = lease(a);
    WorkResult good = honest(a, la);
    byte[] blob = good.compressed().blob();
    String codec = good.compressed().codec();

    Task other = Fixtures.compressTask(8, 8, 64, 0.99);
    EncodedBlob wrongShape = CODECS.encodeBest(other.compress().activations(), 0.99);
    refused(() -> validator.submit(a.publicKey(), Fixtures.signedBlob(a, la, wrongShape.codec(), wrongShape.blob())),
        ApiException.Code.INVALID_ARGUMENT, "shape mismatch");

    byte[] forged = blob.clone();
    for (int i = blob.length / 2; i < blob.length; i++) {
      forged[i] = (byte) (forged[i] ^ 0x5A);
    }
    assertThatThrownBy(() -> validator.submit(a.publicKey(), Fixtures.signedBlob(a, la, codec, forged)))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT));

    refused(() -> validator.submit(a.publicKey(), Fixtures.signedBlob(a, la, "magic/9", blob)),
        ApiException.Code.INVALID_ARGUMENT, "not allowed");
    String lying = codec.equals("zstd/1") ? "plane/1" : "zstd/1";
    refused(() -> validator.submit(a.publicKey(), Fixtures.signedBlob(a, la, lying, blob)),
        ApiException.Code.INVALID_ARGUMENT, "was written by");
    byte[] unknownId = blob.clone();
    unknownId[4] = 99;
    refused(() -> validator.submit(a.publicKey(), Fixtures.signedBlob(a, la, codec, unknownId)),
        ApiException.Code.INVALID_ARGUMENT, "undecodable");
    refused(() -> validator.submit(a.publicKey(), Fixtures.withSignature(good, new byte[64])),
        ApiException.Code.UNAUTHENTICATED, "signature");

    assertThat(validator.ledger().results(task.id())).as("nothing recorded").isEmpty();
    assertThat(validator.submit(a.publicKey(), good).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
  }

  @Test
  void tooManyFailuresLeaveTheTaskUndecided() {
    for (LocalSigner m : List.of(a, b, c, LocalSigner.generate())) {
      validator.register(m.publicKey(), Fixtures.bothKinds(Fixtures.TEACHER), "test");
      Lease l = lease(m);
      EncodedBlob coarse = CODECS.encode(l.compress().activations(), "quant/2", 0.9);
      refused(() -> validator.submit(m.publicKey(), Fixtures.signedBlob(m, l, coarse.codec(), coarse.blob())),
          ApiException.Code.INVALID_ARGUMENT, "below");
    }
    // Replicas: 2 needed, one more per rejection up to the cap of 5; the fourth rejection leaves no way to 2 passes.
    assertThat(validator.ledger().task(task.id()).orElseThrow().status()).isEqualTo(TaskRecord.Status.UNDECIDED);
    assertThat(validator.networkStatus().tasksPending()).isZero();
  }
}
