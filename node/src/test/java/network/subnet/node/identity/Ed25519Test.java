package network.subnet.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class Ed25519Test {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void verifiesRfc8032TestVectorOne() {
    PublicKey key = PublicKey.fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] signature = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
        + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    for (int i = 0; i < 3; i++) { // first decoded, then from the cache
      assertThat(Ed25519.verify(key, new byte[0], signature)).isTrue();
    }
    byte[] flipped = signature.clone();
    flipped[10] ^= 1;
    assertThat(Ed25519.verify(key, new byte[0], flipped)).isFalse();
    assertThat(Ed25519.verify(key, new byte[] {0}, signature)).isFalse();
  }

  @Test
  void agreesWithBouncyCastlesSignerOnGoodAndBadSignatures() {
    LocalSigner a = LocalSigner.generate();
    LocalSigner b = LocalSigner.generate();
    for (int i = 0; i < 200; i++) {
      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] signature = a.sign(message);
      if (i % 3 == 1) {
        signature[i % 64] ^= (byte) (1 << (i % 8));
      }
      PublicKey key = i % 5 == 4 ? b.publicKey() : a.publicKey();
      Ed25519Signer reference = new Ed25519Signer();
      reference.init(false, new Ed25519PublicKeyParameters(key.bytes(), 0));
      reference.update(message, 0, message.length);
      boolean expected = reference.verifySignature(signature);
      assertThat(expected).isEqualTo(i % 3 != 1 && i % 5 != 4);
      assertThat(Ed25519.verify(key, message, signature)).as("message %d", i).isEqualTo(expected);
      assertThat(Ed25519.verifyWithoutCache(key, message, signature)).as("message %d", i).isEqualTo(expected);
    }
  }

  @Test
  void keyThatIsNotAPointFailsWithoutThrowing() {
    byte[] notCanonical = new byte[PublicKey.LENGTH];
    Arrays.fill(notCanonical, (byte) 0xFF);
    notCanonical[31] = 0x7F; // y = 2^255 - 1, above the field prime
    PublicKey bad = new PublicKey(notCanonical);
    assertThat(Ed25519.verify(bad, new byte[] {1, 2}, new byte[Ed25519.SIGNATURE_LENGTH])).isFalse();
    assertThat(Ed25519.verifyWithoutCache(bad, new byte[] {1, 2}, new byte[Ed25519.SIGNATURE_LENGTH])).isFalse();
    assertThat(new PublicPointCache(4).point(bad)).isNull();
  }

  @Test
  void malformedSignaturesAndMessagesAreRefused() {
    LocalSigner a = LocalSigner.generate();
    byte[] message = {1, 2, 3};
    assertThat(Ed25519.verify(a.publicKey(), message, null)).isFalse();
    assertThat(Ed25519.verify(a.publicKey(), message, new byte[63])).isFalse();
    assertThat(Ed25519.verify(a.publicKey(), null, a.sign(message))).isFalse();
  }

  @Test
  void cacheStaysWithinItsCapacityAndKeepsVerifying() {
    PublicPointCache cache = new PublicPointCache(3);
    List<LocalSigner> signers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      signers.add(LocalSigner.generate());
    }
    for (int round = 0; round < 3; round++) {
      for (LocalSigner s : signers) {
        assertThat(cache.point(s.publicKey())).isNotNull();
        assertThat(cache.size()).isBetween(1, 3);
      }
    }
    // The same key twice in a row is served from the cache: the very same decoded point.
    PublicKey key = signers.get(0).publicKey();
    assertThat(cache.point(key)).isSameAs(cache.point(new PublicKey(key.bytes())));
  }

  @Test
  void concurrentVerifiersOfSharedKeysAgree() throws Exception {
    List<LocalSigner> signers = List.of(LocalSigner.generate(), LocalSigner.generate(), LocalSigner.generate());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int seed = t;
        runs.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 100; i++) {
            LocalSigner s = signers.get((i + seed) % signers.size());
            byte[] message = ("m" + seed + "/" + i).getBytes(StandardCharsets.UTF_8);
            byte[] signature = s.sign(message);
            ok += Ed25519.verify(s.publicKey(), message, signature) ? 1 : 0;
            ok -= Ed25519.verify(signers.get((i + seed + 1) % signers.size()).publicKey(), message, signature) ? 1 : 0;
          }
          return ok;
        }));
      }
      for (Future<Integer> run : runs) {
        assertThat(run.get()).isEqualTo(100);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
