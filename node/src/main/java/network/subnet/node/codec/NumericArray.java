package network.subnet.node.codec;

/**
 * A numeric {@code .npy} array widened to float64, with its NumPy dtype ({@code descr}) and shape: for data sets
 * whose fields mix float32, float64, int32 and int64 (int64 values beyond 2^53 lose precision).
 */
public record NumericArray(String descr, long[] shape, double[] values) {

  public NumericArray {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code axis}. */
  public long dim(int axis) {
    return shape[axis];
  }

  public int rank() {
    return shape.length;
  }
}
