package network.subnet.validator.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.node.storage.KeyValueStorage.WriteBatch;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.epoch.MerkleTree;
import network.subnet.validator.tasks.Task;

/**
 * The validator's durable state over a {@link KeyValueStorage}. Every change is one atomic batch: an accepted result;
 * a verdict (result statuses, credits, task status); an epoch close (epoch record, lifetime totals, next epoch).
 * Credits are keyed by (epoch, miner, task), so writing a verdict twice can never count twice. The in-memory
 * counters are rebuilt from storage at start.
 *
 * <p>Open leases are written too (column LEASES, see {@link LeaseRecord}), so a restart keeps every task leased to the
 * miner that holds it and accepts that miner's result under the old nonce. A lease record goes in the batch of the
 * result it leased; expired ones are swept in the background and at start. Ledgers of schema version 1 written before
 * leases were kept simply have no lease records: the layout of every other column is unchanged.
 *
 * <p>Writers do not serialize on this object: results and verdicts of different tasks commit concurrently (over a
 * {@link network.subnet.node.storage.GroupCommitStorage} they share one fsync), and only the in-memory counters are
 * updated under its monitor. A verdict holds the epoch lock shared, and closing an epoch holds it exclusively, so
 * every credit lands in the epoch it was keyed by.
 */
public final class Ledger {

  public static final int SCHEMA_VERSION = 1;

  private static final byte[] SCHEMA_KEY = "schema".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EPOCH_KEY = "epoch".getBytes(StandardCharsets.UTF_8);

  /** The open epoch: its number and when it started. */
  public record OpenEpoch(long number, long startMs) {}

  private final KeyValueStorage storage;
  private final ReadWriteLock epochLock = new ReentrantReadWriteLock();
  /** Serializes the read-then-write of new tasks and miners, without holding the counters' monitor over a commit. */
  private final Object additions = new Object();
  private OpenEpoch openEpoch;
  private final Map<PublicKey, Long> closedCredits = new HashMap<>();
  private final Map<PublicKey, Long> epochCredits = new HashMap<>();
  private final Map<PublicKey, long[]> resultCounts = new HashMap<>();
  private long tasksTotal;
  private long tasksVerified;
  private long tasksUndecided;
  private long latestClosed = -1;
  private long minerCount;

  public Ledger(KeyValueStorage storage, long nowMs) {
    this.storage = storage;
    Optional<byte[]> schema = storage.get(Column.METADATA, SCHEMA_KEY);
    if (schema.isEmpty()) {
      try (WriteBatch batch = storage.batch()) {
        batch.put(Column.METADATA, SCHEMA_KEY, new RecordWriter().i32(SCHEMA_VERSION).toBytes());
        batch.put(Column.METADATA, EPOCH_KEY, epochValue(new OpenEpoch(0, nowMs)));
        batch.commit();
      }
    } else {
      int version = new RecordReader(schema.get(), "schema version").i32();
      if (version != SCHEMA_VERSION) {
        throw new IllegalStateException(
            "ledger schema version is " + version + " but this validator reads version " + SCHEMA_VERSION);
      }
    }
    RecordReader epoch = new RecordReader(storage.get(Column.METADATA, EPOCH_KEY).orElseThrow(), "open epoch");
    openEpoch = new OpenEpoch(epoch.i64(), epoch.i64());
    reload();
  }

  private void reload() {
    storage.scan(Column.TOTALS, new byte[0], (k, v) -> closedCredits.put(new PublicKey(k), readLong(v)));
    storage.scan(Column.CREDITS, EpochCodec.key(openEpoch.number()), (k, v) -> {
      PublicKey miner = new PublicKey(Arrays.copyOfRange(k, 8, 8 + PublicKey.LENGTH));
      epochCredits.merge(miner, readLong(v), Long::sum);
    });
    storage.scan(Column.TASKS, new byte[0], (k, v) -> {
      tasksTotal++;
      countVerdict(TaskRecord.decode(k, v).status());
    });
    storage.scan(Column.RESULTS, new byte[0], (k, v) -> countResult(ResultRecord.decode(k, v)));
    storage.scan(Column.MINERS, new byte[0], (k, v) -> minerCount++);
    storage.scan(Column.EPOCHS, new byte[0], (k, v) -> latestClosed = new RecordReader(k, "epoch key").i64());
  }

  // ------------------------------------------------------------------ tasks

  public synchronized boolean hasTask(String taskId) {
    return storage.get(Column.TASKS, TaskRecord.key(taskId)).isPresent();
  }

  /** Stores the tasks not stored yet (by id) in one batch and returns those that were new. */
  public List<Task> addTasks(Collection<Task> tasks, int replicas) {
    List<Task> added = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    synchronized (additions) {
      try (WriteBatch batch = storage.batch()) {
        for (Task task : tasks) {
          TaskRecord record = new TaskRecord(task, replicas, TaskRecord.Status.PENDING);
          if (storage.get(Column.TASKS, record.key()).isEmpty() && ids.add(task.id())) {
            batch.put(Column.TASKS, record.key(), record.value());
            added.add(task);
          }
        }
        batch.commit();
      }
      synchronized (this) {
        tasksTotal += added.size();
      }
    }
    return added;
  }

  public Optional<TaskRecord> task(String taskId) {
    return storage.get(Column.TASKS, TaskRecord.key(taskId)).map(v -> TaskRecord.decode(TaskRecord.key(taskId), v));
  }

  /** Visits every task still waiting for a verdict. */
  public void forEachPendingTask(Consumer<TaskRecord> visitor) {
    storage.scan(Column.TASKS, new byte[0], (k, v) -> {
      TaskRecord r = TaskRecord.decode(k, v);
      if (r.status() == TaskRecord.Status.PENDING) {
        visitor.accept(r);
      }
    });
  }

  /** Raises a task's replica count (a tie-break) durably. */
  public void updateTask(TaskRecord task) {
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.TASKS, task.key(), task.value());
      batch.commit();
    }
  }

  // ------------------------------------------------------------------ results

  public List<ResultRecord> results(String taskId) {
    List<ResultRecord> out = new ArrayList<>();
    storage.scan(Column.RESULTS, ResultRecord.prefix(taskId), (k, v) -> out.add(ResultRecord.decode(k, v)));
    return out;
  }

  public Optional<ResultRecord> result(String taskId, PublicKey miner) {
    byte[] key = ResultRecord.key(taskId, miner);
    return storage.get(Column.RESULTS, key).map(v -> ResultRecord.decode(key, v));
  }

  /** Stores a newly accepted result and drops its lease record in the same batch. */
  public void accept(ResultRecord result) {
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.RESULTS, result.key(), result.value());
      dropLease(batch, result);
      batch.commit();
    }
    synchronized (this) {
      countResult(result);
    }
  }

  private static void dropLease(WriteBatch batch, ResultRecord result) {
    byte[] nonce = result.result().leaseNonce();
    if (nonce != null && nonce.length > 0) {
      batch.delete(Column.LEASES, LeaseRecord.key(nonce));
    }
  }

  // ------------------------------------------------------------------ leases

  /** Stores newly granted (or extended) leases durably in one batch; call before handing them to the miner. */
  public void putLeases(Collection<LeaseRecord> leases) {
    if (leases.isEmpty()) {
      return;
    }
    try (WriteBatch batch = storage.batch()) {
      for (LeaseRecord lease : leases) {
        batch.put(Column.LEASES, lease.key(), lease.value());
      }
      batch.commit();
    }
  }

  /** Forgets leases that expired or were cancelled. */
  public void dropLeases(Collection<byte[]> nonces) {
    if (nonces.isEmpty()) {
      return;
    }
    try (WriteBatch batch = storage.batch()) {
      for (byte[] nonce : nonces) {
        batch.delete(Column.LEASES, LeaseRecord.key(nonce));
      }
      batch.commit();
    }
  }

  /** Every stored lease, expired or not, in nonce order. */
  public List<LeaseRecord> leases() {
    List<LeaseRecord> out = new ArrayList<>();
    storage.scan(Column.LEASES, new byte[0], (k, v) -> out.add(LeaseRecord.decode(k, v)));
    return out;
  }

  /**
   * Records a task's verdict in one batch: the new task status, every result's new status and one credit entry in
   * the open epoch for each AGREED result.
   */
  public void settle(TaskRecord task, List<ResultRecord> results, long creditsPerResult) {
    epochLock.readLock().lock();
    try {
      settleInEpoch(task, results, creditsPerResult);
    } finally {
      epochLock.readLock().unlock();
    }
  }

  private void settleInEpoch(TaskRecord task, List<ResultRecord> results, long creditsPerResult) {
    OpenEpoch openEpoch = openEpoch();
    List<ResultRecord> before = new ArrayList<>();
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.TASKS, task.key(), task.value());
      for (ResultRecord r : results) {
        result(r.taskId(), r.miner()).ifPresent(before::add);
        batch.put(Column.RESULTS, r.key(), r.value());
        if (r.status() == ResultRecord.Status.AGREED) {
          batch.put(Column.CREDITS, creditKey(openEpoch.number(), r.miner(), r.taskId()), longValue(creditsPerResult));
        }
      }
      batch.commit();
    }
    synchronized (this) {
      before.forEach(r -> countResultDelta(r, -1));
      for (ResultRecord r : results) {
        countResultDelta(r, 1);
        if (r.status() == ResultRecord.Status.AGREED) {
          epochCredits.merge(r.miner(), creditsPerResult, Long::sum);
        }
      }
      countVerdict(task.status());
    }
  }

  /**
   * Records one checked compress result in one batch: the result (AGREED when it met the floor, else REJECTED), its
   * credit in the open epoch when AGREED, and the task's new record (more replicas after a rejection, or its verdict).
   * Compress results are judged alone against the original, so each is settled as it arrives.
   */
  public void recordCompress(TaskRecord task, ResultRecord result, long credits) {
    if (result.status() != ResultRecord.Status.AGREED && result.status() != ResultRecord.Status.REJECTED) {
      throw new IllegalArgumentException("a compress result is recorded as AGREED or REJECTED, not " + result.status());
    }
    epochLock.readLock().lock();
    try {
      recordCompressInEpoch(task, result, credits);
    } finally {
      epochLock.readLock().unlock();
    }
  }

  private void recordCompressInEpoch(TaskRecord task, ResultRecord result, long credits) {
    OpenEpoch openEpoch = openEpoch();
    boolean credited = result.status() == ResultRecord.Status.AGREED;
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.RESULTS, result.key(), result.value());
      dropLease(batch, result);
      if (credited) {
        batch.put(Column.CREDITS, creditKey(openEpoch.number(), result.miner(), result.taskId()), longValue(credits));
      }
      batch.put(Column.TASKS, task.key(), task.value());
      batch.commit();
    }
    synchronized (this) {
      countResult(result);
      if (credited) {
        epochCredits.merge(result.miner(), credits, Long::sum);
      }
      countVerdict(task.status());
    }
  }

  private static byte[] creditKey(long epoch, PublicKey miner, String taskId) {
    return new RecordWriter(48 + taskId.length()).i64(epoch).raw(miner.bytes()).raw(TaskRecord.key(taskId)).toBytes();
  }

  // ------------------------------------------------------------------ miners

  public void putMiner(MinerRecord miner) {
    synchronized (additions) {
      boolean known = storage.get(Column.MINERS, miner.key()).isPresent();
      try (WriteBatch batch = storage.batch()) {
        batch.put(Column.MINERS, miner.key(), miner.value());
        batch.commit();
      }
      if (!known) {
        synchronized (this) {
          minerCount++;
        }
      }
    }
  }

  public synchronized long minerCount() {
    return minerCount;
  }

  public List<MinerRecord> miners() {
    List<MinerRecord> out = new ArrayList<>();
    storage.scan(Column.MINERS, new byte[0], (k, v) -> out.add(MinerRecord.decode(k, v)));
    return out;
  }

  public Optional<MinerRecord> miner(PublicKey key) {
    return storage.get(Column.MINERS, key.bytes()).map(v -> MinerRecord.decode(key.bytes(), v));
  }

  public synchronized MinerStats stats(PublicKey miner) {
    long[] counts = resultCounts.getOrDefault(miner, new long[2]);
    long credits = closedCredits.getOrDefault(miner, 0L) + epochCredits.getOrDefault(miner, 0L);
    return new MinerStats(miner, credits, counts[0], counts[1]);
  }

  /** Every miner that has a result or a credit, in key order. */
  public synchronized List<MinerStats> allStats() {
    TreeMap<PublicKey, Boolean> keys = new TreeMap<>();
    resultCounts.keySet().forEach(k -> keys.put(k, true));
    closedCredits.keySet().forEach(k -> keys.put(k, true));
    epochCredits.keySet().forEach(k -> keys.put(k, true));
    return keys.keySet().stream().map(this::stats).toList();
  }

  // ------------------------------------------------------------------ epochs

  public synchronized OpenEpoch openEpoch() {
    return openEpoch;
  }

  /**
   * Closes the open epoch at {@code nowMs}: one batch stores the signed epoch record, adds its credits to the
   * lifetime totals and opens the next epoch, so a crash either closes it fully or not at all.
   */
  public EpochRecord closeEpoch(long nowMs, Signer signer) {
    epochLock.writeLock().lock();
    try {
      synchronized (this) {
        return closeEpochNow(nowMs, signer);
      }
    } finally {
      epochLock.writeLock().unlock();
    }
  }

  private EpochRecord closeEpochNow(long nowMs, Signer signer) {
    List<MerkleTree.Entry> entries = new ArrayList<>();
    epochCredits.forEach((miner, credits) -> entries.add(new MerkleTree.Entry(miner, credits)));
    long end = Math.max(nowMs, openEpoch.startMs());
    EpochRecord record = EpochRecord.close(openEpoch.number(), openEpoch.startMs(), end, entries, signer);
    OpenEpoch next = new OpenEpoch(openEpoch.number() + 1, end);
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.EPOCHS, EpochCodec.key(record.epoch()), EpochCodec.value(record));
      for (MerkleTree.Entry e : record.entries()) {
        long total = closedCredits.getOrDefault(e.miner(), 0L) + e.credits();
        batch.put(Column.TOTALS, e.miner().bytes(), longValue(total));
      }
      batch.put(Column.METADATA, EPOCH_KEY, epochValue(next));
      batch.commit();
    }
    for (MerkleTree.Entry e : record.entries()) {
      closedCredits.merge(e.miner(), e.credits(), Long::sum);
    }
    epochCredits.clear();
    latestClosed = record.epoch();
    openEpoch = next;
    return record;
  }

  public Optional<EpochRecord> epoch(long number) {
    byte[] key = EpochCodec.key(number);
    return storage.get(Column.EPOCHS, key).map(v -> EpochCodec.decode(key, v));
  }

  public Optional<EpochRecord> latestClosedEpoch() {
    long latest;
    synchronized (this) {
      latest = latestClosed;
    }
    return latest < 0 ? Optional.empty() : epoch(latest);
  }

  /** Credits earned so far in the open epoch, by miner. */
  public synchronized Map<PublicKey, Long> openEpochCredits() {
    return Map.copyOf(epochCredits);
  }

  // ------------------------------------------------------------------ counters

  public synchronized long tasksTotal() {
    return tasksTotal;
  }

  public synchronized long tasksVerified() {
    return tasksVerified;
  }

  public synchronized long tasksPending() {
    return tasksTotal - tasksVerified - tasksUndecided;
  }

  private void countVerdict(TaskRecord.Status status) {
    switch (status) {
      case PENDING -> {}
      case VERIFIED -> tasksVerified++;
      case UNDECIDED -> tasksUndecided++;
    }
  }

  private void countResult(ResultRecord r) {
    countResultDelta(r, 1);
  }

  private void countResultDelta(ResultRecord r, int delta) {
    long[] counts = resultCounts.computeIfAbsent(r.miner(), k -> new long[2]);
    if (r.status() == ResultRecord.Status.REJECTED) {
      counts[1] += delta;
    } else {
      counts[0] += delta;
    }
  }

  private static byte[] epochValue(OpenEpoch e) {
    return new RecordWriter(16).i64(e.number()).i64(e.startMs()).toBytes();
  }

  private static byte[] longValue(long v) {
    return new RecordWriter(8).i64(v).toBytes();
  }

  private static long readLong(byte[] v) {
    RecordReader in = new RecordReader(v, "counter");
    long value = in.i64();
    in.end();
    return value;
  }
}
