package network.subnet.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import network.subnet.node.testing.AbstractKeyValueStorageTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

class RocksDbStorageTest extends AbstractKeyValueStorageTest {

  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("ledger");
  }

  @Override
  protected KeyValueStorage createStorage() {
    return RocksDbStorage.open(dir());
  }

  @Override
  protected KeyValueStorage reopen(KeyValueStorage storage) {
    storage.close();
    return RocksDbStorage.open(dir());
  }

  @Test
  void freshLedgerGetsCurrentSchemaVersion() {
    assertThat(StorageSchema.read(storage)).contains(StorageSchema.CURRENT_VERSION);
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    storage.close();
    storage.close();
    assertThatThrownBy(() -> storage.get(Column.MINERS, new byte[] {1}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> storage.batch()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void batchOutlivingItsStorageFailsClearly() {
    KeyValueStorage.WriteBatch batch = storage.batch();
    batch.put(Column.MINERS, new byte[] {1}, new byte[] {2});
    storage.close();
    assertThatThrownBy(batch::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    batch.close();
  }

  @Test
  void secondOpenOfSameDirectoryIsRefused() {
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("ledger at " + dir().toAbsolutePath())
        .hasMessageContaining("in use by another process?");
    // the failed attempt must not disturb the open ledger
    put(Column.MINERS, bytes("still"), bytes("works"));
    assertThat(storage.get(Column.MINERS, bytes("still"))).isPresent();
  }

  @Test
  void newerSchemaVersionIsRefusedNamingBothVersions() {
    StorageSchema.write(storage, StorageSchema.CURRENT_VERSION + 1);
    storage.close();
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("schema version " + (StorageSchema.CURRENT_VERSION + 1))
        .hasMessageContaining("only version " + StorageSchema.CURRENT_VERSION)
        .hasMessageContaining("newer release");
    // a refused open releases the directory: trying again meets the same refusal, not a lock
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageNotContaining("in use")
        .hasMessageContaining("newer release");
  }

  @Test
  void olderSchemaVersionIsRefused() {
    StorageSchema.write(storage, 0);
    storage.close();
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("schema version 0")
        .hasMessageContaining("older release");
  }

  @Test
  void aCleanCloseIsSeenAtTheNextOpenWithNoLogLeftToReplay() throws Exception {
    assertThat(((RocksDbStorage) storage).previousShutdown()).isEqualTo(RocksDbStorage.Shutdown.NONE);
    put(Column.RESULTS, bytes("r"), bytes("v"));
    storage.close();
    try (var files = Files.list(dir())) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".log")).toList())
          .as("write-ahead logs holding data after a clean close")
          .allSatisfy(f -> assertThat(Files.size(f)).isZero());
    }
    storage = RocksDbStorage.open(dir());
    assertThat(((RocksDbStorage) storage).previousShutdown()).isEqualTo(RocksDbStorage.Shutdown.CLEAN);
    assertThat(storage.get(Column.RESULTS, bytes("r"))).isPresent();
  }

  @Test
  void flushedTablesAreUncompressedAndALedgerCompressedThroughoutStillReads() throws Exception {
    storage.close();
    storage = null;
    // A table as ledgers before this release flushed it: Snappy, RocksDB's default.
    withRawDatabase(false, (db, results) -> {
      db.put(results, bytes("old"), bytes("written compressed"));
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush, results);
      }
    });
    storage = RocksDbStorage.open(dir());
    assertThat(storage.get(Column.RESULTS, bytes("old"))).hasValueSatisfying(
        v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("written compressed"));
    put(Column.RESULTS, bytes("new"), bytes("flushed at close"));
    storage.close();
    storage = null;
    withRawDatabase(true, (db, results) -> {
      List<String> compressions = db.getPropertiesOfAllTables(results).values().stream()
          .map(TableProperties::getCompressionName).sorted().toList();
      assertThat(compressions).containsExactly("NoCompression", "Snappy");
    });
    storage = RocksDbStorage.open(dir());
    assertThat(storage.get(Column.RESULTS, bytes("old"))).isPresent();
    assertThat(storage.get(Column.RESULTS, bytes("new"))).isPresent();
  }

  private interface RawUse {
    void accept(RocksDB db, ColumnFamilyHandle results) throws Exception;
  }

  /** Opens the ledger's families with RocksDB's default options, as a bare RocksDB program would. */
  private void withRawDatabase(boolean readOnly, RawUse use) throws Exception {
    try (DBOptions options = new DBOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new java.util.ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
      for (Column c : Column.values()) {
        descriptors.add(new ColumnFamilyDescriptor(c.familyName()));
      }
      List<ColumnFamilyHandle> handles = new java.util.ArrayList<>();
      try (RocksDB db = readOnly
          ? RocksDB.openReadOnly(options, dir().toString(), descriptors, handles)
          : RocksDB.open(options, dir().toString(), descriptors, handles)) {
        use.accept(db, handles.get(Column.RESULTS.ordinal() + 1));
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  @Test
  void readOnlyOpenSeesTheDataAndTakesNoWrites() {
    put(Column.RESULTS, bytes("r"), bytes("v"));
    storage.close();
    try (RocksDbStorage readOnly = RocksDbStorage.openReadOnly(dir())) {
      assertThat(readOnly.get(Column.RESULTS, bytes("r"))).isPresent();
      assertThat(readOnly.previousShutdown()).isEqualTo(RocksDbStorage.Shutdown.CLEAN);
      assertThatThrownBy(readOnly::batch).isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
    }
    storage = RocksDbStorage.open(dir());
    assertThat(((RocksDbStorage) storage).previousShutdown()).as("a read-only open leaves the marker alone")
        .isEqualTo(RocksDbStorage.Shutdown.CLEAN);
    assertThatThrownBy(() -> RocksDbStorage.openReadOnly(tmp.resolve("nothing-here")))
        .isInstanceOf(StorageException.class).hasMessageContaining("no ledger");
  }

  @Test
  void dataWithoutSchemaVersionIsRefused() {
    put(Column.MINERS, bytes("m"), bytes("x"));
    try (KeyValueStorage.WriteBatch b = storage.batch()) {
      b.delete(Column.METADATA, StorageSchema.VERSION_KEY);
      b.commit();
    }
    storage.close();
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("no schema version");
  }

  @Test
  void unknownColumnFamilyOnDiskIsRefused() throws Exception {
    storage.close();
    storage = null;
    byte[] retired = {'c', 99};
    withRawDatabase(false, (db, results) -> db.createColumnFamily(new ColumnFamilyDescriptor(retired)).close());
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("column family id 99")
        .hasMessageContaining("does not know");
  }

  @Test
  void nonEmptyDirectoryThatIsNotRocksDbIsRefused() throws Exception {
    Path other = tmp.resolve("photos");
    Files.createDirectories(other);
    Files.writeString(other.resolve("cat.jpg"), "meow", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RocksDbStorage.open(other))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not a RocksDB");
    assertThat(Files.readString(other.resolve("cat.jpg"))).isEqualTo("meow");
  }

  @Test
  void fileInsteadOfDirectoryIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("ledger-file"), "x");
    assertThatThrownBy(() -> RocksDbStorage.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is a file");
  }

  @Test
  void corruptCurrentFileIsRefusedClearly() throws Exception {
    storage.close();
    storage = null;
    Files.writeString(dir().resolve("CURRENT"), "MANIFEST-999999\n");
    assertThatThrownBy(() -> RocksDbStorage.open(dir()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("ledger at " + dir().toAbsolutePath())
        .hasMessageContaining("MANIFEST-999999");
  }
}
