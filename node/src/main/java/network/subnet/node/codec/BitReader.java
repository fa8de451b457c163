package network.subnet.node.codec;

/** Reads what {@link BitWriter} wrote; reading past the end is a corrupt blob. */
final class BitReader {

  private final byte[] buf;
  private int pos;
  private final int end;
  private long acc;
  private int count;

  BitReader(ByteReader section) {
    this.buf = section.array();
    this.pos = section.position();
    this.end = pos + section.remaining();
  }

  /** The next {@code n} bits, n in [0, 32]. */
  int read(int n) {
    if (count < n) {
      refill();
      if (count < n) {
        throw new CodecException("corrupt blob: raw bit stream ends early");
      }
    }
    int v = (int) (acc & ((1L << n) - 1));
    acc >>>= n;
    count -= n;
    return v;
  }

  private void refill() {
    while (count <= 56 && pos < end) {
      acc |= (buf[pos++] & 0xFFL) << count;
      count += 8;
    }
  }

  /** Checks that no whole unread byte is left over. */
  void finish() {
    if (pos != end || count >= 8) {
      throw new CodecException("corrupt blob: raw bit stream has unread bytes");
    }
  }
}
