package network.subnet.validator.epoch;

import java.security.MessageDigest;
import network.subnet.node.identity.PublicKey;

/**
 * One miner's reward entry as a light client sees it: the leaf, the share the validator claims for it, the path from
 * the leaf to the epoch's Merkle root, and the validator's signature over that root. {@link #check} needs nothing
 * else, so a miner can check its reward without trusting the validator's word or fetching the whole epoch.
 */
public record RewardProof(
    long startMs,
    long endMs,
    RewardLeaf leaf,
    double share,
    MerkleProof path,
    byte[] merkleRoot,
    byte[] signature,
    PublicKey validator) {

  // Shares travel as doubles; the committed fraction recomputed here must match to the last few ulps.
  private static final double SHARE_SLACK = 1e-12;

  /** The outcome of {@link #check}: {@code ok}, or the first reason it failed. */
  public record Check(boolean ok, String reason) {
    static final Check OK = new Check(true, "verified");

    static Check fail(String reason) {
      return new Check(false, reason);
    }
  }

  public long epoch() {
    return leaf.epoch();
  }

  /**
   * Checks that the entry is {@code miner}'s, that {@code expectedValidator} (when not null) signed it, that the
   * claimed share is the one the leaf commits to, that the path leads from the leaf to the root, and that the
   * signature covers the root and the epoch's bounds.
   */
  public Check check(PublicKey miner, PublicKey expectedValidator) {
    if (!leaf.miner().equals(miner)) {
      return Check.fail("the proof is for miner " + leaf.miner() + ", not " + miner);
    }
    if (expectedValidator != null && !expectedValidator.equals(validator)) {
      return Check.fail("the epoch is signed by validator " + validator + ", not by the expected validator "
          + expectedValidator);
    }
    if (leaf.version() != RewardLeaf.V1 && !(Math.abs(share - leaf.share()) <= SHARE_SLACK)) {
      return Check.fail("the claimed share " + share + " is not the committed " + leaf.credits() + "/"
          + leaf.epochCredits() + " = " + leaf.share());
    }
    byte[] reached;
    try {
      reached = MerkleTree.rootOf(leaf, path);
    } catch (IllegalArgumentException e) {
      return Check.fail("the Merkle proof is malformed: " + e.getMessage());
    }
    if (!MessageDigest.isEqual(reached, merkleRoot)) {
      return Check.fail("the Merkle proof does not lead from the entry to the signed root"
          + " (a proof node, the entry or the root was altered)");
    }
    if (!validator.verify(EpochRecord.digest(epoch(), startMs, endMs, merkleRoot), signature)) {
      return Check.fail("the validator's signature does not cover this epoch's root"
          + " (the root, the epoch bounds or the signature was altered)");
    }
    return Check.OK;
  }
}
