package network.subnet.node.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Group commit over another storage: batches committed by concurrent callers are queued, and one writer thread drains
 * the queue into a single batch of the underlying storage with a single (synced) commit. Each {@link WriteBatch#commit}
 * still returns only once its own changes are durable, and each caller's batch stays atomic (it lands whole in one
 * underlying batch), so callers keep every guarantee of the underlying storage while sharing its fsyncs.
 *
 * <p>Reads go straight to the underlying storage. The writer thread starts on the first commit and ends after a second
 * without work, so an idle or forgotten wrapper holds no thread. {@link #close()} waits for queued commits, then closes
 * the underlying storage.
 */
public final class GroupCommitStorage implements KeyValueStorage {

  /** The most caller batches folded into one underlying commit; bounds the memory and latency of one group. */
  static final int MAX_GROUP = 4096;

  private static final long IDLE_MS = 1000;

  private final KeyValueStorage delegate;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong groups = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  /** Whether a writer thread is running (or being started); only the caller that sets it starts one. */
  private final AtomicBoolean writerRunning = new AtomicBoolean();
  private volatile Thread writer;
  private volatile boolean closed;

  private GroupCommitStorage(KeyValueStorage delegate) {
    this.delegate = delegate;
  }

  /** Wraps {@code delegate}; a storage that already groups its commits is returned as is. */
  public static GroupCommitStorage over(KeyValueStorage delegate) {
    return delegate instanceof GroupCommitStorage grouped ? grouped : new GroupCommitStorage(delegate);
  }

  @Override
  public List<ColumnSize> columnSizes() {
    return delegate.columnSizes();
  }

  @Override
  public Optional<byte[]> get(Column column, byte[] key) {
    return delegate.get(column, key);
  }

  @Override
  public void scan(Column column, byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    delegate.scan(column, prefix, visitor);
  }

  @Override
  public WriteBatch batch() {
    return new QueuedBatch();
  }

  /**
   * Waits for the writer to make durable everything committed before this call, including batches written with
   * {@link WriteBatch#commitWithoutSync()} straight to the underlying storage: an empty group queued behind them.
   */
  @Override
  public void sync() {
    Pending barrier = new Pending(List.of(), new CompletableFuture<>());
    enqueue(barrier);
    await(barrier.done);
  }

  /** Underlying commits so far; with {@link #batchesCommitted()} it tells how well commits were grouped. */
  public long groupsCommitted() {
    return groups.get();
  }

  /** Caller batches committed so far. */
  public long batchesCommitted() {
    return batches.get();
  }

  /** Waits for every queued commit, then closes the underlying storage; a second call does nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // Until no writer runs: one started by a batch queued just before the flag was set drains that batch too.
    while (writerRunning.get()) {
      Thread running = writer;
      if (running == null) {
        Thread.onSpinWait(); // being started
        continue;
      }
      running.interrupt(); // cuts its idle wait short; queued commits are still written
      try {
        running.join(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    delegate.close();
  }

  /**
   * Queues a batch without taking a lock of its own: hundreds of callers enqueue at once while the writer drains. A
   * batch that races with {@link #close()} past the check still reaches the writer, whose commit to the closed
   * storage then fails it.
   */
  private void enqueue(Pending pending) {
    if (closed) {
      throw new IllegalStateException("storage is closed");
    }
    queue.add(pending);
    if (!writerRunning.get() && writerRunning.compareAndSet(false, true)) {
      writer = Thread.ofPlatform().daemon().name("group-commit").start(this::drain);
    }
  }

  private void drain() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      Pending first;
      try {
        first = queue.poll(closed ? 0 : IDLE_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        writerRunning.set(false);
        // A batch queued after the poll saw the writer still running and started none, so look once more.
        if (queue.isEmpty() || !writerRunning.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      group.clear();
      group.add(first);
      queue.drainTo(group, MAX_GROUP - 1);
      commit(group);
    }
  }

  private void commit(List<Pending> group) {
    RuntimeException failure = null;
    try (WriteBatch batch = delegate.batch()) {
      writeLastPerKey(group, batch);
      batch.commit();
      groups.incrementAndGet();
      batches.addAndGet(group.size());
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Pending p : group) {
      if (failure == null) {
        p.done.complete(null);
      } else {
        p.done.completeExceptionally(failure);
      }
    }
  }

  /**
   * Puts the group's operations into {@code batch} in queue order, less every one a later operation on the same key
   * overrides. The group lands as one atomic batch, so no reader and no crash can ever see the overridden values, and
   * the storage is spared writing them: verdicts of different tasks rewrite the same miners' records (trust) many
   * times in one group. A group of one batch is written as it is: applied in order, its operations end in the same
   * state, and the storage writes them as one atomic batch all the same.
   */
  private static void writeLastPerKey(List<Pending> group, WriteBatch batch) {
    int count = 0;
    long bytes = 0;
    for (Pending p : group) {
      count += p.ops.size();
      for (Op op : p.ops) {
        bytes += op.key().length + (op.value() == null ? 0 : op.value().length);
      }
    }
    batch.reserve(count, bytes);
    if (group.size() == 1) {
      group.get(0).ops.forEach(op -> op.applyTo(batch));
      return;
    }
    Op[] all = new Op[count];
    Column[] columns = new Column[count];
    byte[][] keys = new byte[count][];
    int n = 0;
    for (Pending p : group) {
      for (Op op : p.ops) {
        all[n] = op;
        columns[n] = op.column();
        keys[n++] = op.key();
      }
    }
    boolean[] overridden = LastWrites.overridden(columns, keys, count);
    for (int i = 0; i < count; i++) {
      if (overridden == null || !overridden[i]) {
        all[i].applyTo(batch);
      }
    }
  }

  /** Waits for a queued batch's group; throws what its commit threw. */
  private static void await(CompletableFuture<Void> done) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get();
          return;
        } catch (InterruptedException e) {
          // The batch is already queued and will be written; the caller must learn whether it was.
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new StorageException("group commit failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private record Op(Column column, byte[] key, byte[] value) {
    void applyTo(WriteBatch batch) {
      if (value == null) {
        batch.delete(column, key);
      } else {
        batch.put(column, key, value);
      }
    }
  }

  private record Pending(List<Op> ops, CompletableFuture<Void> done) {}

  private final class QueuedBatch implements WriteBatch {
    private List<Op> ops = new ArrayList<>();
    private boolean batchClosed;

    @Override
    public WriteBatch put(Column column, byte[] key, byte[] value) {
      ensureUsable();
      ops.add(new Op(column, key.clone(), value.clone()));
      return this;
    }

    @Override
    public WriteBatch delete(Column column, byte[] key) {
      ensureUsable();
      ops.add(new Op(column, key.clone(), null));
      return this;
    }

    /** Returns once this batch is durable in the underlying storage, or throws what its group's commit threw. */
    @Override
    public void commit() {
      await(commitAsync());
    }

    /**
     * Writes this batch straight to the underlying storage, without a sync and without queuing behind the writer, so
     * it waits on neither the disk nor the groups ahead of it. The writer's next sync makes it durable.
     */
    @Override
    public void commitWithoutSync() {
      ensureUsable();
      if (closed) {
        throw new IllegalStateException("storage is closed");
      }
      try (WriteBatch direct = delegate.batch()) {
        ops.forEach(op -> op.applyTo(direct));
        ops = new ArrayList<>();
        direct.commitWithoutSync();
      }
    }

    /**
     * Queues this batch and returns at once; the future completes when its group is durable. The single writer takes
     * batches in queue order and each group lands whole, so batches become durable in the order they were queued.
     */
    @Override
    public CompletableFuture<Void> commitAsync() {
      ensureUsable();
      if (ops.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      Pending pending = new Pending(ops, new CompletableFuture<>());
      ops = new ArrayList<>();
      enqueue(pending);
      // The writer's own future, not a copy: a caller that completed it early would only fool itself, since the
      // writer's later completion of a done future is a no-op and the batch is written all the same.
      return pending.done;
    }

    private void ensureUsable() {
      if (batchClosed) {
        throw new IllegalStateException("write batch already closed");
      }
    }

    @Override
    public void close() {
      batchClosed = true;
      ops = List.of();
    }
  }
}
