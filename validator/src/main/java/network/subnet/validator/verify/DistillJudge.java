package network.subnet.validator.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.results.ResultDigest;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.Settlement;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.ledger.VerdictRecord;
import network.subnet.validator.tasks.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a distill task's replicas into the {@link Settlement} that records the verdict; it writes nothing itself.
 *
 * <p>A gold task, and a task whose replicas disagree when there is a reference teacher, is judged against the
 * validator's own answer: a result that misses it is a proven fault. Otherwise unanimous replicas are credited (a
 * single replica of a trusted miner as unverified credit); without a reference, disagreeing replicas go to the
 * majority, or to one more replica, as {@link Consensus} decides. Every judged result gets a verdict with the distances
 * to what it was compared with and the digests and signatures of every result of the task.
 */
public final class DistillJudge {

  private static final Logger LOG = LoggerFactory.getLogger(DistillJudge.class);

  private final ReplicaComparator comparator;
  /** The bounds every verdict's measures name, in words; the same for every verdict, so spelled out once. */
  private final String top1Bound;

  private final String logProbBound;
  private final Consensus consensus;
  private final int maxReplicas;
  private final ReferenceTeacher reference;
  /** The rule a gold task's verdicts name, so reports can count gold results. */
  public static final String GOLD_RULE = "gold task: checked against the validator's own answer";

  private final Predicate<Task> gold;

  /** {@code reference} may be null (no gold tasks, no reference tie-breaks); {@code gold} picks the gold tasks. */
  public DistillJudge(ReplicaComparator comparator, int maxReplicas, ReferenceTeacher reference, Predicate<Task> gold) {
    this.comparator = comparator;
    this.top1Bound = ">= " + comparator.minTop1Agreement();
    this.logProbBound = "<= " + comparator.maxMeanLogProbDiff();
    this.consensus = new Consensus(comparator, maxReplicas);
    this.maxReplicas = maxReplicas;
    this.reference = reference;
    this.gold = gold;
  }

  /**
   * The settlement of {@code task} given all its {@code results} ({@code decoded}: labels already decoded, by miner),
   * with verdicts dated {@code nowMs} in {@code epoch}.
   */
  public Settlement judge(Task task, int replicasNeeded, List<ResultRecord> results,
      Map<PublicKey, SoftLabels> decoded, long epoch, long nowMs) {
    Map<PublicKey, SoftLabels> labels = new HashMap<>();
    List<Consensus.Replica> replicas = new ArrayList<>(results.size());
    // Honest replicas are often byte-identical (fp32 teachers match exactly), so each distinct payload is decoded
    // once, and a payload the caller already decoded not at all: decoding, not comparing, is what a verdict costs.
    Payloads payloads = new Payloads((long) task.tokenCount() * task.spec().topK());
    for (ResultRecord r : results) {
      SoftLabels l = decoded.get(r.miner());
      if (l != null) {
        payloads.add(r.result().softLabels(), l);
      }
    }
    boolean judgedBefore = false;
    for (ResultRecord r : results) {
      SoftLabels l = decoded.get(r.miner());
      if (l == null) {
        l = payloads.decode(r.result().softLabels());
      }
      labels.put(r.miner(), l);
      replicas.add(new Consensus.Replica(r.miner(), l));
      judgedBefore |= r.status() == ResultRecord.Status.REJECTED;
    }
    TaskRecord record = new TaskRecord(task, replicasNeeded, TaskRecord.Status.PENDING);
    Evidence evidence = new Evidence(results);
    if (reference != null && gold.test(task)) {
      return byReference(record, results, labels, GOLD_RULE, evidence, epoch, nowMs);
    }
    Comparisons comparisons = new Comparisons(comparator);
    Consensus.Verdict verdict = consensus.decide(replicas, comparisons::agree);
    boolean unanimous = verdict instanceof Consensus.Agreed a && a.rejected().isEmpty();
    if (reference != null && (judgedBefore || !unanimous)) {
      return byReference(record, results, labels, "tie-break by the validator's own answer", evidence, epoch, nowMs);
    }
    return switch (verdict) {
      case Consensus.Agreed agreed -> {
        boolean single = results.size() == 1;
        List<ResultRecord> updated = results.stream()
            .map(r -> r.withStatus(
                agreed.agreeing().contains(r.miner()) ? ResultRecord.Status.AGREED : ResultRecord.Status.REJECTED))
            .toList();
        SoftLabels representative = replicas.stream()
            .filter(r -> agreed.agreeing().contains(r.miner())).findFirst().orElseThrow().labels();
        String rule = single
            ? "single replica: trusted miner (adaptive replication), unverified until re-checked"
            : (agreed.rejected().isEmpty() ? "unanimous " : "majority ") + agreed.agreeing().size() + "/"
                + results.size();
        List<VerdictRecord> verdicts = new ArrayList<>();
        Map<PublicKey, Settlement.Fault> faults = new HashMap<>();
        for (ResultRecord r : updated) {
          boolean ok = r.status() == ResultRecord.Status.AGREED;
          SoftLabels against = ok ? otherAgreeing(replicas, agreed.agreeing(), r.miner(), representative)
              : representative;
          VerdictRecord.Outcome outcome = !ok ? VerdictRecord.Outcome.REJECTED
              : single ? VerdictRecord.Outcome.CREDITED_UNVERIFIED : VerdictRecord.Outcome.CREDITED;
          verdicts.add(verdict(task, r, evidence, outcome, rule, ok ? task.tokenCount() : 0,
              comparisons.compare(against, labels.get(r.miner())), epoch, nowMs));
          if (!ok) {
            faults.put(r.miner(), new Settlement.Fault(false, "outvoted on task " + task.id()));
          }
        }
        if (!agreed.rejected().isEmpty()) {
          LOG.info("task {}: replicas rejected by the majority: {}", task.id(), agreed.rejected());
        }
        yield new Settlement(record.withStatus(TaskRecord.Status.VERIFIED), updated, task.tokenCount(),
            single ? agreed.agreeing() : Set.of(), single ? Set.of() : agreed.agreeing(), faults, verdicts);
      }
      case Consensus.NeedMore more ->
          new Settlement(record.withReplicas(more.replicas()), results, 0, Set.of(), Set.of(), Map.of(), List.of());
      case Consensus.Undecided undecided -> {
        List<ResultRecord> updated = results.stream().map(r -> r.withStatus(ResultRecord.Status.UNDECIDED)).toList();
        List<VerdictRecord> verdicts = updated.stream()
            .map(r -> verdict(task, r, evidence, VerdictRecord.Outcome.UNDECIDED,
                "no majority within " + maxReplicas + " replicas", 0, null, epoch, nowMs))
            .toList();
        LOG.warn("task {}: {} replicas reached no majority; left undecided", task.id(), results.size());
        yield new Settlement(record.withStatus(TaskRecord.Status.UNDECIDED), updated, 0, Set.of(), Set.of(),
            Map.of(), verdicts);
      }
    };
  }

  /** Judges every result not judged yet against the validator's own answer. */
  private Settlement byReference(TaskRecord record, List<ResultRecord> results, Map<PublicKey, SoftLabels> labels,
      String rule, Evidence evidence, long epoch, long nowMs) {
    Task task = record.task();
    // Packed and unpacked like a miner's answer, so both carry the same quantization.
    SoftLabels answer = SoftLabelCodec.decode(SoftLabelCodec.encode(reference.label(task)));
    List<ResultRecord> updated = new ArrayList<>();
    List<VerdictRecord> verdicts = new ArrayList<>();
    Set<PublicKey> verified = new HashSet<>();
    Map<PublicKey, Settlement.Fault> faults = new HashMap<>();
    boolean anyAgreed = false;
    for (ResultRecord r : results) {
      if (r.status() != ResultRecord.Status.PENDING) {
        updated.add(r);
        anyAgreed |= r.status() == ResultRecord.Status.AGREED;
        continue;
      }
      ReplicaComparator.Comparison c = comparator.compare(answer, labels.get(r.miner()));
      ResultRecord judged = r.withStatus(c.agree() ? ResultRecord.Status.AGREED : ResultRecord.Status.REJECTED);
      updated.add(judged);
      if (c.agree()) {
        anyAgreed = true;
        verified.add(r.miner());
      } else {
        faults.put(r.miner(), new Settlement.Fault(true, "wrong answer on task " + task.id() + " (" + rule + ")"));
      }
      verdicts.add(verdict(task, judged, evidence,
          c.agree() ? VerdictRecord.Outcome.CREDITED : VerdictRecord.Outcome.REJECTED, rule,
          c.agree() ? task.tokenCount() : 0, c, epoch, nowMs));
    }
    TaskRecord next;
    if (anyAgreed) {
      next = record.withStatus(TaskRecord.Status.VERIFIED);
    } else if (results.size() < maxReplicas) {
      next = record.withReplicas(results.size() + 1);
    } else {
      next = record.withStatus(TaskRecord.Status.UNDECIDED);
    }
    if (!faults.isEmpty()) {
      LOG.info("task {}: results that miss the validator's answer ({}): {}", task.id(), rule, faults.keySet());
    }
    return new Settlement(next, updated, task.tokenCount(), Set.of(), verified, faults, verdicts);
  }

  private static SoftLabels otherAgreeing(
      List<Consensus.Replica> replicas, Set<PublicKey> agreeing, PublicKey self, SoftLabels fallback) {
    return replicas.stream()
        .filter(r -> agreeing.contains(r.miner()) && !r.miner().equals(self))
        .map(Consensus.Replica::labels)
        .findFirst()
        .orElse(fallback);
  }

  private VerdictRecord verdict(Task task, ResultRecord r, Evidence all, VerdictRecord.Outcome outcome,
      String rule, long credits, ReplicaComparator.Comparison c, long epoch, long nowMs) {
    List<VerdictRecord.Measure> measures = c == null ? List.of() : List.of(
        new VerdictRecord.Measure("top1_agreement", c.top1Agreement(), top1Bound),
        new VerdictRecord.Measure("mean_abs_logprob_diff", c.meanAbsLogProbDiff(), logProbBound));
    return new VerdictRecord(epoch, r.miner(), task.id(), outcome, rule, credits, measures, all.forVerdictOn(r), nowMs);
  }

  /**
   * Every result of a task as evidence, each digest computed once however many verdicts cite it, and only once a
   * verdict does (a task that needs more replicas gets none).
   */
  private static final class Evidence {
    private final List<ResultRecord> results;
    private List<VerdictRecord.Evidence> all;

    Evidence(List<ResultRecord> results) {
      this.results = results;
    }

    /** The judged result's own evidence first, then the others' in result order. */
    List<VerdictRecord.Evidence> forVerdictOn(ResultRecord r) {
      if (all == null) {
        all = new ArrayList<>(results.size());
        for (ResultRecord each : results) {
          all.add(evidenceOf(each));
        }
      }
      List<VerdictRecord.Evidence> out = new ArrayList<>(all.size());
      VerdictRecord.Evidence own = null;
      for (VerdictRecord.Evidence e : all) {
        if (e.miner().equals(r.miner())) {
          own = e;
          break;
        }
      }
      out.add(own != null ? own : evidenceOf(r));
      for (VerdictRecord.Evidence e : all) {
        if (!e.miner().equals(r.miner())) {
          out.add(e);
        }
      }
      return out;
    }
  }

  /**
   * One verdict's comparisons, each pair of labels compared once. Byte-identical replicas share one decoding (see
   * {@link Payloads}), so an honest task compares the same pair for its consensus and again for each replica's
   * verdict; pairs are told apart by identity, which is all that sharing needs.
   */
  private static final class Comparisons {
    private final ReplicaComparator comparator;
    private final List<SoftLabels> firsts = new ArrayList<>(4);
    private final List<SoftLabels> seconds = new ArrayList<>(4);
    private final List<ReplicaComparator.Comparison> results = new ArrayList<>(4);

    Comparisons(ReplicaComparator comparator) {
      this.comparator = comparator;
    }

    ReplicaComparator.Comparison compare(SoftLabels a, SoftLabels b) {
      for (int i = 0; i < firsts.size(); i++) {
        if (firsts.get(i) == a && seconds.get(i) == b) {
          return results.get(i);
        }
      }
      ReplicaComparator.Comparison c = comparator.compare(a, b);
      firsts.add(a);
      seconds.add(b);
      results.add(c);
      return c;
    }

    boolean agree(SoftLabels a, SoftLabels b) {
      return compare(a, b).agree();
    }
  }

  /**
   * The distinct payloads of one task's replicas and their decoded labels. A task has a handful of replicas, so a
   * linear scan with a vectorized byte comparison beats hashing every payload.
   */
  private static final class Payloads {
    private final long maxEntries;
    private final List<PackedSoftLabels> packed = new ArrayList<>(4);
    private final List<SoftLabels> decoded = new ArrayList<>(4);

    Payloads(long maxEntries) {
      this.maxEntries = maxEntries;
    }

    void add(PackedSoftLabels p, SoftLabels labels) {
      if (find(p) < 0) {
        packed.add(p);
        decoded.add(labels);
      }
    }

    /** The labels of {@code p}, decoded now unless an identical payload already was. */
    SoftLabels decode(PackedSoftLabels p) {
      int i = find(p);
      if (i >= 0) {
        return decoded.get(i);
      }
      SoftLabels labels = SoftLabelCodec.decode(p, maxEntries);
      add(p, labels);
      return labels;
    }

    private int find(PackedSoftLabels p) {
      for (int i = 0; i < packed.size(); i++) {
        PackedSoftLabels q = packed.get(i);
        if (q.positions() == p.positions() && q.topK() == p.topK() && q.format() == p.format()
            && Arrays.equals(q.packed(), p.packed())) {
          return i;
        }
      }
      return -1;
    }
  }

  /** A stored result as evidence: its signer, the digest it signed and the signature. */
  public static VerdictRecord.Evidence evidenceOf(ResultRecord r) {
    return new VerdictRecord.Evidence(r.miner(), ResultDigest.of(r.result(), r.miner()), r.result().signature());
  }
}
