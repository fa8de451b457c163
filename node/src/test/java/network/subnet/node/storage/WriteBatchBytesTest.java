package network.subnet.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The batch built on the heap is byte for byte the one RocksDB builds itself, and RocksDB applies it as such. */
class WriteBatchBytesTest {

  static {
    RocksDB.loadLibrary();
  }

  @TempDir Path tmp;

  /** Lengths on both sides of every varint32 byte boundary a key or value can reach here. */
  private static final int[] LENGTHS = {0, 1, 127, 128, 16_383, 16_384, 70_000};

  @Test
  void matchesRocksDbsOwnBatchAndIsAppliedWhole() throws Exception {
    Random random = new Random(7);
    try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
      // Enough families that an id needs a second varint byte.
      for (int i = 1; i <= 130; i++) {
        descriptors.add(new ColumnFamilyDescriptor(("f" + i).getBytes()));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.open(options, tmp.toString(), descriptors, handles);
          WriteBatch expected = new WriteBatch();
          WriteOptions write = new WriteOptions();
          ReadOptions read = new ReadOptions()) {
        WriteBatchBytes built = new WriteBatchBytes();
        List<byte[]> keys = new ArrayList<>();
        List<ColumnFamilyHandle> families = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        int n = 0;
        for (int keyLength : new int[] {1, 128, 16_384}) {
          for (int valueLength : LENGTHS) {
            // The default family first (its records carry no id), then ids of one and two varint bytes.
            ColumnFamilyHandle family = handles.get((n * 37) % handles.size());
            byte[] key = bytes(random, keyLength);
            key[0] = (byte) n++; // distinct keys
            byte[] value = bytes(random, valueLength);
            expected.put(family, key, value);
            built.put(family.getID(), key, value);
            keys.add(key);
            families.add(family);
            values.add(value);
          }
        }
        byte[] gone = {1, 2, 3};
        expected.put(handles.get(130), gone, new byte[] {9});
        built.put(handles.get(130).getID(), gone, new byte[] {9});
        expected.delete(handles.get(130), gone);
        built.delete(handles.get(130).getID(), gone);
        expected.delete(handles.get(0), gone);
        built.delete(0, gone);

        assertThat(built.toBytes()).isEqualTo(expected.data());

        try (WriteBatch whole = new WriteBatch(built.toBytes())) {
          db.write(write, whole);
        }
        for (int i = 0; i < keys.size(); i++) {
          assertThat(db.get(families.get(i), read, keys.get(i))).isEqualTo(values.get(i));
        }
        assertThat(db.get(handles.get(130), read, gone)).isNull();
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  @Test
  void clearedBatchStartsAfresh() throws Exception {
    WriteBatchBytes built = new WriteBatchBytes();
    built.put(3, new byte[] {1}, new byte[] {2});
    built.clear();
    assertThat(built.isEmpty()).isTrue();
    built.delete(0, new byte[] {1});
    try (WriteBatch expected = new WriteBatch()) {
      expected.delete(new byte[] {1});
      assertThat(built.toBytes()).isEqualTo(expected.data());
    }
  }

  @Test
  void aReservedBatchHoldsTheSameBytesAndAHintPastTheLimitIsIgnored() {
    Random random = new Random(11);
    WriteBatchBytes grown = new WriteBatchBytes();
    WriteBatchBytes reserved = new WriteBatchBytes();
    reserved.reserve(40, 40 * 1_000);
    reserved.reserve(1, Long.MAX_VALUE / 2);
    for (int i = 0; i < 40; i++) {
      byte[] key = bytes(random, 1 + random.nextInt(64));
      byte[] value = bytes(random, random.nextInt(900));
      grown.put(i % 5, key, value);
      reserved.put(i % 5, key, value);
      if (i % 7 == 0) {
        grown.delete(i % 3, key);
        reserved.delete(i % 3, key);
      }
    }
    assertThat(reserved.toBytes()).isEqualTo(grown.toBytes());
  }

  private static byte[] bytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
