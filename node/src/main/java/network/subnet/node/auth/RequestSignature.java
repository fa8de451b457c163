package network.subnet.node.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The canonical bytes a request signature covers: a domain tag, the full gRPC method name, SHA-256
 * of the serialized request body, the sender's timestamp and its nonce. Variable-length fields are
 * length-prefixed so that no two different requests share an encoding; the domain tag keeps a
 * request signature from ever passing as a result or epoch signature.
 */
public final class RequestSignature {

  public static final int NONCE_LENGTH = 16;

  private static final byte[] DOMAIN = "subnet/request/v1".getBytes(StandardCharsets.UTF_8);

  private RequestSignature() {}

  /** {@code bodyDigest} is SHA-256 of the serialized request message. */
  public static byte[] payload(
      String fullMethodName, byte[] bodyDigest, long timestampMs, byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "a request nonce has " + NONCE_LENGTH + " bytes, got " + nonce.length);
    }
    byte[] method = fullMethodName.getBytes(StandardCharsets.UTF_8);
    if (bodyDigest.length != 32) {
      throw new IllegalArgumentException(
          "a body digest is SHA-256 (32 bytes), got " + bodyDigest.length);
    }
    return ByteBuffer.allocate(
            4 + DOMAIN.length + 4 + method.length + bodyDigest.length + 8 + NONCE_LENGTH)
        .putInt(DOMAIN.length)
        .put(DOMAIN)
        .putInt(method.length)
        .put(method)
        .put(bodyDigest)
        .putLong(timestampMs)
        .put(nonce)
        .array();
  }
}
