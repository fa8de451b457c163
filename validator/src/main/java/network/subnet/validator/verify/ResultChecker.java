package network.subnet.validator.verify;

import network.subnet.node.api.ApiException;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.ResultSignatures;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.results.ResultDigest;
import network.subnet.validator.tasks.Task;

/** Checks one result against the task it answers: teacher, shape, signature and soft label contents. */
public final class ResultChecker {

  private ResultChecker() {}

  /** Returns the decoded soft labels, or throws an {@link ApiException} naming the first problem found. */
  public static SoftLabels check(Task task, PublicKey miner, WorkResult result) {
    return check(task, miner, result, null);
  }

  /**
   * As {@link #check(Task, PublicKey, WorkResult)}; with {@code checked} (may be null), a payload byte-identical to one
   * already checked for this task is not decoded again, and a newly decoded one is remembered there.
   */
  public static SoftLabels check(Task task, PublicKey miner, WorkResult result, CheckedLabels checked) {
    if (result.kind() != TaskKind.DISTILL || result.softLabels() == null) {
      throw ApiException.invalid("task " + task.id() + " is a distill task; the result carries no soft labels");
    }
    if (!task.spec().modelHash().equals(result.modelHash())) {
      throw ApiException.invalid(
          "result model hash " + result.modelHash() + " is not the task's " + task.spec().modelHash());
    }
    if (result.teacher() != null && !task.spec().tokenizerHash().equals(result.teacher().tokenizerHash())) {
      throw ApiException.invalid("result tokenizer hash " + result.teacher().tokenizerHash()
          + " is not the task's " + task.spec().tokenizerHash());
    }
    WorkResult.PackedSoftLabels packed = result.softLabels();
    if (packed.positions() != task.tokenCount()) {
      throw ApiException.invalid(
          "soft labels cover " + packed.positions() + " positions; the task has " + task.tokenCount() + " tokens");
    }
    if (packed.topK() != task.spec().topK()) {
      throw ApiException.invalid("soft labels have k " + packed.topK() + "; the task asks for " + task.spec().topK());
    }
    if (packed.packed() == null) {
      throw ApiException.invalid("soft labels carry no packed bytes");
    }
    if (!ResultSignatures.verify(miner, ResultDigest.of(result, miner), result.signature())) {
      throw new ApiException(
          ApiException.Code.UNAUTHENTICATED, "the result signature does not verify for miner " + miner);
    }
    SoftLabels twin = checked == null ? null : checked.match(task.id(), packed);
    if (twin != null) {
      // Its twin passed every check below, and they depend on nothing but the task and these bytes.
      return twin;
    }
    SoftLabels labels;
    try {
      // The shape was checked against the task above; the bound makes the codec refuse anything larger on its own.
      labels = SoftLabelCodec.decode(packed, (long) task.tokenCount() * task.spec().topK());
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiException.Code.INVALID_ARGUMENT, "malformed soft labels: " + e.getMessage(), e);
    }
    for (int p = 0; p < labels.positions(); p++) {
      float[] row = labels.logProbs()[p];
      int[] ids = labels.tokenIds()[p];
      for (int j = 0; j < row.length; j++) {
        if (!(row[j] <= 0f)) {
          throw ApiException.invalid("log-prob at position %d rank %d is %s, not <= 0".formatted(p, j, row[j]));
        }
        if (ids[j] < 0) {
          throw ApiException.invalid("token id at position %d rank %d is negative (%d)".formatted(p, j, ids[j]));
        }
      }
    }
    if (checked != null) {
      checked.put(task.id(), packed, labels);
    }
    return labels;
  }
}
