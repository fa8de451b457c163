package network.subnet.node.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/**
 * NumPy {@code .npy} files (format versions 1 to 3, C order, little-endian): float32 and float16 read as such; bf16,
 * which NumPy lacks, read from a 2-byte void dtype ({@code |V2}, as ml_dtypes writes it) or from uint16/int16 when
 * the caller says the bits are bf16. Written files are always float32.
 */
public final class NpyFile {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyFile() {}

  /** Reads a tensor; {@code uint16IsBf16} reads {@code <u2}/{@code <i2} data as bf16 bit patterns. */
  public static DenseTensor read(Path file, boolean uint16IsBf16, long maxElements) throws IOException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > 16L * maxElements + (1 << 20)) {
        throw new CodecException(file + ": " + size + " bytes is above the limit for " + maxElements + " elements");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CodecException(file + ": no such file");
    }
    return parse(file, bytes, uint16IsBf16, maxElements);
  }

  /** The bytes of a {@code .npy} file; {@code file} only names it in messages. */
  static DenseTensor parse(Path file, byte[] bytes, boolean uint16IsBf16, long maxElements) {
    if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
      throw new CodecException(file + ": not a .npy file (bad magic)");
    }
    int major = bytes[6] & 0xFF;
    // Lengths as longs: a version 2 header may declare up to 4 GiB, which must not wrap past the bounds check.
    long headerLength;
    long start;
    if (major == 1) {
      headerLength = (bytes[8] & 0xFF) | ((bytes[9] & 0xFF) << 8);
      start = 10 + headerLength;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new CodecException(file + ": truncated .npy header");
      }
      headerLength =
          (bytes[8] & 0xFFL) | ((bytes[9] & 0xFFL) << 8) | ((bytes[10] & 0xFFL) << 16) | ((bytes[11] & 0xFFL) << 24);
      start = 12 + headerLength;
    } else {
      throw new CodecException(file + ": unsupported .npy format version " + major);
    }
    if (start > bytes.length) {
      throw new CodecException(
          file + ": truncated .npy header (declares " + headerLength + " bytes, the file has " + bytes.length + ")");
    }
    int headerLen = (int) headerLength;
    int dataStart = (int) start;
    String header = new String(bytes, dataStart - headerLen, headerLen, StandardCharsets.ISO_8859_1);
    String descr = group(file, DESCR, header, "descr");
    if (group(file, FORTRAN, header, "fortran_order").equals("True")) {
      throw new CodecException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    long[] shape = parseShape(file, group(file, SHAPE, header, "shape"));
    DType dtype =
        switch (descr) {
          case "<f4" -> DType.F32;
          case "<f2" -> DType.F16;
          case "|V2", "<V2", "bfloat16", "<bf16" -> DType.BF16;
          case "<u2", "<i2" -> {
            if (!uint16IsBf16) {
              throw new CodecException(
                  file + ": dtype " + descr + " holds integers; pass the bf16 flag if they are bf16 bits");
            }
            yield DType.BF16;
          }
          default ->
              throw new CodecException(file + ": unsupported dtype " + descr + " (expected <f4, <f2, or bf16 bits)");
        };
    long n = 1;
    for (long d : shape) {
      if (d != 0 && n > maxElements / d) {
        throw new CodecException(
            file + ": shape " + java.util.Arrays.toString(shape) + " is above the limit of " + maxElements + " elements");
      }
      n *= d;
    }
    if (n > maxElements) {
      throw new CodecException(file + ": " + n + " elements is above the limit of " + maxElements);
    }
    long need = n * dtype.byteSize();
    if (bytes.length - dataStart != need) {
      throw new CodecException(
          "%s: shape %s of %s needs %d data bytes, the file has %d"
              .formatted(file, java.util.Arrays.toString(shape), descr, need, bytes.length - dataStart));
    }
    return new DenseTensor(dtype, shape, java.util.Arrays.copyOfRange(bytes, dataStart, bytes.length));
  }

  private static String group(Path file, Pattern p, String header, String what) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new CodecException(file + ": .npy header has no " + what);
    }
    return m.group(1);
  }

  private static long[] parseShape(Path file, String text) {
    List<Long> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        long d = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        if (d < 0) {
          throw new NumberFormatException();
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw new CodecException(file + ": bad .npy shape (" + text + ")");
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /** Writes {@code values} as a float32 {@code .npy} of the given shape. */
  public static void writeFloat32(Path file, float[] values, long[] shape) throws IOException {
    write(file, new DenseTensor(DType.F32, shape, Activations.toBytes(DType.F32, values)));
  }

  /**
   * Writes an F32, F16 or BF16 tensor as {@code .npy}; bf16 is written as {@code <u2} bit patterns (numpy has no bf16),
   * which {@link #read} takes back as bf16 when told to.
   */
  public static void write(Path file, DenseTensor tensor) throws IOException {
    String descr = switch (tensor.dtype()) {
      case F32 -> "<f4";
      case F16 -> "<f2";
      case BF16 -> "<u2";
      default -> throw new CodecException("cannot write dtype " + tensor.dtype() + " as .npy activations");
    };
    long[] shape = tensor.shape();
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText =
        shape.length == 1 ? shape[0] + "," : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
    byte[] data = tensor.data();
    byte[] out = new byte[10 + head.length + data.length];
    System.arraycopy(MAGIC, 0, out, 0, 6);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) head.length;
    out[9] = (byte) (head.length >>> 8);
    System.arraycopy(head, 0, out, 10, head.length);
    System.arraycopy(data, 0, out, 10 + head.length, data.length);
    Files.write(file, out);
  }

  /**
   * Reads a numeric array ({@code <f4}, {@code <f8}, {@code <f2}, {@code <i4}, {@code <i8}, {@code <u4}, {@code |i1},
   * {@code |u1}, {@code <i2}, {@code <u2}, {@code |b1}) from {@code .npy} bytes, widened to float64; {@code source}
   * names the bytes in errors (a file, or an entry of an {@code .npz}).
   */
  public static NumericArray readNumeric(String source, byte[] bytes, long maxElements) {
    if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
      throw new CodecException(source + ": not a .npy array (bad magic)");
    }
    int major = bytes[6] & 0xFF;
    long headerLen;
    int prefix;
    if (major == 1) {
      headerLen = (bytes[8] & 0xFF) | ((bytes[9] & 0xFF) << 8);
      prefix = 10;
    } else if ((major == 2 || major == 3) && bytes.length >= 12) {
      headerLen = (bytes[8] & 0xFFL) | ((bytes[9] & 0xFFL) << 8) | ((bytes[10] & 0xFFL) << 16)
          | ((bytes[11] & 0xFFL) << 24);
      prefix = 12;
    } else {
      throw new CodecException(source + ": unsupported or truncated .npy header (version " + major + ")");
    }
    if (prefix + headerLen > bytes.length) {
      throw new CodecException(source + ": truncated .npy header");
    }
    int dataStart = (int) (prefix + headerLen);
    Path name = Path.of(source);
    String header = new String(bytes, prefix, (int) headerLen, StandardCharsets.ISO_8859_1);
    String descr = group(name, DESCR, header, "descr");
    if (group(name, FORTRAN, header, "fortran_order").equals("True")) {
      throw new CodecException(source + ": Fortran-order arrays are not supported");
    }
    long[] shape = parseShape(name, group(name, SHAPE, header, "shape"));
    int width = switch (descr) {
      case "<f8", "<i8", "<u8" -> 8;
      case "<f4", "<i4", "<u4" -> 4;
      case "<f2", "<i2", "<u2" -> 2;
      case "|i1", "|u1", "|b1" -> 1;
      default -> throw new CodecException(source + ": unsupported numeric dtype " + descr);
    };
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    if (n > maxElements) {
      throw new CodecException(source + ": " + n + " elements is above the limit of " + maxElements);
    }
    if (bytes.length - dataStart != n * width) {
      throw new CodecException("%s: shape %s of %s needs %d data bytes, the array has %d"
          .formatted(source, java.util.Arrays.toString(shape), descr, n * width, bytes.length - dataStart));
    }
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (descr) {
        case "<f8" -> in.getDouble();
        case "<i8" -> in.getLong();
        case "<u8" -> {
          long v = in.getLong();
          yield v >= 0 ? v : (double) (v >>> 1) * 2;
        }
        case "<f4" -> in.getFloat();
        case "<i4" -> in.getInt();
        case "<u4" -> in.getInt() & 0xFFFFFFFFL;
        case "<f2" -> Float.float16ToFloat(in.getShort());
        case "<i2" -> in.getShort();
        case "<u2" -> in.getShort() & 0xFFFF;
        case "|i1" -> in.get();
        default -> in.get() & 0xFF;
      };
    }
    return new NumericArray(descr, shape, values);
  }
}
