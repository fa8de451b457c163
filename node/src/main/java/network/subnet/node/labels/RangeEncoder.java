package network.subnet.node.labels;

import java.util.Arrays;

/**
 * Binary adaptive range encoder in the LZMA style (32-bit range, carry propagation through a cached byte) over {@link
 * BitModels}. Output is a pure function of the coded decisions, so encoding is deterministic; {@link RangeDecoder}
 * reads exactly as many bytes as this writes.
 */
final class RangeEncoder {

  private static final int TOP = 1 << 24;

  private long low;
  private int range = 0xFFFFFFFF;
  private byte cache;
  private long cacheSize = 1;
  private byte[] out;
  private int size;

  RangeEncoder(int capacityHint) {
    out = new byte[Math.max(16, capacityHint)];
  }

  void encodeBit(BitModels models, int index, int bit) {
    int s = models.load(index);
    int bound = (range >>> BitModels.PROB_BITS) * BitModels.p0OfState(s);
    int mask = -bit;
    low += (bound & 0xFFFFFFFFL) & mask;
    range = (bound & ~mask) | ((range - bound) & mask);
    models.state[index] = BitModels.next(s, bit, models.limit);
    normalize();
  }

  private void normalize() {
    while (Integer.compareUnsigned(range, TOP) < 0) {
      range <<= 8;
      shiftLow();
    }
  }

  /** Codes the low {@code bits} bits of {@code value}, most significant first, through a binary tree of models. */
  void encodeTree(BitModels models, int base, int bits, int value) {
    int node = 1;
    for (int i = bits - 1; i >= 0; i--) {
      int bit = (value >>> i) & 1;
      encodeBit(models, base + node, bit);
      node = (node << 1) | bit;
    }
  }

  /** Codes {@code value} in [0, n) at probability 1/n each; n must be at most 2^16. */
  void encodeUniform(int value, int n) {
    range = Integer.divideUnsigned(range, n);
    low += (value & 0xFFFFFFFFL) * (range & 0xFFFFFFFFL);
    normalize();
  }

  /** Codes the low {@code bits} bits of {@code value} at probability 1/2 each. */
  void encodeDirect(int value, int bits) {
    for (int i = bits - 1; i >= 0; i--) {
      range >>>= 1;
      low += (range & 0xFFFFFFFFL) & -((value >>> i) & 1);
      normalize();
    }
  }

  private void shiftLow() {
    int lowHi = (int) (low >>> 32);
    if (lowHi != 0 || low < 0xFF000000L) {
      int pending = cache;
      do {
        put((byte) (pending + lowHi));
        pending = 0xFF;
      } while (--cacheSize != 0);
      cache = (byte) (low >>> 24);
    }
    cacheSize++;
    low = (low & 0x00FFFFFFL) << 8;
  }

  private void put(byte b) {
    if (size == out.length) {
      out = Arrays.copyOf(out, out.length * 2);
    }
    out[size++] = b;
  }

  /** Flushes the coder and returns everything it wrote; the encoder is spent afterwards. */
  byte[] finish() {
    for (int i = 0; i < 5; i++) {
      shiftLow();
    }
    return Arrays.copyOf(out, size);
  }
}
