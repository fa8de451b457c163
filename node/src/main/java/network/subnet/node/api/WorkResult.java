package network.subnet.node.api;

import network.subnet.node.labels.SoftLabels;

/**
 * A miner's signed answer to one lease. {@code signature} is Ed25519 over {@code ResultDigest} of (task id, lease
 * nonce, model hash, miner key, output); exactly one of {@code softLabels} and {@code compressed} is set.
 */
public record WorkResult(
    String taskId,
    byte[] leaseNonce,
    String modelHash,
    TaskKind kind,
    SoftLabels softLabels,
    CompressedOutput compressed,
    TeacherSpec teacher,
    long computeMs,
    byte[] signature) {

  /** A compress task's output: the codec id ("name/version") and its self-describing blob. */
  public record CompressedOutput(String codec, byte[] blob) {}
}
