package network.subnet.node.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** Writes safetensors files: tensors in sorted name order, header padded with spaces to an 8-byte boundary. */
public final class SafetensorsWriter {

  /** One tensor's raw little-endian bytes, with its safetensors dtype name ("BF16", "F16", "F32") and shape. */
  public record Tensor(String dtypeName, long[] shape, byte[] data) {}

  private SafetensorsWriter() {}

  /** Writes {@code tensors} to {@code file}; returns the number of data bytes written. */
  public static long write(Path file, SortedMap<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", t.dtypeName());
      entry.put("shape", t.shape());
      entry.put("data_offsets", List.of(offset, offset + t.data().length));
      header.put(e.getKey(), entry);
      offset += t.data().length;
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      headerBytes[i] = ' ';
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      for (Tensor t : tensors.values()) {
        out.write(t.data());
      }
    }
    return offset;
  }

  /** Rounds fp32 values to bf16 (round to nearest, ties to even) as little-endian bytes. */
  public static byte[] toBf16(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(bf16Bits(v));
    }
    return b.array();
  }

  static short bf16Bits(float v) {
    int bits = Float.floatToRawIntBits(v);
    if (Float.isNaN(v)) {
      return (short) 0x7FC0;
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /** fp32 values as little-endian bytes. */
  public static byte[] toF32(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  /** fp32 values rounded to IEEE half precision as little-endian bytes. */
  public static byte[] toF16(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(Float.floatToFloat16(v));
    }
    return b.array();
  }
}
