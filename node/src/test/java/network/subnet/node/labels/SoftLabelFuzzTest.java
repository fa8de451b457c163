package network.subnet.node.labels;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import network.subnet.node.api.WorkResult.PackedSoftLabels;

/**
 * Packed soft labels arrive in miners' results: any bytes must decode to labels of the declared size or end in the
 * codec's documented {@link IllegalArgumentException}, never another exception or an allocation of the declared size
 * before the bytes to fill it are there.
 */
class SoftLabelFuzzTest {

  /** The message repeats the blob's own header, as an honest miner's does, so the fuzzer reaches the body decoders. */
  @FuzzTest(maxDuration = "60s")
  void decodePacked(byte[] packed) {
    int format = 0;
    int positions = 0;
    int k = 0;
    if (packed.length >= 16) {
      ByteBuffer h = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
      format = h.getInt(4);
      positions = h.getInt(8);
      k = h.getInt(12);
    }
    SoftLabels labels;
    try {
      labels = SoftLabelCodec.decode(new PackedSoftLabels(positions, k, format, packed));
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(labels.positions()).isEqualTo(positions);
    assertThat(labels.topK()).isEqualTo(positions == 0 ? 0 : k);
    for (int p = 0; p < labels.positions(); p++) {
      assertThat(labels.tokenIds()[p]).hasSize(k);
      for (float v : labels.logProbs()[p]) {
        assertThat(v).isLessThanOrEqualTo(0f).isFinite();
      }
    }
  }
}
