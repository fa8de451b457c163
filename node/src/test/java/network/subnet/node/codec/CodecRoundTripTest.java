package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.luben.zstd.Zstd;
import network.subnet.node.codec.SyntheticActivations.Kind;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {

  private static final CodecRegistry REGISTRY = CodecRegistry.standard();

  private static float[] floats(DenseTensor t) {
    return Activations.toFloats(t.dtype(), t.data(), (int) t.elementCount());
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"F32", "F16", "BF16"})
  void losslessCodecsRestoreEveryBit(DType dtype) {
    for (Kind kind : Kind.values()) {
      DenseTensor t = SyntheticActivations.tensor(kind, 24, 160, dtype, 11);
      for (String codec : new String[] {"zstd", "plane/1"}) {
        EncodedBlob blob = REGISTRY.encode(t, codec, 1.0);
        DecodedTensor back = REGISTRY.decode(blob.blob());
        assertThat(back.dtype()).isEqualTo(dtype);
        assertThat(back.shape()).containsExactly(24, 160);
        assertThat(back.toDenseTensor().data()).as(kind + " " + codec).isEqualTo(t.data());
        assertThat(blob.similarity()).isEqualTo(1.0);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DType.class,
      names = {"F32", "F16", "BF16"})
  void lossyCodecsLandJustAboveTheFloor(DType dtype) {
    for (Kind kind : Kind.values()) {
      DenseTensor t = SyntheticActivations.tensor(kind, 32, 260, dtype, 5);
      for (double floor : new double[] {0.9, 0.99, 0.999}) {
        for (String codec : new String[] {"quant/2", "quant/1", "e8/1"}) {
          EncodedBlob blob = REGISTRY.encode(t, codec, floor);
          DecodedTensor back = REGISTRY.decode(blob.blob());
          double sim = Similarity.apex(floats(t), back.values());
          String what = codec + " " + kind + " at " + floor;
          // quant/2 sums in its own order: the similarity it reports is the validator's to within rounding.
          assertThat(sim).as(what).isGreaterThanOrEqualTo(floor).isCloseTo(blob.similarity(), within(1e-12));
          assertThat(sim - floor).as(what).isLessThan(0.05 * (1 - floor));
          assertThat(blob.codec()).isEqualTo(codec);
          assertThat(blob.ratio()).isEqualTo((double) t.data().length / blob.blob().length);
        }
      }
    }
  }

  @Test
  void oddShapesRoundTrip() {
    for (long[] shape : new long[][] {{1}, {7}, {3, 5, 11}, {1, 1, 1, 4097}, {}}) {
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) Math.sin(i * 0.7 + 0.3);
      }
      DenseTensor t = new DenseTensor(DType.F32, shape, Activations.toBytes(DType.F32, v));
      for (String codec : new String[] {"zstd", "plane", "quant", "e8"}) {
        EncodedBlob blob = REGISTRY.encode(t, codec, 0.99);
        DecodedTensor back = REGISTRY.decode(blob.blob());
        assertThat(back.shape()).containsExactly(shape);
        assertThat(Similarity.apex(v, back.values())).isGreaterThanOrEqualTo(0.99);
      }
    }
  }

  @Test
  void bestPicksTheSmallestBlobThatMeetsTheFloor() {
    DenseTensor t = SyntheticActivations.tensor(Kind.GAUSSIAN, 32, 256, DType.BF16, 3);
    EncodedBlob lossy = REGISTRY.encodeBest(t, 0.99);
    assertThat(lossy.codec()).isEqualTo("e8/1");
    for (var codec : REGISTRY.codecs()) {
      assertThat(lossy.blob().length).isLessThanOrEqualTo(REGISTRY.encode(t, codec.key(), 0.99).blob().length);
    }
    EncodedBlob exact = REGISTRY.encodeBest(t, 1.0);
    assertThat(exact.codec()).isEqualTo("plane/1");
    assertThat(REGISTRY.decode(exact.blob()).toDenseTensor().data()).isEqualTo(t.data());
    EncodedBlob onlyZstd = REGISTRY.encodeBest(t, 0.99, java.util.List.of("zstd/1"));
    assertThat(onlyZstd.codec()).isEqualTo("zstd/1");
  }

  @Test
  void lossyRungBeatsTheZstdBaselineByTheTargetOnDenseBf16() {
    DenseTensor t = SyntheticActivations.tensor(Kind.GAUSSIAN, 128, 1024, DType.BF16, 9);
    double zstd = (double) t.data().length / Zstd.compress(t.data(), 3).length;
    assertThat(REGISTRY.encode(t, "e8", 0.99).ratio() / zstd).isGreaterThanOrEqualTo(1.8);
    // Uniform scalar quantisation sits right at the target on Gaussian data (0.25 bit above the rate-distortion
    // bound); the lattice is what clears it.
    assertThat(REGISTRY.encode(t, "quant", 0.99).ratio() / zstd).isGreaterThanOrEqualTo(1.78);
    double lossless = REGISTRY.encode(t, "plane", 1.0).ratio();
    assertThat(lossless).isGreaterThan(zstd);
  }

  @Test
  void structureCompressesFurther() {
    DenseTensor gaussian = SyntheticActivations.tensor(Kind.GAUSSIAN, 128, 512, DType.BF16, 4);
    double dense = REGISTRY.encode(gaussian, "quant", 0.99).ratio();
    for (Kind kind : new Kind[] {Kind.OUTLIER_CHANNELS, Kind.RELU}) {
      DenseTensor t = SyntheticActivations.tensor(kind, 128, 512, DType.BF16, 4);
      double structured = REGISTRY.encode(t, "quant", 0.99).ratio();
      assertThat(structured).as(kind.label()).isGreaterThan(dense * 1.2);
    }
  }

  @Test
  void lookupsByIdAndName() {
    assertThat(REGISTRY.byId(3).orElseThrow().key()).isEqualTo("quant/2");
    assertThat(REGISTRY.byName("quant").orElseThrow().version()).isEqualTo(2);
    assertThat(REGISTRY.byName("quant/1").orElseThrow().version()).isEqualTo(1);
    assertThat(REGISTRY.codecs()).extracting(ActivationCodec::key).containsExactly("zstd/1", "plane/1", "quant/2", "e8/1");
    assertThat(REGISTRY.byId(4).orElseThrow().key()).isEqualTo("e8/1");
    assertThat(REGISTRY.byName("plane").orElseThrow().id()).isEqualTo(2);
    assertThat(REGISTRY.byName("zstd/1").orElseThrow().lossless()).isTrue();
    assertThat(REGISTRY.byName("zstd/9")).isEmpty();
    assertThat(REGISTRY.byId(77)).isEmpty();
  }
}
