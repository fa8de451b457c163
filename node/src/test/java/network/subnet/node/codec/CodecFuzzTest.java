package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/**
 * Codec blobs come from miners and {@code .npy} files from operators' disks: any bytes must decode or end in a
 * {@link CodecException}, never another exception or an allocation sized by a forged header. A normal test run replays
 * the committed inputs under {@code CodecFuzzTestInputs/}; {@code -Pfuzz} explores for new ones.
 */
class CodecFuzzTest {

  /** Small enough that the fuzzer cannot make a decode allocate more than a few MiB, large enough for real blobs. */
  private static final long MAX_ELEMENTS = 1 << 16;

  private static final CodecRegistry REGISTRY = CodecRegistry.standard(MAX_ELEMENTS);
  private static final Path NPY_NAME = Path.of("input.npy");

  @FuzzTest(maxDuration = "60s")
  void decodeBlob(byte[] blob) {
    DecodedTensor t;
    try {
      t = REGISTRY.decode(blob);
    } catch (CodecException expected) {
      return;
    }
    assertThat((long) t.values().length).isEqualTo(product(t.shape())).isLessThanOrEqualTo(MAX_ELEMENTS);
    for (float v : t.values()) {
      assertThat(Float.isFinite(v)).isTrue();
    }
  }

  /** The same blobs, decoded against a fixed expected shape, as the validator does for compress tasks. */
  @FuzzTest(maxDuration = "60s")
  void decodeBlobAtShape(byte[] blob) {
    try {
      DecodedTensor t = REGISTRY.decode(blob, new long[] {4, 16});
      assertThat(t.values()).hasSize(64);
    } catch (CodecException expected) {
      // refused: the contract
    }
  }

  /** The bytes of a {@code .npy} file, parsed in memory so the fuzzer spends its time in the parser. */
  @FuzzTest(maxDuration = "60s")
  void readNpy(byte[] bytes) {
    DenseTensor t;
    try {
      t = NpyFile.parse(NPY_NAME, bytes, bytes.length % 2 == 0, MAX_ELEMENTS);
    } catch (CodecException expected) {
      return;
    }
    assertThat(t.elementCount()).isLessThanOrEqualTo(MAX_ELEMENTS);
    assertThat(t.dtype()).isIn(DType.F32, DType.F16, DType.BF16);
    assertThat((long) t.data().length).isEqualTo(t.elementCount() * t.dtype().byteSize());
  }

  private static long product(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
