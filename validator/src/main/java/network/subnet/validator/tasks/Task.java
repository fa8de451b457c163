package network.subnet.validator.tasks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.TaskKind;

/**
 * One task: a distillation ({@code spec} set) or a compression ({@code compress} set), as {@code kind} says. Its id is
 * derived from its content, so feeding the same inputs again after a restart yields the same ids and no task is
 * created twice.
 */
public record Task(String id, TaskKind kind, DistillSpec spec, CompressSpec compress) {

  public Task {
    switch (kind) {
      case DISTILL -> {
        if (spec == null || compress != null) {
          throw new IllegalArgumentException("a distill task carries a distill spec only");
        }
        if (spec.tokens() == null || spec.tokens().length == 0) {
          throw new IllegalArgumentException("a task needs at least one token");
        }
        if (spec.topK() <= 0) {
          throw new IllegalArgumentException("a task needs top_k > 0, got " + spec.topK());
        }
      }
      case COMPRESS -> {
        if (compress == null || spec != null) {
          throw new IllegalArgumentException("a compress task carries a compress spec only");
        }
        if (compress.activations() == null || compress.activations().elementCount() == 0) {
          throw new IllegalArgumentException("a compress task needs a non-empty tensor");
        }
        if (!(compress.similarityFloor() > 0 && compress.similarityFloor() <= 1)) {
          throw new IllegalArgumentException("similarity floor must be in (0, 1], got " + compress.similarityFloor());
        }
        if (compress.allowedCodecs() == null || compress.allowedCodecs().isEmpty()) {
          throw new IllegalArgumentException("a compress task must allow at least one codec");
        }
        compress = new CompressSpec(
            compress.activations(), compress.similarityFloor(), List.copyOf(compress.allowedCodecs()));
      }
    }
  }

  /** A distill task with a known id (as stored). */
  public Task(String id, DistillSpec spec) {
    this(id, TaskKind.DISTILL, spec, null);
  }

  public static Task of(DistillSpec spec) {
    return new Task(idOf(spec), spec);
  }

  public static Task of(CompressSpec spec) {
    return new Task(idOf(spec), TaskKind.COMPRESS, null, spec);
  }

  /** The teacher a distill task is bound to; compress tasks have none. */
  public TeacherId teacher() {
    if (kind != TaskKind.DISTILL) {
      throw new IllegalStateException("task " + id + " is a " + kind + " task; it has no teacher");
    }
    return new TeacherId(spec.modelHash(), spec.tokenizerHash());
  }

  /** Tokens of a distill task; 0 for a compress task. */
  public int tokenCount() {
    return kind == TaskKind.DISTILL ? spec.tokens().length : 0;
  }

  /** Hex SHA-256 over a domain tag, the teacher, k, temperature and the token ids. */
  public static String idOf(DistillSpec spec) {
    MessageDigest sha = sha256();
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
  }

  /**
   * Hex SHA-256 over a domain tag, the dtype, the shape, the floor, the allowed codecs (in order) and the tensor's
   * bytes: the same matrix at another floor or with other codecs is another task.
   */
  public static String idOf(CompressSpec spec) {
    MessageDigest sha = sha256();
    sha.update("subnet/task/compress/v1\0".getBytes(StandardCharsets.UTF_8));
    sha.update((spec.activations().dtype().name() + "\0").getBytes(StandardCharsets.UTF_8));
    long[] shape = spec.activations().shape();
    ByteBuffer header = ByteBuffer.allocate(4 + 8 * shape.length + 8).putInt(shape.length);
    for (long d : shape) {
      header.putLong(d);
    }
    header.putDouble(spec.similarityFloor());
    sha.update(header.array());
    sha.update((String.join(",", spec.allowedCodecs()) + "\0").getBytes(StandardCharsets.UTF_8));
    sha.update(spec.activations().data());
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
