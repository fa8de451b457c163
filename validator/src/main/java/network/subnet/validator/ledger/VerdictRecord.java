package network.subnet.validator.ledger;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.identity.PublicKey;

/**
 * Why one miner's result for one task was credited or not (column VERDICTS, key: epoch, miner, sequence, task), with
 * the evidence to check it again: the digest and signature of every signed result the verdict weighed, the measured
 * distances with the bounds they were held to, and the rule that decided.
 *
 * @param epoch the epoch open when the verdict was written
 * @param outcome what happened to the miner's credit for this task
 * @param rule the rule that decided, in words (for example {@code "majority 2/3"} or {@code "gold task"})
 * @param credits the credits this verdict moved (paid, held back, released or dropped)
 * @param measures the distances between this result and what it was compared with
 * @param evidence the signed results the verdict weighed, this miner's first
 */
public record VerdictRecord(
    long epoch,
    PublicKey miner,
    String taskId,
    Outcome outcome,
    String rule,
    long credits,
    List<Measure> measures,
    List<Evidence> evidence,
    long atMs) {

  public enum Outcome {
    /** Verified and credited. */
    CREDITED,
    /** Credited on a single replica without a cross-check (a trusted miner); held back if the miner later fails. */
    CREDITED_UNVERIFIED,
    /** Disagreed with what decided: no credit. */
    REJECTED,
    /** No decision within the replica cap: no credit. */
    UNDECIDED,
    /** Unverified credit held back after the miner failed a check; its task is re-checked. */
    HELD,
    /** Held-back credit paid after the re-check agreed. */
    RELEASED,
    /** Held-back credit dropped after the re-check disagreed. */
    DROPPED,
    /** A proven fault: the miner earns nothing in this epoch. */
    FORFEITED
  }

  /** One distance: its name, its value and the bound a passing result must meet (for example {@code ">= 0.98"}). */
  public record Measure(String name, double value, String bound) {}

  /** One signed result: its signer, the canonical digest it signed and the signature. */
  public record Evidence(PublicKey miner, byte[] digest, byte[] signature) {}

  public VerdictRecord {
    measures = List.copyOf(measures);
    evidence = List.copyOf(evidence);
  }

  /** Key prefix of every verdict of one miner in one epoch. */
  static byte[] prefix(long epoch, PublicKey miner) {
    return new RecordWriter(40).i64(epoch).raw(miner.bytes()).toBytes();
  }

  byte[] key(long sequence) {
    // The sequence before the task id keeps a miner's verdicts in the order they were written.
    return new RecordWriter(8 + PublicKey.LENGTH + 8 + RecordWriter.stringSize(taskId)).i64(epoch).raw(miner.bytes())
        .i64(sequence).string(taskId).toBytes();
  }

  byte[] value() {
    int size = 1 + 1 + RecordWriter.stringSize(rule) + 8 + 8 + 4 + 4;
    for (Measure m : measures) {
      size += RecordWriter.stringSize(m.name()) + 8 + RecordWriter.stringSize(m.bound());
    }
    for (Evidence e : evidence) {
      size += PublicKey.LENGTH + 4 + e.digest().length + 4 + e.signature().length;
    }
    RecordWriter w = new RecordWriter(size)
        .u8(1)
        .u8(outcome.ordinal())
        .string(rule)
        .i64(credits)
        .i64(atMs)
        .i32(measures.size());
    for (Measure m : measures) {
      w.string(m.name()).i64(Double.doubleToLongBits(m.value())).string(m.bound());
    }
    w.i32(evidence.size());
    for (Evidence e : evidence) {
      w.raw(e.miner().bytes()).bytes(e.digest()).bytes(e.signature());
    }
    return w.toBytes();
  }

  static VerdictRecord decode(byte[] key, byte[] value) {
    RecordReader k = new RecordReader(key, "verdict key");
    long epoch = k.i64();
    PublicKey miner = new PublicKey(k.raw(PublicKey.LENGTH));
    k.i64();
    String taskId = k.string();
    k.end();
    RecordReader in = new RecordReader(value, "verdict of " + miner + " for " + taskId);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalStateException("verdict record version " + version + " is unknown");
    }
    Outcome outcome = Outcome.values()[in.u8()];
    String rule = in.string();
    long credits = in.i64();
    long atMs = in.i64();
    int nm = in.i32();
    List<Measure> measures = new ArrayList<>();
    for (int i = 0; i < nm; i++) {
      measures.add(new Measure(in.string(), Double.longBitsToDouble(in.i64()), in.string()));
    }
    int ne = in.i32();
    List<Evidence> evidence = new ArrayList<>();
    for (int i = 0; i < ne; i++) {
      evidence.add(new Evidence(new PublicKey(in.raw(PublicKey.LENGTH)), in.bytes(), in.bytes()));
    }
    in.end();
    return new VerdictRecord(epoch, miner, taskId, outcome, rule, credits, measures, evidence, atMs);
  }
}
