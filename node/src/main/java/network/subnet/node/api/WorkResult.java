package network.subnet.node.api;

/**
 * A miner's signed answer to one lease, carried in its packed wire form so that the signature covers exactly the
 * bytes that were sent. {@code signature} is Ed25519 over {@code ResultDigest} of (task id, lease nonce, model hash,
 * miner key, output bytes); exactly one of {@code softLabels} and {@code compressed} is set, as {@code kind} says.
 */
public record WorkResult(
    String taskId,
    byte[] leaseNonce,
    String modelHash,
    TaskKind kind,
    PackedSoftLabels softLabels,
    CompressedOutput compressed,
    TeacherSpec teacher,
    long computeMs,
    byte[] signature) {

  /** A distill task's output as packed by {@code SoftLabelCodec}; positions and k repeat the packed header. */
  public record PackedSoftLabels(int positions, int topK, int format, byte[] packed) {}

  /** A compress task's output: the codec id ("name/version") and its self-describing blob. */
  public record CompressedOutput(String codec, byte[] blob) {}

  /** The bytes the signature's output digest covers. */
  public byte[] outputBytes() {
    return switch (kind) {
      case DISTILL -> softLabels.packed();
      case COMPRESS -> compressed.blob();
    };
  }
}
