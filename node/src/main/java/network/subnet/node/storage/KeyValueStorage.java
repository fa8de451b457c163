package network.subnet.node.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A small ordered key-value store split into {@link Column}s. Every state change goes through one
 * {@link WriteBatch} that commits atomically (RocksDB WriteBatch with sync), so a crash never leaves half a change.
 */
public interface KeyValueStorage extends AutoCloseable {

  Optional<byte[]> get(Column column, byte[] key);

  /** Visits, in unsigned byte order, every entry whose key starts with {@code prefix} (empty: the whole column). */
  void scan(Column column, byte[] prefix, BiConsumer<byte[], byte[]> visitor);

  WriteBatch batch();

  /**
   * Returns once every batch committed so far, {@link WriteBatch#commitWithoutSync} ones included, is durable: it
   * survives a power loss. The default does nothing, for stores whose commits are all durable when they return.
   */
  default void sync() {}

  /** How large each column is, for monitoring; empty when the store cannot tell (or is closed). */
  default List<ColumnSize> columnSizes() {
    return List.of();
  }

  @Override
  void close();

  /** Collects puts and deletes; nothing is visible until {@link #commit()}. */
  interface WriteBatch extends AutoCloseable {
    WriteBatch put(Column column, byte[] key, byte[] value);

    WriteBatch delete(Column column, byte[] key);

    /**
     * A hint that about {@code operations} more operations are coming, holding {@code bytes} of keys and values in
     * all, so a batch built in memory can size its buffer once instead of growing it. The default ignores it.
     */
    default WriteBatch reserve(int operations, long bytes) {
      return this;
    }

    /** Applies every change at once, durably. */
    void commit();

    /**
     * Applies every change at once, so that it survives the process being killed, but returns without waiting for the
     * disk: a power loss may lose it, and the batches after it, never a batch before it ({@link #commit()} or {@link
     * KeyValueStorage#sync()} makes it durable along with everything before). For state whose loss in a power cut
     * costs only rework, such as open leases, where a commit's wait on the disk would delay an answer. The default
     * commits durably.
     */
    default void commitWithoutSync() {
      commit();
    }

    /**
     * As {@link #commit()}, but may return before the changes are durable: the future completes once they are, or
     * fails with what {@code commit} would have thrown. Batches of one storage queued this way become durable in the
     * order they were queued, so a caller that orders its queuing (under a lock) orders its writes without waiting
     * under that lock. Reads may not see the changes until the future completes. The default commits at once.
     */
    default CompletableFuture<Void> commitAsync() {
      try {
        commit();
        return CompletableFuture.completedFuture(null);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    void close();
  }
}
