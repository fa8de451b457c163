package network.subnet.validator.tasks;

import java.io.IOException;
import java.util.function.Consumer;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.text.TextTokenizer;

/**
 * Turns documents into distillation tasks: each text is tokenized and cut into consecutive windows of at most
 * {@code maxTokens} tokens, each window starting with BOS so that every task is a valid sequence on its own.
 */
public final class DistillTaskSource {

  private final TextTokenizer tokenizer;
  private final int bosId;
  private final int maxTokens;
  private final int topK;
  private final float temperature;
  private final String modelHash;

  public DistillTaskSource(
      TextTokenizer tokenizer, int bosId, int maxTokens, int topK, float temperature, String modelHash) {
    if (maxTokens < 2) {
      throw new IllegalArgumentException(
          "max tokens per task must be at least 2 (BOS and one token), got " + maxTokens);
    }
    this.tokenizer = tokenizer;
    this.bosId = bosId;
    this.maxTokens = maxTokens;
    this.topK = topK;
    this.temperature = temperature;
    this.modelHash = modelHash;
  }

  /** Reads every document of {@code files} and hands each resulting task to {@code sink}. */
  public void read(TextFiles files, Consumer<Task> sink) throws IOException {
    files.forEach(doc -> tasksOf(doc.text(), sink));
  }

  /** The tasks of one text; an empty (or whitespace-only) text gives none. */
  public void tasksOf(String text, Consumer<Task> sink) {
    if (text == null || text.isBlank()) {
      return;
    }
    int[] ids = tokenizer.encode(text);
    int start = ids.length > 0 && ids[0] == bosId ? 1 : 0;
    int body = maxTokens - 1;
    for (int from = start; from < ids.length; from += body) {
      int to = Math.min(ids.length, from + body);
      int[] window = new int[to - from + 1];
      window[0] = bosId;
      System.arraycopy(ids, from, window, 1, to - from);
      sink.accept(Task.of(new DistillSpec(window, topK, temperature, modelHash, tokenizer.hash())));
    }
  }
}
