package network.subnet.node.codec;

import java.util.Arrays;

/** Raw bits, least significant first, for values an entropy coder would not shrink (low bits, signs). */
final class BitWriter {

  private byte[] buf;
  private int size;
  private long acc;
  private int count;

  BitWriter(int capacityHint) {
    buf = new byte[Math.max(16, capacityHint)];
  }

  /** Appends the low {@code n} bits of {@code value}, n in [0, 32]. */
  void write(int value, int n) {
    acc |= (value & ((1L << n) - 1)) << count;
    count += n;
    if (count >= 32) {
      if (size + 4 > buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2 + 4);
      }
      buf[size] = (byte) acc;
      buf[size + 1] = (byte) (acc >>> 8);
      buf[size + 2] = (byte) (acc >>> 16);
      buf[size + 3] = (byte) (acc >>> 24);
      size += 4;
      acc >>>= 32;
      count -= 32;
    }
  }

  byte[] finish() {
    int tail = (count + 7) >>> 3;
    byte[] out = Arrays.copyOf(buf, size + tail);
    for (int i = 0; i < tail; i++) {
      out[size + i] = (byte) (acc >>> (8 * i));
    }
    return out;
  }
}
