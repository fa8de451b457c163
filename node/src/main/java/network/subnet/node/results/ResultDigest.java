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

  private ResultDigest() {}

  public static byte[] of(WorkResult result, PublicKey miner) {
    return of(result.taskId(), result.leaseNonce(), result.modelHash(), miner, result.outputBytes());
  }

  public static byte[] of(String taskId, byte[] leaseNonce, String modelHash, PublicKey miner, byte[] output) {
    MessageDigest sha = sha256();
    field(sha, DOMAIN);
    field(sha, taskId.getBytes(StandardCharsets.UTF_8));
    field(sha, leaseNonce);
    field(sha, modelHash.getBytes(StandardCharsets.UTF_8));
    field(sha, miner.bytes());
    field(sha, sha256().digest(output));
    return sha.digest();
  }

  private static void field(MessageDigest sha, byte[] bytes) {
    int n = bytes.length;
    sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
