package network.subnet.node.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The ledger on disk: one RocksDB column family per {@link Column} (named by {@link Column#familyName()}) beside
 * RocksDB's own default family. A {@link WriteBatch#commit() commit} returns once its write-ahead log entry is synced
 * to disk, so a result the validator has accepted survives a crash or power loss. The sync is a separate step after
 * the write ({@code syncWal}), not the write's own {@code sync=true}: RocksDB writes one group at a time and a synced
 * group holds every later writer until its sync ends, which on a busy disk is hundreds of milliseconds, while a
 * {@link WriteBatch#commitWithoutSync()} batch written beside a running {@code syncWal} goes straight in (on a busy
 * disk: p99 0.12 ms and max 5.6 ms, against p99 20 ms and max 1.2 s behind synced groups). A reader may therefore see
 * a committed batch shortly before it is durable; {@link #sync()} waits for that. Column families on disk that {@link
 * Column} does not know are refused: column ids are never reused, so an unknown family means a newer or foreign
 * database.
 *
 * <p>Reads and writes hold a shared lock and {@link #close()} an exclusive one, so closing never frees native
 * handles under a running call (which would crash the JVM instead of raising an error).
 *
 * <p>A clean close flushes every memtable to disk (so the next open has no write-ahead log to replay) and leaves a
 * shutdown marker in {@link Column#METADATA}; opening reads the marker ({@link #previousShutdown()}) and sets it to
 * "open", so a crash, a SIGKILL or a power loss shows at the next start as {@link Shutdown#UNCLEAN}.
 */
public final class RocksDbStorage implements KeyValueStorage {

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions columnOptions;
  private final WriteOptions writeOptions;
  private final ReadOptions readOptions;
  private final List<ColumnFamilyHandle> allHandles;
  private final Map<Column, ColumnFamilyHandle> handles;
  /** RocksDB's id of each column's family, by {@link Column#ordinal()}, for {@link WriteBatchBytes}. */
  private final int[] familyIds;
  private final RocksDB db;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;
  private boolean readOnly;
  private Shutdown previousShutdown = Shutdown.NONE;

  /** How the session before this one ended. */
  public enum Shutdown {
    /** This open created the ledger. */
    NONE,
    /** Closed by {@link #close()}: memtables flushed, nothing left to recover. */
    CLEAN,
    /** Ended without {@link #close()} (crash, kill, power loss): RocksDB recovered it from its write-ahead log. */
    UNCLEAN
  }

  static final byte[] SHUTDOWN_KEY = "shutdown".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] MARK_OPEN = {'o'};
  private static final byte[] MARK_CLEAN = {'c'};

  private RocksDbStorage(
      Path dir,
      DBOptions dbOptions,
      ColumnFamilyOptions columnOptions,
      RocksDB db,
      List<ColumnFamilyHandle> allHandles,
      Map<Column, ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.dbOptions = dbOptions;
    this.columnOptions = columnOptions;
    this.db = db;
    this.allHandles = allHandles;
    this.handles = handles;
    this.familyIds = new int[Column.values().length];
    for (Column c : Column.values()) {
      familyIds[c.ordinal()] = handles.get(c).getID();
    }
    // Durability comes from syncWal after the write; see the class comment.
    this.writeOptions = new WriteOptions().setSync(false);
    this.readOptions = new ReadOptions();
  }

  /**
   * Opens (creating if needed) the ledger in {@code dir} and checks its schema version.
   *
   * @throws StorageException if the directory is not a ledger, is locked by another process, holds unknown column
   *     families or another schema version
   */
  public static RocksDbStorage open(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    prepareDirectory(absolute);
    String path = absolute.toString();
    checkFamilies(absolute);

    ColumnFamilyOptions columnOptions = columnOptions();
    List<ColumnFamilyDescriptor> descriptors = descriptors(columnOptions);
    DBOptions dbOptions =
        new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setKeepLogFileNum(5);
    List<ColumnFamilyHandle> allHandles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, path, descriptors, allHandles);
    } catch (RocksDBException e) {
      dbOptions.close();
      columnOptions.close();
      throw translate(absolute, e);
    }
    Map<Column, ColumnFamilyHandle> handles = byColumn(allHandles);
    RocksDbStorage storage = new RocksDbStorage(absolute, dbOptions, columnOptions, db, allHandles, handles);
    try {
      boolean empty = storage.isEmpty();
      StorageSchema.check(storage, empty, path);
      storage.markOpen(empty);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    return storage;
  }

  /**
   * Opens an existing ledger for reading only, as it stands on disk (the write-ahead log is replayed in memory, the
   * files are not touched), even while no validator has it open since a crash, or beside a validator that has it open
   * (RocksDB takes no lock for readers; this sees the data as of the call). Writes are refused, and closing writes no
   * shutdown marker. {@link #previousShutdown()} reports the marker as found.
   *
   * @throws StorageException if there is no ledger at {@code dir} or it cannot be read
   */
  public static RocksDbStorage openReadOnly(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.exists(absolute.resolve("CURRENT"))) {
      throw new StorageException("no ledger at " + absolute + " (no RocksDB CURRENT file)");
    }
    checkFamilies(absolute);
    ColumnFamilyOptions columnOptions = columnOptions();
    List<ColumnFamilyDescriptor> descriptors = descriptors(columnOptions);
    DBOptions dbOptions = new DBOptions();
    List<ColumnFamilyHandle> allHandles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.openReadOnly(dbOptions, absolute.toString(), descriptors, allHandles);
    } catch (RocksDBException e) {
      dbOptions.close();
      columnOptions.close();
      throw translate(absolute, e);
    }
    Map<Column, ColumnFamilyHandle> handles = byColumn(allHandles);
    RocksDbStorage storage = new RocksDbStorage(absolute, dbOptions, columnOptions, db, allHandles, handles);
    storage.readOnly = true;
    try {
      Optional<Integer> version = StorageSchema.read(storage);
      if (version.isEmpty() || version.get() != StorageSchema.CURRENT_VERSION) {
        throw new StorageException("ledger at " + absolute + " has schema version "
            + version.map(String::valueOf).orElse("none") + "; this node reads " + StorageSchema.CURRENT_VERSION);
      }
      Optional<byte[]> marker = storage.get(Column.METADATA, SHUTDOWN_KEY);
      storage.previousShutdown = marker.isPresent() && Arrays.equals(marker.get(), MARK_CLEAN)
          ? Shutdown.CLEAN
          : Shutdown.UNCLEAN;
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    return storage;
  }

  /**
   * Bloom filters on every family, in table files and in the memtable: many lookups are of keys that do not exist yet
   * (each imported task's id, a new miner's key, a refused result's stored twin), and without a filter each such miss
   * searches every level it could be in.
   *
   * <p>Only the bottommost level is compressed (Snappy, RocksDB's default, so the data at rest is as before). Every
   * memtable flush compressing its table cost about as much CPU per accepted result as the rest of the flush, for files
   * that compaction soon rewrites into the bottommost level (which, with dynamic level sizes, is where L0 compacts to
   * while the ledger is small) and compresses there. Each table records its own compression, so ledgers written
   * before, compressed throughout, read as ever.
   */
  private static ColumnFamilyOptions columnOptions() {
    return new ColumnFamilyOptions()
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)))
        .setMemtablePrefixBloomSizeRatio(0.02)
        .setMemtableWholeKeyFiltering(true)
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.SNAPPY_COMPRESSION);
  }

  /** RocksDB's default family, then one family per {@link Column} in declaration order. */
  private static List<ColumnFamilyDescriptor> descriptors(ColumnFamilyOptions options) {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options));
    for (Column c : Column.values()) {
      descriptors.add(new ColumnFamilyDescriptor(c.familyName(), options));
    }
    return descriptors;
  }

  /** The handles opened for {@link #descriptors}, by column (the default family's comes first and is skipped). */
  private static Map<Column, ColumnFamilyHandle> byColumn(List<ColumnFamilyHandle> allHandles) {
    Map<Column, ColumnFamilyHandle> handles = new EnumMap<>(Column.class);
    for (Column c : Column.values()) {
      handles.put(c, allHandles.get(c.ordinal() + 1));
    }
    return handles;
  }

  private static void prepareDirectory(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new StorageException("ledger path " + dir + " is a file, not a directory");
    }
    try {
      Files.createDirectories(dir);
      if (!Files.exists(dir.resolve("CURRENT"))) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new StorageException(
                "ledger directory " + dir + " is not empty and is not a RocksDB (no CURRENT file); refusing to use it");
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot prepare ledger directory " + dir + ": " + e, e);
    }
  }

  private static void checkFamilies(Path dir) {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return;
    }
    List<byte[]> onDisk;
    try (Options options = new Options()) {
      onDisk = RocksDB.listColumnFamilies(options, dir.toString());
    } catch (RocksDBException e) {
      throw translate(dir, e);
    }
    for (byte[] name : onDisk) {
      boolean known = Arrays.equals(name, RocksDB.DEFAULT_COLUMN_FAMILY)
          || Arrays.stream(Column.values()).anyMatch(c -> Arrays.equals(c.familyName(), name));
      if (!known) {
        throw new StorageException(
            "ledger at "
                + dir
                + " has column family "
                + describe(name)
                + " that this node does not know (a newer release or another program wrote it); refusing to open it");
      }
    }
  }

  private static String describe(byte[] name) {
    if (name.length == 2 && name[0] == 'c') {
      return "id " + (name[1] & 0xFF) + " (0x" + HexFormat.of().formatHex(name) + ")";
    }
    return "0x" + HexFormat.of().formatHex(name);
  }

  private static StorageException translate(Path dir, RocksDBException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("lock")) {
      return new StorageException("ledger at " + dir + " is in use by another process? (" + message + ")", e);
    }
    if (lower.contains("corruption") || lower.contains("not a") || lower.contains("invalid argument")) {
      return new StorageException("ledger at " + dir + " is not a readable RocksDB: " + message, e);
    }
    return new StorageException("cannot open ledger at " + dir + ": " + message, e);
  }

  /** The ledger directory. */
  public Path directory() {
    return dir;
  }

  /** How the previous session on this ledger ended, as its shutdown marker says. */
  public Shutdown previousShutdown() {
    return previousShutdown;
  }

  private void markOpen(boolean fresh) {
    Optional<byte[]> marker = get(Column.METADATA, SHUTDOWN_KEY);
    previousShutdown = fresh ? Shutdown.NONE
        : marker.isPresent() && Arrays.equals(marker.get(), MARK_CLEAN) ? Shutdown.CLEAN : Shutdown.UNCLEAN;
    try (WriteBatch batch = batch()) {
      batch.put(Column.METADATA, SHUTDOWN_KEY, MARK_OPEN);
      batch.commit();
    }
  }

  /** Marks the ledger cleanly closed and flushes every memtable, so the next open replays no log. */
  private void markClean() throws RocksDBException {
    try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch();
        FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      batch.put(handles.get(Column.METADATA), SHUTDOWN_KEY, MARK_CLEAN);
      db.write(writeOptions, batch);
      db.flush(flush, allHandles);
    }
  }

  private boolean isEmpty() {
    for (ColumnFamilyHandle h : allHandles) {
      try (RocksIterator it = db.newIterator(h, readOptions)) {
        it.seekToFirst();
        if (it.isValid()) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void sync() {
    lock.readLock().lock();
    try {
      ensureOpen();
      db.syncWal();
    } catch (RocksDBException e) {
      throw new StorageException("sync of ledger at " + dir + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<byte[]> get(Column column, byte[] key) {
    lock.readLock().lock();
    try {
      ensureOpen();
      return Optional.ofNullable(db.get(handles.get(column), readOptions, key));
    } catch (RocksDBException e) {
      throw new StorageException("read from " + column + " in ledger at " + dir + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void scan(Column column, byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    lock.readLock().lock();
    try (RocksIterator it = iterator(column)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!InMemoryStorage.startsWith(key, prefix)) {
          break;
        }
        visitor.accept(key, it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("scan of " + column + " in ledger at " + dir + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private RocksIterator iterator(Column column) {
    ensureOpen();
    return db.newIterator(handles.get(column), readOptions);
  }

  @Override
  public WriteBatch batch() {
    lock.readLock().lock();
    try {
      ensureOpen();
      if (readOnly) {
        throw new IllegalStateException("ledger at " + dir + " is open read-only; it takes no writes");
      }
      return new Batch();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** RocksDB's own estimates per column family; a closed ledger reports nothing rather than failing a scrape. */
  @Override
  public List<ColumnSize> columnSizes() {
    lock.readLock().lock();
    try {
      if (closed) {
        return List.of();
      }
      List<ColumnSize> sizes = new ArrayList<>(handles.size());
      for (Map.Entry<Column, ColumnFamilyHandle> e : handles.entrySet()) {
        ColumnFamilyHandle h = e.getValue();
        sizes.add(new ColumnSize(e.getKey(), db.getLongProperty(h, "rocksdb.estimate-live-data-size"),
            db.getLongProperty(h, "rocksdb.total-sst-files-size"),
            db.getLongProperty(h, "rocksdb.cur-size-all-mem-tables"), db.getLongProperty(h, "rocksdb.estimate-num-keys")));
      }
      return sizes;
    } catch (RocksDBException e) {
      throw new StorageException("reading sizes of ledger at " + dir + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("ledger at " + dir + " is closed");
    }
  }

  /**
   * Marks the ledger cleanly closed, flushes it, and closes every native handle, the database last but one; a second
   * call does nothing. A failed flush still closes the database (the log covers what the flush did not).
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      StorageException failure = null;
      try {
        if (!readOnly) {
          markClean();
        }
      } catch (RocksDBException e) {
        failure = new StorageException("flushing ledger at " + dir + " before closing failed: " + e.getMessage(), e);
      }
      for (ColumnFamilyHandle h : allHandles) {
        h.close();
      }
      try {
        db.closeE();
      } catch (RocksDBException e) {
        throw new StorageException("closing ledger at " + dir + " failed: " + e.getMessage(), e);
      } finally {
        writeOptions.close();
        readOptions.close();
        dbOptions.close();
        columnOptions.close();
      }
      if (failure != null) {
        // Reported only after everything is released, so a failed flush never leaks the database lock.
        throw failure;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Operations gather on the Java heap and reach RocksDB in one call at commit ({@link WriteBatchBytes}). */
  private final class Batch implements WriteBatch {
    private final WriteBatchBytes batch = new WriteBatchBytes();
    private boolean batchClosed;

    @Override
    public WriteBatch put(Column column, byte[] key, byte[] value) {
      ensureUsable();
      batch.put(familyIds[column.ordinal()], key, value);
      return this;
    }

    @Override
    public WriteBatch delete(Column column, byte[] key) {
      ensureUsable();
      batch.delete(familyIds[column.ordinal()], key);
      return this;
    }

    @Override
    public WriteBatch reserve(int operations, long bytes) {
      ensureUsable();
      batch.reserve(operations, bytes);
      return this;
    }

    @Override
    public void commit() {
      write(true);
    }

    @Override
    public void commitWithoutSync() {
      write(false);
    }

    private void write(boolean durable) {
      ensureUsable();
      lock.readLock().lock();
      try {
        ensureOpen();
        if (!batch.isEmpty()) {
          try (org.rocksdb.WriteBatch whole = new org.rocksdb.WriteBatch(batch.toBytes())) {
            db.write(writeOptions, whole);
          }
          batch.clear();
        }
        if (durable) {
          db.syncWal();
        }
      } catch (RocksDBException e) {
        throw new StorageException("commit to ledger at " + dir + " failed: " + e.getMessage(), e);
      } finally {
        lock.readLock().unlock();
      }
    }

    private void ensureUsable() {
      if (batchClosed) {
        throw new IllegalStateException("write batch already closed");
      }
    }

    /** Discards anything not committed. */
    @Override
    public void close() {
      if (!batchClosed) {
        batchClosed = true;
        batch.clear();
      }
    }
  }
}
