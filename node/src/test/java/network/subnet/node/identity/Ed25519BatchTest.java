package network.subnet.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import network.subnet.node.identity.Ed25519Batch.Item;
import org.junit.jupiter.api.Test;

class Ed25519BatchTest {

  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 section 7.1, TESTs 1 to 3: secret, public, message, signature. */
  private static final String[][] RFC8032 = {
    {
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    },
    {
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    },
    {
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
      "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
    }
  };

  @Test
  void rfc8032VectorsVerifyInOneBatchAndBrokenOnesAreNamed() {
    List<Item> items = new ArrayList<>();
    for (String[] v : RFC8032) {
      LocalSigner signer = LocalSigner.fromSeed(HEX.parseHex(v[0]));
      assertThat(signer.publicKey().hex()).isEqualTo(v[1]);
      assertThat(HEX.formatHex(signer.sign(HEX.parseHex(v[2])))).isEqualTo(v[3]);
      items.add(new Item(PublicKey.fromHex(v[1]), HEX.parseHex(v[2]), HEX.parseHex(v[3])));
    }
    assertThat(Ed25519Batch.batchEquationHolds(items)).isTrue();
    assertThat(Ed25519Batch.verify(items)).containsExactly(true, true, true);

    // TEST 2's signature presented for TEST 3's message: only that one fails.
    Item swapped = new Item(items.get(2).key(), items.get(2).message(), items.get(1).signature());
    List<Item> broken = List.of(items.get(0), items.get(1), swapped);
    assertThat(Ed25519Batch.batchEquationHolds(broken)).isFalse();
    assertThat(Ed25519Batch.verify(broken)).containsExactly(true, true, false);
  }

  @Test
  void wnafDigitsSumToTheScalarAndKeepTheirSpacing() {
    Random random = new Random(7);
    for (int width = 2; width <= 8; width++) {
      for (int n = 0; n < 300; n++) {
        BigInteger k = new BigInteger(1 + random.nextInt(256), random);
        if (n == 0) {
          k = Ed25519Batch.L.subtract(BigInteger.ONE);
        } else if (n == 1) {
          k = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        }
        byte[] digits = Ed25519Batch.wnaf(k, width);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -width;
        for (int i = 0; i < digits.length; i++) {
          if (digits[i] != 0) {
            assertThat(digits[i] & 1).isEqualTo(1);
            assertThat(Math.abs(digits[i])).isLessThan(1 << (width - 1));
            assertThat(i - lastNonZero).isGreaterThanOrEqualTo(width);
            lastNonZero = i;
          }
          sum = sum.add(BigInteger.valueOf(digits[i]).shiftLeft(i));
        }
        assertThat(sum).as("k=%s width=%d", k, width).isEqualTo(k);
      }
    }
  }

  @Test
  void thousandsOfSignaturesVerifyInBatchesOfOneToSixtyFour() {
    List<LocalSigner> keys = List.of(LocalSigner.generate(), LocalSigner.generate(), LocalSigner.generate());
    int total = 0;
    for (int size = 1; size <= 64; size++) {
      List<Item> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        // Sizes alternate between one key for the whole batch and a mix of three.
        LocalSigner signer = size % 2 == 0 ? keys.get(0) : keys.get(i % keys.size());
        batch.add(signed(signer, "result " + size + "/" + i));
      }
      boolean[] ok = Ed25519Batch.verify(batch);
      assertThat(ok).hasSize(size).doesNotContain(false);
      assertThat(Ed25519Batch.batchEquationHolds(batch)).isTrue();
      total += size;
    }
    assertThat(total).isEqualTo(64 * 65 / 2);
  }

  @Test
  void allDistinctKeysVerify() {
    List<Item> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batch.add(signed(LocalSigner.generate(), "distinct " + i));
    }
    assertThat(Ed25519Batch.batchEquationHolds(batch)).isTrue();
    assertThat(Ed25519Batch.verify(batch)).doesNotContain(false);
  }

  @Test
  void everySingleBitFlipIsRejectedAndNamedInsideAGoodBatch() {
    LocalSigner a = LocalSigner.generate();
    LocalSigner b = LocalSigner.generate();
    List<Item> good = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      good.add(signed(i % 3 == 0 ? b : a, "flip target " + i));
    }
    int victim = 4;
    Item target = good.get(victim);
    byte[] message = target.message();
    int flips = 0;
    for (int bit = 0; bit < 512; bit++) { // R is bits 0..255 of the signature, S bits 256..511
      byte[] sig = target.signature().clone();
      sig[bit / 8] ^= (byte) (1 << (bit % 8));
      flips += expectOnlyVictimFails(good, victim, new Item(target.key(), message, sig));
    }
    for (int bit = 0; bit < message.length * 8; bit++) {
      byte[] m = message.clone();
      m[bit / 8] ^= (byte) (1 << (bit % 8));
      flips += expectOnlyVictimFails(good, victim, new Item(target.key(), m, target.signature()));
    }
    for (int bit = 0; bit < 256; bit++) {
      byte[] k = target.key().bytes();
      k[bit / 8] ^= (byte) (1 << (bit % 8));
      flips += expectOnlyVictimFails(good, victim, new Item(new PublicKey(k), message, target.signature()));
    }
    assertThat(flips).isEqualTo(512 + message.length * 8 + 256);
  }

  @Test
  void scalarsAtOrAboveTheGroupOrderAreRejected() {
    LocalSigner a = LocalSigner.generate();
    List<Item> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(signed(a, "order " + i));
    }
    Item target = batch.get(2);
    // S + L names the same point multiple, so only the range check can catch it.
    BigInteger s = littleEndian(Arrays.copyOfRange(target.signature(), 32, 64));
    byte[] sig = target.signature().clone();
    System.arraycopy(toLittleEndian(s.add(Ed25519Batch.L)), 0, sig, 32, 32);
    expectOnlyVictimFails(batch, 2, new Item(target.key(), target.message(), sig));
    byte[] exactlyL = target.signature().clone();
    System.arraycopy(toLittleEndian(Ed25519Batch.L), 0, exactlyL, 32, 32);
    expectOnlyVictimFails(batch, 2, new Item(target.key(), target.message(), exactlyL));
  }

  @Test
  void pointsThatDoNotDecodeAreRejected() {
    LocalSigner a = LocalSigner.generate();
    List<Item> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(signed(a, "decode " + i));
    }
    Item target = batch.get(1);
    byte[] notCanonical = new byte[32]; // y = 2^255 - 1 >= p
    Arrays.fill(notCanonical, (byte) 0xFF);
    notCanonical[31] = 0x7F;
    byte[] offCurve = offCurveEncoding();
    byte[] negativeZero = new byte[32]; // y = 1 gives x = 0, which has no negative encoding
    negativeZero[0] = 1;
    negativeZero[31] = (byte) 0x80;
    for (byte[] bad : List.of(notCanonical, offCurve, negativeZero)) {
      assertThat(EdwardsPoints.decode(bad, 0, false)).isNull();
      byte[] sig = target.signature().clone();
      System.arraycopy(bad, 0, sig, 0, 32);
      expectOnlyVictimFails(batch, 1, new Item(target.key(), target.message(), sig));
      expectOnlyVictimFails(batch, 1, new Item(new PublicKey(bad), target.message(), target.signature()));
    }
    expectOnlyVictimFails(batch, 1, new Item(target.key(), target.message(), new byte[63]));
    expectOnlyVictimFails(batch, 1, new Item(target.key(), target.message(), null));
  }

  @Test
  void decodingAgreesWithTheBaseAndWithBouncyCastle() {
    LocalSigner a = LocalSigner.generate();
    assertThat(EdwardsPoints.decode(a.publicKey().bytes(), 0, false)).isNotNull();
    assertThat(org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(offCurveEncoding(), 0)).isFalse();
  }

  /**
   * A key owner who publishes its key plus the point of order 2, (0, -1), and signs as usual makes signatures for which
   * [S]B - R - [k]A is that point (for odd k): a cofactorless check refuses them, a cofactored one accepts them. Bouncy
   * Castle's single verify is cofactored, and so is the batch equation: both accept, in a good batch and in one that
   * falls back, so a result's fate never depends on its batch-mates.
   */
  @Test
  void aKeyWithATorsionComponentIsJudgedAlikeByBatchAndSingleVerify() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 42;
    LocalSigner owner = LocalSigner.fromSeed(seed);
    BigInteger a = clampedScalar(seed);
    byte[] p = owner.publicKey().bytes();
    // P + (0, -1) = (-x, -y): y becomes p - y and the sign of x flips.
    BigInteger fieldP = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    byte[] yBytes = p.clone();
    yBytes[31] &= 0x7F;
    byte[] aBytes = toLittleEndian(fieldP.subtract(littleEndian(yBytes)));
    aBytes[31] |= (byte) ((~p[31]) & 0x80);
    PublicKey twisted = new PublicKey(aBytes);

    LocalSigner neighbour = LocalSigner.generate();
    byte[] rSeed = new byte[32];
    for (int attempt = 0; ; attempt++) {
      rSeed[1] = (byte) attempt;
      byte[] rBytes = LocalSigner.fromSeed(rSeed).publicKey().bytes();
      BigInteger r = clampedScalar(rSeed);
      byte[] message = ("torsion " + attempt).getBytes(StandardCharsets.UTF_8);
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-512");
      sha.update(rBytes);
      sha.update(aBytes);
      sha.update(message);
      BigInteger k = littleEndian(sha.digest()).mod(Ed25519Batch.L);
      if (!k.testBit(0)) {
        continue; // [k](0, -1) vanishes for even k, which would test nothing
      }
      byte[] sig = new byte[64];
      System.arraycopy(rBytes, 0, sig, 0, 32);
      System.arraycopy(toLittleEndian(r.add(k.multiply(a)).mod(Ed25519Batch.L)), 0, sig, 32, 32);
      Item torsion = new Item(twisted, message, sig);
      Item good = signed(neighbour, "an honest neighbour");
      Item bad = new Item(good.key(), "another message".getBytes(StandardCharsets.UTF_8), good.signature());

      assertThat(Ed25519.verify(twisted, message, sig)).as("Bouncy Castle's single verify").isTrue();
      // Without the cofactor the sum would keep [z](0, -1), nonzero for every odd weight z: fresh weights each time.
      for (int i = 0; i < 20; i++) {
        assertThat(Ed25519Batch.batchEquationHolds(List.of(good, torsion))).as("cofactored batch equation").isTrue();
      }
      assertThat(Ed25519Batch.verify(List.of(good, torsion))).containsExactly(true, true);
      assertThat(Ed25519Batch.verify(List.of(good, torsion, bad))).containsExactly(true, true, false);
      return;
    }
  }

  private static BigInteger clampedScalar(byte[] seed) throws Exception {
    byte[] h = java.security.MessageDigest.getInstance("SHA-512").digest(seed);
    byte[] s = Arrays.copyOf(h, 32);
    s[0] &= (byte) 0xF8;
    s[31] &= 0x7F;
    s[31] |= 0x40;
    return littleEndian(s);
  }

  private static int expectOnlyVictimFails(List<Item> good, int victim, Item bad) {
    List<Item> batch = new ArrayList<>(good);
    batch.set(victim, bad);
    assertThat(Ed25519Batch.batchEquationHolds(batch)).as("batch equation with a bad item").isFalse();
    boolean[] ok = Ed25519Batch.verify(batch);
    for (int i = 0; i < ok.length; i++) {
      assertThat(ok[i]).as("item %d", i).isEqualTo(i != victim);
    }
    return 1;
  }

  private static byte[] offCurveEncoding() {
    byte[] y = new byte[32];
    for (int v = 2; ; v++) {
      y[0] = (byte) v;
      if (EdwardsPoints.decode(y, 0, false) == null) {
        return y;
      }
    }
  }

  private static Item signed(LocalSigner signer, String text) {
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    return new Item(signer.publicKey(), message, signer.sign(message));
  }

  private static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] toLittleEndian(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < le.length && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }
}
