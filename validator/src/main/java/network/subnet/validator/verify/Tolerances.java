package network.subnet.validator.verify;

import java.util.Locale;

/**
 * How far two honest replicas of a distill task may drift apart and still agree (see
 * {@link network.subnet.node.labels.ReplicaDistance}): top-1 agreement and top-k overlap at least these fractions,
 * and the mean |log-prob difference| over shared entries at most this many nats. Every verdict should record
 * {@link #describe()}, so a later reader knows the bar a result was held to.
 *
 * <p>The defaults come from a calibration run of honest replicas (the tiny test model, fp32 on a 2-core CPU; 32
 * random sequences of 49-96 tokens, top-64) across batch sizes and thread counts, compared in the wire format the
 * validator sees (packed labels, log-probs on a 2^-9 nat grid):
 *
 * <pre>
 * subnet calibrate --sequences 32 --tokens 96 --batch-sizes 1,4,16,32 --threads 1,2 --top-k 64
 * </pre>
 *
 * Against the batch-1, one-thread reference, every configuration agreed on every top-1 token and every top-k set;
 * thread count changed nothing, batching moved one log-prob entry by one grid step (1.95e-3 nat max), so the worst
 * per-sequence mean |log-prob difference| was 3.4e-7 nat. The run suggests top-1 >= 0.98, overlap >= 0.95 and a mean
 * difference <= 2e-3 nat (four times the worst mean, but at least one grid step so rounding alone never fails an
 * honest pair); those are the defaults. Deeper models drift more per entry than the tiny one, yet a mean over every
 * shared entry of a sequence stays far under one grid step unless a large fraction of entries move, which is what a
 * cheater's labels do. Re-run {@code subnet calibrate --model DIR} on the production teacher before changing them.
 */
public record Tolerances(double minTop1Agreement, double minTopKOverlap, double maxMeanLogProbDiff) {

  public static final double DEFAULT_MIN_TOP1_AGREEMENT = 0.98;
  public static final double DEFAULT_MIN_TOPK_OVERLAP = 0.95;
  public static final double DEFAULT_MAX_MEAN_LOGPROB_DIFF = 2e-3;

  public static final Tolerances DEFAULT =
      new Tolerances(DEFAULT_MIN_TOP1_AGREEMENT, DEFAULT_MIN_TOPK_OVERLAP, DEFAULT_MAX_MEAN_LOGPROB_DIFF);

  public Tolerances {
    if (!(minTop1Agreement >= 0 && minTop1Agreement <= 1)) {
      throw new IllegalArgumentException("top-1 agreement threshold must be in [0, 1], got " + minTop1Agreement);
    }
    if (!(minTopKOverlap >= 0 && minTopKOverlap <= 1)) {
      throw new IllegalArgumentException("top-k overlap threshold must be in [0, 1], got " + minTopKOverlap);
    }
    if (!(maxMeanLogProbDiff >= 0)) {
      throw new IllegalArgumentException("log-prob tolerance must be >= 0, got " + maxMeanLogProbDiff);
    }
  }

  /** One stable line to store with verdicts, e.g. {@code top1>=0.98 topk-overlap>=0.95 mean-abs-logprob-diff<=0.002}. */
  public String describe() {
    return String.format(Locale.ROOT, "top1>=%s topk-overlap>=%s mean-abs-logprob-diff<=%s",
        minTop1Agreement, minTopKOverlap, maxMeanLogProbDiff);
  }
}
