package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteWriterTest {

  @Test
  void varintSizeIsWhatAVarintWrites() {
    long[] values = {0, 1, 127, 128, 16383, 16384, (1L << 21) - 1, 1L << 21, Integer.MAX_VALUE, Long.MAX_VALUE, -1};
    for (long v : values) {
      ByteWriter w = new ByteWriter(16);
      w.varint(v);
      assertThat(ByteWriter.varintSize(v)).as("%d", v).isEqualTo(w.size());
    }
  }

  @Test
  void anExactlyFullWriterHandsOverItsBytes() {
    ByteWriter exact = new ByteWriter(20);
    ByteWriter roomy = new ByteWriter(64);
    for (ByteWriter w : new ByteWriter[] {exact, roomy}) {
      w.f64(1.5);
      w.section(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    }
    assertThat(exact.toByteArray()).hasSize(20).isEqualTo(roomy.toByteArray());
  }
}
