package network.subnet.node.identity;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A {@link Signer} holding an Ed25519 private key in memory. Only the key file code in this package reads the seed back out. */
public final class LocalSigner implements Signer {

  private final Ed25519PrivateKeyParameters privateKey;
  private final PublicKey publicKey;

  private LocalSigner(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new PublicKey(privateKey.generatePublicKey().getEncoded());
  }

  public static LocalSigner generate() {
    return new LocalSigner(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** Rebuilds a signer from its 32-byte seed (the Ed25519 private key as RFC 8032 defines it). */
  public static LocalSigner fromSeed(byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException(
          "an Ed25519 private key has " + Ed25519PrivateKeyParameters.KEY_SIZE + " bytes, got " + seed.length);
    }
    return new LocalSigner(new Ed25519PrivateKeyParameters(seed, 0));
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** For persisting the key to its own file; nothing else should call this. */
  byte[] seed() {
    return privateKey.getEncoded();
  }
}
