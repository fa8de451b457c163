package network.subnet.node.compete;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical bytes a competition submission's signature covers: a domain tag (so it can never pass as a request,
 * result or epoch signature), the competition id, SHA-256 of the payload, the submitter's timestamp and a nonce.
 */
public final class EntryDigest {

  public static final int NONCE_LENGTH = 16;

  private static final byte[] DOMAIN = "subnet/competition-entry/v1".getBytes(StandardCharsets.UTF_8);

  private EntryDigest() {}

  public static byte[] payload(String competitionId, byte[] payloadSha256, long timestampMs, byte[] nonce) {
    if (nonce == null || nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("a submission nonce has " + NONCE_LENGTH + " bytes, got "
          + (nonce == null ? "none" : nonce.length));
    }
    if (payloadSha256.length != 32) {
      throw new IllegalArgumentException("a payload digest is SHA-256 (32 bytes), got " + payloadSha256.length);
    }
    byte[] id = competitionId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + DOMAIN.length + 4 + id.length + 32 + 8 + NONCE_LENGTH)
        .putInt(DOMAIN.length)
        .put(DOMAIN)
        .putInt(id.length)
        .put(id)
        .put(payloadSha256)
        .putLong(timestampMs)
        .put(nonce)
        .array();
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
