package network.subnet.node.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Seals a key's secret under a passphrase: scrypt (Bouncy Castle) stretches the passphrase into a
 * 256-bit key, AES-GCM encrypts and authenticates. The associated data binds the ciphertext to the
 * public key and the KDF parameters, so neither can be swapped in the file without the unlock
 * failing.
 *
 * @param n scrypt cost (a power of two); {@link #DEFAULT_N} takes ~32 MiB and a fraction of a second
 */
record SecretBox(int n, int r, int p, byte[] salt, byte[] nonce, byte[] ciphertext) {

  static final String SCHEME = "scrypt-aes256gcm";
  static final int DEFAULT_N = 1 << 15;
  static final int DEFAULT_R = 8;
  static final int DEFAULT_P = 1;
  private static final int MAX_N = 1 << 22;
  private static final int TAG_BITS = 128;

  SecretBox {
    if (n < 2 || n > MAX_N || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("scrypt N must be a power of two up to " + MAX_N + ", got " + n);
    }
    if (r < 1 || r > 64 || p < 1 || p > 16) {
      throw new IllegalArgumentException("scrypt r must be in 1..64 and p in 1..16, got r=" + r + " p=" + p);
    }
    if (salt.length < 16 || nonce.length != 12) {
      throw new IllegalArgumentException("salt needs at least 16 bytes and the nonce 12");
    }
  }

  static SecretBox seal(byte[] secret, char[] passphrase, byte[] associated) {
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    SecretBox params = new SecretBox(DEFAULT_N, DEFAULT_R, DEFAULT_P, salt, nonce, new byte[0]);
    byte[] ct = params.crypt(Cipher.ENCRYPT_MODE, secret, passphrase, associated);
    return new SecretBox(DEFAULT_N, DEFAULT_R, DEFAULT_P, salt, nonce, ct);
  }

  /** The secret; {@link AEADBadTagException} when the passphrase is wrong or anything was altered. */
  byte[] open(char[] passphrase, byte[] associated) throws AEADBadTagException {
    try {
      return crypt(Cipher.DECRYPT_MODE, ciphertext, passphrase, associated);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof AEADBadTagException bad) {
        throw bad;
      }
      throw e;
    }
  }

  /** What the associated data covers besides the caller's part: the scheme and KDF parameters. */
  byte[] associatedData(byte[] callerPart) {
    byte[] scheme = SCHEME.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(scheme.length + 12 + salt.length + callerPart.length)
        .put(scheme)
        .putInt(n)
        .putInt(r)
        .putInt(p)
        .put(salt)
        .put(callerPart)
        .array();
  }

  private byte[] crypt(int mode, byte[] input, char[] passphrase, byte[] associated) {
    byte[] pass = utf8(passphrase);
    byte[] key = SCrypt.generate(pass, salt, n, r, p, 32);
    Arrays.fill(pass, (byte) 0);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(associated));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] utf8(char[] chars) {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    return bytes;
  }
}
