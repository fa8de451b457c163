package network.subnet.validator.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian, length-prefixed field writer for ledger keys and values. */
final class RecordWriter {

  private final ByteArrayOutputStream out;

  RecordWriter() {
    this(64);
  }

  RecordWriter(int capacity) {
    out = new ByteArrayOutputStream(capacity);
  }

  RecordWriter u8(int v) {
    out.write(v);
    return this;
  }

  RecordWriter i32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
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
    out.writeBytes(bytes);
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
    i32(values.length);
    for (int v : values) {
      i32(v);
    }
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
