package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import network.subnet.node.codec.SyntheticActivations.Kind;
import network.subnet.node.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * quant/2's block-wise coding pass: its table path for small integers writes the same streams as the general one,
 * blocks of every length end where the decoder expects, and the decoder refuses a step that rebuilds non-finite
 * values now that the registry leaves that check to it.
 */
class QuantPassTest {

  private static final CodecRegistry REGISTRY = CodecRegistry.standard();

  @Test
  void theSmallIntegerTableCodesWhatTheGeneralPathCodes() {
    // Lengths around the block and the groups of four; outlier channels make the contexts differ.
    int[] lengths = {1, 3, 6, QuantPass.BLOCK - 1, QuantPass.BLOCK, QuantPass.BLOCK + 5, 3 * QuantPass.BLOCK + 2};
    for (Kind kind : new Kind[] {Kind.GAUSSIAN, Kind.OUTLIER_CHANNELS}) {
      for (int n : lengths) {
        int cols = n % 7 == 0 ? 7 : n;
        float[] v = SyntheticActivations.values(kind, 1, n, 3);
        float maxAbs = 0;
        for (float x : v) {
          maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        double step = maxAbs / 900;
        QuantCodec.Model model = QuantCodec.Model.of(v, cols, step, maxAbs);
        for (byte[] contexts : new byte[][] {null, QuantCodec.contexts(v, cols, step)}) {
          QuantPass.Coded table =
              QuantPass.code(v, step, maxAbs, model.enc(), contexts, model.symbolBits(), model.rawBits());
          // A declared magnitude past the table's range takes the general path over the same values.
          QuantPass.Coded general =
              QuantPass.code(v, step, 1e9f, model.enc(), contexts, model.symbolBits(), model.rawBits());
          String what = kind + " n=" + n + (contexts == null ? " one table" : " contexts");
          assertThat(stream(table.rans(), table.ransFrom()))
              .as(what)
              .isEqualTo(stream(general.rans(), general.ransFrom()));
          assertThat(stream(table.raw(), table.rawFrom())).as(what).isEqualTo(stream(general.raw(), general.rawFrom()));
          assertThat(table.pad()).as(what).isEqualTo(general.pad());
          assertThat(table.xe()).as(what).isEqualTo(general.xe());
          assertThat(table.ee()).as(what).isEqualTo(general.ee());
        }
      }
    }
  }

  @Test
  void everyBlockLengthRoundTripsAtTheFloor() {
    for (int cols : new int[] {1, 5, QuantPass.BLOCK - 3, QuantPass.BLOCK + 1}) {
      for (int rows : new int[] {1, 3}) {
        float[] v = SyntheticActivations.values(Kind.HEAVY_TAILED, rows, cols, cols + rows);
        var t = Activations.tensor(DType.F32, new long[] {rows, cols}, v);
        // A floor this close to 1 puts the integers past the small-integer table.
        for (double floor : new double[] {0.99, 0.9999999}) {
          EncodedBlob blob = REGISTRY.encode(t, "quant/2", floor);
          double sim = Similarity.apex(v, REGISTRY.decode(blob.blob()).values());
          assertThat(sim).as(rows + "x" + cols + " at " + floor).isGreaterThanOrEqualTo(floor);
          assertThat(sim).isCloseTo(blob.similarity(), within(1e-12));
        }
      }
    }
  }

  @Test
  void aStepThatRebuildsNonFiniteValuesIsRefused() {
    // Symbol 20 is 24 or 25 zigzagged (q = 12 or -13), the raw bit least significant first: 0xA5 is 1,0,1,0,0,1,0,1.
    int[] q = {-13, 12, -13, 12, 12, -13, 12, -13};
    float[] expected = new float[8];
    for (int i = 0; i < 8; i++) {
      expected[i] = (float) (q[i] * 1e30);
    }
    assertThat(REGISTRY.decode(blobOfSymbol20(1e30)).values()).containsExactly(expected);
    // Past Float.MAX_VALUE at this step.
    assertThatThrownBy(() -> REGISTRY.decode(blobOfSymbol20(1e38)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("non-finite");
  }

  /** Eight values of symbol 20 (one raw bit each) at {@code step}, every state at its start so none refills. */
  private static byte[] blobOfSymbol20(double step) {
    ByteWriter w = new ByteWriter(1024);
    new BlobHeader(3, 2, DType.F32, new long[] {1, 8}).write(w);
    w.f64(step);
    w.u8(1);
    for (int c = 0; c < QuantCodec.FINE_CONTEXTS; c++) {
      w.u8(0);
    }
    w.varint(21);
    for (int s = 0; s <= 20; s++) {
      w.varint(s == 20 ? Rans.M : 0);
    }
    byte[] states = new byte[16];
    for (int k = 0; k < 4; k++) {
      states[4 * k + 2] = 1;
    }
    w.section(states);
    w.u8(0);
    w.section(new byte[] {(byte) 0xA5});
    return w.toByteArray();
  }

  private static byte[] stream(byte[] buf, int from) {
    return Arrays.copyOfRange(buf, from, buf.length);
  }
}
