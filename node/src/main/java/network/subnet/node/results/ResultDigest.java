package network.subnet.node.results;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.PublicKey;

/**
 * The canonical digest a miner signs for a result: SHA-256 over a domain tag and length-prefixed fields (task id,
 * lease nonce, model hash, miner key, SHA-256 of the output bytes). Length prefixes make the encoding unambiguous, and
 * binding the lease nonce and miner key means a result cannot be replayed on another lease or claimed by another key.
 */
public final class ResultDigest {

  private static final byte[] DOMAIN = "subnet/result/v1".getBytes(StandardCharsets.UTF_8);
  private static final MessageDigest PROTOTYPE = newSha256();

  private ResultDigest() {}

  public static byte[] of(WorkResult result, PublicKey miner) {
    return of(result.taskId(), result.leaseNonce(), result.modelHash(), miner, result.outputBytes());
  }

  public static byte[] of(String taskId, byte[] leaseNonce, String modelHash, PublicKey miner, byte[] output) {
    MessageDigest sha = sha256();
    // digest() resets the instance, so the output's own digest comes first and the same instance then takes the rest.
    byte[] outputDigest = sha.digest(output);
    byte[] length = new byte[4];
    field(sha, length, DOMAIN);
    field(sha, length, taskId.getBytes(StandardCharsets.UTF_8));
    field(sha, length, leaseNonce);
    field(sha, length, modelHash.getBytes(StandardCharsets.UTF_8));
    field(sha, length, miner.bytes());
    field(sha, length, outputDigest);
    return sha.digest();
  }

  private static void field(MessageDigest sha, byte[] length, byte[] bytes) {
    int n = bytes.length;
    length[0] = (byte) (n >>> 24);
    length[1] = (byte) (n >>> 16);
    length[2] = (byte) (n >>> 8);
    length[3] = (byte) n;
    sha.update(length);
    sha.update(bytes);
  }

  /**
   * A fresh SHA-256, cloned from a prototype: a provider lookup per digest cost about as much as hashing a small
   * result. Virtual threads make a thread-local instance useless, since each call runs on a thread of its own.
   */
  private static MessageDigest sha256() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
