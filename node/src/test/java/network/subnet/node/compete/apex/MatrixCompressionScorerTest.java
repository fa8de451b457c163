package network.subnet.node.compete.apex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import network.subnet.node.codec.ApexScore;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.ScoringException;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixCompressionScorerTest {

  @TempDir Path dir;

  /** Every reading of the clock moves it 0.25 s on: encode plus decode of one matrix takes exactly 0.25 s. */
  private final AtomicLong clock = new AtomicLong();
  private MatrixCompressionScorer scorer;
  private DenseTensor matrix;

  @BeforeEach
  void setUp() throws IOException {
    scorer = new MatrixCompressionScorer(CodecRegistry.standard(), 0.99, () -> clock.getAndAdd(250_000_000L));
    matrix = SyntheticActivations.tensor(SyntheticActivations.Kind.GAUSSIAN, 64, 128, DType.BF16, 7);
    NpyFile.write(dir.resolve("m1.npy"), matrix);
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void losslessCodecScoresRatioSimilarityAndMeasuredTime() {
    ScoreCard card = scorer.score(json("{\"codec\": \"plane/1\"}"), dir);
    double ratio = CodecRegistry.standard().encode(matrix, "plane/1", 0.99).ratio();
    assertThat(card.details().get("minSimilarity")).isEqualTo(1.0);
    assertThat(card.details().get("meanTaskSeconds")).isEqualTo(0.25);
    assertThat(card.details().get("meanRatio")).isCloseTo(ratio, within(1e-12));
    assertThat(card.raw()).isCloseTo((30 - 0.25) + 1000 * 1.0 + 1e6 * ratio, within(1e-6));
    assertThat(card.details().get("normalized")).isCloseTo(ApexScore.normalized(card.raw()), within(1e-15));
  }

  @Test
  void lossyCodecPassesTheGateAndBeatsLossless() {
    ScoreCard lossless = scorer.score(json("{\"codec\": \"plane/1\"}"), dir);
    ScoreCard lossy = scorer.score(json("{\"codec\": \"quant\", \"similarity\": 0.99}"), dir);
    assertThat(lossy.details().get("minSimilarity")).isGreaterThanOrEqualTo(0.99);
    assertThat(lossy.raw()).isGreaterThan(lossless.raw());
  }

  @Test
  void badConfigurationsAreRefused() {
    assertThatThrownBy(() -> scorer.score(json("codec=quant"), dir)).isInstanceOf(ScoringException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> scorer.score(json("{\"codec\": \"gzip\"}"), dir)).isInstanceOf(ScoringException.class)
        .hasMessageContaining("unknown codec gzip");
    assertThatThrownBy(() -> scorer.score(json("{\"codec\": \"quant\", \"similarity\": 0.9}"), dir))
        .isInstanceOf(ScoringException.class).hasMessageContaining("gate");
  }
}
