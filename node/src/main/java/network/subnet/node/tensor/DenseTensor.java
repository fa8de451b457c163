package network.subnet.node.tensor;

import java.util.Arrays;

/**
 * A dense tensor as packed little-endian bytes. The constructor checks that the data length matches the shape,
 * so a malformed tensor from the wire never gets further than the edge.
 */
public record DenseTensor(DType dtype, long[] shape, byte[] data) {

  public DenseTensor {
    if (dtype == null) {
      throw new IllegalArgumentException("tensor dtype is missing");
    }
    long elements = elementCount(shape);
    if (elements * dtype.byteSize() != data.length) {
      throw new IllegalArgumentException(
          "tensor of shape %s and dtype %s needs %d bytes, got %d"
              .formatted(Arrays.toString(shape), dtype, elements * dtype.byteSize(), data.length));
    }
    shape = shape.clone();
  }

  public long elementCount() {
    return elementCount(shape);
  }

  private static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor shape has a negative dimension: " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }
}
