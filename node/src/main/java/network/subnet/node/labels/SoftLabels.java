package network.subnet.node.labels;

/**
 * The teacher's top-k next-token distribution for each position of a sequence: {@code tokenIds[p][j]} is the j-th
 * most likely next token after position p and {@code logProbs[p][j]} its natural-log probability (after temperature),
 * best first. Packed for the wire by {@link SoftLabelCodec}.
 */
public record SoftLabels(int[][] tokenIds, float[][] logProbs) {

  public SoftLabels {
    if (tokenIds.length != logProbs.length) {
      throw new IllegalArgumentException(
          "soft labels have %d id rows but %d log-prob rows".formatted(tokenIds.length, logProbs.length));
    }
    for (int p = 0; p < tokenIds.length; p++) {
      if (tokenIds[p].length != logProbs[p].length || tokenIds[p].length != tokenIds[0].length) {
        throw new IllegalArgumentException("soft label row " + p + " has a different k from row 0");
      }
    }
  }

  public int positions() {
    return tokenIds.length;
  }

  public int topK() {
    return tokenIds.length == 0 ? 0 : tokenIds[0].length;
  }
}
