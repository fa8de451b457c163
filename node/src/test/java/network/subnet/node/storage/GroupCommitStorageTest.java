package network.subnet.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
