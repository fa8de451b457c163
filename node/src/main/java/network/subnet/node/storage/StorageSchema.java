package network.subnet.node.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The ledger's schema version, kept in {@link Column#METADATA}. A node refuses a ledger written by any other
 * version rather than misread it; a migration, when one exists, is a separate explicit step.
 */
public final class StorageSchema {

  /** Version 1: the columns of {@link Column} as first released. */
  public static final int CURRENT_VERSION = 1;

  static final byte[] VERSION_KEY = "schema-version".getBytes(StandardCharsets.US_ASCII);

  private StorageSchema() {}

  /** The stored version, if any. */
  public static Optional<Integer> read(KeyValueStorage storage) {
    return storage.get(Column.METADATA, VERSION_KEY).map(v -> decode(v));
  }

  static void write(KeyValueStorage storage, int version) {
    try (KeyValueStorage.WriteBatch batch = storage.batch()) {
      batch.put(Column.METADATA, VERSION_KEY, ByteBuffer.allocate(Integer.BYTES).putInt(version).array());
      batch.commit();
    }
  }

  /**
   * Writes the current version into an empty ledger, accepts a ledger at the current version, and refuses anything
   * else with both versions named.
   */
  static void check(KeyValueStorage storage, boolean empty, String where) {
    Optional<Integer> stored = read(storage);
    if (stored.isEmpty()) {
      if (!empty) {
        throw new StorageException(
            "ledger at " + where + " holds data but no schema version: it was not written by subnet");
      }
      write(storage, CURRENT_VERSION);
      return;
    }
    int version = stored.get();
    if (version != CURRENT_VERSION) {
      throw new StorageException(
          "ledger at "
              + where
              + " has schema version "
              + version
              + " but this node supports only version "
              + CURRENT_VERSION
              + (version > CURRENT_VERSION ? " (written by a newer release)" : " (written by an older release)"));
    }
  }

  private static int decode(byte[] value) {
    if (value.length != Integer.BYTES) {
      throw new StorageException("schema version entry has " + value.length + " bytes, expected " + Integer.BYTES);
    }
    return ByteBuffer.wrap(value).getInt();
  }
}
