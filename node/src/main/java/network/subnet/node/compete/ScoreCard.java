package network.subnet.node.compete;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scored submission: the raw score competitions rank and compare by, and the parts it was computed from (for
 * people and the leaderboard), in a stable order.
 */
public record ScoreCard(double raw, Map<String, Double> details) {

  public ScoreCard {
    if (!Double.isFinite(raw)) {
      throw new ScoringException("the score is not a finite number: " + raw);
    }
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
