package network.subnet.validator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.GroupCommitStorage;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verdicts of different tasks commit concurrently and share fsyncs; none may be lost or counted twice, in memory or on
 * disk, with epochs closing in between.
 */
class LedgerConcurrentSettleTest {

  private static final long CREDITS = 6;

  @TempDir Path tmp;

  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();

  /** Both replicas of {@code task} stored as accepted, and the verdict that credits both. */
  private Settlement acceptBoth(Ledger ledger, Task task, int seq) {
    List<ResultRecord> agreed = new ArrayList<>();
    for (LocalSigner m : List.of(a, b)) {
      byte[] nonce = {(byte) seq, (byte) (seq >>> 8), (byte) (seq >>> 16), m == a ? (byte) 1 : (byte) 2};
      ResultRecord r = new ResultRecord(m.publicKey(),
          Fixtures.signed(m, task.id(), nonce, Fixtures.MODEL, Fixtures.honest(task.spec())), 1,
          ResultRecord.Status.PENDING);
      ledger.accept(r);
      agreed.add(r.withStatus(ResultRecord.Status.AGREED));
    }
    return new Settlement(new TaskRecord(task, 2, TaskRecord.Status.VERIFIED), agreed, CREDITS, Set.of(),
        Set.of(a.publicKey(), b.publicKey()), Map.of(), List.of());
  }

  private static void runConcurrently(int threads, int count, BiConsumer<Integer, Integer> work) throws Exception {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          gate.await();
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            work.accept(thread, i);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    gate.countDown();
    for (Thread t : workers) {
      t.join();
    }
    assertThat(failures).isEmpty();
  }

  private static long storedCredits(KeyValueStorage storage) {
    long[] total = {0};
    storage.scan(Column.CREDITS, new byte[0], (k, v) -> total[0] += new RecordReader(v, "credit").i64());
    return total[0];
  }

  @Test
  void concurrentVerdictsShareFsyncsAndCountEachCreditOnceAcrossEpochsAndARestart() throws Exception {
    int tasks = 400;
    GroupCommitStorage storage = GroupCommitStorage.over(RocksDbStorage.open(tmp.resolve("ledger")));
    Ledger ledger = new Ledger(storage, 0);
    List<Task> all = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      all.add(Fixtures.task(i));
    }
    ledger.addTasks(all, 2);
    List<Settlement> settlements = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      settlements.add(acceptBoth(ledger, all.get(i), i));
    }
    long groupsBefore = storage.groupsCommitted();
    List<EpochRecord> closed = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong settled = new AtomicLong();
    LocalSigner validator = LocalSigner.generate();
    runConcurrently(16, tasks, (thread, i) -> {
      assertThat(ledger.settle(settlements.get(i))).isEmpty();
      // Durable once settle returns: the task's verdict is in storage.
      assertThat(ledger.task(all.get(i).id()).orElseThrow().status()).isEqualTo(TaskRecord.Status.VERIFIED);
      if (settled.incrementAndGet() % 97 == 0) {
        closed.add(ledger.closeEpoch(i, validator));
      }
    });
    long groups = storage.groupsCommitted() - groupsBefore;
    assertThat(groups).as("verdicts of different tasks share commits").isLessThan(tasks + closed.size());

    long expected = 2L * tasks * CREDITS;
    long inEpochs = closed.stream().mapToLong(EpochRecord::totalCredits).sum();
    Map<PublicKey, Long> open = ledger.openEpochCredits();
    assertThat(inEpochs + open.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expected);
    assertThat(storedCredits(storage)).isEqualTo(expected);
    for (EpochRecord e : closed) {
      long keyed = ledger.credits(e.epoch(), a.publicKey()).values().stream().mapToLong(Long::longValue).sum()
          + ledger.credits(e.epoch(), b.publicKey()).values().stream().mapToLong(Long::longValue).sum();
      assertThat(keyed).as("credits keyed by epoch %d", e.epoch()).isEqualTo(e.totalCredits());
    }
    assertThat(ledger.tasksVerified()).isEqualTo(tasks);
    assertThat(ledger.trust(a.publicKey()).consecutiveValid()).as("no trust update lost").isEqualTo(tasks);
    assertThat(ledger.stats(a.publicKey()).credits() + ledger.stats(b.publicKey()).credits()).isEqualTo(expected);
    storage.close();

    GroupCommitStorage reopened = GroupCommitStorage.over(RocksDbStorage.open(tmp.resolve("ledger")));
    Ledger again = new Ledger(reopened, 0);
    assertThat(again.tasksVerified()).isEqualTo(tasks);
    assertThat(again.trust(b.publicKey()).consecutiveValid()).isEqualTo(tasks);
    assertThat(again.openEpochCredits()).isEqualTo(open);
    assertThat(again.stats(a.publicKey()).credits() + again.stats(b.publicKey()).credits()).isEqualTo(expected);
    assertThat(again.stats(a.publicKey()).resultsAccepted()).isEqualTo(tasks);
    reopened.close();
  }

  @Test
  void faultWaitsForEarlierQueuedVerdictsBeforeHoldingBackUnverifiedCredit() throws Exception {
    GatedStorage slow = new GatedStorage();
    GroupCommitStorage storage = GroupCommitStorage.over(slow);
    Ledger ledger = new Ledger(storage, 0);
    Task single = Fixtures.task(1);
    Task caught = Fixtures.task(2);
    ledger.addTasks(List.of(single, caught), 1);
    ResultRecord one = new ResultRecord(a.publicKey(),
        Fixtures.signed(a, single.id(), new byte[] {1}, Fixtures.MODEL, Fixtures.honest(single.spec())), 1,
        ResultRecord.Status.PENDING);
    ResultRecord wrong = new ResultRecord(a.publicKey(),
        Fixtures.signed(a, caught.id(), new byte[] {2}, Fixtures.MODEL, Fixtures.dishonest(caught.spec())), 1,
        ResultRecord.Status.PENDING);
    ledger.accept(one);
    ledger.accept(wrong);

    slow.delayMs = 300;
    // A trusted miner's single replica: credited, but unverified until re-checked.
    Thread first = Thread.ofPlatform().start(() -> ledger.settle(new Settlement(
        new TaskRecord(single, 1, TaskRecord.Status.VERIFIED), List.of(one.withStatus(ResultRecord.Status.AGREED)),
        CREDITS, Set.of(a.publicKey()), Set.of(), Map.of(), List.of())));
    // Its verdict is queued (memory has moved) but not yet in storage when the fault arrives.
    while (ledger.openEpochCredits().getOrDefault(a.publicKey(), 0L) == 0) {
      Thread.onSpinWait();
    }
    assertThat(slow.getAny(Column.UNVERIFIED)).isEmpty();
    List<TaskRecord> reopened = ledger.settle(new Settlement(
        new TaskRecord(caught, 1, TaskRecord.Status.UNDECIDED), List.of(wrong.withStatus(ResultRecord.Status.REJECTED)),
        0, Set.of(), Set.of(), Map.of(a.publicKey(), new Settlement.Fault(false, "outvoted")), List.of()));
    first.join();

    assertThat(reopened).extracting(r -> r.task().id()).containsExactly(single.id());
    assertThat(ledger.heldCredits(a.publicKey())).containsEntry(single.id(), CREDITS);
    assertThat(ledger.openEpochCredits().getOrDefault(a.publicKey(), 0L)).isZero();
    assertThat(storedCredits(storage)).isZero();
    storage.close();
  }

  /**
   * Queued commits fail on the writer, which may be seen only while waiting or already when queuing; a storage that
   * commits at once fails on the spot. Either way, no further verdict is taken.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aVerdictThatCannotBeStoredStopsFurtherVerdictsWithAClearError(boolean groupCommit) {
    GatedStorage failing = new GatedStorage();
    KeyValueStorage storage = groupCommit ? GroupCommitStorage.over(failing) : failing;
    Ledger ledger = new Ledger(storage, 0);
    Task task = Fixtures.task(3);
    ledger.addTasks(List.of(task, Fixtures.task(4)), 2);
    Settlement s = acceptBoth(ledger, task, 3);
    failing.fail = true;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.settle(s)).hasMessageContaining("disk gone");
    failing.fail = false;
    Settlement next = acceptBoth(ledger, Fixtures.task(4), 4);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.settle(next))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("restart the validator");
    storage.close();
  }
}
