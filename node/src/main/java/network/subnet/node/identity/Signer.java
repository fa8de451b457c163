package network.subnet.node.identity;

/**
 * Signs on behalf of one Ed25519 identity. The private key stays inside the implementation: callers get
 * signatures and the public key, never the secret.
 */
public interface Signer {

  /** The 32-byte Ed25519 public key. */
  PublicKey publicKey();

  /** A 64-byte Ed25519 signature over {@code message}. */
  byte[] sign(byte[] message);
}
