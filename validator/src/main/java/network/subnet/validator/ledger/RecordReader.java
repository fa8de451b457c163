package network.subnet.validator.ledger;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link RecordWriter} wrote; a short or oversized field fails as a corrupt record. */
final class RecordReader {

  private final ByteBuffer in;
  private final String what;

  RecordReader(byte[] bytes, String what) {
    this.in = ByteBuffer.wrap(bytes);
    this.what = what;
  }

  int u8() {
    return guard(() -> in.get() & 0xff);
  }

  int i32() {
    return guard(in::getInt);
  }

  long i64() {
    return guard(in::getLong);
  }

  float f32() {
    return guard(in::getFloat);
  }

  byte[] raw(int n) {
    if (n < 0 || n > in.remaining()) {
      throw corrupt("field of " + n + " bytes with " + in.remaining() + " left");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  byte[] bytes() {
    return raw(i32());
  }

  String string() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  int[] ints() {
    int n = i32();
    if (n < 0 || (long) n * 4 > in.remaining()) {
      throw corrupt("int array of " + n + " with " + in.remaining() + " bytes left");
    }
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.getInt();
    }
    return v;
  }

  void end() {
    if (in.hasRemaining()) {
      throw corrupt(in.remaining() + " trailing bytes");
    }
  }

  private <T> T guard(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (BufferUnderflowException e) {
      throw corrupt("truncated");
    }
  }

  private IllegalStateException corrupt(String detail) {
    return new IllegalStateException("corrupt ledger record (" + what + "): " + detail);
  }
}
