package network.subnet.node.compete.micronet;

import static network.subnet.node.testing.TinyOnnx.FLOAT;
import static network.subnet.node.testing.TinyOnnx.INT8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import network.subnet.node.compete.ScoreCard;
import network.subnet.node.compete.ScoringException;
import network.subnet.node.testing.TinyOnnx;
import org.junit.jupiter.api.Test;

class MicroNetCounterTest {

  private static float[] filled(int n, float v) {
    float[] out = new float[n];
    Arrays.fill(out, v);
    return out;
  }

  /** Conv 3->4 (3x3, pad 1) + bias, Relu, global average pool, Flatten, Gemm 4->10 + bias; all float32. */
  static byte[] convNet() {
    return new TinyOnnx()
        .input("x", FLOAT, -1, 3, 8, 8)
        .floats("w", new long[] {4, 3, 3, 3}, filled(108, 0.5f))
        .floatData("b", new long[] {4}, 1, 2, 3, 4)
        .floats("w2", new long[] {4, 10}, filled(40, 0.25f))
        .floats("c", new long[] {10}, filled(10, 1f))
        .node("Conv", List.of("x", "w", "b"), List.of("y"), TinyOnnx.ints("pads", 1, 1, 1, 1),
            TinyOnnx.ints("kernel_shape", 3, 3))
        .node("Relu", List.of("y"), List.of("r"))
        .node("GlobalAveragePool", List.of("r"), List.of("g"))
        .node("Flatten", List.of("g"), List.of("f"))
        .node("Gemm", List.of("f", "w2", "c"), List.of("z"))
        .output("z", FLOAT)
        .build();
  }

  @Test
  void convNetCountsMatchHandComputedNumbers() {
    MicroNetCount c = MicroNetCounter.count(OnnxReader.read(convNet()));
    // Conv: 64 positions x 108 weights multiplies; 64 x (108 - 4) accumulations + 256 bias additions.
    // Relu: 256 comparisons. Global pool: 4 x 63 additions + 4 multiplies. Gemm: 40 multiplies, 30 + 10 additions.
    assertThat(c.multiplies()).isEqualTo(6912 + 4 + 40);
    assertThat(c.additions()).isEqualTo(6912 + 256 + 252 + 40);
    assertThat(c.transcendental()).isZero();
    assertThat(c.freebie16Bit()).isTrue();
    // Freebie: multiplies at 16 bits, additions at 32.
    assertThat(c.mathOps()).isEqualTo(6956 * 0.5 + 7460);
    assertThat(c.parameters()).isEqualTo(108 + 4 + 40 + 10);
    assertThat(c.parameterStorage()).isEqualTo(162 * 0.5);
  }

  @Test
  void scoreIsNormalisedByTheBaseline() {
    ScoreCard card = new MicroNetScorer().score(convNet(), Path.of("competitions", "imagenet"));
    assertThat(card.raw()).isCloseTo(81 / 6.9e6 + 10938 / 1170e6, within(1e-15));
    assertThat(card.details()).containsEntry("mathOps", 10938.0).containsEntry("parameterStorage", 81.0);
  }

  /** Quantize-dequantize around a MatMul by an int8 weight that is half zeros. */
  static byte[] quantizedSparse() {
    byte[] weights = new byte[16 * 8];
    for (int i = 0; i < weights.length; i += 2) {
      weights[i] = (byte) (i % 7 + 1);
    }
    return new TinyOnnx()
        .input("x", FLOAT, 1, 16)
        .floats("s", new long[] {}, 0.1f)
        .bytes("zp", INT8, new long[] {}, (byte) 3)
        .bytes("wq", INT8, new long[] {16, 8}, weights)
        .floats("sw", new long[] {}, 0.05f)
        .node("QuantizeLinear", List.of("x", "s", "zp"), List.of("xq"))
        .node("DequantizeLinear", List.of("xq", "s", "zp"), List.of("xd"))
        .node("DequantizeLinear", List.of("wq", "sw"), List.of("wd"))
        .node("MatMul", List.of("xd", "wd"), List.of("y"))
        .output("y", FLOAT)
        .build();
  }

  @Test
  void quantizedSparseModelCountsBitsAndNonzeros() {
    MicroNetCount c = MicroNetCounter.count(OnnxReader.read(quantizedSparse()));
    assertThat(c.freebie16Bit()).isFalse();
    // Quantize x: 16 + 16 at 32 bits. Dequantize x: 16 + 16 at 8 bits. Dequantize weights: folded (constant).
    // MatMul at 8 bits: 64 nonzero weights -> 64 multiplies, 64 - 8 additions.
    assertThat(c.multiplies()).isEqualTo(16 + 16 + 64);
    assertThat(c.additions()).isEqualTo(16 + 16 + 56);
    assertThat(c.mathOps()).isEqualTo(16 + 16 * 0.25 + 64 * 0.25 + 16 + 16 * 0.25 + 56 * 0.25);
    // s: 1; zp: 8 bits dense; wq: sparse 64 x 8/32 + 128/32 mask beats 128 x 8/32 dense; sw: 1.
    assertThat(c.parameterStorage()).isEqualTo(1 + 0.25 + (16 + 4) + 1);
    assertThat(c.parameters()).isEqualTo(131);
    assertThat(c.nonZeroParameters()).isEqualTo(67);
  }

  @Test
  void transcendentalOpsCountOnePerElementPerExample() {
    byte[] model = new TinyOnnx()
        .input("x", FLOAT, 2, 5)
        .node("Sigmoid", List.of("x"), List.of("s"))
        .node("Softmax", List.of("s"), List.of("p"), TinyOnnx.i("axis", -1))
        .output("p", FLOAT)
        .build();
    MicroNetCount c = MicroNetCounter.count(OnnxReader.read(model));
    // Batch of 2: per example 5 sigmoids, 5 exps, 5 divisions and 4 additions.
    assertThat(c.transcendental()).isEqualTo(10);
    assertThat(c.multiplies()).isEqualTo(5);
    assertThat(c.additions()).isEqualTo(4);
    assertThat(c.mathOps()).isEqualTo(10 + 5 * 0.5 + 4);
    assertThat(c.parameterStorage()).isZero();
  }

  @Test
  void reshapeShapesAreNotParametersAndPoolingCountsComparisons() {
    byte[] model = new TinyOnnx()
        .input("x", FLOAT, 1, 2, 4, 4)
        .int64s("shape", new long[] {2}, 1, -1)
        .node("MaxPool", List.of("x"), List.of("m"), TinyOnnx.ints("kernel_shape", 2, 2),
            TinyOnnx.ints("strides", 2, 2))
        .node("Reshape", List.of("m", "shape"), List.of("r"))
        .output("r", FLOAT)
        .build();
    MicroNetCount c = MicroNetCounter.count(OnnxReader.read(model));
    // 2 x 2 x 2 outputs, 3 comparisons each.
    assertThat(c.additions()).isEqualTo(24);
    assertThat(c.parameters()).isZero();
  }

  @Test
  void invalidModelsGetClearErrors() {
    assertThatThrownBy(() -> OnnxReader.read(new byte[0])).isInstanceOf(ScoringException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> OnnxReader.read("not a model at all".getBytes()))
        .isInstanceOf(ScoringException.class).hasMessageContaining("invalid ONNX model");
    assertThatThrownBy(() -> OnnxReader.read(new byte[] {0x08, 0x07}))
        .isInstanceOf(ScoringException.class).hasMessageContaining("no graph");
    byte[] unsupported = new TinyOnnx().input("x", FLOAT, 1, 4)
        .node("NonMaxSuppression", List.of("x"), List.of("y")).output("y", FLOAT).build();
    assertThatThrownBy(() -> MicroNetCounter.count(OnnxReader.read(unsupported)))
        .isInstanceOf(ScoringException.class).hasMessageContaining("NonMaxSuppression is not supported");
    byte[] dangling = new TinyOnnx().input("x", FLOAT, 1, 4)
        .node("Add", List.of("x", "nowhere"), List.of("y")).output("y", FLOAT).build();
    assertThatThrownBy(() -> MicroNetCounter.count(OnnxReader.read(dangling)))
        .isInstanceOf(ScoringException.class).hasMessageContaining("nowhere is not produced");
    byte[] badShapes = new TinyOnnx().input("x", FLOAT, 1, 4).floats("w", new long[] {3, 2}, filled(6, 1f))
        .node("MatMul", List.of("x", "w"), List.of("y")).output("y", FLOAT).build();
    assertThatThrownBy(() -> MicroNetCounter.count(OnnxReader.read(badShapes)))
        .isInstanceOf(ScoringException.class).hasMessageContaining("inner dimensions differ");
  }

  @Test
  void truncatedOrCorruptedModelsAreInvalidNotInternalErrors() {
    byte[] model = convNet();
    java.util.Random random = new java.util.Random(5);
    for (int cut = 1; cut < model.length; cut += 37) {
      byte[] truncated = Arrays.copyOf(model, cut);
      try {
        MicroNetCounter.count(OnnxReader.read(truncated));
      } catch (ScoringException expected) {
        // A clear refusal is the only acceptable failure.
      }
    }
    for (int trial = 0; trial < 200; trial++) {
      byte[] corrupted = model.clone();
      corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
      try {
        MicroNetCounter.count(OnnxReader.read(corrupted));
      } catch (ScoringException expected) {
        // As above.
      }
    }
    assertThatThrownBy(() -> OnnxReader.read(Arrays.copyOf(model, model.length / 2)))
        .isInstanceOf(ScoringException.class).hasMessageContaining("invalid ONNX model");
  }

  @Test
  void unknownBaselineIsRefused() {
    assertThatThrownBy(() -> MicroNetBaseline.of("mnist")).isInstanceOf(ScoringException.class)
        .hasMessageContaining("imagenet");
  }
}
