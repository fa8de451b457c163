package network.subnet.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import network.subnet.node.testing.AbstractKeyValueStorageTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract over group commit on RocksDB, plus what grouping adds: shared fsyncs, atomic batches. */
class GroupCommitStorageTest extends AbstractKeyValueStorageTest {

  @TempDir Path tmp;

  @Override
  protected KeyValueStorage createStorage() {
    return GroupCommitStorage.over(RocksDbStorage.open(tmp.resolve("ledger")));
  }

  @Override
  protected KeyValueStorage reopen(KeyValueStorage storage) {
    storage.close();
    return createStorage();
  }

  @Test
  void concurrentCommitsShareUnderlyingCommitsAndAreEachDurableOnReturn() throws Exception {
    GroupCommitStorage grouped = (GroupCommitStorage) storage;
    int threads = 32;
    int perThread = 50;
    CountDownLatch gate = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<String> missing = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          gate.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          byte[] key = ByteBuffer.allocate(8).putInt(id).putInt(i).array();
          try (KeyValueStorage.WriteBatch b = storage.batch()) {
            b.put(Column.RESULTS, key, key).put(Column.CREDITS, key, key);
            b.commit();
          }
          // Visible (and synced) as soon as commit returns, both halves of the batch together.
          if (storage.get(Column.RESULTS, key).isEmpty() || storage.get(Column.CREDITS, key).isEmpty()) {
            missing.add(id + "/" + i);
          }
        }
      }));
    }
    gate.countDown();
    for (Thread t : workers) {
      t.join();
    }
    assertThat(missing).isEmpty();
    assertThat(grouped.batchesCommitted()).isEqualTo((long) threads * perThread);
    assertThat(grouped.groupsCommitted()).as("fsyncs shared between concurrent commits")
        .isLessThan(grouped.batchesCommitted());

    storage = reopen(storage);
    List<byte[]> keys = new ArrayList<>();
    storage.scan(Column.CREDITS, new byte[0], (k, v) -> keys.add(k));
    assertThat(keys).hasSize(threads * perThread);
  }

  @Test
  void aBatchWithoutSyncPassesAStuckGroupAndSyncWaitsForTheGroup() throws Exception {
    HeldStorage stuck = new HeldStorage();
    CountDownLatch entered = stuck.entered;
    CountDownLatch release = stuck.release;
    GroupCommitStorage grouped = GroupCommitStorage.over(stuck);
    CompletableFuture<Void> result = CompletableFuture.runAsync(() -> {
      try (KeyValueStorage.WriteBatch b = grouped.batch()) {
        b.put(Column.RESULTS, new byte[] {1}, new byte[] {1}).commit();
      }
    });
    entered.await();
    try (KeyValueStorage.WriteBatch b = grouped.batch()) {
      b.put(Column.LEASES, new byte[] {2}, new byte[] {2}).commitWithoutSync();
    }
    assertThat(grouped.get(Column.LEASES, new byte[] {2})).as("written while the group's commit is stuck").isPresent();
    CompletableFuture<Void> synced = CompletableFuture.runAsync(grouped::sync);
    Thread.sleep(200);
    assertThat(synced).as("sync waits for the stuck group").isNotDone();
    assertThat(result).isNotDone();
    release.countDown();
    synced.get(10, java.util.concurrent.TimeUnit.SECONDS);
    result.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(grouped.get(Column.RESULTS, new byte[] {1})).isPresent();
    grouped.close();
  }

  @Test
  void aGroupWritesOnlyTheLastOperationOnEachKeyAndLandsAsQueued() throws Exception {
    HeldStorage recording = new HeldStorage();
    CountDownLatch entered = recording.entered;
    CountDownLatch release = recording.release;
    List<List<String>> groups = recording.groups;
    GroupCommitStorage grouped = GroupCommitStorage.over(recording);
    CompletableFuture<Void> first = grouped.batch().put(Column.TRUST, new byte[] {1}, new byte[] {0}).commitAsync();
    entered.await();
    List<CompletableFuture<Void>> queued = List.of(
        grouped.batch().put(Column.TRUST, new byte[] {1}, new byte[] {1}).put(Column.RESULTS, new byte[] {5},
            new byte[] {5}).commitAsync(),
        grouped.batch().put(Column.LEASES, new byte[] {2}, new byte[] {2}).put(Column.TRUST, new byte[] {1},
            new byte[] {2}).commitAsync(),
        grouped.batch().delete(Column.LEASES, new byte[] {2}).put(Column.TRUST, new byte[] {2}, new byte[] {3})
            .commitAsync(),
        // The same key in another column is another key.
        grouped.batch().put(Column.TRUST, new byte[] {1}, new byte[] {4}).put(Column.MINERS, new byte[] {1},
            new byte[] {4}).commitAsync());
    release.countDown();
    first.get(10, java.util.concurrent.TimeUnit.SECONDS);
    for (CompletableFuture<Void> f : queued) {
      f.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(groups).containsExactly(
        List.of("TRUST:1=0"),
        List.of("RESULTS:5=5", "LEASES:2 deleted", "TRUST:2=3", "TRUST:1=4", "MINERS:1=4"));
    assertThat(grouped.get(Column.TRUST, new byte[] {1})).hasValueSatisfying(v -> assertThat(v).containsExactly(4));
    assertThat(grouped.get(Column.LEASES, new byte[] {2})).isEmpty();
    assertThat(grouped.batchesCommitted()).isEqualTo(5);
    grouped.close();
  }

  @Test
  void commitAfterCloseIsRefusedWithAClearError() {
    KeyValueStorage.WriteBatch batch = storage.batch().put(Column.MINERS, new byte[] {1}, new byte[] {2});
    storage.close();
    assertThatThrownBy(batch::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    storage = null;
  }

  @Test
  void failureOfTheUnderlyingCommitReachesTheCaller() {
    RocksDbStorage rocks = RocksDbStorage.open(tmp.resolve("other"));
    GroupCommitStorage grouped = GroupCommitStorage.over(rocks);
    KeyValueStorage.WriteBatch batch = grouped.batch().put(Column.MINERS, new byte[] {1}, new byte[] {2});
    rocks.close();
    assertThatThrownBy(batch::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    grouped.close();
  }

  @Test
  void queuedCommitsBecomeDurableInQueueOrder() {
    GroupCommitStorage grouped = (GroupCommitStorage) storage;
    byte[] key = {7};
    List<CompletableFuture<Void>> queued = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      try (KeyValueStorage.WriteBatch b = storage.batch()) {
        b.put(Column.TASKS, key, ByteBuffer.allocate(4).putInt(i).array());
        b.put(Column.RESULTS, ByteBuffer.allocate(4).putInt(i).array(), new byte[] {1});
        queued.add(b.commitAsync());
      }
    }
    // Once the last one is durable every earlier one is, and the last write to a key wins.
    queued.get(queued.size() - 1).join();
    assertThat(queued).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(ByteBuffer.wrap(storage.get(Column.TASKS, key).orElseThrow()).getInt()).isEqualTo(499);
    List<byte[]> results = new ArrayList<>();
    storage.scan(Column.RESULTS, new byte[0], (k, v) -> results.add(k));
    assertThat(results).hasSize(500);
    assertThat(grouped.batchesCommitted()).isEqualTo(500);
  }

  @Test
  void queuedCommitOfAnEmptyBatchIsDoneAtOnceAndAFailureReachesTheFuture() {
    assertThat(storage.batch().commitAsync()).isCompleted();
    RocksDbStorage rocks = RocksDbStorage.open(tmp.resolve("failing"));
    GroupCommitStorage grouped = GroupCommitStorage.over(rocks);
    CompletableFuture<Void> done = grouped.batch().put(Column.MINERS, new byte[] {1}, new byte[] {2}).commitAsync();
    done.exceptionally(e -> null).join();
    rocks.close();
    CompletableFuture<Void> failed = grouped.batch().put(Column.MINERS, new byte[] {3}, new byte[] {4}).commitAsync();
    assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(done).isCompleted();
    grouped.close();
  }

  /**
   * In-memory storage whose durable commits signal {@code entered} and then wait for {@code release}, as a disk that
   * does not answer until released; each durable commit's operations are recorded, in order, as one of {@code groups}.
   */
  private static final class HeldStorage implements KeyValueStorage {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<List<String>> groups = new ArrayList<>();
    private final InMemoryStorage memory = new InMemoryStorage();

    @Override
    public java.util.Optional<byte[]> get(Column column, byte[] key) {
      return memory.get(column, key);
    }

    @Override
    public void scan(Column column, byte[] prefix, java.util.function.BiConsumer<byte[], byte[]> visitor) {
      memory.scan(column, prefix, visitor);
    }

    @Override
    public WriteBatch batch() {
      WriteBatch inner = memory.batch();
      List<String> ops = new ArrayList<>();
      return new WriteBatch() {
        @Override
        public WriteBatch put(Column column, byte[] key, byte[] value) {
          ops.add(column + ":" + key[0] + "=" + value[0]);
          inner.put(column, key, value);
          return this;
        }

        @Override
        public WriteBatch delete(Column column, byte[] key) {
          ops.add(column + ":" + key[0] + " deleted");
          inner.delete(column, key);
          return this;
        }

        @Override
        public void commit() {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          synchronized (groups) {
            groups.add(List.copyOf(ops));
          }
          inner.commit();
        }

        @Override
        public void commitWithoutSync() {
          inner.commit();
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }

    @Override
    public void close() {
      memory.close();
    }
  }
}
