package network.subnet.validator.epoch;

import java.util.List;

/** The sibling hashes from a leaf up to the root; levels where the node was promoted alone have no step. */
public record MerkleProof(List<Step> steps) {

  public MerkleProof {
    steps = List.copyOf(steps);
  }

  /** One sibling, and whether it sits left of the running hash. */
  public record Step(byte[] sibling, boolean siblingOnLeft) {}
}
