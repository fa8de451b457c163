package network.subnet.validator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class LedgerRestartTest {

  private final Fixtures.Clock clock = new Fixtures.Clock();
  private final InMemoryStorage storage = new InMemoryStorage();
  private final LocalSigner validatorKey = LocalSigner.generate();
  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();

  private ValidatorNode start() {
    ValidatorNode v = new ValidatorNode(
        ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16), storage, validatorKey, clock);
    v.register(a.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    v.register(b.publicKey(), Fixtures.capabilities(Fixtures.TEACHER), "test");
    return v;
  }

  private static Lease lease(ValidatorNode v, LocalSigner miner) {
    return v.lease(miner.publicKey(), 1, Duration.ZERO).get(0);
  }

  @Test
  void acceptedResultSurvivesARestartAndCountsWhenTheOtherReplicaArrives() {
    ValidatorNode first = start();
    assertThat(first.addTasks(List.of(Fixtures.task(1), Fixtures.task(2)))).isEqualTo(2);
    Lease la = lease(first, a);
    first.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.honest(la.distill())));

    ValidatorNode second = start();
    assertThat(second.addTasks(List.of(Fixtures.task(1), Fixtures.task(2)))).as("task ids are stable").isZero();
    assertThat(second.networkStatus().tasksTotal()).isEqualTo(2);
    assertThat(second.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.honest(la.distill()))).status())
        .isEqualTo(SubmitOutcome.Status.DUPLICATE);

    Lease lb = lease(second, b);
    assertThat(lb.taskId()).as("the half-replicated task is offered first").isEqualTo(la.taskId());
    second.submit(b.publicKey(), Fixtures.signed(b, lb, Fixtures.honest(lb.distill())));
    assertThat(second.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(second.ledger().stats(a.publicKey()).credits()).isEqualTo(6);
  }

  @Test
  void aLeaseGrantedBeforeARestartStaysWithItsMinerAndItsResultIsAccepted() {
    ValidatorNode first = start();
    first.addTasks(List.of(Fixtures.task(1)));
    Lease la = lease(first, a);
    Lease lb = lease(first, b);
    first.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.honest(la.distill())));

    ValidatorNode second = start();
    assertThat(second.lease(a.publicKey(), 1, Duration.ZERO)).as("the task is still fully leased").isEmpty();
    assertThat(second.heartbeat(b.publicKey(), List.of(lb.taskId()))).as("b still holds its lease").isEmpty();
    var lateResult = Fixtures.signed(b, lb, Fixtures.honest(lb.distill()));
    assertThat(second.submit(b.publicKey(), lateResult).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
    assertThat(second.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(second.ledger().stats(b.publicKey()).credits()).isEqualTo(6);
    assertThat(second.ledger().leases()).as("a lease record goes with its result").isEmpty();
  }

  @Test
  void aLeasePastItsDeadlineAtRestartIsDroppedAndItsTaskOfferedAgain() {
    ValidatorNode first = start();
    first.addTasks(List.of(Fixtures.task(1)));
    Lease lb = lease(first, b);
    clock.advance(Duration.ofMinutes(5).toMillis());

    ValidatorNode second = start();
    assertThat(second.ledger().leases()).isEmpty();
    var lateResult = Fixtures.signed(b, lb, Fixtures.honest(lb.distill()));
    assertThatThrownBy(() -> second.submit(b.publicKey(), lateResult))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ApiException.Code.NOT_FOUND));
    assertThat(lease(second, a).taskId()).isEqualTo(lb.taskId());
  }

  @Test
  void aHeartbeatsExtensionIsKeptAcrossARestart() {
    ValidatorNode first = start();
    first.addTasks(List.of(Fixtures.task(1)));
    Lease lb = lease(first, b);
    clock.advance(Duration.ofSeconds(50).toMillis());
    assertThat(first.heartbeat(b.publicKey(), List.of(lb.taskId()))).isEmpty();
    clock.advance(Duration.ofSeconds(30).toMillis()); // past the first deadline, within the extended one

    ValidatorNode second = start();
    var result = Fixtures.signed(b, lb, Fixtures.honest(lb.distill()));
    assertThat(second.submit(b.publicKey(), result).status()).isEqualTo(SubmitOutcome.Status.ACCEPTED);
  }

  @Test
  void verifiedTasksAndCreditsStayAfterRestartAndAreNeverCountedTwice() {
    ValidatorNode first = start();
    first.addTasks(List.of(Fixtures.task(1)));
    Lease la = lease(first, a);
    Lease lb = lease(first, b);
    first.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.honest(la.distill())));
    first.submit(b.publicKey(), Fixtures.signed(b, lb, Fixtures.honest(lb.distill())));

    ValidatorNode second = start();
    assertThat(second.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(second.networkStatus().tasksPending()).isZero();
    assertThat(second.lease(a.publicKey(), 1, Duration.ZERO)).isEmpty();
    assertThat(second.ledger().stats(a.publicKey()).credits()).isEqualTo(6);
    assertThat(second.submit(b.publicKey(), Fixtures.signed(b, lb, Fixtures.honest(lb.distill()))).status())
        .isEqualTo(SubmitOutcome.Status.DUPLICATE);

    EpochRecord epoch = second.closeEpoch();
    assertThat(epoch.totalCredits()).isEqualTo(12);
    ValidatorNode third = start();
    assertThat(third.ledger().stats(a.publicKey()).credits()).isEqualTo(6);
    assertThat(third.rewards(-1).epoch()).isEqualTo(0);
    assertThat(third.ledger().openEpoch().number()).isEqualTo(1);
  }

  @Test
  void resultsStoredWithoutAVerdictAreSettledAtStart() {
    ValidatorNode first = start();
    first.addTasks(List.of(Fixtures.task(1)));
    Lease la = lease(first, a);
    Lease lb = lease(first, b);
    first.submit(a.publicKey(), Fixtures.signed(a, la, Fixtures.honest(la.distill())));
    // Simulate a crash between storing the last result and writing the verdict: store B's result directly.
    new Ledger(storage, clock.getAsLong()).accept(new ResultRecord(b.publicKey(),
        Fixtures.signed(b, lb, Fixtures.honest(lb.distill())), clock.getAsLong(), ResultRecord.Status.PENDING));

    ValidatorNode second = start();
    assertThat(second.networkStatus().tasksVerified()).isEqualTo(1);
    assertThat(second.ledger().stats(b.publicKey()).credits()).isEqualTo(6);
  }

  @Test
  void evidenceIsStoredWithItsSignature() {
    ValidatorNode v = start();
    v.addTasks(List.of(Fixtures.task(1)));
    Lease la = lease(v, a);
    var result = Fixtures.signed(a, la, Fixtures.honest(la.distill()));
    v.submit(a.publicKey(), result);
    ResultRecord stored = v.ledger().result(la.taskId(), a.publicKey()).orElseThrow();
    assertThat(stored.result().signature()).isEqualTo(result.signature());
    assertThat(a.publicKey().verify(network.subnet.node.results.ResultDigest.of(stored.result(), a.publicKey()),
        stored.result().signature())).isTrue();
  }

  @Test
  void aBatchThatIsNeverCommittedLeavesNoTrace() {
    ValidatorNode v = start();
    try (var batch = storage.batch()) {
      batch.put(Column.CREDITS, new byte[] {1, 2, 3}, new byte[8]);
    }
    ValidatorNode again = start();
    assertThat(again.leaderboard(0)).allMatch(s -> s.credits() == 0);
    assertThat(v.networkStatus().tasksTotal()).isZero();
  }

  @Test
  void refusesALedgerOfAnotherSchemaVersion() {
    try (var batch = storage.batch()) {
      batch.put(Column.METADATA, "schema".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {0, 0, 0, 9});
      batch.commit();
    }
    assertThatThrownBy(this::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema version is 9");
  }
}
