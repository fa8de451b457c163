package network.subnet.node.codec;

import com.github.luben.zstd.Zstd;

/** Lossless: zstd on the raw little-endian bytes, the baseline Apex compares against (level 3 there and here). */
final class ZstdCodec extends ActivationCodec {

  static final int LEVEL = 3;

  @Override
  public String name() {
    return "zstd";
  }

  @Override
  public int id() {
    return 1;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean lossless() {
    return true;
  }

  @Override
  Payload encode(Activations a, double floor) {
    return new Payload(Zstd.compress(a.raw, LEVEL), 1.0);
  }

  @Override
  float[] decode(BlobHeader header, ByteReader payload) {
    int n = (int) header.elementCount();
    return Activations.toFloats(header.dtype(), inflate(payload, n * header.dtype().byteSize()), n);
  }

  /**
   * Inflates a zstd section into exactly {@code size} bytes; the size comes from the checked header, never the frame.
   */
  static byte[] inflate(ByteReader section, int size) {
    byte[] out = new byte[size];
    long got;
    try {
      got = Zstd.decompressByteArray(out, 0, size, section.array(), section.position(), section.remaining());
    } catch (RuntimeException e) {
      throw new CodecException("corrupt blob: zstd data does not decode: " + e.getMessage(), e);
    }
    if (Zstd.isError(got)) {
      throw new CodecException("corrupt blob: zstd data does not decode: " + Zstd.getErrorName(got));
    }
    if (got != size) {
      throw new CodecException("corrupt blob: zstd data holds " + got + " bytes, the header says " + size);
    }
    section.skip(section.remaining());
    return out;
  }
}
