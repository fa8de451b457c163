package network.subnet.cli.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.ColumnSize;
import network.subnet.node.storage.KeyValueStorage;

/**
 * A storage that times each commit of the storage under it and tells a {@link RunTimeline}. The validator groups its
 * callers' batches above this (one commit per group), so what is timed here is each real, synced commit;
 * lease writes, which do not wait for the disk, pass untimed.
 */
final class TimedStorage implements KeyValueStorage {

  private final KeyValueStorage delegate;
  private final RunTimeline timeline;

  TimedStorage(KeyValueStorage delegate, RunTimeline timeline) {
    this.delegate = delegate;
    this.timeline = timeline;
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
  public List<ColumnSize> columnSizes() {
    return delegate.columnSizes();
  }

  @Override
  public void sync() {
    delegate.sync();
  }

  @Override
  public WriteBatch batch() {
    WriteBatch batch = delegate.batch();
    return new WriteBatch() {
      private int operations;

      @Override
      public WriteBatch put(Column column, byte[] key, byte[] value) {
        batch.put(column, key, value);
        operations++;
        return this;
      }

      @Override
      public WriteBatch delete(Column column, byte[] key) {
        batch.delete(column, key);
        operations++;
        return this;
      }

      @Override
      public void commit() {
        long t0 = System.nanoTime();
        try {
          batch.commit();
        } finally {
          timeline.commit(t0, System.nanoTime() - t0, operations);
        }
      }

      /** Not timed: such a write never waits on the disk, and the report is about the commits that do. */
      @Override
      public void commitWithoutSync() {
        batch.commitWithoutSync();
      }

      @Override
      public void close() {
        batch.close();
      }
    };
  }

  @Override
  public void close() {
    delegate.close();
  }
}
