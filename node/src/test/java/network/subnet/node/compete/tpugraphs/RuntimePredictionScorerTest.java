package network.subnet.node.compete.tpugraphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.ScoringException;
import network.subnet.node.testing.TinyNpz;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimePredictionScorerTest {

  @TempDir Path dir;

  private final RuntimePredictionScorer scorer = new RuntimePredictionScorer();

  @BeforeEach
  void dataset() throws IOException {
    TinyNpz.tileGraph(dir.resolve("npz/tile/xla/valid/g1.npz"), 100, 50, 80, 200, 60, 40);
    TinyNpz.tileGraph(dir.resolve("npz/tile/xla/valid/g2.npz"), 10, 20, 30);
    TinyNpz.layoutGraph(dir.resolve("npz/layout/xla/default/valid/g3.npz"), 5, 3, 9, 1);
    TinyNpz.layoutGraph(dir.resolve("npz/layout/nlp/random/valid/g4.npz"), 1, 2, 3, 4);
  }

  private static byte[] csv(String... rows) {
    return ("ID,TopConfigs\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static final String[] GOOD = {
    "tile:xla:g1,0;2;4;1;3",
    "tile:xla:g2,0",
    "layout:xla:default:g3,3;1;0;2",
    "layout:nlp:random:g4,1;0;2;3"
  };

  @Test
  void scoresMatchHandComputedValues() {
    ScoreCard card = scorer.score(csv(GOOD), dir);
    // g1: best of the top 5 is 50, best overall 40 -> 2 - 50/40 = 0.75; g2: 1. Tile mean 0.875.
    assertThat(card.details().get("tile:xla")).isCloseTo(0.875, within(1e-12));
    // g3: ranks follow the runtimes exactly -> tau 1.
    assertThat(card.details().get("layout:xla:default")).isCloseTo(1.0, within(1e-12));
    // g4: 5 concordant pairs, 1 discordant, no ties -> (5 - 1) / 6.
    assertThat(card.details().get("layout:nlp:random")).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(card.raw()).isCloseTo((0.875 + 1 + 4.0 / 6) / 3, within(1e-12));
    assertThat(card.details()).containsEntry("graphs", 4.0);
  }

  @Test
  void kendallIsTauBUnderTies() {
    // x = ranks [0, 1, 2], y = [1, 1, 2]: 2 concordant, 0 discordant, one tie in y -> 2 / sqrt(3 * 2).
    double tau = RuntimePredictionScorer.layoutScore("g", new int[] {0, 1, 2}, new double[] {1, 1, 2});
    assertThat(tau).isCloseTo(2 / Math.sqrt(6), within(1e-12));
  }

  @Test
  void malformedCsvIsRefusedWithTheLine() {
    assertThatThrownBy(() -> scorer.score("id;configs\n".getBytes(StandardCharsets.UTF_8), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("line 1").hasMessageContaining("ID,TopConfigs");
    assertThatThrownBy(() -> scorer.score(csv("tile:xla:g1,0;1,extra"), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("line 2: expected 2 columns");
    assertThatThrownBy(() -> scorer.score(csv(GOOD[0], "tile:xla:g2,zero"), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("line 3").hasMessageContaining("not an integer");
    assertThatThrownBy(() -> scorer.score(new byte[0], dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("empty");
  }

  @Test
  void missingAndUnknownGraphsAreRefused() {
    assertThatThrownBy(() -> scorer.score(csv(GOOD[0], GOOD[1], GOOD[2]), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("no row for 1 graph")
        .hasMessageContaining("layout:nlp:random:g4");
    assertThatThrownBy(() -> scorer.score(csv(GOOD[0], GOOD[1], GOOD[2], GOOD[3], "tile:xla:g9,0"), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("tile:xla:g9, which is not in the dataset");
  }

  @Test
  void wrongPermutationsAreRefused() {
    assertThatThrownBy(() -> scorer.score(csv(GOOD[0], GOOD[1], "layout:xla:default:g3,3;1;0", GOOD[3]), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("must rank all 4 configs, got 3");
    assertThatThrownBy(() -> scorer.score(csv(GOOD[0], GOOD[1], "layout:xla:default:g3,3;1;1;2", GOOD[3]), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> scorer.score(csv("tile:xla:g1,0;1;2;3;4;5", GOOD[1], GOOD[2], GOOD[3]), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("at most 5");
    assertThatThrownBy(() -> scorer.score(csv(GOOD[0], "tile:xla:g2,7", GOOD[2], GOOD[3]), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("out of range");
  }

  @Test
  void aBrokenDatasetIsTheValidatorsProblemNotTheSubmitters() throws IOException {
    Files.writeString(dir.resolve("npz/tile/xla/valid/g2.npz"), "not a zip");
    assertThatThrownBy(() -> scorer.score(csv(GOOD), dir))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("g2.npz");
  }
}
