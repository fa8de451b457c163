package network.subnet.node.storage;

import java.util.Arrays;

/**
 * Which writes of a run a later write on the same key overrides. The group commit's writer asks this of every group,
 * so it hashes each key once ({@link Arrays#hashCode(byte[])} is a vectorised intrinsic) into a flat open-addressing
 * table of indices, with no wrapper object or boxed entry per key.
 */
final class LastWrites {

  private LastWrites() {}

  /**
   * For writes {@code 0..count-1} in the order they apply, each on {@code keys[i]} of {@code columns[i]}: which are
   * overridden ({@code true}) by a later write on the same column and key, compared by content. Null when none is.
   */
  static boolean[] overridden(Column[] columns, byte[][] keys, int count) {
    int capacity = Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1;
    int mask = capacity - 1;
    // Slot holds index + 1 of the latest write on its key seen so far (0: empty); hashes spare most key comparisons.
    int[] slots = new int[capacity];
    int[] hashes = new int[count];
    boolean[] overridden = null;
    // Backwards, so the first write seen on a key is the one that stands.
    for (int i = count - 1; i >= 0; i--) {
      int h = 31 * Arrays.hashCode(keys[i]) + columns[i].ordinal();
      hashes[i] = h;
      int slot = (h ^ (h >>> 16)) & mask;
      while (true) {
        int held = slots[slot] - 1;
        if (held < 0) {
          slots[slot] = i + 1;
          break;
        }
        if (hashes[held] == h && columns[held] == columns[i] && Arrays.equals(keys[held], keys[i])) {
          if (overridden == null) {
            overridden = new boolean[count];
          }
          overridden[i] = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return overridden;
  }
}
