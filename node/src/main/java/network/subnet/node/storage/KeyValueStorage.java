package network.subnet.node.storage;

import java.util.List;
import java.util.Optional;
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

    /** Applies every change at once, durably. */
    void commit();

    @Override
    void close();
  }
}
