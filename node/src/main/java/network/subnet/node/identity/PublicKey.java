package network.subnet.node.identity;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte Ed25519 public key; its lowercase hex form is a node's id everywhere (ledger, CLI, shares). */
public record PublicKey(byte[] bytes) implements Comparable<PublicKey> {

  public static final int LENGTH = 32;

  public PublicKey {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has " + LENGTH + " bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    bytes = bytes.clone();
  }

  public static PublicKey fromHex(String hex) {
    try {
      return new PublicKey(HexFormat.of().parseHex(hex.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex Ed25519 public key: '" + hex + "' (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Verifies an Ed25519 signature made by this key. */
  public boolean verify(byte[] message, byte[] signature) {
    return Ed25519.verify(this, message, signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(PublicKey o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
