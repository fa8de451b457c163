package network.subnet.validator.tasks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import network.subnet.node.api.DistillSpec;

/**
 * One distillation task. Its id is derived from its content (tokens, k, temperature, teacher), so feeding the same
 * shards again after a restart yields the same ids and no task is created twice.
 */
public record Task(String id, DistillSpec spec) {

  public Task {
    if (spec.tokens() == null || spec.tokens().length == 0) {
      throw new IllegalArgumentException("a task needs at least one token");
    }
    if (spec.topK() <= 0) {
      throw new IllegalArgumentException("a task needs top_k > 0, got " + spec.topK());
    }
  }

  public static Task of(DistillSpec spec) {
    return new Task(idOf(spec), spec);
  }

  public TeacherId teacher() {
    return new TeacherId(spec.modelHash(), spec.tokenizerHash());
  }

  public int tokenCount() {
    return spec.tokens().length;
  }

  /** Hex SHA-256 over a domain tag, the teacher, k, temperature and the token ids. */
  public static String idOf(DistillSpec spec) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("subnet/task/distill/v1\0".getBytes(StandardCharsets.UTF_8));
      sha.update((spec.modelHash() + "\0" + spec.tokenizerHash() + "\0").getBytes(StandardCharsets.UTF_8));
      ByteBuffer header = ByteBuffer.allocate(12).putInt(spec.topK()).putFloat(spec.temperature());
      header.putInt(spec.tokens().length);
      sha.update(header.array());
      ByteBuffer ids = ByteBuffer.allocate(spec.tokens().length * 4);
      for (int t : spec.tokens()) {
        ids.putInt(t);
      }
      sha.update(ids.array());
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
