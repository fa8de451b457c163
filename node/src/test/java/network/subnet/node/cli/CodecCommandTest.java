package network.subnet.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.codec.SyntheticActivations.Kind;
import network.subnet.node.model.SafetensorsWriter;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CodecCommandTest {

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new CodecCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A v1 .npy with the given descr, as NumPy writes it. */
  private static void writeNpy(Path file, String descr, long[] shape, byte[] data) throws Exception {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    byte[] head = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + head.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) head.length).put(head).put(data);
    Files.write(file, b.array());
  }

  @Test
  void encodeDecodeAndScoreAFloat32Npy() throws Exception {
    Path x = dir.resolve("x.npy");
    float[] values = SyntheticActivations.values(Kind.OUTLIER_CHANNELS, 16, 128, 3);
    NpyFile.writeFloat32(x, values, new long[] {16, 128});
    Path blob = dir.resolve("x.blob");
    Run enc = run("encode", "--input", x.toString(), "--out", blob.toString(), "--min-similarity", "0.99");
    assertThat(enc.code()).as(enc.err()).isZero();
    assertThat(enc.out()).contains("codec ", "ratio ");

    Path y = dir.resolve("y.npy");
    Run dec = run("decode", "--input", blob.toString(), "--out", y.toString());
    assertThat(dec.code()).as(dec.err()).isZero();
    DenseTensor back = NpyFile.read(y, false, 1 << 20);
    assertThat(back.dtype()).isEqualTo(DType.F32);
    assertThat(back.shape()).containsExactly(16, 128);

    Run score = run("score", "--reference", x.toString(), "--blob", blob.toString(), "--json");
    assertThat(score.code()).as(score.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(score.out());
    assertThat(r.get("similarity").asDouble()).isGreaterThanOrEqualTo(0.99).isLessThan(0.995);
    assertThat(r.get("similarity").asDouble())
        .isCloseTo(
            r.get("cosine").asDouble() * r.get("norm_similarity").asDouble(),
            org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.get("ratio").asDouble()).isEqualTo(16.0 * 128 * 4 / Files.size(blob));
    for (String field : new String[] {"encode_ms", "decode_ms", "apex_raw", "apex_normalized"}) {
      assertThat(r.get(field).asDouble()).as(field).isPositive();
    }
    Run table = run("score", "--reference", x.toString(), "--blob", blob.toString());
    assertThat(table.out()).contains("apex_normalized", "norm_similarity");
  }

  @Test
  void bf16BitsFromUint16AndSafetensorsRoundTripLosslessly() throws Exception {
    DenseTensor t = SyntheticActivations.tensor(Kind.RELU, 8, 64, DType.BF16, 2);
    Path u16 = dir.resolve("a.npy");
    writeNpy(u16, "<u2", t.shape(), t.data());
    Path blob = dir.resolve("a.blob");
    assertThat(run("encode", "--input", u16.toString(), "--out", blob.toString()).code()).isNotZero();
    Run enc = run("encode", "--input", u16.toString(), "--bf16", "--out", blob.toString(), "--min-similarity", "1");
    assertThat(enc.code()).as(enc.err()).isZero();
    Path y = dir.resolve("a.out.npy");
    assertThat(run("decode", "--input", blob.toString(), "--out", y.toString()).code()).isZero();
    float[] expected = toFloats(t);
    DenseTensor back = NpyFile.read(y, false, 1 << 20);
    assertThat(toFloats(back)).containsExactly(expected);

    Path st = dir.resolve("acts.safetensors");
    TreeMap<String, SafetensorsWriter.Tensor> tensors = new TreeMap<>();
    tensors.put("h", new SafetensorsWriter.Tensor("BF16", t.shape(), t.data()));
    tensors.put("g", new SafetensorsWriter.Tensor("BF16", t.shape(), t.data()));
    SafetensorsWriter.write(st, tensors, Map.of());
    Run ambiguous = run("encode", "--input", st.toString(), "--out", blob.toString());
    assertThat(ambiguous.code()).isNotZero();
    assertThat(ambiguous.err()).contains("name one");
    Run named = run("encode", "--input", st.toString(), "--tensor", "h", "--codec", "e8", "--out", blob.toString());
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(named.out()).contains("e8/1");
    Run score = run("score", "--reference", st.toString(), "--tensor", "h", "--blob", blob.toString(), "--json");
    assertThat(score.code()).as(score.err()).isZero();
  }

  private static float[] toFloats(DenseTensor t) {
    ByteBuffer b = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) t.elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.dtype() == DType.F32 ? b.getFloat() : Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
    }
    return out;
  }

  @Test
  void badInputsGiveClearErrors() throws Exception {
    Path x = dir.resolve("x.npy");
    NpyFile.writeFloat32(x, new float[] {1, Float.NaN, 2, 3}, new long[] {2, 2});
    Path blob = dir.resolve("x.blob");
    Run nan = run("encode", "--input", x.toString(), "--out", blob.toString());
    assertThat(nan.code()).isNotZero();
    assertThat(nan.err()).contains("non-finite");

    Path zeros = dir.resolve("z.npy");
    NpyFile.writeFloat32(zeros, new float[4], new long[] {2, 2});
    assertThat(run("encode", "--input", zeros.toString(), "--out", blob.toString()).err()).contains("all zeros");

    Path missing = dir.resolve("missing.npy");
    assertThat(run("encode", "--input", missing.toString(), "--out", blob.toString()).err()).contains("no such file");

    Path truncated = dir.resolve("t.npy");
    writeNpy(truncated, "<f4", new long[] {4, 4}, new byte[12]);
    assertThat(run("encode", "--input", truncated.toString(), "--out", blob.toString()).err())
        .contains("needs 64 data bytes");

    Path good = dir.resolve("g.npy");
    NpyFile.writeFloat32(good, SyntheticActivations.values(Kind.GAUSSIAN, 4, 8, 1), new long[] {4, 8});
    assertThat(run("encode", "--input", good.toString(), "--out", blob.toString(), "--codec", "nope").err())
        .contains("unknown codec nope");
    assertThat(run("encode", "--input", good.toString(), "--out", blob.toString()).code()).isZero();
    Path other = dir.resolve("o.npy");
    NpyFile.writeFloat32(other, SyntheticActivations.values(Kind.GAUSSIAN, 8, 4, 1), new long[] {8, 4});
    assertThat(run("score", "--reference", other.toString(), "--blob", blob.toString()).err())
        .contains("shape mismatch");

    Path forged = dir.resolve("f.blob");
    byte[] bytes = Files.readAllBytes(blob);
    Files.write(forged, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Run cut = run("decode", "--input", forged.toString(), "--out", dir.resolve("y.npy").toString());
    assertThat(cut.code()).isNotZero();
    assertThat(cut.err()).startsWith("error: ");
    assertThat(run().code()).isNotZero();
  }
}
