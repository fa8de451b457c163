package network.subnet.node.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

/** A {@link KeyValueStorage} in memory, for tests and throwaway devnets. Batches apply under one lock. */
public final class InMemoryStorage implements KeyValueStorage {

  private final Map<Column, ConcurrentSkipListMap<byte[], byte[]>> columns = new EnumMap<>(Column.class);

  public InMemoryStorage() {
    for (Column c : Column.values()) {
      columns.put(c, new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }
  }

  @Override
  public Optional<byte[]> get(Column column, byte[] key) {
    return Optional.ofNullable(columns.get(column).get(key)).map(byte[]::clone);
  }

  @Override
  public void scan(Column column, byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    for (Map.Entry<byte[], byte[]> e : columns.get(column).tailMap(prefix, true).entrySet()) {
      if (!startsWith(e.getKey(), prefix)) {
        break;
      }
      visitor.accept(e.getKey().clone(), e.getValue().clone());
    }
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public WriteBatch batch() {
    return new Batch();
  }

  @Override
  public List<ColumnSize> columnSizes() {
    List<ColumnSize> sizes = new ArrayList<>();
    for (Map.Entry<Column, ConcurrentSkipListMap<byte[], byte[]>> c : columns.entrySet()) {
      long bytes = 0;
      long keys = 0;
      for (Map.Entry<byte[], byte[]> e : c.getValue().entrySet()) {
        bytes += e.getKey().length + e.getValue().length;
        keys++;
      }
      sizes.add(new ColumnSize(c.getKey(), bytes, 0, 0, keys));
    }
    return sizes;
  }

  @Override
  public void close() {}

  private final class Batch implements WriteBatch {
    private record Op(Column column, byte[] key, byte[] value) {}

    private final List<Op> ops = new ArrayList<>();

    @Override
    public WriteBatch put(Column column, byte[] key, byte[] value) {
      ops.add(new Op(column, key.clone(), value.clone()));
      return this;
    }

    @Override
    public WriteBatch delete(Column column, byte[] key) {
      ops.add(new Op(column, key.clone(), null));
      return this;
    }

    @Override
    public void commit() {
      synchronized (InMemoryStorage.this) {
        for (Op op : ops) {
          if (op.value == null) {
            columns.get(op.column).remove(op.key);
          } else {
            columns.get(op.column).put(op.key, op.value);
          }
        }
      }
      ops.clear();
    }

    @Override
    public void close() {
      ops.clear();
    }
  }
}
