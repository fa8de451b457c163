package network.subnet.node.text;

/** Turns text into the teacher's token ids, BOS included as the tokenizer's post-processor adds it. Never truncates. */
public interface TextTokenizer extends AutoCloseable {

  int[] encode(String text);

  String decode(int[] ids);

  /** Hex SHA-256 of the tokenizer.json bytes this tokenizer was loaded from. */
  String hash();

  @Override
  void close();
}
