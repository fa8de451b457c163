package network.subnet.node.transport;

import com.google.protobuf.ByteString;
import network.subnet.node.api.ApiException;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.proto.v1.Tensor;

/**
 * {@link DenseTensor} <-> {@code subnet.v1.Tensor}, refusing malformed tensors with the field
 * named.
 */
public final class TensorMapper {

  /** Deep enough for any activation or token tensor; deeper shapes are refused as malformed. */
  public static final int MAX_RANK = 8;

  private TensorMapper() {}

  public static Tensor toProto(DenseTensor tensor) {
    Tensor.Builder b =
        Tensor.newBuilder().setDtype(network.subnet.proto.v1.DType.valueOf(tensor.dtype().name()));
    for (long d : tensor.shape()) {
      b.addShape(d);
    }
    return b.setData(ByteString.copyFrom(tensor.data())).build();
  }

  public static DenseTensor fromProto(Tensor tensor, String field) {
    DType dtype = dtype(tensor.getDtype(), field + ".dtype");
    if (tensor.getShapeCount() > MAX_RANK) {
      throw ApiException.invalid(
          field + ".shape has rank " + tensor.getShapeCount() + "; at most " + MAX_RANK);
    }
    long[] shape = new long[tensor.getShapeCount()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = tensor.getShape(i);
      if (d < 0) {
        throw ApiException.invalid(field + ".shape[" + i + "] is negative: " + d);
      }
      shape[i] = d;
      // Anything beyond int range cannot be backed by a byte[]; catching it here avoids overflow
      // tricks.
      if (d != 0 && elements > Integer.MAX_VALUE / d) {
        throw ApiException.invalid(
            field + ".shape " + tensor.getShapeList() + " is absurdly large");
      }
      elements *= d;
    }
    long needed = elements * dtype.byteSize();
    if (needed != tensor.getData().size()) {
      throw ApiException.invalid(
          "%s.data has %d bytes; shape %s of %s needs %d"
              .formatted(field, tensor.getData().size(), tensor.getShapeList(), dtype, needed));
    }
    return new DenseTensor(dtype, shape, tensor.getData().toByteArray());
  }

  static DType dtype(network.subnet.proto.v1.DType dtype, String field) {
    return switch (dtype) {
      case DTYPE_UNSPECIFIED -> throw ApiException.invalid(field + " is missing");
      case UNRECOGNIZED -> throw ApiException.invalid(field + " is an unknown dtype");
      default -> DType.valueOf(dtype.name());
    };
  }
}
