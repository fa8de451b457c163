package network.subnet.validator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.storage.GroupCommitStorage;
import org.junit.jupiter.api.Test;

/** Registrations: each miner counted once however its registrations race, and none holds up the rest of the ledger. */
class LedgerMinersTest {

  private static final TeacherSpec TEACHER = new TeacherSpec("aa".repeat(32), "bb".repeat(32), "float32", "cpu", "1");

  private static MinerRecord record(PublicKey key, long atMs) {
    return new MinerRecord(key, TEACHER, "test", atMs, Set.of(TaskKind.DISTILL), List.of());
  }

  @Test
  void racingRegistrationsOfTheSameMinersCountEachOnce() throws Exception {
    GroupCommitStorage storage = GroupCommitStorage.over(new GatedStorage());
    Ledger ledger = new Ledger(storage, 0);
    List<PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(LocalSigner.generate().publicKey());
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int id = t;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (PublicKey key : keys) {
          ledger.putMiner(record(key, id));
        }
      }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ledger.minerCount()).isEqualTo(40);
    assertThat(ledger.miners()).hasSize(40);
    assertThat(storage.groupsCommitted()).as("registrations share syncs").isLessThan(16L * 40);
    storage.close();
  }

  @Test
  void aRegistrationWaitingForTheDiskHoldsUpNeitherOtherMinersNorTheLedger() throws Exception {
    GatedStorage disk = new GatedStorage();
    GroupCommitStorage storage = GroupCommitStorage.over(disk);
    Ledger ledger = new Ledger(storage, 0);
    disk.closeGate();
    CompletableFuture<Void> first = CompletableFuture.runAsync(
        () -> ledger.putMiner(record(LocalSigner.generate().publicKey(), 1)));
    CompletableFuture<Void> second = CompletableFuture.runAsync(
        () -> ledger.putMiner(record(LocalSigner.generate().publicKey(), 2)));
    // Both wait on the disk; meanwhile the ledger answers.
    CompletableFuture<Long> epoch = CompletableFuture.supplyAsync(() -> ledger.openEpoch().number());
    assertThat(epoch.get(5, TimeUnit.SECONDS)).isZero();
    assertThat(ledger.minerCount()).isZero();
    assertThat(first).isNotDone();
    disk.openGate();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(ledger.minerCount()).isEqualTo(2);
    storage.close();
  }
}
