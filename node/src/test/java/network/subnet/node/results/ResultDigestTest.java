package network.subnet.node.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import network.subnet.node.identity.PublicKey;
import org.junit.jupiter.api.Test;

/** Miners sign this digest, so its bytes must never change: known answers taken from the first implementation. */
class ResultDigestTest {

  private static final PublicKey MINER = new PublicKey(pattern(32, 7, 1));

  @Test
  void matchesKnownAnswers() {
    byte[] nonce = pattern(16, 1, 1);
    assertThat(hex(ResultDigest.of("task-\u00e9-1", nonce, "model", MINER, pattern(300, 31, 0))))
        .isEqualTo("fd4d323086a169df2e1746267310ba8247a0ed5979e1dc3d5bfd2d2717bd0bff");
    assertThat(hex(ResultDigest.of("", new byte[0], "", MINER, new byte[0])))
        .isEqualTo("e28ff0efe12ba421f3cdc872aa4166736629042add97013f67b55bbb54c89d4f");
  }

  @Test
  void digestsComputedAtOnceAgree() throws Exception {
    byte[] output = pattern(1000, 13, 5);
    byte[] expected = ResultDigest.of("t", new byte[] {9}, "m", MINER, output);
    Thread[] threads = new Thread[8];
    boolean[] same = new boolean[threads.length];
    for (int i = 0; i < threads.length; i++) {
      int slot = i;
      threads[i] = Thread.ofPlatform().start(() -> {
        boolean ok = true;
        for (int k = 0; k < 2_000; k++) {
          ok &= java.util.Arrays.equals(expected, ResultDigest.of("t", new byte[] {9}, "m", MINER, output));
        }
        same[slot] = ok;
      });
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(same).containsOnly(true);
  }

  private static byte[] pattern(int length, int step, int start) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * step + start);
    }
    return b;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
