package network.subnet.node.identity;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;

/**
 * Ed25519 verification with Bouncy Castle's RFC 8032 implementation (no JCA provider registration needed). The
 * decoded point of each key is cached ({@link PublicPointCache}), so repeated signatures of one miner skip the point
 * decompression; the verification itself is Bouncy Castle's, unchanged.
 */
public final class Ed25519 {

  public static final int SIGNATURE_LENGTH = 64;

  /** Keys whose points are kept; more than the simulated 10,000 miners of the scale target. */
  static final int CACHED_KEYS = 1 << 15;

  private static final PublicPointCache POINTS = new PublicPointCache(CACHED_KEYS);

  private Ed25519() {}

  /** Whether {@code signature} is {@code key}'s signature of {@code message}; false for a key that is not a point. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
      return false;
    }
    PublicPoint point = POINTS.point(key);
    return point != null
        && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  /**
   * The same check through Bouncy Castle's {@link Ed25519Signer}, decoding the key afresh on every call: what each
   * verify cost before the point cache, kept so {@code subnet bench intake} can show both in one run.
   */
  public static boolean verifyWithoutCache(PublicKey key, byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
      return false;
    }
    Ed25519PublicKeyParameters params;
    try {
      params = new Ed25519PublicKeyParameters(key.bytes(), 0);
    } catch (IllegalArgumentException notAPoint) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, params);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }
}
