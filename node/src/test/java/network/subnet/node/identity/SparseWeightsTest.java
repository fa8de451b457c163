package network.subnet.node.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SparseWeightsTest {

  @Test
  void theWeightsAreDrawnFromAtLeastTwoToThe128DistinctValues() {
    assertTrue(SparseWeights.logCount() >= 128, "log2 count " + SparseWeights.logCount());
  }

  @Test
  void everyWeightIsANonAdjacentFormWithTheFixedNumberOfDigitsBelowTheGroupOrder() throws Exception {
    SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
    seeded.setSeed(42);
    SparseWeights weights = new SparseWeights(seeded, 3);
    BigInteger bound = BigInteger.ONE.shiftLeft(SparseWeights.POSITIONS);
    Set<BigInteger> seen = new HashSet<>();
    int[] plusAt = new int[SparseWeights.POSITIONS];
    int[] minusAt = new int[SparseWeights.POSITIONS];
    for (int draw = 0; draw < 20_000; draw++) {
      SparseWeights.Weight weight = weights.next();
      byte[] digits = weight.digits();
      assertEquals(SparseWeights.POSITIONS, digits.length);
      int nonzero = 0;
      BigInteger sum = BigInteger.ZERO;
      for (int i = 0; i < digits.length; i++) {
        int d = digits[i];
        assertTrue(d >= -1 && d <= 1, "digit " + d);
        if (d != 0) {
          nonzero++;
          assertTrue(i + 1 == digits.length || digits[i + 1] == 0, "adjacent nonzero digits at " + i);
          (d > 0 ? plusAt : minusAt)[i]++;
          sum = sum.add(BigInteger.ONE.shiftLeft(i).multiply(BigInteger.valueOf(d)));
        }
      }
      assertEquals(SparseWeights.DIGITS, nonzero);
      BigInteger value = weight.value();
      assertEquals(sum, value);
      assertTrue(value.abs().compareTo(bound) < 0 && value.signum() != 0, "value out of range: " + value);
      assertTrue(seen.add(value), "a weight repeated within 20,000 draws");
    }
    for (int i = 0; i < SparseWeights.POSITIONS; i++) {
      assertTrue(plusAt[i] > 0 && minusAt[i] > 0, "position " + i + " never drew both signs");
    }
  }
}
