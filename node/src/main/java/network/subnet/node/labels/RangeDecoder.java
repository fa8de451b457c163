package network.subnet.node.labels;

/**
 * Mirror of {@link RangeEncoder}. Every read is bounds-checked: running past the end of the input throws {@link
 * IllegalArgumentException}, and since every loop is bounded by the caller's symbol counts, garbage input can only
 * decode to garbage values (which the caller range-checks) or fail, never hang.
 */
final class RangeDecoder {

  private static final int TOP = 1 << 24;

  private final byte[] in;
  private final int end;
  private int pos;
  private int range = 0xFFFFFFFF;
  private int code;

  RangeDecoder(byte[] in, int offset, int end) {
    this.in = in;
    this.pos = offset;
    this.end = end;
    if (next() != 0) {
      throw new IllegalArgumentException("soft label body is corrupt: bad range coder start byte");
    }
    for (int i = 0; i < 4; i++) {
      code = (code << 8) | next();
    }
  }

  private int next() {
    if (pos >= end) {
      throw new IllegalArgumentException("soft label body is truncated");
    }
    return in[pos++] & 0xFF;
  }

  int decodeBit(BitModels models, int index) {
    int s = models.load(index);
    int bound = (range >>> BitModels.PROB_BITS) * BitModels.p0OfState(s);
    int bit = Integer.compareUnsigned(code, bound) >= 0 ? 1 : 0;
    int mask = -bit;
    range = (bound & ~mask) | ((range - bound) & mask);
    code -= bound & mask;
    models.state[index] = BitModels.next(s, bit, models.limit);
    normalize();
    return bit;
  }

  private void normalize() {
    while (Integer.compareUnsigned(range, TOP) < 0) {
      range <<= 8;
      code = (code << 8) | next();
    }
  }

  int decodeTree(BitModels models, int base, int bits) {
    int node = 1;
    for (int i = 0; i < bits; i++) {
      node = (node << 1) | decodeBit(models, base + node);
    }
    return node - (1 << bits);
  }

  /** Mirror of {@link RangeEncoder#encodeUniform}; a value outside [0, n) means the input is corrupt. */
  int decodeUniform(int n) {
    range = Integer.divideUnsigned(range, n);
    int value = Integer.divideUnsigned(code, range);
    if (Integer.compareUnsigned(value, n) >= 0) {
      throw new IllegalArgumentException("soft label body is corrupt: uniform value out of range");
    }
    code -= value * range;
    normalize();
    return value;
  }

  int decodeDirect(int bits) {
    int value = 0;
    for (int i = 0; i < bits; i++) {
      range >>>= 1;
      int bit = Integer.compareUnsigned(code, range) >= 0 ? 1 : 0;
      code -= range & -bit;
      value = (value << 1) | bit;
      normalize();
    }
    return value;
  }

  /** Fails unless the coder consumed its input exactly, so trailing garbage cannot ride along under a signature. */
  void requireFullyConsumed() {
    if (pos != end) {
      throw new IllegalArgumentException("soft label body has " + (end - pos) + " trailing bytes");
    }
  }
}
