package network.subnet.node.model;

import java.nio.file.Path;
import java.util.Arrays;
import network.subnet.node.tensor.DType;

/**
 * Where one tensor lives: its file, element type, shape and byte range (absolute offsets within the file).
 *
 * @param dtypeName the dtype as the safetensors header spells it ("BF16", "F16", "F32")
 */
public record TensorInfo(String name, Path file, DType dtype, String dtypeName, long[] shape, long start, long end) {

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long byteLength() {
    return end - start;
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
