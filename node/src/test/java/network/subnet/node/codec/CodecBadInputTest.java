package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import network.subnet.node.codec.SyntheticActivations.Kind;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.api.Test;

class CodecBadInputTest {

  private static final CodecRegistry REGISTRY = CodecRegistry.standard();

  private static DenseTensor f32(long[] shape, float... v) {
    return new DenseTensor(DType.F32, shape, Activations.toBytes(DType.F32, v));
  }

  @Test
  void refusesNonFiniteEmptyAndZeroTensors() {
    assertThatThrownBy(() -> REGISTRY.encodeBest(f32(new long[] {3}, 1, Float.NaN, 2), 0.99))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("non-finite");
    assertThatThrownBy(() -> REGISTRY.encodeBest(f32(new long[] {2}, 1, Float.NEGATIVE_INFINITY), 0.99))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("non-finite");
    assertThatThrownBy(() -> REGISTRY.encodeBest(f32(new long[] {0, 4}), 0.99))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> REGISTRY.encodeBest(f32(new long[] {2, 2}, 0, 0, 0, 0), 0.99))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("all zeros");
    DenseTensor ints = new DenseTensor(DType.I32, new long[] {1}, new byte[4]);
    assertThatThrownBy(() -> REGISTRY.encodeBest(ints, 0.99))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("I32");
  }

  @Test
  void refusesUnknownCodecsAndBadFloors() {
    DenseTensor t = f32(new long[] {2}, 1, 2);
    assertThatThrownBy(() -> REGISTRY.encode(t, "magic", 0.99))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unknown codec magic");
    assertThatThrownBy(() -> REGISTRY.encode(t, "quant", 1.5))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("floor");
    assertThatThrownBy(() -> REGISTRY.encode(t, "quant", 1.0))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot reach");
    byte[] blob = REGISTRY.encode(t, "quant", 0.99).blob();
    byte[] unknownId = blob.clone();
    unknownId[4] = 99;
    assertThatThrownBy(() -> REGISTRY.decode(unknownId))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("unknown codec id 99");
    byte[] newerVersion = blob.clone();
    newerVersion[5] = 3;
    assertThatThrownBy(() -> REGISTRY.decode(newerVersion))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("version 3");
    byte[] badMagic = blob.clone();
    badMagic[0] ^= 1;
    assertThatThrownBy(() -> REGISTRY.decode(badMagic))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("magic");
  }

  @Test
  void refusesDeclaredSizesAboveTheLimit() {
    ByteWriter w = new ByteWriter(32);
    new BlobHeader(3, 1, DType.BF16, new long[] {1L << 30, 1L << 30}).write(w);
    w.f64(1.0);
    byte[] bomb = w.toByteArray();
    assertThatThrownBy(() -> REGISTRY.decode(bomb))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("above the limit");
    DenseTensor t = SyntheticActivations.tensor(Kind.GAUSSIAN, 64, 64, DType.BF16, 1);
    byte[] blob = REGISTRY.encode(t, "zstd", 1.0).blob();
    CodecRegistry small = CodecRegistry.standard(1000);
    assertThatThrownBy(() -> small.decode(blob))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("above the limit");
    assertThatThrownBy(() -> small.encode(t, "zstd", 1.0))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("above the limit");
  }

  @Test
  void aForgedQuantStreamOfTheWidestSymbolStopsAtItsRawBits() {
    // One table where the widest symbol (27 raw bits) has every slot, states that never refill, and one raw byte: a
    // row of 4096 values reads far past the raw bits within one checked run, and must end in a refusal.
    ByteWriter w = new ByteWriter(2048);
    new BlobHeader(3, 2, DType.BF16, new long[] {1, 4096}).write(w);
    w.f64(0.01);
    w.u8(1);
    for (int c = 0; c < QuantCodec.FINE_CONTEXTS; c++) {
      w.u8(0);
    }
    w.varint(QuantCodec.ALPHABET);
    for (int s = 0; s < QuantCodec.ALPHABET; s++) {
      w.varint(s == QuantCodec.ALPHABET - 1 ? Rans.M : 0);
    }
    byte[] states = new byte[16];
    for (int k = 0; k < 4; k++) {
      states[4 * k + 2] = 1; // L = 2^16: low word 0, high word 1
    }
    w.section(states);
    w.u8(0);
    w.section(new byte[] {1});
    byte[] blob = w.toByteArray();
    assertThatThrownBy(() -> REGISTRY.decode(blob))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("corrupt blob");
  }

  @Test
  void truncatedAndForgedBlobsFailCleanly() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (DType dtype : new DType[] {DType.BF16, DType.F16, DType.F32}) {
      DenseTensor t = SyntheticActivations.tensor(Kind.RELU, 8, 40, dtype, 2);
      for (String codec : new String[] {"zstd", "plane", "quant", "quant/1", "e8"}) {
        byte[] blob = REGISTRY.encode(t, codec, 0.99).blob();
        for (int len = 0; len < blob.length; len++) {
          byte[] cut = Arrays.copyOf(blob, len);
          assertThatThrownBy(() -> REGISTRY.decode(cut)).as(codec + " cut at " + len)
              .isInstanceOf(CodecException.class);
        }
        for (int trial = 0; trial < 300; trial++) {
          byte[] forged = blob.clone();
          int flips = 1 + rnd.nextInt(4);
          for (int f = 0; f < flips; f++) {
            forged[rnd.nextInt(forged.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
          try {
            DecodedTensor d = REGISTRY.decode(forged);
            assertThat(d.values()).hasSize((int) REGISTRY.header(forged).elementCount());
          } catch (CodecException expected) {
            assertThat(expected.getMessage()).isNotBlank();
          }
        }
      }
    }
  }

  @Test
  void scoringAgainstTheWrongShapeFails() {
    DenseTensor t = SyntheticActivations.tensor(Kind.GAUSSIAN, 4, 8, DType.BF16, 1);
    DecodedTensor d = REGISTRY.decode(REGISTRY.encode(t, "quant", 0.99).blob());
    assertThatThrownBy(() -> Similarity.apex(new float[31], d.values()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("shape mismatch");
    byte[] blob = REGISTRY.encode(t, "e8", 0.99).blob();
    assertThat(REGISTRY.decode(blob, new long[] {4, 8}).values()).hasSize(32);
    assertThatThrownBy(() -> REGISTRY.decode(blob, new long[] {8, 4}))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("shape mismatch");
  }
}
