package network.subnet.node.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads what {@link BitWriter} wrote. Each read loads eight bytes at the current byte and shifts, with no refill
 * branch; the copy is padded so that load never leaves the array, and overruns are caught by {@link #finish()}.
 */
final class BitReader {

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buf;
  private final int len;
  private long bitPos;

  BitReader(ByteReader section) {
    this.len = section.remaining();
    this.buf = Arrays.copyOfRange(section.array(), section.position(), section.position() + len + 8);
  }

  /** The next {@code n} bits, n in [0, 32]. */
  int read(int n) {
    long p = bitPos;
    int at = (int) Math.min(p >>> 3, len);
    long v = ((long) LONG_LE.get(buf, at)) >>> (p & 7);
    bitPos = p + n;
    return (int) (v & ((1L << n) - 1));
  }

  /** Checks that the reads stayed within the stream and left no whole byte unread. */
  void finish() {
    if (bitPos > 8L * len || 8L * len - bitPos >= 8) {
      throw new CodecException("corrupt blob: raw bit stream does not end where its data does");
    }
  }
}
