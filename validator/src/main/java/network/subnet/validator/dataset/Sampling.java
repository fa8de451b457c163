package network.subnet.validator.dataset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which documents a sampled import takes: a document is kept when a hash of (seed, document id) falls below the rate.
 * The choice depends on nothing else, so every restart, every machine and every file order keeps the same documents.
 */
public record Sampling(double rate, long seed) {

  /** Takes every document. */
  public static final Sampling ALL = new Sampling(1.0, 0);

  public Sampling {
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("sample rate must be in (0, 1], got " + rate);
    }
  }

  public boolean keeps(String documentId) {
    if (rate >= 1) {
      return true;
    }
    MessageDigest sha = sha256();
    sha.update(ByteBuffer.allocate(8).putLong(seed).array());
    sha.update(documentId.getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(sha.digest()).getLong() >>> 11;
    return bits * 0x1.0p-53 < rate;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
