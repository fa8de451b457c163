package network.subnet.node.compete;

import java.nio.file.Path;

/**
 * Scores one competition submission against a competition's dataset. A scorer holds no validator state, so miners
 * can run the same scorer locally before they submit. Bad submissions fail with a {@link ScoringException} that
 * names the problem.
 */
public interface Scorer {

  /** The name competitions refer to in their configuration, e.g. {@code "micronet-efficiency"}. */
  String name();

  /** Whether a higher raw score is better (false: lower wins, as in MicroNet). */
  boolean higherIsBetter();

  /** Scores {@code submission} (the bytes a competitor sent) against the dataset at {@code dataset}. */
  ScoreCard score(byte[] submission, Path dataset);
}
