package network.subnet.validator.verify;

import network.subnet.node.api.ApiException;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.Activations;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.DecodedTensor;
import network.subnet.node.codec.Similarity;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.ResultSignatures;
import network.subnet.node.results.ResultDigest;
import network.subnet.validator.tasks.Task;

/**
 * Checks one compress result on its own against the original the validator holds: codec allowed, signature, blob
 * decodable at the task's shape, then the Apex similarity in float64 against the floor. No replica comparison is
 * needed, since the original is the reference.
 *
 * <p>Credits for a result that meets the floor: {@code max(1, round(elements * originalBytes / (1024 * blobBytes)))},
 * that is one credit per 1024 elements at compression ratio 1, scaled by the ratio the blob achieves. It is computed
 * in integer arithmetic from sizes alone, so every validator derives the same integer from the same blob.
 */
public final class CompressChecker {

  /** The outcome of a well-formed result: its similarity, whether it met the floor, and what it earns if so. */
  public record Verdict(String codec, double similarity, double ratio, boolean passed, long credits) {}

  private final CodecRegistry registry;

  public CompressChecker(CodecRegistry registry) {
    this.registry = registry;
  }

  /**
   * Returns the verdict of a well-formed, correctly signed result (passed or not), or throws an {@link ApiException}
   * naming the first problem that makes it no result at all.
   */
  public Verdict check(Task task, PublicKey miner, WorkResult result) {
    if (task.kind() != TaskKind.COMPRESS) {
      throw new IllegalArgumentException("task " + task.id() + " is not a compress task");
    }
    CompressSpec spec = task.compress();
    WorkResult.CompressedOutput out = result.compressed();
    if (result.kind() != TaskKind.COMPRESS || out == null || out.blob() == null || out.codec() == null) {
      throw ApiException.invalid("task " + task.id() + " is a compress task; the result carries no compressed blob");
    }
    if (!spec.allowedCodecs().contains(out.codec())) {
      throw ApiException.invalid("codec " + out.codec() + " is not allowed for task " + task.id()
          + " (allowed: " + spec.allowedCodecs() + ")");
    }
    if (!ResultSignatures.verify(miner, ResultDigest.of(result, miner), result.signature())) {
      throw new ApiException(
          ApiException.Code.UNAUTHENTICATED, "the result signature does not verify for miner " + miner);
    }
    long[] shape = spec.activations().shape();
    DecodedTensor decoded;
    try {
      decoded = registry.decode(out.blob(), shape);
    } catch (CodecException e) {
      throw ApiException.invalid("undecodable blob for task " + task.id() + ": " + e.getMessage());
    }
    if (!decoded.codec().equals(out.codec())) {
      throw ApiException.invalid(
          "the result names codec " + out.codec() + " but its blob was written by " + decoded.codec());
    }
    Activations original = registry.check(spec.activations());
    double similarity = Similarity.apex(original.values(), decoded.values());
    boolean passed = similarity >= spec.similarityFloor();
    long originalBytes = original.originalBytes();
    double ratio = (double) originalBytes / out.blob().length;
    long credits = passed ? credits(original.elementCount(), originalBytes, out.blob().length) : 0;
    return new Verdict(out.codec(), similarity, ratio, passed, credits);
  }

  /** {@code max(1, round(elements * originalBytes / (1024 * blobBytes)))} in exact integer arithmetic. */
  public static long credits(long elements, long originalBytes, long blobBytes) {
    if (blobBytes <= 0) {
      throw new IllegalArgumentException("blob size must be positive, got " + blobBytes);
    }
    long denominator = Math.multiplyExact(1024L, blobBytes);
    long numerator = Math.multiplyExact(elements, originalBytes);
    return Math.max(1, (numerator + denominator / 2) / denominator);
  }
}
