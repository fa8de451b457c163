package network.subnet.node.codec;

import java.util.Arrays;

/** A growable little-endian byte buffer for blob headers and payload sections. */
final class ByteWriter {

  private byte[] buf;
  private int size;

  ByteWriter(int capacityHint) {
    buf = new byte[Math.max(16, capacityHint)];
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  void u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  void u32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  void f64(double v) {
    long bits = Double.doubleToRawLongBits(v);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (bits >>> (8 * i));
    }
  }

  /** Unsigned LEB128. */
  void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** A length-prefixed section. */
  void section(byte[] b) {
    section(b, 0, b.length);
  }

  /** A length-prefixed section of {@code len} bytes of {@code b} from {@code off}. */
  void section(byte[] b, int off, int len) {
    varint(len);
    bytes(b, off, len);
  }

  int size() {
    return size;
  }

  /** Bytes an unsigned LEB128 {@link #varint} of {@code v} takes. */
  static int varintSize(long v) {
    return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
  }

  /**
   * The bytes written. A writer filled to exactly its capacity hands over its own buffer rather than a copy (payloads
   * run to megabytes), so nothing may be written after this.
   */
  byte[] toByteArray() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }
}
