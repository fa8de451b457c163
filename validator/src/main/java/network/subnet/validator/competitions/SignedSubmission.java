package network.subnet.validator.competitions;

import java.security.SecureRandom;
import network.subnet.node.compete.EntryDigest;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;

/** A competition submission signed by its submitter over {@link EntryDigest}. */
public record SignedSubmission(
    String competitionId, byte[] payload, PublicKey submitter, long timestampMs, byte[] nonce, byte[] signature) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public SignedSubmission {
    payload = payload.clone();
    nonce = nonce.clone();
    signature = signature.clone();
  }

  /** Signs {@code payload} for {@code competitionId} with a fresh nonce; the key stays inside the signer. */
  public static SignedSubmission sign(Signer signer, String competitionId, byte[] payload, long timestampMs) {
    byte[] nonce = new byte[EntryDigest.NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    byte[] digest = EntryDigest.payload(competitionId, EntryDigest.sha256(payload), timestampMs, nonce);
    return new SignedSubmission(competitionId, payload, signer.publicKey(), timestampMs, nonce, signer.sign(digest));
  }

  /** True if the signature is the submitter's over this submission's digest. */
  public boolean verify() {
    if (nonce.length != EntryDigest.NONCE_LENGTH) {
      return false;
    }
    return submitter.verify(EntryDigest.payload(competitionId, EntryDigest.sha256(payload), timestampMs, nonce),
        signature);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
