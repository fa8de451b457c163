package network.subnet.validator.competitions;

/**
 * A competition as callers see it: its configuration, the direction its scorer ranks in, the current leader (null
 * while nobody leads) and how many entries were scored.
 */
public record CompetitionView(
    String id,
    String scorer,
    String dataset,
    String description,
    double scoreToBeat,
    double improvement,
    long opensMs,
    long closesMs,
    boolean higherIsBetter,
    CompetitionEntry leader,
    long entries) {

  /** The top score a challenger is measured against: the leader's, or the score to beat. */
  public double topScore() {
    return leader == null ? scoreToBeat : leader.rawScore();
  }
}
