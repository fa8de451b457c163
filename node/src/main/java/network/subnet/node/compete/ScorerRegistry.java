package network.subnet.node.compete;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.subnet.node.compete.apex.MatrixCompressionScorer;
import network.subnet.node.compete.micronet.MicroNetScorer;
import network.subnet.node.compete.tpugraphs.RuntimePredictionScorer;

/** The scorers competitions can name, by {@link Scorer#name()}. */
public final class ScorerRegistry {

  private final Map<String, Scorer> byName = new LinkedHashMap<>();

  public ScorerRegistry(List<Scorer> scorers) {
    for (Scorer s : scorers) {
      if (byName.putIfAbsent(s.name(), s) != null) {
        throw new IllegalArgumentException("two scorers named " + s.name());
      }
    }
  }

  /** matrix-compression, micronet-efficiency and runtime-prediction. */
  public static ScorerRegistry standard() {
    return new ScorerRegistry(
        List.of(new MatrixCompressionScorer(), new MicroNetScorer(), new RuntimePredictionScorer()));
  }

  public Optional<Scorer> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
