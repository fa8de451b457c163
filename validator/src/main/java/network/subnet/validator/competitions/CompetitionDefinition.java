package network.subnet.validator.competitions;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One competition as configured: which scorer judges it, the dataset that scorer reads, the score a first entry must
 * beat, the relative margin a challenger must beat the top score by (0.01: 1%), and when it takes submissions.
 */
public record CompetitionDefinition(
    String id,
    String scorer,
    Path dataset,
    double scoreToBeat,
    double improvement,
    long opensMs,
    long closesMs,
    String description) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public CompetitionDefinition {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "competition id must be 1-64 characters of a-z, 0-9, '.', '_' or '-', got '" + id + "'");
    }
    if (scorer == null || scorer.isBlank()) {
      throw new IllegalArgumentException("competition " + id + " names no scorer");
    }
    if (dataset == null) {
      throw new IllegalArgumentException("competition " + id + " names no dataset");
    }
    if (!Double.isFinite(scoreToBeat)) {
      throw new IllegalArgumentException("competition " + id + ": score to beat must be a finite number");
    }
    if (!(improvement >= 0 && improvement < 1)) {
      throw new IllegalArgumentException("competition " + id + ": improvement must be in [0, 1), got " + improvement);
    }
    if (closesMs <= opensMs) {
      throw new IllegalArgumentException("competition " + id + " closes before it opens");
    }
    description = description == null ? "" : description;
  }

  public boolean openAt(long ms) {
    return ms >= opensMs && ms < closesMs;
  }
}
