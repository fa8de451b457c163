package network.subnet.node.text;

/** Turns text into the teacher's token ids, BOS included as the tokenizer's post-processor adds it. Never truncates. */
public interface TextTokenizer extends AutoCloseable {

  int[] encode(String text);

  String decode(int[] ids);

  /** The id the post-processor puts before every text (BOS), or -1 when it adds none. */
  int bosId();

  /** Hex SHA-256 of the tokenizer.json bytes this tokenizer was loaded from. */
  String hash();

  @Override
  void close();
}
