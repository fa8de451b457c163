package network.subnet.node.api;

/**
 * Identifies a teacher exactly enough for replicas to be compared like with like: the same weights, tokenizer,
 * compute dtype, device and batching policy give the same numbers.
 */
public record TeacherSpec(String modelHash, String tokenizerHash, String dtype, String device, String batchPolicy) {

  /** True when results from the two teachers may be credited against each other. */
  public boolean sameModelAs(TeacherSpec other) {
    return modelHash.equals(other.modelHash) && tokenizerHash.equals(other.tokenizerHash);
  }
}
