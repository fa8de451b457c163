package network.subnet.node.storage;

import java.util.Arrays;

/**
 * A RocksDB write batch built on the Java heap in RocksDB's own serialized layout, handed to the library whole
 * ({@code new org.rocksdb.WriteBatch(byte[])}) in one native call, where building it with one native call per
 * operation copied every key and value across JNI on its own, on the group commit's single writer thread.
 *
 * <p>The layout is the one RocksDB logs to its write-ahead log ({@code db/write_batch.cc}): a 12-byte header (sequence
 * number, fixed64, assigned by the database on write; record count, fixed32 little-endian), then per record a type
 * byte, for any family but the default its id as a varint32, and the key (and value) each as a varint32 length and
 * the bytes.
 */
final class WriteBatchBytes {

  private static final int HEADER = 12;
  private static final int COUNT_OFFSET = 8;
  private static final byte TYPE_DELETION = 0x0;
  private static final byte TYPE_VALUE = 0x1;
  private static final byte TYPE_FAMILY_DELETION = 0x4;
  private static final byte TYPE_FAMILY_VALUE = 0x5;
  /** Type byte, family id and the two lengths, each varint32 at most 5 bytes. */
  private static final int MAX_RECORD_OVERHEAD = 1 + 3 * 5;
  /** The largest array the JVM reliably allocates. */
  private static final int MAX_SIZE = Integer.MAX_VALUE - 8;

  private byte[] bytes = new byte[256];
  private int size = HEADER;
  private int count;

  /** Adds a put of {@code value} under {@code key} in the family with RocksDB id {@code family}. */
  void put(int family, byte[] key, byte[] value) {
    ensure(MAX_RECORD_OVERHEAD + key.length + value.length);
    type(family, TYPE_VALUE, TYPE_FAMILY_VALUE);
    slice(key);
    slice(value);
    count++;
  }

  /** Adds a deletion of {@code key} in the family with RocksDB id {@code family}. */
  void delete(int family, byte[] key) {
    ensure(MAX_RECORD_OVERHEAD + key.length);
    type(family, TYPE_DELETION, TYPE_FAMILY_DELETION);
    slice(key);
    count++;
  }

  /**
   * Makes room for {@code operations} more records holding {@code bytes} of keys and values, growing at most once. A
   * hint past the size limit is ignored: the records themselves are held to it as they come.
   */
  void reserve(int operations, long bytes) {
    long more = (long) operations * MAX_RECORD_OVERHEAD + bytes;
    if (more > 0 && size + more <= MAX_SIZE) {
      ensure(more);
    }
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The batch as RocksDB reads it; the sequence number is left zero for the database to assign. */
  byte[] toBytes() {
    byte[] out = Arrays.copyOf(bytes, size);
    out[COUNT_OFFSET] = (byte) count;
    out[COUNT_OFFSET + 1] = (byte) (count >>> 8);
    out[COUNT_OFFSET + 2] = (byte) (count >>> 16);
    out[COUNT_OFFSET + 3] = (byte) (count >>> 24);
    return out;
  }

  /** Empties the batch, keeping its buffer. */
  void clear() {
    Arrays.fill(bytes, 0, HEADER, (byte) 0);
    size = HEADER;
    count = 0;
  }

  private void type(int family, byte plain, byte withFamily) {
    if (family == 0) {
      bytes[size++] = plain;
    } else {
      bytes[size++] = withFamily;
      varint(family);
    }
  }

  private void slice(byte[] data) {
    varint(data.length);
    System.arraycopy(data, 0, bytes, size, data.length);
    size += data.length;
  }

  private void varint(int v) {
    while ((v & ~0x7F) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  private void ensure(long more) {
    long needed = size + more;
    if (needed > MAX_SIZE) {
      throw new StorageException("write batch would exceed 2 GiB");
    }
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_SIZE, Math.max(needed, 2L * bytes.length)));
    }
  }
}
