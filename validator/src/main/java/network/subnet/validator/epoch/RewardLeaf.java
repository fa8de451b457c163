package network.subnet.validator.epoch;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import network.subnet.node.identity.PublicKey;

/**
 * What one leaf of an epoch's Merkle tree commits to: the epoch, the miner, the work credited to it and the epoch's
 * total credits. The share is the exact fraction {@code credits / epochCredits}, so committing to both numbers commits
 * to the share without a rounded float in the hash.
 *
 * <p>Epochs closed before the leaf named its epoch and total ({@link #V1}) hashed only (miner, credits); they stay
 * verifiable under that rule, and their share rests on the signed entry list instead.
 */
public record RewardLeaf(int version, long epoch, PublicKey miner, long credits, long epochCredits) {

  /** Legacy leaves: (miner, credits). */
  public static final int V1 = 1;

  /** Current leaves: (epoch, miner, credits, epoch credits). */
  public static final int V2 = 2;

  public static final int CURRENT = V2;

  // The first byte of every leaf hash; inner nodes use MerkleTree.NODE (0x01), so neither can pass for the other.
  private static final byte V1_TAG = 0x00;
  private static final byte V2_TAG = 0x02;

  public RewardLeaf {
    if (version != V1 && version != V2) {
      throw new IllegalArgumentException("unknown reward leaf version " + version);
    }
    if (credits < 0 || epochCredits < credits) {
      throw new IllegalArgumentException(
          "a leaf needs 0 <= credits <= epoch credits, got " + credits + " of " + epochCredits);
    }
  }

  /** The fraction of the epoch's credits this leaf earned. */
  public double share() {
    return epochCredits == 0 ? 0.0 : (double) credits / epochCredits;
  }

  public byte[] hash() {
    MessageDigest sha = Sha256.digest();
    if (version == V1) {
      sha.update(V1_TAG);
      sha.update(miner.bytes());
      sha.update(ByteBuffer.allocate(8).putLong(credits).array());
    } else {
      sha.update(V2_TAG);
      sha.update(ByteBuffer.allocate(8).putLong(epoch).array());
      sha.update(miner.bytes());
      sha.update(ByteBuffer.allocate(16).putLong(credits).putLong(epochCredits).array());
    }
    return sha.digest();
  }
}
