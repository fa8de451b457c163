package network.subnet.validator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.GroupCommitStorage;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A result queued for storage is judged with its task before it is durable, and the result that completes a task is
 * stored with the verdict: one batch, its lease record gone, counted once, and kept across a restart.
 */
class LedgerQueuedAcceptTest {

  private static final long CREDITS = 5;

  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();

  private static ResultRecord result(LocalSigner m, Task task, byte nonce) {
    return new ResultRecord(m.publicKey(),
        Fixtures.signed(m, task.id(), new byte[] {nonce}, Fixtures.MODEL, Fixtures.honest(task.spec())), 1,
        ResultRecord.Status.PENDING);
  }

  private Settlement agreed(Task task, ResultRecord... results) {
    return new Settlement(new TaskRecord(task, 2, TaskRecord.Status.VERIFIED),
        java.util.Arrays.stream(results).map(r -> r.withStatus(ResultRecord.Status.AGREED)).toList(), CREDITS,
        Set.of(), Set.of(a.publicKey(), b.publicKey()), Map.of(), List.of());
  }

  @Test
  void aQueuedResultIsListedForItsVerdictBeforeItIsDurableAndByStorageAfter() throws Exception {
    GatedStorage gated = new GatedStorage();
    GroupCommitStorage storage = GroupCommitStorage.over(gated);
    Ledger ledger = new Ledger(storage, 0);
    Task task = Fixtures.task(1);
    ledger.addTasks(List.of(task), 2);
    ResultRecord first = result(a, task, (byte) 1);

    gated.closeGate();
    Ledger.QueuedResult queued = ledger.queueAccept(first);
    assertThat(ledger.result(task.id(), a.publicKey())).as("not durable yet").isEmpty();
    assertThat(ledger.resultsForVerdict(task.id())).extracting(ResultRecord::miner).containsExactly(a.publicKey());
    assertThat(queued.durable()).isNotDone();

    gated.openGate();
    ledger.awaitAccepted(queued);
    assertThat(ledger.result(task.id(), a.publicKey())).isPresent();
    assertThat(ledger.resultsForVerdict(task.id())).hasSize(1);
    assertThat(ledger.stats(a.publicKey()).resultsAccepted()).isEqualTo(1);
    storage.close();
  }

  @Test
  void theResultThatCompletesATaskIsStoredWithItsVerdictAndCountedOnce() {
    InMemoryStorage disk = new InMemoryStorage();
    GroupCommitStorage storage = GroupCommitStorage.over(disk);
    Ledger ledger = new Ledger(storage, 0);
    Task task = Fixtures.task(2);
    ledger.addTasks(List.of(task), 2);
    ResultRecord first = result(a, task, (byte) 1);
    ResultRecord last = result(b, task, (byte) 2);
    ledger.putLeases(List.of(new LeaseRecord(new byte[] {1}, task.id(), a.publicKey(), 1_000),
        new LeaseRecord(new byte[] {2}, task.id(), b.publicKey(), 1_000)));
    ledger.awaitAccepted(ledger.queueAccept(first));
    long groups = storage.groupsCommitted();

    ledger.settle(agreed(task, first, last), last);

    assertThat(storage.groupsCommitted() - groups).as("one batch for the result and its verdict").isEqualTo(1);
    assertThat(ledger.result(task.id(), b.publicKey()).orElseThrow().status()).isEqualTo(ResultRecord.Status.AGREED);
    assertThat(ledger.leases()).as("both leases closed").isEmpty();
    assertThat(ledger.stats(a.publicKey()).resultsAccepted()).isEqualTo(1);
    assertThat(ledger.stats(b.publicKey()).resultsAccepted()).isEqualTo(1);
    assertThat(ledger.stats(b.publicKey()).credits()).isEqualTo(CREDITS);

    Ledger reopened = new Ledger(disk, 0);
    assertThat(reopened.stats(b.publicKey()).resultsAccepted()).isEqualTo(1);
    assertThat(reopened.stats(b.publicKey()).credits()).isEqualTo(CREDITS);
    assertThat(reopened.tasksVerified()).isEqualTo(1);
  }

  @Test
  void countersFollowTheStatusesAVerdictReplacesWhetherListedOrReadBack() {
    LocalSigner c = LocalSigner.generate();
    List<String> counts = new java.util.ArrayList<>();
    for (boolean listed : new boolean[] {true, false}) {
      Ledger ledger = new Ledger(GroupCommitStorage.over(new InMemoryStorage()), 0);
      Task task = Fixtures.task(5);
      ledger.addTasks(List.of(task), 2);
      ResultRecord one = result(a, task, (byte) 1);
      ResultRecord two = result(b, task, (byte) 2);
      ledger.accept(one);
      ledger.accept(two);
      // A tie-break round: the first result rejected for now, one more replica needed.
      ledger.settle(new Settlement(new TaskRecord(task, 3, TaskRecord.Status.PENDING),
          List.of(one.withStatus(ResultRecord.Status.REJECTED), two), 0, Set.of(), Set.of(), Map.of(), List.of()));
      assertThat(ledger.stats(a.publicKey()).resultsRejected()).isEqualTo(1);

      ResultRecord third = result(c, task, (byte) 3);
      List<ResultRecord> stored = ledger.resultsForVerdict(task.id());
      assertThat(stored).extracting(ResultRecord::status)
          .containsExactlyInAnyOrder(ResultRecord.Status.REJECTED, ResultRecord.Status.PENDING);
      Settlement last = new Settlement(new TaskRecord(task, 3, TaskRecord.Status.VERIFIED),
          List.of(one.withStatus(ResultRecord.Status.AGREED), two.withStatus(ResultRecord.Status.AGREED),
              third.withStatus(ResultRecord.Status.AGREED)),
          CREDITS, Set.of(), Set.of(), Map.of(), List.of());
      ledger.settle(last, third, listed ? stored : null);

      for (LocalSigner m : List.of(a, b, c)) {
        MinerStats stats = ledger.stats(m.publicKey());
        assertThat(stats.resultsAccepted()).as("accepted, listed " + listed).isEqualTo(1);
        assertThat(stats.resultsRejected()).as("rejected, listed " + listed).isZero();
        counts.add(stats.toString());
      }
    }
    assertThat(counts.subList(0, 3)).isEqualTo(counts.subList(3, 6));
  }

  @Test
  void aResultWhoseVerdictIsRefusedIsStillStoredPendingForARestartToJudge() {
    GatedStorage failing = new GatedStorage();
    GroupCommitStorage storage = GroupCommitStorage.over(failing);
    Ledger ledger = new Ledger(storage, 0);
    Task lost = Fixtures.task(3);
    Task task = Fixtures.task(4);
    ledger.addTasks(List.of(lost, task), 2);
    ResultRecord one = result(a, lost, (byte) 1);
    ResultRecord two = result(b, lost, (byte) 2);
    failing.fail = true;
    assertThatThrownBy(() -> ledger.settle(agreed(lost, one, two), two)).hasMessageContaining("disk gone");
    failing.fail = false;

    ResultRecord first = result(a, task, (byte) 3);
    ResultRecord last = result(b, task, (byte) 4);
    ledger.accept(first);
    assertThatThrownBy(() -> ledger.settle(agreed(task, first, last), last))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("restart the validator");

    ResultRecord kept = ledger.result(task.id(), b.publicKey()).orElseThrow();
    assertThat(kept.status()).isEqualTo(ResultRecord.Status.PENDING);
    assertThat(ledger.resultsForVerdict(task.id())).hasSize(2);
    storage.close();
  }
}
