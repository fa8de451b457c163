package network.subnet.validator.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import network.subnet.node.text.TextTokenizer;

/** A tokenizer for tests: each distinct whitespace-separated word gets the next id from 3; BOS is 1. */
public final class WhitespaceTokenizer implements TextTokenizer {

  public static final int BOS = 1;

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> words = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));

  @Override
  public synchronized int[] encode(String text) {
    String[] parts = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
    int[] out = new int[parts.length + 1];
    out[0] = BOS;
    for (int i = 0; i < parts.length; i++) {
      out[i + 1] = ids.computeIfAbsent(parts[i], w -> {
        words.add(w);
        return words.size() - 1;
      });
    }
    return out;
  }

  @Override
  public synchronized String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    for (int t : tokens) {
      if (t != BOS) {
        sb.append(sb.isEmpty() ? "" : " ").append(words.get(t));
      }
    }
    return sb.toString();
  }

  @Override
  public int bosId() {
    return BOS;
  }

  @Override
  public String hash() {
    return "whitespace-tokenizer";
  }

  @Override
  public void close() {}
}
