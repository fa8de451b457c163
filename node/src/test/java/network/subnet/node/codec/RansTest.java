package network.subnet.node.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RansTest {

  @Test
  void multiContextStreamRoundTripsAndNearsTheEntropy() {
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 50_001;
    int contexts = 3;
    int alphabet = 256;
    byte[] symbols = new byte[n];
    byte[] ctx = new byte[n];
    long[] counts = new long[contexts * alphabet];
    for (int i = 0; i < n; i++) {
      int c = rnd.nextInt(contexts);
      // Context 0 is nearly constant, 1 geometric, 2 uniform over the whole alphabet.
      int s = switch (c) {
        case 0 -> rnd.nextInt(100) == 0 ? 1 : 0;
        case 1 -> Math.min(255, (int) (-Math.log(1 - rnd.nextDouble()) * 4));
        default -> rnd.nextInt(alphabet);
      };
      symbols[i] = (byte) s;
      ctx[i] = (byte) c;
      counts[c * alphabet + s]++;
    }
    Rans.Tables tables = Rans.Tables.fromCounts(counts, contexts, alphabet);
    byte[] stream = Rans.encode(symbols, ctx, n, tables);
    ByteWriter w = new ByteWriter(64);
    tables.write(w);
    ByteReader r = new ByteReader(w.toByteArray());
    Rans.Tables read = Rans.Tables.read(r, contexts, alphabet);
    Rans.Decoder d = new Rans.Decoder(new ByteReader(stream), read);
    for (int i = 0; i < n; i++) {
      assertThat(d.decode(ctx[i])).isEqualTo(symbols[i] & 0xFF);
    }
    d.finish();
    double entropyBytes = Rans.Tables.costBits(counts, contexts, alphabet) / 8;
    assertThat((double) stream.length).isLessThan(entropyBytes * 1.01 + 16);
  }

  @Test
  void reciprocalDivisionIsExactForEveryFrequencyAndState() {
    for (int f = 1; f <= Rans.M; f++) {
      long rcp = Rans.Tables.encoderSymbol(f, 0)[0];
      long top = ((long) f << (32 - Rans.SCALE_BITS)) - 1;
      for (long m : new long[] {0, 1, 2, 3, 1000, top / f - 1, top / f}) {
        for (long x : new long[] {m * f, m * f + f - 1, m * f + f / 2}) {
          if (x >= 0 && x <= top) {
            assertThat(Rans.Tables.quotient(x, rcp)).as("x=%d f=%d", x, f).isEqualTo(x / f);
          }
        }
      }
    }
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 1_000_000; i++) {
      int f = 1 + rnd.nextInt(Rans.M);
      long x = rnd.nextLong(1L << 32);
      assertThat(Rans.Tables.quotient(x, Rans.Tables.encoderSymbol(f, 0)[0])).isEqualTo(x / f);
    }
  }
}
