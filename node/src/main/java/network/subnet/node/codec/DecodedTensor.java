package network.subnet.node.codec;

import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/** A decoded blob: which codec made it, the original dtype and shape, and the values widened to fp32. */
public record DecodedTensor(String codec, DType dtype, long[] shape, float[] values) {

  public DecodedTensor {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The values in the original dtype (exact for lossless codecs, rounded to nearest even otherwise). */
  public DenseTensor toDenseTensor() {
    return new DenseTensor(dtype, shape, Activations.toBytes(dtype, values));
  }

  /** The values as an fp32 tensor. */
  public DenseTensor toFloat32Tensor() {
    return new DenseTensor(DType.F32, shape, Activations.toBytes(DType.F32, values));
  }
}
