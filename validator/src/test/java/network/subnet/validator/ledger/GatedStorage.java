package network.subnet.validator.ledger;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.storage.KeyValueStorage;

/** In-memory storage whose commits can be held back until released, slowed down, or made to fail. */
final class GatedStorage implements KeyValueStorage {
  private final InMemoryStorage inner = new InMemoryStorage();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  volatile boolean fail;
  volatile long delayMs;

  void closeGate() {
    gate = new CountDownLatch(1);
  }

  void openGate() {
    gate.countDown();
  }

  @Override
  public Optional<byte[]> get(Column column, byte[] key) {
    return inner.get(column, key);
  }

  @Override
  public void scan(Column column, byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    inner.scan(column, prefix, visitor);
  }

  /** Any entry of {@code column}, to tell whether it is empty. */
  Optional<byte[]> getAny(Column column) {
    byte[][] any = {null};
    inner.scan(column, new byte[0], (k, v) -> any[0] = v);
    return Optional.ofNullable(any[0]);
  }

  @Override
  public WriteBatch batch() {
    WriteBatch batch = inner.batch();
    return new WriteBatch() {
      @Override
      public WriteBatch put(Column column, byte[] key, byte[] value) {
        batch.put(column, key, value);
        return this;
      }

      @Override
      public WriteBatch delete(Column column, byte[] key) {
        batch.delete(column, key);
        return this;
      }

      @Override
      public void commit() {
        if (fail) {
          throw new IllegalStateException("disk gone");
        }
        try {
          gate.await();
          Thread.sleep(delayMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        batch.commit();
      }

      @Override
      public void close() {
        batch.close();
      }
    };
  }

  @Override
  public void close() {
    inner.close();
  }
}
