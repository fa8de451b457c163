package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Raw bits, least significant first, for values an entropy coder would not shrink (low bits, signs). Each write
 * stores the low word unconditionally and advances by a computed amount, so the hot loop has no flush branch.
 */
final class BitWriter {

  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int size;
  private long acc;
  private int count;

  BitWriter(int capacityHint) {
    buf = new byte[Math.max(16, capacityHint)];
  }

  /** Appends the low {@code n} bits of {@code value}, n in [0, 32]. */
  void write(int value, int n) {
    if (size + 8 > buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2 + 8);
    }
    acc |= (value & ((1L << n) - 1)) << count;
    count += n;
    INT_LE.set(buf, size, (int) acc);
    int full = count >>> 5;
    size += full << 2;
    acc >>>= full << 5;
    count -= full << 5;
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
