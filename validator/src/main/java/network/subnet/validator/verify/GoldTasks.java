package network.subnet.validator.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import network.subnet.node.identity.Signer;

/**
 * Which tasks are gold: a keyed draw, {@code sha256(sign("subnet/gold/v1" || task id))} read as a fraction below
 * {@code fraction}. Ed25519 signatures are deterministic, so the set survives restarts without being stored, and
 * nobody without the validator's key can predict it; a gold task looks like any other on the wire (same id, shape,
 * deadline). Revealing the signature later proves a task was gold.
 */
public final class GoldTasks {

  private static final byte[] DOMAIN = "subnet/gold/v1:".getBytes(StandardCharsets.UTF_8);

  private final Signer signer;
  private final double fraction;

  public GoldTasks(Signer signer, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("the gold fraction must be in [0, 1], got " + fraction);
    }
    this.signer = signer;
    this.fraction = fraction;
  }

  public boolean isGold(String taskId) {
    if (fraction == 0) {
      return false;
    }
    byte[] id = taskId.getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[DOMAIN.length + id.length];
    System.arraycopy(DOMAIN, 0, message, 0, DOMAIN.length);
    System.arraycopy(id, 0, message, DOMAIN.length, id.length);
    byte[] h = sha256(signer.sign(message));
    long bits = 0;
    for (int i = 0; i < 7; i++) {
      bits = (bits << 8) | (h[i] & 0xff);
    }
    return bits < fraction * (1L << 56);
  }

  public double fraction() {
    return fraction;
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
