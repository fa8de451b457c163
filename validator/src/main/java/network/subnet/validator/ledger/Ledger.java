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
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
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
 * <p>Accepted results do not serialize on this object: they commit concurrently (over a
 * {@link network.subnet.node.storage.GroupCommitStorage} they share one fsync), and only the in-memory counters are
 * updated under its monitor. A result is queued first ({@link #queueAccept}) and listed for its task's verdict while
 * it is not yet durable; the result that completes a task's replicas goes into its verdict's batch instead
 * ({@link #settle(Settlement, ResultRecord)}), so it waits for one durable write, not two. A verdict is built and queued for storage under the monitor, in one order with every
 * other verdict and epoch close, so every credit lands in the epoch it was keyed by; its caller then waits for
 * durability outside the monitor, so verdicts of different tasks share fsyncs too. Queued batches become durable in
 * queue order, so a crash keeps a prefix of the verdicts and never half of one. A verdict with faults first waits for
 * the ones queued before it, because it reads what they wrote.
 */
public final class Ledger {

  public static final int SCHEMA_VERSION = 1;

  private static final byte[] SCHEMA_KEY = "schema".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EPOCH_KEY = "epoch".getBytes(StandardCharsets.UTF_8);

  /** The open epoch: its number and when it started. */
  public record OpenEpoch(long number, long startMs) {}

  private final KeyValueStorage storage;
  private OpenEpoch openEpoch;
  private final Map<PublicKey, Long> closedCredits = new HashMap<>();
  private final Map<PublicKey, Long> epochCredits = new HashMap<>();
  private final Map<PublicKey, long[]> resultCounts = new HashMap<>();
  private long tasksTotal;
  private long tasksVerified;
  private long tasksUndecided;
  private long latestClosed = -1;
  private long minerCount;
  /** Registrations of keys that share a slot take turns; see {@link #putMiner}. */
  private final Lock[] minerTurns = java.util.stream.Stream.generate(ReentrantLock::new).limit(64).toArray(Lock[]::new);
  /** Read without the ledger's lock: the scheduler asks for trust while it holds its own. */
  private final Map<PublicKey, TrustRecord> trust = new ConcurrentHashMap<>();
  /** Miners that forfeited the open epoch by a proven fault. */
  private final Set<PublicKey> forfeited = new HashSet<>();
  /** Accepted results queued for storage and not yet durable, by task id (see {@link #queueAccept}). */
  private final Map<String, List<ResultRecord>> queuedResults = new ConcurrentHashMap<>();
  private long verdictSequence;
  /** Whether any credit was ever held back (column HELD not known to be empty); read and set under the monitor. */
  private boolean anyHeld;
  /** The latest verdict batch queued for storage; every earlier one is durable once it is. */
  private CompletableFuture<Void> lastVerdict = CompletableFuture.completedFuture(null);
  /** Set when a queued verdict failed to commit: memory is ahead of storage, so no further verdict is taken. */
  private volatile RuntimeException lostVerdict;

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
    storage.scan(Column.TRUST, new byte[0], (k, v) -> trust.put(new PublicKey(k), TrustRecord.decode(k, v)));
    storage.scan(Column.HELD, new byte[0], (k, v) -> anyHeld = true);
    storage.scan(Column.FAULTS, EpochCodec.key(openEpoch.number()),
        (k, v) -> forfeited.add(new PublicKey(Arrays.copyOfRange(k, 8, 8 + PublicKey.LENGTH))));
  }

  // ------------------------------------------------------------------ tasks

  public synchronized boolean hasTask(String taskId) {
    return storage.get(Column.TASKS, TaskRecord.key(taskId)).isPresent();
  }

  /** Stores the tasks not stored yet (by id) in one batch and returns those that were new. */
  public List<Task> addTasks(Collection<Task> tasks, int replicas) {
    return addTasks(tasks, t -> replicas);
  }

  /** As above, each task with the replicas {@code replicas} gives it. */
  public synchronized List<Task> addTasks(Collection<Task> tasks, ToIntFunction<Task> replicas) {
    List<Task> added = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (WriteBatch batch = storage.batch()) {
      for (Task task : tasks) {
        if (putIfNew(batch, task, replicas, ids)) {
          added.add(task);
        }
      }
      batch.commit();
    }
    tasksTotal += added.size();
    return added;
  }

  /** Puts {@code task} into {@code batch} unless the ledger or this batch ({@code ids}) already holds it. */
  private boolean putIfNew(WriteBatch batch, Task task, ToIntFunction<Task> replicas, Set<String> ids) {
    TaskRecord record = new TaskRecord(task, replicas.applyAsInt(task), TaskRecord.Status.PENDING);
    if (storage.get(Column.TASKS, record.key()).isEmpty() && ids.add(task.id())) {
      batch.put(Column.TASKS, record.key(), record.value());
      return true;
    }
    return false;
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
  public synchronized void updateTask(TaskRecord task) {
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

  /** Visits every stored result, in key order (task id, then miner). */
  public void forEachResult(Consumer<ResultRecord> visitor) {
    storage.scan(Column.RESULTS, new byte[0], (k, v) -> visitor.accept(ResultRecord.decode(k, v)));
  }

  public Optional<ResultRecord> result(String taskId, PublicKey miner) {
    byte[] key = ResultRecord.key(taskId, miner);
    return storage.get(Column.RESULTS, key).map(v -> ResultRecord.decode(key, v));
  }

  /** Stores a newly accepted result and drops its lease record in the same batch. */
  public void accept(ResultRecord result) {
    awaitAccepted(queueAccept(result));
  }

  /** An accepted result queued for storage; {@link #awaitAccepted} returns once it is durable. */
  public record QueuedResult(ResultRecord result, CompletableFuture<Void> durable) {}

  /**
   * Queues a newly accepted result (and the removal of its lease record) for storage and returns at once. Until it
   * is durable, {@link #resultsForVerdict} already lists it, so a verdict on its task queued after this call cites
   * it; queued batches become durable in order, so that verdict can never be durable without it. The caller must
   * follow with {@link #awaitAccepted} before acknowledging the result. The caller's own state (the scheduler's) has
   * usually moved on already, so a failure to store the result stops all further verdicts until a restart reloads
   * the ledger, as a lost verdict does.
   */
  public QueuedResult queueAccept(ResultRecord result) {
    String taskId = result.taskId();
    queuedResults.compute(taskId, (id, list) -> append(list, result));
    CompletableFuture<Void> durable;
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.RESULTS, result.key(), result.value());
      dropLease(batch, result);
      durable = batch.commitAsync();
    } catch (RuntimeException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    if (!durable.isCompletedExceptionally()) {
      synchronized (this) {
        countResult(result);
      }
    }
    return new QueuedResult(result, durable);
  }

  /** Waits until a queued result is durable; a failure stops all further verdicts, as a lost verdict does. */
  public void awaitAccepted(QueuedResult queued) {
    try {
      awaitDurable(queued.durable());
    } finally {
      // Durable now (or lost): the storage itself answers for it from here on.
      queuedResults.computeIfPresent(queued.result().taskId(), (id, list) -> remove(list, queued.result()));
    }
  }

  private static List<ResultRecord> append(List<ResultRecord> list, ResultRecord r) {
    if (list == null) {
      return List.of(r);
    }
    List<ResultRecord> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(r);
    return List.copyOf(out);
  }

  private static List<ResultRecord> remove(List<ResultRecord> list, ResultRecord r) {
    List<ResultRecord> out = new ArrayList<>(list);
    out.remove(r);
    return out.isEmpty() ? null : List.copyOf(out);
  }

  /**
   * Every result of a task a verdict must judge: those stored and those queued by {@link #queueAccept} but not yet
   * durable, in key order (by miner), a stored record winning over a queued copy of itself.
   */
  public List<ResultRecord> resultsForVerdict(String taskId) {
    // Queued first: a queued result leaves the queue only once durable, so the storage read after it cannot miss it.
    List<ResultRecord> queued = queuedResults.getOrDefault(taskId, List.of());
    List<ResultRecord> stored = results(taskId);
    if (queued.isEmpty()) {
      return stored;
    }
    Map<PublicKey, ResultRecord> byMiner = new TreeMap<>();
    queued.forEach(r -> byMiner.put(r.miner(), r));
    stored.forEach(r -> byMiner.put(r.miner(), r));
    return new ArrayList<>(byMiner.values());
  }

  /** The status a result had before a verdict: as stored, or PENDING while queued; null if neither. */
  private ResultRecord.Status priorStatus(String taskId, PublicKey miner) {
    boolean queued = queuedResults.getOrDefault(taskId, List.of()).stream().anyMatch(r -> r.miner().equals(miner));
    Optional<byte[]> stored = storage.get(Column.RESULTS, ResultRecord.key(taskId, miner));
    if (stored.isPresent()) {
      return ResultRecord.statusOf(stored.get());
    }
    return queued ? ResultRecord.Status.PENDING : null;
  }

  private static void dropLease(WriteBatch batch, ResultRecord result) {
    byte[] nonce = result.result().leaseNonce();
    if (nonce != null && nonce.length > 0) {
      batch.delete(Column.LEASES, LeaseRecord.key(nonce));
    }
  }

  // ------------------------------------------------------------------ leases

  /**
   * Stores newly granted (or extended) leases in one batch; call before handing them to the miner. The batch survives
   * the validator being killed but does not wait for the disk ({@link WriteBatch#commitWithoutSync}): a miner's lease
   * call would otherwise wait behind every result's sync, hundreds of milliseconds on a busy disk. A power loss may
   * lose the newest leases, which costs their miners one task's rework each, never a result or a credit: every result
   * batch is synced, and its sync makes the leases written before it durable too.
   */
  public void putLeases(Collection<LeaseRecord> leases) {
    if (leases.isEmpty()) {
      return;
    }
    try (WriteBatch batch = storage.batch()) {
      for (LeaseRecord lease : leases) {
        batch.put(Column.LEASES, lease.key(), lease.value());
      }
      batch.commitWithoutSync();
    }
  }

  /**
   * Forgets leases that expired or were cancelled, without waiting for the disk, as {@link #putLeases}: one a power
   * loss brings back has expired or is swept again at start.
   */
  public void dropLeases(Collection<byte[]> nonces) {
    if (nonces.isEmpty()) {
      return;
    }
    try (WriteBatch batch = storage.batch()) {
      for (byte[] nonce : nonces) {
        batch.delete(Column.LEASES, LeaseRecord.key(nonce));
      }
      batch.commitWithoutSync();
    }
  }

  /**
   * Returns once everything this ledger has written is durable. A read may see a batch shortly before its sync ends;
   * an answer that promises a miner its result is stored (a duplicate's) waits for this first.
   */
  public void sync() {
    storage.sync();
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
    settle(new Settlement(task, results, creditsPerResult, Set.of(), Set.of(), Map.of(), List.of()));
  }

  /**
   * Records a verdict and everything it implies in one batch: task and result statuses; a credit in the open epoch
   * for each AGREED result (none for a miner that forfeited the epoch); unverified marks; trust; held-back credit of
   * this task released or dropped; and for each fault, the miner's unverified credit of the open epoch held back and
   * its task reopened, and, for a proven fault, the miner's open-epoch credit forfeited. Returns the reopened tasks,
   * which need one more replica besides the held one.
   */
  public List<TaskRecord> settle(Settlement s) {
    return settle(s, null);
  }

  /**
   * As {@link #settle(Settlement)}, storing {@code accepted} (if not null) in the same batch: a newly accepted result,
   * listed in the settlement but not stored or queued yet, whose lease record goes too. The result that completes a
   * task's replicas is thus stored with its verdict, and its caller waits for one durable write instead of two.
   */
  public List<TaskRecord> settle(Settlement s, ResultRecord accepted) {
    return settle(s, accepted, null);
  }

  /**
   * As {@link #settle(Settlement, ResultRecord)}, given {@code stored}: the task's results as {@link
   * #resultsForVerdict} listed them for this verdict (null: unknown). Their statuses are the ones the verdict replaces,
   * so the per-miner counters move without reading every result back from storage. Only the verdict's caller changes a
   * pending task's results, so nothing can change them between that read and this call.
   */
  public List<TaskRecord> settle(Settlement s, ResultRecord accepted, List<ResultRecord> stored) {
    Map<PublicKey, ResultRecord.Status> prior = null;
    if (stored != null) {
      prior = new HashMap<>();
      for (ResultRecord r : stored) {
        prior.put(r.miner(), r.status());
      }
    }
    Queued queued;
    try {
      synchronized (this) {
        requireNoLostVerdict();
        if (!s.faults().isEmpty()) {
          // A fault reads what earlier verdicts wrote (unverified credit to hold back, credits to forfeit).
          awaitDurable(lastVerdict);
        }
        queued = queueSettle(s, accepted, prior);
        lastVerdict = queued.durable();
      }
    } catch (RuntimeException e) {
      if (accepted != null) {
        // Refused before anything was queued: the result is stored alone, pending, so a restart can judge its task.
        try {
          accept(accepted);
        } catch (RuntimeException f) {
          e.addSuppressed(f);
        }
      }
      throw e;
    }
    // Waiting outside the monitor lets verdicts of other tasks queue meanwhile and share this fsync.
    awaitDurable(queued.durable());
    return queued.reopened();
  }

  /** A verdict batch queued for storage, and the tasks it reopened. */
  private record Queued(List<TaskRecord> reopened, CompletableFuture<Void> durable) {}

  /**
   * Builds a verdict's batch and queues it; the in-memory state moves on at once, so the next verdict builds on this
   * one. Storage applies queued batches in order, so what is durable is always a prefix of what memory has seen.
   */
  private Queued queueSettle(Settlement s, ResultRecord accepted, Map<PublicKey, ResultRecord.Status> prior) {
    TaskRecord task = s.task();
    long epoch = openEpoch.number();
    Map<PublicKey, ResultRecord.Status> before = new HashMap<>();
    List<TaskRecord> reopened = new ArrayList<>();
    List<VerdictRecord> verdicts = new ArrayList<>();
    Map<PublicKey, Long> creditDelta = new HashMap<>();
    Set<PublicKey> newlyForfeited = new HashSet<>();
    Map<PublicKey, TrustRecord> newTrust = new HashMap<>();
    CompletableFuture<Void> durable;
    try (WriteBatch batch = storage.batch()) {
      batch.put(Column.TASKS, task.key(), task.value());
      if (accepted != null) {
        dropLease(batch, accepted);
      }
      for (ResultRecord r : s.results()) {
        ResultRecord.Status was = prior != null ? prior.get(r.miner()) : priorStatus(r.taskId(), r.miner());
        if (was != null) {
          before.put(r.miner(), was);
        }
        batch.put(Column.RESULTS, r.key(), r.value());
        boolean agreed = r.status() == ResultRecord.Status.AGREED;
        if (agreed && !forfeited.contains(r.miner())) {
          batch.put(Column.CREDITS, creditKey(epoch, r.miner(), r.taskId()), longValue(s.creditsPerResult()));
          creditDelta.merge(r.miner(), s.creditsPerResult(), Long::sum);
          if (s.unverified().contains(r.miner())) {
            batch.put(Column.UNVERIFIED, minerTaskKey(r.miner(), r.taskId()),
                new RecordWriter(16).i64(epoch).i64(s.creditsPerResult()).toBytes());
          }
        }
        // Until a fault holds some credit back there is none to find: no read (nor key) per result.
        byte[] heldKey = anyHeld ? minerTaskKey(r.miner(), r.taskId()) : null;
        Optional<byte[]> held = anyHeld ? storage.get(Column.HELD, heldKey) : Optional.empty();
        if (held.isPresent() && r.status() != ResultRecord.Status.PENDING) {
          batch.delete(Column.HELD, heldKey);
          RecordReader in = new RecordReader(held.get(), "held credit");
          in.i64();
          long credits = in.i64();
          boolean paid = agreed && !forfeited.contains(r.miner());
          verdicts.add(new VerdictRecord(epoch, r.miner(), r.taskId(),
              agreed ? VerdictRecord.Outcome.RELEASED : VerdictRecord.Outcome.DROPPED,
              "re-check of credit held back after a failed check"
                  + (agreed && !paid ? "; not paid: the miner forfeited this epoch" : ""),
              paid || !agreed ? credits : 0, List.of(), List.of(), nowOf(s)));
        }
      }
      for (PublicKey miner : s.verified()) {
        newTrust.put(miner, trust.getOrDefault(miner, TrustRecord.fresh(miner)).verified());
      }
      for (Map.Entry<PublicKey, Settlement.Fault> f : s.faults().entrySet()) {
        PublicKey miner = f.getKey();
        newTrust.put(miner, trust.getOrDefault(miner, TrustRecord.fresh(miner)).failed(nowOf(s)));
        holdBack(batch, miner, task.task().id(), epoch, reopened, verdicts, creditDelta, nowOf(s));
        if (f.getValue().proven() && !forfeited.contains(miner)) {
          batch.put(Column.FAULTS, new RecordWriter(40).i64(epoch).raw(miner.bytes()).toBytes(),
              new RecordWriter().string(f.getValue().reason()).toBytes());
          long[] lost = {0};
          storage.scan(Column.CREDITS, new RecordWriter(40).i64(epoch).raw(miner.bytes()).toBytes(), (k, v) -> {
            batch.delete(Column.CREDITS, k);
            lost[0] += readLong(v);
          });
          newlyForfeited.add(miner);
          verdicts.add(new VerdictRecord(epoch, miner, task.task().id(), VerdictRecord.Outcome.FORFEITED,
              "proven fault: " + f.getValue().reason() + "; the miner earns nothing in epoch " + epoch, lost[0],
              List.of(), List.of(), nowOf(s)));
        }
      }
      newTrust.values().forEach(t -> batch.put(Column.TRUST, t.miner().bytes(), t.value()));
      for (VerdictRecord v : s.verdicts()) {
        verdicts.add(forfeited.contains(v.miner()) && v.credits() != 0 && v.outcome() != VerdictRecord.Outcome.REJECTED
            ? new VerdictRecord(v.epoch(), v.miner(), v.taskId(), v.outcome(),
                v.rule() + "; not paid: the miner forfeited this epoch", 0, v.measures(), v.evidence(), v.atMs())
            : v);
      }
      for (VerdictRecord v : verdicts) {
        batch.put(Column.VERDICTS, v.key(nextVerdictSequence(v.atMs())), v.value());
      }
      durable = batch.commitAsync();
      if (durable.isCompletedExceptionally()) {
        // Failed before this verdict moved memory, so memory stays. The failure may still be a queued group's, which
        // can hold earlier verdicts whose memory has moved: stop all verdicts, as a failure seen later does.
        awaitDurable(durable);
      }
    }
    before.forEach((miner, status) -> countResultDelta(miner, status, -1));
    s.results().forEach(r -> countResultDelta(r, 1));
    creditDelta.forEach((miner, delta) -> epochCredits.merge(miner, delta, Long::sum));
    for (PublicKey miner : newlyForfeited) {
      epochCredits.remove(miner);
      forfeited.add(miner);
    }
    trust.putAll(newTrust);
    tasksVerified -= reopened.size();
    countVerdict(task.status());
    return new Queued(reopened, durable);
  }

  /** Waits until {@code durable} completes; a failure stops all further verdicts (see {@link #lostVerdict}). */
  private void awaitDurable(CompletableFuture<Void> durable) {
    try {
      durable.join();
    } catch (CompletionException e) {
      RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
      if (lostVerdict == null) {
        lostVerdict = cause;
      }
      throw cause;
    }
  }

  private void requireNoLostVerdict() {
    RuntimeException lost = lostVerdict;
    if (lost != null) {
      throw new IllegalStateException("a verdict or an accepted result could not be stored (" + lost.getMessage()
          + "); restart the validator to reload the ledger", lost);
    }
  }

  /** Moves the miner's unverified credits of the open epoch to HELD and reopens their tasks (batch not committed). */
  private void holdBack(WriteBatch batch, PublicKey miner, String cause, long epoch, List<TaskRecord> reopened,
      List<VerdictRecord> verdicts, Map<PublicKey, Long> creditDelta, long nowMs) {
    storage.scan(Column.UNVERIFIED, miner.bytes(), (k, v) -> {
      batch.delete(Column.UNVERIFIED, k);
      RecordReader in = new RecordReader(v, "unverified credit");
      long creditEpoch = in.i64();
      long credits = in.i64();
      String taskId = new String(Arrays.copyOfRange(k, PublicKey.LENGTH, k.length), StandardCharsets.UTF_8);
      Optional<TaskRecord> record = task(taskId);
      Optional<ResultRecord> result = result(taskId, miner);
      if (creditEpoch != epoch || record.isEmpty() || result.isEmpty()
          || record.get().status() != TaskRecord.Status.VERIFIED) {
        return; // paid in a closed epoch, or already reopened
      }
      batch.delete(Column.CREDITS, creditKey(epoch, miner, taskId));
      batch.put(Column.HELD, k, v);
      anyHeld = true;
      batch.put(Column.RESULTS, result.get().key(), result.get().withStatus(ResultRecord.Status.PENDING).value());
      TaskRecord open = new TaskRecord(record.get().task(), 2, TaskRecord.Status.PENDING);
      batch.put(Column.TASKS, open.key(), open.value());
      reopened.add(open);
      creditDelta.merge(miner, -credits, Long::sum);
      verdicts.add(new VerdictRecord(epoch, miner, taskId, VerdictRecord.Outcome.HELD,
          "unverified credit held back: the miner failed the check on task " + cause + "; the task is re-checked",
          credits, List.of(), List.of(), nowMs));
    });
  }

  private static long nowOf(Settlement s) {
    return s.verdicts().isEmpty() ? System.currentTimeMillis() : s.verdicts().get(0).atMs();
  }

  private long nextVerdictSequence(long atMs) {
    verdictSequence = Math.max(verdictSequence + 1, atMs * 1000);
    return verdictSequence;
  }

  private static byte[] minerTaskKey(PublicKey miner, String taskId) {
    return new RecordWriter(PublicKey.LENGTH + taskId.length()).raw(miner.bytes()).raw(TaskRecord.key(taskId))
        .toBytes();
  }

  /**
   * Records one checked compress result in one batch: the result (AGREED when it met the floor, else REJECTED), its
   * credit in the open epoch when AGREED, and the task's new record (more replicas after a rejection, or its verdict).
   * Compress results are judged alone against the original, so each is settled as it arrives.
   */
  public void recordCompress(TaskRecord task, ResultRecord result, long credits) {
    recordCompress(task, result, credits, null);
  }

  /** As {@link #recordCompress(TaskRecord, ResultRecord, long)}, storing {@code verdict} (if not null) with it. */
  public synchronized void recordCompress(TaskRecord task, ResultRecord result, long credits, VerdictRecord verdict) {
    if (result.status() != ResultRecord.Status.AGREED && result.status() != ResultRecord.Status.REJECTED) {
      throw new IllegalArgumentException("a compress result is recorded as AGREED or REJECTED, not " + result.status());
    }
    requireNoLostVerdict();
    boolean credited = result.status() == ResultRecord.Status.AGREED && !forfeited.contains(result.miner());
    try (WriteBatch batch = storage.batch()) {
      if (verdict != null) {
        batch.put(Column.VERDICTS, verdict.key(nextVerdictSequence(verdict.atMs())), verdict.value());
      }
      batch.put(Column.RESULTS, result.key(), result.value());
      dropLease(batch, result);
      if (credited) {
        batch.put(Column.CREDITS, creditKey(openEpoch.number(), result.miner(), result.taskId()), longValue(credits));
      }
      batch.put(Column.TASKS, task.key(), task.value());
      batch.commit();
    }
    countResult(result);
    if (credited) {
      epochCredits.merge(result.miner(), credits, Long::sum);
    }
    countVerdict(task.status());
  }

  private static byte[] creditKey(long epoch, PublicKey miner, String taskId) {
    return new RecordWriter(8 + PublicKey.LENGTH + taskId.length()).i64(epoch).raw(miner.bytes())
        .raw(TaskRecord.key(taskId)).toBytes();
  }

  // ------------------------------------------------------------------ datasets

  /** How far the dataset import has read {@code source}, if it has started on it. */
  public Optional<DatasetPosition> datasetPosition(String source) {
    return storage.get(Column.DATASET_POSITIONS, DatasetPosition.key(source))
        .map(v -> DatasetPosition.decode(source, v));
  }

  /** Whether a document with this id was already taken from any dataset file. */
  public boolean hasDocument(String documentId) {
    return storage.get(Column.DOCUMENTS, documentKey(documentId)).isPresent();
  }

  /** The document and window a task was cut from, if it came from a dataset import. */
  public Optional<TaskOrigin> taskOrigin(String taskId) {
    return storage.get(Column.TASK_ORIGINS, TaskRecord.key(taskId)).map(v -> TaskOrigin.decode(taskId, v));
  }

  /**
   * Stores one import step in one batch: every document (marked as taken), the tasks not stored yet (by id), the
   * origin of each task that has none, and the file position. Returns the tasks that were new.
   */
  public synchronized List<Task> importDocuments(DocumentBatch step, ToIntFunction<Task> replicas) {
    List<Task> added = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (WriteBatch batch = storage.batch()) {
      for (DocumentBatch.Document doc : step.documents()) {
        batch.put(Column.DOCUMENTS, documentKey(doc.id()),
            new RecordWriter(16 + doc.location().length()).u8(1).string(doc.location()).i32(doc.tasks().size())
                .toBytes());
        for (int window = 0; window < doc.tasks().size(); window++) {
          Task task = doc.tasks().get(window);
          if (putIfNew(batch, task, replicas, ids)) {
            batch.put(Column.TASK_ORIGINS, TaskRecord.key(task.id()), new TaskOrigin(doc.id(), window).value());
            added.add(task);
          }
        }
      }
      batch.put(Column.DATASET_POSITIONS, DatasetPosition.key(step.position().source()), step.position().value());
      batch.commit();
    }
    tasksTotal += added.size();
    return added;
  }

  /** The ids of the tasks credited to anyone in {@code epoch}, each once, in id order. */
  public List<String> creditedTasks(long epoch) {
    Set<String> ids = new TreeSet<>();
    int prefix = 8 + PublicKey.LENGTH;
    storage.scan(Column.CREDITS, EpochCodec.key(epoch),
        (k, v) -> ids.add(new String(k, prefix, k.length - prefix, StandardCharsets.UTF_8)));
    return List.copyOf(ids);
  }

  private static byte[] documentKey(String documentId) {
    return documentId.getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ miners

  /**
   * Stores a miner's registration durably. Registrations of one key take turns (so a new miner is counted once), but
   * nothing else waits on one: registrations of different keys share syncs, and the ledger's other calls go on during
   * a sync, where 10,000 miners joining at once used to be written one sync after another under the ledger's lock.
   */
  public void putMiner(MinerRecord miner) {
    byte[] key = miner.key();
    Lock turn = minerTurns[Math.floorMod(Arrays.hashCode(key), minerTurns.length)];
    turn.lock();
    try {
      boolean known = storage.get(Column.MINERS, key).isPresent();
      try (WriteBatch batch = storage.batch()) {
        batch.put(Column.MINERS, key, miner.value());
        batch.commit();
      }
      if (!known) {
        synchronized (this) {
          minerCount++;
        }
      }
    } finally {
      turn.unlock();
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

  // ------------------------------------------------------------------ trust and verdicts

  /** The miner's trust (a fresh record if it has none yet). */
  public TrustRecord trust(PublicKey miner) {
    return trust.getOrDefault(miner, TrustRecord.fresh(miner));
  }

  /** Whether the miner forfeited the open epoch by a proven fault. */
  public synchronized boolean forfeited(PublicKey miner) {
    return forfeited.contains(miner);
  }

  /** Every verdict on the miner's results written while {@code epoch} was open, oldest first. */
  public List<VerdictRecord> verdictsFor(PublicKey miner, long epoch) {
    List<VerdictRecord> out = new ArrayList<>();
    storage.scan(Column.VERDICTS, VerdictRecord.prefix(epoch, miner), (k, v) -> out.add(VerdictRecord.decode(k, v)));
    return out;
  }

  /** Credit of the miner held back for re-checking, by task id. */
  public Map<String, Long> heldCredits(PublicKey miner) {
    Map<String, Long> out = new TreeMap<>();
    storage.scan(Column.HELD, miner.bytes(), (k, v) -> {
      RecordReader in = new RecordReader(v, "held credit");
      in.i64();
      out.put(new String(Arrays.copyOfRange(k, PublicKey.LENGTH, k.length), StandardCharsets.UTF_8), in.i64());
    });
    return out;
  }

  // ------------------------------------------------------------------ epochs

  public synchronized OpenEpoch openEpoch() {
    return openEpoch;
  }

  /**
   * Closes the open epoch at {@code nowMs}: one batch stores the signed epoch record, adds its credits to the
   * lifetime totals and opens the next epoch, so a crash either closes it fully or not at all.
   */
  public synchronized EpochRecord closeEpoch(long nowMs, Signer signer) {
    requireNoLostVerdict();
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
    forfeited.clear();
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

  // ------------------------------------------------------------------ explaining an epoch

  /** The credits written for {@code miner} in epoch {@code epoch}, by task id (closed epochs keep theirs). */
  public Map<String, Long> credits(long epoch, PublicKey miner) {
    byte[] prefix = new RecordWriter(8 + PublicKey.LENGTH).i64(epoch).raw(miner.bytes()).toBytes();
    Map<String, Long> out = new TreeMap<>();
    storage.scan(Column.CREDITS, prefix, (k, v) -> out.put(
        new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8), readLong(v)));
    return out;
  }

  /** Visits every result {@code miner} submitted; only that miner's values are decoded. */
  public void forEachResultOf(PublicKey miner, Consumer<ResultRecord> visitor) {
    byte[] suffix = miner.bytes();
    storage.scan(Column.RESULTS, new byte[0], (k, v) -> {
      // Result keys end with the miner's key, so others are skipped without decoding their payloads.
      if (k.length >= suffix.length
          && Arrays.equals(k, k.length - suffix.length, k.length, suffix, 0, suffix.length)) {
        visitor.accept(ResultRecord.decode(k, v));
      }
    });
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
    countResultDelta(r.miner(), r.status(), delta);
  }

  private void countResultDelta(PublicKey miner, ResultRecord.Status status, int delta) {
    long[] counts = resultCounts.computeIfAbsent(miner, k -> new long[2]);
    if (status == ResultRecord.Status.REJECTED) {
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
