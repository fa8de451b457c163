package network.subnet.node.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small NumPy {@code .npz} archives (a zip of {@code .npy} arrays, as {@code np.savez} makes them). */
public final class TinyNpz {

  /** One array: its NumPy dtype, shape and little-endian data. */
  public record Array(String descr, long[] shape, byte[] data) {}

  private final Map<String, Array> arrays = new LinkedHashMap<>();

  public TinyNpz f32(String name, long[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    arrays.put(name, new Array("<f4", shape, b.array()));
    return this;
  }

  /** A float32 array of the given shape filled with a ramp, for feature fields whose values do not matter. */
  public TinyNpz f32Ramp(String name, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] values = new float[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.01f;
    }
    return f32(name, shape, values);
  }

  public TinyNpz i32(String name, long[] shape, int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    arrays.put(name, new Array("<i4", shape, b.array()));
    return this;
  }

  public TinyNpz i64(String name, long[] shape, long... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    arrays.put(name, new Array("<i8", shape, b.array()));
    return this;
  }

  public Path write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, Array> e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(npy(e.getValue()));
        zip.closeEntry();
      }
    }
    return file;
  }

  private static byte[] npy(Array a) {
    StringBuilder dims = new StringBuilder();
    for (long d : a.shape()) {
      dims.append(d).append(", ");
    }
    String shape = a.shape().length == 1 ? a.shape()[0] + "," : dims.length() == 0 ? ""
        : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '" + a.descr() + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
    byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.allocate(10 + header.length + a.data().length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.putShort((short) header.length);
    out.put(header);
    out.put(a.data());
    return out.array();
  }

  /** A tile:xla graph in the released field layout with the given measured runtimes. */
  public static Path tileGraph(Path file, long... runtimes) throws IOException {
    int c = runtimes.length;
    long[] normalizers = new long[c];
    java.util.Arrays.fill(normalizers, 1000);
    return new TinyNpz()
        .f32Ramp("node_feat", 3, 140)
        .i32("node_opcode", new long[] {3}, 10, 24, 63)
        .i32("edge_index", new long[] {2, 2}, 1, 0, 2, 1)
        .f32Ramp("config_feat", c, 24)
        .i64("config_runtime", new long[] {c}, runtimes)
        .i64("config_runtime_normalizers", new long[] {c}, normalizers)
        .write(file);
  }

  /** A layout graph in the released field layout (two configurable nodes) with the given measured runtimes. */
  public static Path layoutGraph(Path file, long... runtimes) throws IOException {
    int c = runtimes.length;
    return new TinyNpz()
        .f32Ramp("node_feat", 3, 140)
        .i32("node_opcode", new long[] {3}, 10, 24, 63)
        .i32("edge_index", new long[] {2, 2}, 1, 0, 2, 1)
        .i32("node_config_ids", new long[] {2}, 0, 2)
        .f32Ramp("node_config_feat", c, 2, 18)
        .i64("config_runtime", new long[] {c}, runtimes)
        .write(file);
  }
}
