package network.subnet.miner.teacher;

import java.util.List;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.labels.SoftLabels;

/**
 * A teacher language model that turns token sequences into top-k soft labels. Implementations are thread-safe for
 * {@link #label} and hold native memory until {@link #close}.
 */
public interface Teacher extends AutoCloseable {

  /** Hashes, dtype, device and batching policy: what a result records so replicas are compared like with like. */
  TeacherSpec spec();

  /**
   * Soft labels for each sequence (token ids, BOS included): one row per position, the top {@code topK} next-token
   * log-probabilities of softmax(logits / temperature), best first. Results never depend on how sequences are batched.
   */
  List<SoftLabels> label(List<int[]> sequences, int topK, float temperature);

  @Override
  void close();
}
