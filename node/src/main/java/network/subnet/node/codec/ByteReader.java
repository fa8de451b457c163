package network.subnet.node.codec;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against the bytes present, so a truncated or forged blob
 * ends in a {@link CodecException} rather than an index error or a huge allocation.
 */
final class ByteReader {

  private final byte[] buf;
  private int pos;
  private final int end;

  ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  ByteReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  private void need(int n, String what) {
    if (n < 0 || end - pos < n) {
      throw new CodecException("truncated blob: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
    }
  }

  int u8(String what) {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  int u32(String what) {
    need(4, what);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (buf[pos++] & 0xFF) << (8 * i);
    }
    return v;
  }

  double f64(String what) {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (buf[pos++] & 0xFFL) << (8 * i);
    }
    return Double.longBitsToDouble(v);
  }

  long varint(String what) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8(what);
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new CodecException("corrupt blob: " + what + " is not a valid varint");
  }

  /** A varint that must lie in [0, max]. */
  int boundedInt(String what, long max) {
    long v = varint(what);
    if (v < 0 || v > max) {
      throw new CodecException("corrupt blob: " + what + " = " + v + " is out of range [0, " + max + "]");
    }
    return (int) v;
  }

  /** A length-prefixed section, returned as a reader over its bytes. */
  ByteReader section(String what) {
    // The bound is what is left after the length itself, so the length must be read before it is checked.
    long declared = varint(what + " length");
    if (declared < 0 || declared > end - pos) {
      throw new CodecException(
          "truncated blob: " + what + " declares " + declared + " bytes, " + (end - pos) + " left");
    }
    int len = (int) declared;
    ByteReader r = new ByteReader(buf, pos, len);
    pos += len;
    return r;
  }

  byte[] array() {
    return buf;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  void skip(int n) {
    need(n, "section");
    pos += n;
  }

  void expectEnd(String what) {
    if (pos != end) {
      throw new CodecException("corrupt blob: " + (end - pos) + " unexpected trailing bytes after " + what);
    }
  }
}
