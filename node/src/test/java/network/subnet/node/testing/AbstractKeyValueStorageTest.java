package network.subnet.node.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.ColumnSize;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.storage.KeyValueStorage.WriteBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link KeyValueStorage} must meet. A subclass supplies the storage (and, where it persists,
 * a way to reopen it); the same tests then run against every implementation.
 */
public abstract class AbstractKeyValueStorageTest {

  protected KeyValueStorage storage;

  /** A fresh, empty storage. */
  protected abstract KeyValueStorage createStorage() throws Exception;

  /**
   * Closes {@code storage} and opens the same data again; return null where the implementation does not persist
   * (the reopen test is then skipped).
   */
  protected abstract KeyValueStorage reopen(KeyValueStorage storage) throws Exception;

  @BeforeEach
  void openStorage() throws Exception {
    storage = createStorage();
  }

  @AfterEach
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  protected void put(Column column, byte[] key, byte[] value) {
    try (WriteBatch b = storage.batch()) {
      b.put(column, key, value);
      b.commit();
    }
  }

  protected List<String> keysWithPrefix(Column column, byte[] prefix) {
    List<String> keys = new ArrayList<>();
    storage.scan(column, prefix, (k, v) -> keys.add(java.util.HexFormat.of().formatHex(k)));
    return keys;
  }

  @Test
  void columnSizesCoverEveryColumnAndCountWrittenKeys() {
    for (int i = 0; i < 10; i++) {
      put(Column.TASKS, bytes("task-" + i), new byte[100]);
    }
    List<ColumnSize> sizes = storage.columnSizes();
    assertThat(sizes).extracting(ColumnSize::column).containsExactlyInAnyOrder(Column.values());
    ColumnSize tasks = sizes.stream().filter(s -> s.column() == Column.TASKS).findFirst().orElseThrow();
    assertThat(tasks.estimatedKeys()).isEqualTo(10);
    assertThat(sizes).allSatisfy(s -> assertThat(s.liveDataBytes()).isNotNegative());
    assertThat(tasks.liveDataBytes() + tasks.memtableBytes()).as("held on disk or in memory").isPositive();
    assertThat(sizes.stream().filter(s -> s.column() == Column.EPOCHS).findFirst().orElseThrow().estimatedKeys())
        .isZero();
  }

  @Test
  void aBatchCommittedWithoutSyncIsVisibleWholeAndDurableAfterSync() throws Exception {
    try (WriteBatch b = storage.batch()) {
      b.put(Column.LEASES, bytes("lease-1"), bytes("a")).put(Column.LEASES, bytes("lease-2"), bytes("b"));
      b.delete(Column.LEASES, bytes("lease-2"));
      b.commitWithoutSync();
    }
    assertThat(storage.get(Column.LEASES, bytes("lease-1")))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("a")));
    assertThat(storage.get(Column.LEASES, bytes("lease-2"))).isEmpty();
    storage.sync();
    KeyValueStorage reopened = reopen(storage);
    if (reopened != null) {
      storage = reopened;
      assertThat(storage.get(Column.LEASES, bytes("lease-1"))).isPresent();
    }
  }

  @Test
  void getOfMissingKeyIsEmpty() {
    assertThat(storage.get(Column.MINERS, bytes("nobody"))).isEmpty();
  }

  @Test
  void putThenGetThenDelete() {
    put(Column.MINERS, bytes("k"), bytes("v1"));
    assertThat(storage.get(Column.MINERS, bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v1")));

    put(Column.MINERS, bytes("k"), bytes("v2"));
    assertThat(storage.get(Column.MINERS, bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v2")));

    try (WriteBatch b = storage.batch()) {
      b.delete(Column.MINERS, bytes("k"));
      b.commit();
    }
    assertThat(storage.get(Column.MINERS, bytes("k"))).isEmpty();
  }

  @Test
  void emptyValueIsStoredAndDistinctFromAbsent() {
    put(Column.TASKS, bytes("empty"), new byte[0]);
    assertThat(storage.get(Column.TASKS, bytes("empty"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
  }

  @Test
  void nothingIsVisibleBeforeCommitAndEverythingAfter() {
    try (WriteBatch b = storage.batch()) {
      b.put(Column.TASKS, bytes("a"), bytes("1"));
      b.put(Column.CREDITS, bytes("b"), bytes("2"));
      assertThat(storage.get(Column.TASKS, bytes("a"))).isEmpty();
      assertThat(storage.get(Column.CREDITS, bytes("b"))).isEmpty();
      assertThat(keysWithPrefix(Column.TASKS, new byte[0])).isEmpty();
      b.commit();
    }
    assertThat(storage.get(Column.TASKS, bytes("a"))).isPresent();
    assertThat(storage.get(Column.CREDITS, bytes("b"))).isPresent();
  }

  @Test
  void batchClosedWithoutCommitIsDiscarded() {
    put(Column.LEASES, bytes("kept"), bytes("x"));
    try (WriteBatch b = storage.batch()) {
      b.put(Column.LEASES, bytes("dropped"), bytes("y"));
      b.delete(Column.LEASES, bytes("kept"));
    }
    assertThat(storage.get(Column.LEASES, bytes("dropped"))).isEmpty();
    assertThat(storage.get(Column.LEASES, bytes("kept"))).isPresent();
  }

  @Test
  void laterOperationsInOneBatchWin() {
    try (WriteBatch b = storage.batch()) {
      b.put(Column.RESULTS, bytes("k"), bytes("first"));
      b.delete(Column.RESULTS, bytes("k"));
      b.put(Column.RESULTS, bytes("k"), bytes("last"));
      b.put(Column.RESULTS, bytes("gone"), bytes("x"));
      b.delete(Column.RESULTS, bytes("gone"));
      b.commit();
    }
    assertThat(storage.get(Column.RESULTS, bytes("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("last")));
    assertThat(storage.get(Column.RESULTS, bytes("gone"))).isEmpty();
  }

  @Test
  void callersCannotMutateStoredBytes() {
    byte[] key = bytes("k");
    byte[] value = bytes("value");
    try (WriteBatch b = storage.batch()) {
      b.put(Column.EPOCHS, key, value);
      value[0] = 'X';
      b.commit();
    }
    byte[] read = storage.get(Column.EPOCHS, key).orElseThrow();
    assertThat(read).isEqualTo(bytes("value"));
    read[0] = 'Y';
    assertThat(storage.get(Column.EPOCHS, key).orElseThrow()).isEqualTo(bytes("value"));
  }

  @Test
  void columnsAreIsolated() {
    byte[] key = bytes("same-key");
    for (Column c : Column.values()) {
      put(c, key, new byte[] {c.id()});
    }
    for (Column c : Column.values()) {
      assertThat(storage.get(c, key).orElseThrow()).containsExactly(c.id());
    }
    try (WriteBatch b = storage.batch()) {
      b.delete(Column.MINERS, key);
      b.commit();
    }
    assertThat(storage.get(Column.MINERS, key)).isEmpty();
    assertThat(storage.get(Column.TASKS, key)).isPresent();
    assertThat(keysWithPrefix(Column.MINERS, new byte[0])).isEmpty();
  }

  @Test
  void prefixScanVisitsMatchingKeysInUnsignedOrder() {
    byte[][] keys = {
      {1, (byte) 0xFF}, {1, 0x00}, {1, 0x7F}, {1, (byte) 0x80}, {1}, {1, (byte) 0xFF, (byte) 0xFF}, {2, 0}, {0, 1},
      {(byte) 0xFF}, {(byte) 0xFF, 0}
    };
    try (WriteBatch b = storage.batch()) {
      for (byte[] k : keys) {
        b.put(Column.CREDITS, k, k);
      }
      b.commit();
    }
    assertThat(keysWithPrefix(Column.CREDITS, new byte[] {1}))
        .containsExactly("01", "0100", "017f", "0180", "01ff", "01ffff");
    assertThat(keysWithPrefix(Column.CREDITS, new byte[] {(byte) 0xFF})).containsExactly("ff", "ff00");
    assertThat(keysWithPrefix(Column.CREDITS, new byte[] {1, (byte) 0xFF})).containsExactly("01ff", "01ffff");
    assertThat(keysWithPrefix(Column.CREDITS, new byte[] {3})).isEmpty();
    assertThat(keysWithPrefix(Column.CREDITS, new byte[0]))
        .containsExactly("0001", "01", "0100", "017f", "0180", "01ff", "01ffff", "0200", "ff", "ff00");
  }

  @Test
  void scanHandsOutKeysAndValuesTogether() {
    put(Column.MINERS, bytes("m/a"), bytes("A"));
    put(Column.MINERS, bytes("m/b"), bytes("B"));
    put(Column.MINERS, bytes("n/c"), bytes("C"));
    List<String> seen = new ArrayList<>();
    storage.scan(Column.MINERS, bytes("m/"), (k, v) -> seen.add(new String(k, UTF_8) + "=" + new String(v, UTF_8)));
    assertThat(seen).containsExactly("m/a=A", "m/b=B");
  }

  @Test
  void largeValuesRoundTrip() {
    byte[] big = new byte[4 << 20];
    new Random(7).nextBytes(big);
    put(Column.RESULTS, bytes("big"), big);
    assertThat(storage.get(Column.RESULTS, bytes("big")).orElseThrow()).isEqualTo(big);
  }

  @Test
  void manyEntriesInOneBatch() {
    try (WriteBatch b = storage.batch()) {
      for (int i = 0; i < 10_000; i++) {
        b.put(Column.TOTALS, new byte[] {(byte) (i >>> 8), (byte) i}, new byte[] {(byte) i});
      }
      b.commit();
    }
    int[] count = {0};
    storage.scan(Column.TOTALS, new byte[0], (k, v) -> count[0]++);
    assertThat(count[0]).isEqualTo(10_000);
  }

  @Test
  void dataSurvivesReopen() throws Exception {
    put(Column.EPOCHS, bytes("e1"), bytes("root"));
    try (WriteBatch b = storage.batch()) {
      b.put(Column.EPOCHS, bytes("e2"), bytes("x"));
      // closed without commit: must not come back after reopen either
    }
    KeyValueStorage reopened = reopen(storage);
    org.junit.jupiter.api.Assumptions.assumeTrue(reopened != null, "storage does not persist");
    storage = reopened;
    assertThat(storage.get(Column.EPOCHS, bytes("e1")).orElseThrow()).isEqualTo(bytes("root"));
    assertThat(storage.get(Column.EPOCHS, bytes("e2"))).isEmpty();
  }
}
