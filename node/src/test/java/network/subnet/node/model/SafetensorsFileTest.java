package network.subnet.node.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path dir;

  private static final float[] VALUES = {1.0f, -2.5f, 0.15625f, 3.0e-3f, -65504f, 0f};

  private Path writeOne(String dtype, byte[] data) throws IOException {
    Path f = dir.resolve(dtype + ".safetensors");
    TreeMap<String, SafetensorsWriter.Tensor> t = new TreeMap<>();
    t.put("w", new SafetensorsWriter.Tensor(dtype, new long[] {2, 3}, data));
    SafetensorsWriter.write(f, t, Map.of("format", "pt"));
    return f;
  }

  @Test
  void widensF32Exactly() throws IOException {
    SafetensorsFile f = SafetensorsFile.open(writeOne("F32", SafetensorsWriter.toF32(VALUES)));
    assertThat(f.metadata()).containsEntry("format", "pt");
    TensorInfo t = f.tensors().get("w");
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(SafetensorsFile.readFloats(t)).containsExactly(VALUES);
  }

  @Test
  void widensBf16() throws IOException {
    SafetensorsFile f = SafetensorsFile.open(writeOne("BF16", SafetensorsWriter.toBf16(VALUES)));
    float[] got = SafetensorsFile.readFloats(f.tensors().get("w"));
    // Values representable in bf16 come back exactly; the rest are within bf16's 2^-8 relative precision.
    assertThat(got[0]).isEqualTo(1.0f);
    assertThat(got[1]).isEqualTo(-2.5f);
    assertThat(got[2]).isEqualTo(0.15625f);
    assertThat(got[3]).isCloseTo(3.0e-3f, within(3.0e-3f / 256));
    assertThat(got[4]).isEqualTo(-65536f);
    assertThat(got[5]).isZero();
  }

  @Test
  void bf16RoundsToNearestEven() {
    // 1 + 2^-8 lies exactly between two bf16 values; ties go to the even mantissa (1.0).
    assertThat(SafetensorsWriter.bf16Bits(1.0f + 0x1p-8f)).isEqualTo((short) 0x3F80);
    assertThat(SafetensorsWriter.bf16Bits(1.0f + 0x1p-8f + 0x1p-16f)).isEqualTo((short) 0x3F81);
  }

  @Test
  void widensF16() throws IOException {
    SafetensorsFile f = SafetensorsFile.open(writeOne("F16", SafetensorsWriter.toF16(VALUES)));
    float[] got = SafetensorsFile.readFloats(f.tensors().get("w"));
    assertThat(Arrays.copyOf(got, 3)).containsExactly(1.0f, -2.5f, 0.15625f);
    assertThat(got[4]).isEqualTo(-65504f);
  }

  @Test
  void truncatedDataIsNamed() throws IOException {
    Path f = writeOne("F32", SafetensorsWriter.toF32(VALUES));
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 4));
    assertThatThrownBy(() -> SafetensorsFile.open(f))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("truncated")
        .hasMessageContaining("tensor w")
        .hasMessageContaining(f.toString());
  }

  @Test
  void truncatedHeaderIsNamed() throws IOException {
    Path f = writeOne("F32", SafetensorsWriter.toF32(VALUES));
    Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 20));
    assertThatThrownBy(() -> SafetensorsFile.open(f))
        .hasMessageContaining("truncated")
        .hasMessageContaining(f.toString());
    Files.write(f, new byte[3]);
    assertThatThrownBy(() -> SafetensorsFile.open(f)).hasMessageContaining("truncated");
  }

  @Test
  void corruptHeaderIsNamed() throws IOException {
    Path f = dir.resolve("bad.safetensors");
    byte[] json = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2".getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + 24).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json);
    Files.write(f, b.array());
    assertThatThrownBy(() -> SafetensorsFile.open(f))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("corrupt")
        .hasMessageContaining(f.toString());

    ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2);
    Files.write(f, huge.array());
    assertThatThrownBy(() -> SafetensorsFile.open(f)).hasMessageContaining("corrupt safetensors header length");
  }

  @Test
  void byteCountMustMatchShape() throws IOException {
    Path f = dir.resolve("short.safetensors");
    TreeMap<String, SafetensorsWriter.Tensor> t = new TreeMap<>();
    t.put("w", new SafetensorsWriter.Tensor("F32", new long[] {2, 4}, SafetensorsWriter.toF32(VALUES)));
    SafetensorsWriter.write(f, t, Map.of());
    assertThatThrownBy(() -> SafetensorsFile.open(f)).hasMessageContaining("tensor w").hasMessageContaining("[2, 4]");
  }

  @Test
  void unsupportedDtypeIsNamed() throws IOException {
    Path f = writeOne("I8", new byte[6]);
    assertThatThrownBy(() -> SafetensorsFile.open(f))
        .hasMessageContaining("tensor w")
        .hasMessageContaining("unsupported dtype I8");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> SafetensorsFile.open(dir.resolve("nope.safetensors")))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("nope.safetensors")
        .hasMessageContaining("missing");
  }
}
