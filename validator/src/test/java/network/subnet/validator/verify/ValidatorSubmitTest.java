package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.testing.Fixtures;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValidatorSubmitTest {

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final InMemoryStorage storage = new InMemoryStorage();
  private ValidatorNode validator;
  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();
  private final LocalSigner c = LocalSigner.generate();

  @BeforeEach
  void setUp() {
    validator = new ValidatorNode(
        ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
        storage,
        LocalSigner.generate(),
        clock);
    validator.addTasks(List.of(Fixtures.task(1)));
    for (LocalSigner m : List.of(a, b, c)) {
      validator.register(m.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    }
  }

  private Lease lease(LocalSigner miner) {
    List<Lease> leases = validator.lease(miner.publicKey(), 1, Duration.ZERO);
    assertThat(leases).hasSize(1);
    return leases.get(0);
  }

  private SubmitOutcome submitHonest(LocalSigner miner, Lease lease) {
    return validator.submit(miner.publicKey(), Fixtures.signed(miner, lease, Fixtures.honest(lease.distill())));
  }

  private static void refused(ThrowingCallable call, ApiException.Code code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }

  @Test
  void agreeingReplicasAreCreditedOnce() {
    Lease la = lease(a);
    Lease lb = lease(b);
    assertThat(submitHonest(a, la).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
    assertThat(validator.networkStatus().tasksVerified()).isZero();
    assertThat(submitHonest(b, lb).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);

    assertThat(validator.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(validator.ledger().stats(a.publicKey()).credits()).isEqualTo(6);
    assertThat(validator.ledger().stats(b.publicKey()).credits()).isEqualTo(6);

    assertThat(submitHonest(a, la).status()).isEqualTo(SubmitOutcome.Status.DUPLICATE);
    assertThat(validator.ledger().stats(a.publicKey()).credits()).as("no double credit").isEqualTo(6);
    assertThat(validator.ledger().stats(a.publicKey()).resultsAccepted()).isEqualTo(1);
  }

  @Test
  void duplicateBeforeVerificationIsIdempotent() {
    Lease la = lease(a);
    submitHonest(a, la);
    assertThat(submitHonest(a, la).status()).isEqualTo(SubmitOutcome.Status.DUPLICATE);
    assertThat(validator.ledger().results(la.taskId())).hasSize(1);
  }

  @Test
  void disagreementIsBrokenByAThirdMinerAndTheOddOneIsRejected() {
    Lease la = lease(a);
    Lease lb = lease(b);
    submitHonest(a, la);
    validator.submit(b.publicKey(), Fixtures.signed(b, lb, Fixtures.dishonest(lb.distill())));
    assertThat(validator.networkStatus().tasksVerified()).isZero();

    Lease lc = lease(c);
    assertThat(lc.taskId()).as("tie-break goes to a third miner").isEqualTo(la.taskId());
    submitHonest(c, lc);

    assertThat(validator.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(validator.ledger().stats(a.publicKey()).credits()).isEqualTo(6);
    assertThat(validator.ledger().stats(c.publicKey()).credits()).isEqualTo(6);
    assertThat(validator.ledger().stats(b.publicKey()).credits()).isZero();
    assertThat(validator.ledger().stats(b.publicKey()).resultsRejected()).isEqualTo(1);
  }

  @Test
  void smallNumericDriftStillAgrees() {
    Lease la = lease(a);
    Lease lb = lease(b);
    SoftLabels honest = Fixtures.honest(lb.distill());
    float[][] drifted = honest.logProbs();
    for (float[] row : drifted) {
      for (int j = 0; j < row.length; j++) {
        row[j] -= 1e-4f;
      }
    }
    submitHonest(a, la);
    validator.submit(b.publicKey(), Fixtures.signed(b, lb, new SoftLabels(honest.tokenIds(), drifted)));
    assertThat(validator.networkStatus().tasksVerified()).isEqualTo(1);
  }

  @Test
  void unknownTaskOrLeaseIsNotFound() {
    Lease la = lease(a);
    SoftLabels labels = Fixtures.honest(la.distill());
    WorkResult unknownTask = Fixtures.signed(a, "no-such-task", la.leaseNonce(), Fixtures.MODEL, labels);
    refused(() -> validator.submit(a.publicKey(), unknownTask),
        ApiException.Code.NOT_FOUND, "no-such-task");
    WorkResult unknownNonce = Fixtures.signed(a, la.taskId(), new byte[16], Fixtures.MODEL, labels);
    refused(() -> validator.submit(a.publicKey(), unknownNonce),
        ApiException.Code.NOT_FOUND, "nonce");
  }

  @Test
  void anotherMinersLeaseIsPermissionDenied() {
    Lease la = lease(a);
    refused(() -> validator.submit(b.publicKey(), Fixtures.signed(b, la, Fixtures.honest(la.distill()))),
        ApiException.Code.PERMISSION_DENIED, "another miner");
  }

  @Test
  void expiredLeaseIsFailedPrecondition() {
    Lease la = lease(a);
    clock.advance(ValidatorConfig.DEFAULT_LEASE_DURATION.toMillis() + 1);
    refused(() -> submitHonest(a, la), ApiException.Code.FAILED_PRECONDITION, "expired");
  }

  @Test
  void wrongModelHashIsRefused() {
    Lease la = lease(a);
    refused(() -> validator.submit(a.publicKey(),
            Fixtures.signed(a, la.taskId(), la.leaseNonce(), "some-other-model", Fixtures.honest(la.distill()))),
        ApiException.Code.INVALID_ARGUMENT, "model hash");
  }

  @Test
  void badSignatureIsRefusedAndTheLeaseStaysUsable() {
    Lease la = lease(a);
    WorkResult good = Fixtures.signed(a, la, Fixtures.honest(la.distill()));
    byte[] forged = good.signature().clone();
    forged[3] ^= 1;
    refused(() -> validator.submit(a.publicKey(), Fixtures.withSignature(good, forged)),
        ApiException.Code.UNAUTHENTICATED, "signature");
    WorkResult signedByOther = Fixtures.signed(b, la, Fixtures.honest(la.distill()));
    refused(() -> validator.submit(a.publicKey(), signedByOther), ApiException.Code.UNAUTHENTICATED, "signature");
    assertThat(validator.submit(a.publicKey(), good).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
  }

  @Test
  void wrongShapeIsRefused() {
    Lease la = lease(a);
    SoftLabels honest = Fixtures.honest(la.distill());
    int[][] ids = java.util.Arrays.copyOf(honest.tokenIds(), 5);
    float[][] lp = java.util.Arrays.copyOf(honest.logProbs(), 5);
    refused(() -> validator.submit(a.publicKey(), Fixtures.signed(a, la, new SoftLabels(ids, lp))),
        ApiException.Code.INVALID_ARGUMENT, "positions");

    int[][] ids3 = new int[6][3];
    float[][] lp3 = new float[6][3];
    refused(() -> validator.submit(a.publicKey(), Fixtures.signed(a, la, new SoftLabels(ids3, lp3))),
        ApiException.Code.INVALID_ARGUMENT, "k 3");
  }

  @Test
  void nanAndPositiveLogProbsAreRefused() {
    Lease la = lease(a);
    for (float bad : new float[] {Float.NaN, 0.5f}) {
      refused(() -> validator.submit(a.publicKey(), Fixtures.signedWithForgedLogProb(a, la, 2, 1, bad)),
          ApiException.Code.INVALID_ARGUMENT, "position 2 rank 1");
    }
  }

  @Test
  void corruptPackedBytesAreInvalidArgument() {
    Lease la = lease(a);
    WorkResult good = Fixtures.signed(a, la, Fixtures.honest(la.distill()));
    byte[] packed = good.softLabels().packed().clone();
    packed[0] ^= 0x55;
    WorkResult.PackedSoftLabels broken = new WorkResult.PackedSoftLabels(
        good.softLabels().positions(), good.softLabels().topK(), SoftLabelCodec.FORMAT_RAW, packed);
    WorkResult unsigned = new WorkResult(la.taskId(), la.leaseNonce(), Fixtures.MODEL, good.kind(), broken, null,
        Fixtures.TEACHER, 1, new byte[0]);
    WorkResult resigned = Fixtures.withSignature(unsigned,
        a.sign(network.subnet.node.results.ResultDigest.of(unsigned, a.publicKey())));
    refused(() -> validator.submit(a.publicKey(), resigned),
        ApiException.Code.INVALID_ARGUMENT, "malformed soft labels");
  }

  @Test
  void aDifferentSecondResultForTheSameTaskIsRefused() {
    Lease la = lease(a);
    submitHonest(a, la);
    refused(() -> validator.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.dishonest(la.distill()))),
        ApiException.Code.ALREADY_EXISTS, "different result");
  }
}
