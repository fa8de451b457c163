package network.subnet.validator.ledger;

import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.api.WorkResult;
import network.subnet.node.api.WorkResult.CompressedOutput;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.identity.PublicKey;

/**
 * An accepted result with everything needed to check its signature again later (column RESULTS, key: task id and
 * miner key), so the ledger itself is the evidence for every credit and every rejection.
 *
 * <p>The value's first byte says its layout: 1 is a distill result (packed soft labels, unchanged since the first
 * ledger), 2 a compress result (codec id and blob in place of the soft labels).
 */
public record ResultRecord(PublicKey miner, WorkResult result, long acceptedAtMs, Status status) {

  public enum Status {
    /** Stored; waiting for the other replicas. */
    PENDING,
    /** Agreed with the majority (distill) or met the similarity floor (compress), and was credited. */
    AGREED,
    /** Disagreed with the majority (distill) or fell below the similarity floor (compress). */
    REJECTED,
    /** The task never reached a majority. */
    UNDECIDED
  }

  public String taskId() {
    return result.taskId();
  }

  public ResultRecord withStatus(Status newStatus) {
    return new ResultRecord(miner, result, acceptedAtMs, newStatus);
  }

  /** Key prefix of every result of one task. */
  static byte[] prefix(String taskId) {
    return new RecordWriter(RecordWriter.stringSize(taskId)).string(taskId).toBytes();
  }

  static byte[] key(String taskId, PublicKey miner) {
    return new RecordWriter(RecordWriter.stringSize(taskId) + PublicKey.LENGTH).string(taskId).raw(miner.bytes())
        .toBytes();
  }

  byte[] key() {
    return key(result.taskId(), miner);
  }

  byte[] value() {
    TeacherSpec t = result.teacher();
    // Sized exactly up front (for ASCII strings, as hashes and names are): it is written two or three times per
    // result, and growing it, or trimming a larger buffer, copied it.
    int fixed = 1 + 4 + result.leaseNonce().length + RecordWriter.stringSize(result.modelHash())
        + RecordWriter.stringSize(t.modelHash()) + RecordWriter.stringSize(t.tokenizerHash())
        + RecordWriter.stringSize(t.dtype()) + RecordWriter.stringSize(t.device())
        + RecordWriter.stringSize(t.batchPolicy()) + 8 + 4 + result.signature().length + 8 + 1;
    RecordWriter w;
    if (result.kind() == TaskKind.COMPRESS) {
      CompressedOutput out = result.compressed();
      w = new RecordWriter(fixed + RecordWriter.stringSize(out.codec()) + 4 + out.blob().length)
          .u8(2)
          .bytes(result.leaseNonce())
          .string(result.modelHash())
          .string(out.codec())
          .bytes(out.blob());
    } else {
      PackedSoftLabels labels = result.softLabels();
      w = new RecordWriter(fixed + 4 + 4 + 4 + 4 + labels.packed().length)
          .u8(1)
          .bytes(result.leaseNonce())
          .string(result.modelHash())
          .i32(labels.positions())
          .i32(labels.topK())
          .i32(labels.format())
          .bytes(labels.packed());
    }
    return w.string(t.modelHash())
        .string(t.tokenizerHash())
        .string(t.dtype())
        .string(t.device())
        .string(t.batchPolicy())
        .i64(result.computeMs())
        .bytes(result.signature())
        .i64(acceptedAtMs)
        .u8(status.ordinal())
        .toBytes();
  }

  /** The status in a stored value, without decoding the rest: {@link #value()} writes it last. */
  static Status statusOf(byte[] value) {
    int ordinal = value.length == 0 ? -1 : value[value.length - 1];
    if (ordinal < 0 || ordinal >= Status.values().length) {
      throw new IllegalStateException("result record ends with status " + ordinal + ", which is unknown");
    }
    return Status.values()[ordinal];
  }

  static ResultRecord decode(byte[] key, byte[] value) {
    RecordReader k = new RecordReader(key, "result key");
    String taskId = k.string();
    PublicKey miner = new PublicKey(k.raw(PublicKey.LENGTH));
    k.end();
    RecordReader in = new RecordReader(value, "result of " + miner + " for " + taskId);
    int version = in.u8();
    if (version != 1 && version != 2) {
      throw new IllegalStateException("result record version " + version + " is unknown");
    }
    byte[] nonce = in.bytes();
    String modelHash = in.string();
    PackedSoftLabels labels = null;
    CompressedOutput compressed = null;
    if (version == 1) {
      labels = new PackedSoftLabels(in.i32(), in.i32(), in.i32(), in.bytes());
    } else {
      compressed = new CompressedOutput(in.string(), in.bytes());
    }
    TeacherSpec teacher = new TeacherSpec(in.string(), in.string(), in.string(), in.string(), in.string());
    long computeMs = in.i64();
    byte[] signature = in.bytes();
    long acceptedAt = in.i64();
    Status status = Status.values()[in.u8()];
    in.end();
    TaskKind kind = version == 1 ? TaskKind.DISTILL : TaskKind.COMPRESS;
    WorkResult result =
        new WorkResult(taskId, nonce, modelHash, kind, labels, compressed, teacher, computeMs, signature);
    return new ResultRecord(miner, result, acceptedAt, status);
  }
}
