package network.subnet.node.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A {@link TextTokenizer} over a Hugging Face {@code tokenizer.json}, run by DJL's binding of the Rust tokenizers
 * library. Special tokens come from the file's post-processor (BOS for Mistral). DJL truncates to 512 tokens unless
 * told otherwise, so truncation and padding are switched off: a text is always encoded whole.
 */
public final class HfTextTokenizer implements TextTokenizer {

  private final HuggingFaceTokenizer tokenizer;
  private final String hash;

  private HfTextTokenizer(HuggingFaceTokenizer tokenizer, String hash) {
    this.tokenizer = tokenizer;
    this.hash = hash;
  }

  /** Loads {@code tokenizer.json}; a missing or unparseable file is an {@link IOException} naming it. */
  public static HfTextTokenizer load(Path tokenizerJson) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(tokenizerJson);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(tokenizerJson + ": missing tokenizer.json");
    }
    Map<String, String> options =
        Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false", "maxLength", "-1");
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    } catch (RuntimeException e) {
      throw new IOException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
    }
    return new HfTextTokenizer(tokenizer, sha256Hex(bytes));
  }

  @Override
  public int[] encode(String text) {
    Encoding enc = tokenizer.encode(text, true, false);
    long[] ids = enc.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public int bosId() {
    // The post-processor's template decides BOS (Mistral: "<s> $A"); an empty text shows exactly what it adds.
    int[] empty = encode("");
    return empty.length > 0 ? empty[0] : -1;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, true);
  }

  @Override
  public String hash() {
    return hash;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
