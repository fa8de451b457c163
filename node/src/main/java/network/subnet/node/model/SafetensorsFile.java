package network.subnet.node.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import network.subnet.node.tensor.DType;

/**
 * Reads one safetensors file: an 8-byte little-endian header length, a JSON header mapping tensor names to dtype, shape
 * and data offsets, then the raw little-endian tensor bytes. Tensor data is memory-mapped region by region (never the
 * whole file at once, so multi-gigabyte shards work) and widened to fp32 on the way out.
 */
public final class SafetensorsFile {

  /** Headers larger than this are not plausible for a model shard and are treated as corrupt. */
  private static final long MAX_HEADER_BYTES = 100L << 20;

  /** Mapped windows stay well under the 2 GiB limit of a single MappedByteBuffer. */
  private static final int WINDOW_BYTES = 1 << 30;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    this.file = file;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** Parses and checks the header; tensor bytes are not read yet. */
  public static SafetensorsFile open(Path file) throws CheckpointException {
    long size;
    byte[] headerBytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      size = ch.size();
      if (size < 8) {
        throw new CheckpointException(file + ": truncated safetensors file (" + size + " bytes, no header length)");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLen = len.flip().getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
        throw new CheckpointException(file + ": corrupt safetensors header length " + headerLen);
      }
      if (8 + headerLen > size) {
        throw new CheckpointException(
            file + ": truncated safetensors file: header claims " + headerLen + " bytes but the file has " + size);
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      headerBytes = header.array();
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": missing safetensors file");
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new CheckpointException(file + ": corrupt safetensors header (not JSON): " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + ": corrupt safetensors header (not a JSON object)");
    }
    long dataStart = 8 + headerBytes.length;
    long dataSize = size - dataStart;
    Map<String, TensorInfo> tensors = new TreeMap<>();
    Map<String, String> metadata = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (e.getKey().equals("__metadata__")) {
        e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      tensors.put(e.getKey(), parseEntry(file, e.getKey(), e.getValue(), dataStart, dataSize));
    }
    return new SafetensorsFile(file, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
  }

  private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataStart, long dataSize)
      throws CheckpointException {
    JsonNode dtypeNode = node.get("dtype");
    JsonNode shapeNode = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtypeNode == null || shapeNode == null || !shapeNode.isArray() || offsets == null || offsets.size() != 2) {
      throw new CheckpointException(file + ": corrupt header entry for tensor " + name);
    }
    String dtypeName = dtypeNode.asText();
    DType dtype =
        switch (dtypeName) {
          case "BF16" -> DType.BF16;
          case "F16" -> DType.F16;
          case "F32" -> DType.F32;
          default ->
              throw new CheckpointException(
                  file + ": tensor " + name + " has unsupported dtype " + dtypeName + " (expected BF16, F16 or F32)");
        };
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new CheckpointException(file + ": tensor " + name + " has a negative or non-numeric dimension");
      }
    }
    for (long d : shape) {
      if (d != 0 && count > Long.MAX_VALUE / dtype.byteSize() / d) {
        throw new CheckpointException(
            file + ": tensor " + name + " has shape " + Arrays.toString(shape) + ", too large for any file");
      }
      count *= d;
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin) {
      throw new CheckpointException(
          file + ": tensor " + name + " has invalid data_offsets [" + begin + ", " + end + "]");
    }
    if (end - begin != count * dtype.byteSize()) {
      throw new CheckpointException(
          "%s: tensor %s: %d bytes for shape %s of %s (expected %d)"
              .formatted(file, name, end - begin, Arrays.toString(shape), dtypeName, count * dtype.byteSize()));
    }
    if (end > dataSize) {
      throw new CheckpointException(
          "%s: truncated: tensor %s ends at byte %d of the data section but only %d bytes are present"
              .formatted(file, name, end, dataSize));
    }
    return new TensorInfo(name, file, dtype, dtypeName, shape, dataStart + begin, dataStart + end);
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  public Path file() {
    return file;
  }

  /** Tensors by name, sorted. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Widens the tensor's elements to fp32 into {@code dst} (from its current position), mapping the file region by
   * region.
   */
  public static void readFloats(TensorInfo t, FloatBuffer dst) throws CheckpointException {
    if (dst.remaining() < t.elementCount()) {
      throw new IllegalArgumentException("buffer too small for tensor " + t.name());
    }
    forEachWindow(
        t,
        window -> {
          switch (t.dtype()) {
            case F32 -> dst.put(window.asFloatBuffer());
            case BF16 -> {
              while (window.remaining() >= 2) {
                dst.put(Float.intBitsToFloat((window.getShort() & 0xFFFF) << 16));
              }
            }
            case F16 -> {
              while (window.remaining() >= 2) {
                dst.put(Float.float16ToFloat(window.getShort()));
              }
            }
            default -> throw new IllegalStateException("unsupported dtype " + t.dtype());
          }
        });
  }

  /** Passes the tensor's raw little-endian bytes to {@code sink}, window by window. */
  public static void forEachWindow(TensorInfo t, WindowSink sink) throws CheckpointException {
    try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
      if (t.end() > ch.size()) {
        throw new CheckpointException(t.file() + ": truncated: tensor " + t.name() + " runs past the end of the file");
      }
      // Windows are aligned to the element size so no element straddles two of them.
      long pos = t.start();
      while (pos < t.end()) {
        long len = Math.min(WINDOW_BYTES, t.end() - pos);
        MappedByteBuffer window = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
        window.order(ByteOrder.LITTLE_ENDIAN);
        sink.accept(window);
        pos += len;
      }
    } catch (CheckpointException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new CheckpointException(t.file() + ": missing file holding tensor " + t.name());
    } catch (IOException e) {
      throw new CheckpointException(t.file() + ": cannot read tensor " + t.name() + ": " + e.getMessage(), e);
    }
  }

  /** Reads all of a small tensor into a float array. */
  public static float[] readFloats(TensorInfo t) throws CheckpointException {
    long n = t.elementCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(t.file() + ": tensor " + t.name() + " is too large for a Java array");
    }
    float[] out = new float[(int) n];
    readFloats(t, FloatBuffer.wrap(out));
    return out;
  }

  /** Receives consecutive mapped windows of one tensor's bytes. */
  @FunctionalInterface
  public interface WindowSink {
    void accept(ByteBuffer window) throws CheckpointException;
  }
}
