package network.subnet.validator.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian, length-prefixed field writer for ledger keys and values. A plain growable array: every accepted result
 * and verdict is written through here, and a {@code ByteArrayOutputStream} takes its monitor on every byte.
 */
final class RecordWriter {

  private byte[] buf;
  private int size;

  RecordWriter() {
    this(64);
  }

  /** A writer whose buffer starts at {@code capacity}: a record sized exactly is handed out without a copy. */
  RecordWriter(int capacity) {
    buf = new byte[Math.max(0, capacity)];
  }

  /** The bytes {@link #string} writes for {@code s}, if it is ASCII (a lower bound otherwise): for sizing a writer. */
  static int stringSize(String s) {
    return 4 + s.length();
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  RecordWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  RecordWriter i32(int v) {
    ensure(4);
    buf[size] = (byte) (v >>> 24);
    buf[size + 1] = (byte) (v >>> 16);
    buf[size + 2] = (byte) (v >>> 8);
    buf[size + 3] = (byte) v;
    size += 4;
    return this;
  }

  RecordWriter i64(long v) {
    i32((int) (v >>> 32));
    return i32((int) v);
  }

  RecordWriter f32(float v) {
    return i32(Float.floatToIntBits(v));
  }

  RecordWriter raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    return this;
  }

  RecordWriter bytes(byte[] bytes) {
    i32(bytes.length);
    return raw(bytes);
  }

  RecordWriter string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  RecordWriter ints(int[] values) {
    ensure(4 + 4 * values.length);
    i32(values.length);
    for (int v : values) {
      i32(v);
    }
    return this;
  }

  /**
   * The bytes written. A buffer filled exactly is returned as it is, with no copy: any further write grows it into a
   * new array first, so the returned one never changes.
   */
  byte[] toBytes() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }
}
