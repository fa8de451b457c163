package network.subnet.node.identity;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 verification with Bouncy Castle's lightweight API (no JCA provider registration needed). */
public final class Ed25519 {

  public static final int SIGNATURE_LENGTH = 64;

  private Ed25519() {}

  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(key.bytes(), 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }
}
