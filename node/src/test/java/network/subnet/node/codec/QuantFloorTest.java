package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import network.subnet.node.codec.SyntheticActivations.Kind;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lossy rung on tensors large enough that its step is predicted from a sample and corrected by one exact pass:
 * every blob must still meet the floor as the validator measures it, and land close above it.
 */
class QuantFloorTest {

  private static final CodecRegistry REGISTRY = CodecRegistry.standard();

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"F32", "F16", "BF16"})
  void predictedStepMeetsTheFloorOnEveryFamily(DType dtype) {
    // Even rows take the pair loop; odd rows (999) the wrapping one.
    int[][] shapes = {{256, 1024}, {131, 999}};
    for (Kind kind : Kind.values()) {
      for (int[] shape : shapes) {
        DenseTensor t = SyntheticActivations.tensor(kind, shape[0], shape[1], dtype, 17 + shape[1]);
        float[] original = Activations.toFloats(dtype, t.data(), (int) t.elementCount());
        for (double floor : new double[] {0.99, 0.999}) {
          EncodedBlob blob = REGISTRY.encode(t, "quant", floor);
          DecodedTensor back = REGISTRY.decode(blob.blob(), t.shape());
          double sim = Similarity.apex(original, back.values());
          String what = kind + " " + shape[0] + "x" + shape[1] + " " + dtype + " at " + floor;
          assertThat(sim).as(what).isGreaterThanOrEqualTo(floor).isCloseTo(blob.similarity(), within(1e-12));
          assertThat(sim - floor).as(what).isLessThan(0.01 * (1 - floor));
        }
      }
    }
  }

  @Test
  void denseTensorsCodeWithOneTableWhileOutlierChannelsKeepTheirContexts() {
    assertThat(coarseContexts(Kind.GAUSSIAN)).isEqualTo(1);
    assertThat(coarseContexts(Kind.HEAVY_TAILED)).isEqualTo(1);
    assertThat(coarseContexts(Kind.OUTLIER_CHANNELS)).isGreaterThan(1);
  }

  @Test
  void valuesTheModelSampleMissedStillCodeAndMeetTheFloor() {
    // Rows 4 to 127 are a thousand times larger, and the model samples rows 0-3, 128-131, 256-259 and 384-387: the
    // tables see none of them, the streams outgrow their estimates, and every symbol up to the largest must still
    // code.
    int rows = 512;
    int cols = 4096;
    float[] values = new float[rows * cols];
    SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int i = 0; i < values.length; i++) {
      int r = i / cols;
      values[i] = (float) (rnd.nextGaussian() * (r >= 4 && r < 128 ? 1000 : 1));
    }
    DenseTensor t = Activations.tensor(DType.F32, new long[] {rows, cols}, values);
    EncodedBlob blob = REGISTRY.encode(t, "quant/2", 0.99);
    DecodedTensor back = REGISTRY.decode(blob.blob(), t.shape());
    assertThat(Similarity.apex(values, back.values())).isGreaterThanOrEqualTo(0.99);
  }

  private static int coarseContexts(Kind kind) {
    DenseTensor t = SyntheticActivations.tensor(kind, 128, 2048, DType.BF16, 5);
    ByteReader r = new ByteReader(REGISTRY.encode(t, "quant", 0.99).blob());
    BlobHeader.read(r, CodecRegistry.DEFAULT_MAX_ELEMENTS);
    ContextStream.readStep(r, "quantisation");
    return r.u8("context count");
  }
}
