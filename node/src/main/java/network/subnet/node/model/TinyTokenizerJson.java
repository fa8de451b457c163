package network.subnet.node.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a small {@code tokenizer.json} of the same kind as Mistral v0.3's: a byte-fallback BPE model with
 * {@code <unk>}, {@code <s>}, {@code </s>}, the 256 {@code <0xNN>} byte tokens, single characters and merges learned
 * deterministically from a built-in English text, SentencePiece-style "▁" normalization and a TemplateProcessing
 * post-processor that puts {@code <s>} first.
 */
public final class TinyTokenizerJson {

  static final String SPACE = "\u2581";

  /** Fixed training text: common English words and phrases, so merges are the same on every machine. */
  private static final String CORPUS =
      """
      the of and to in is that it was for on are as with his they at be this from have or by one had not but what all
      were when we there can an your which their said if do will each about how up out them then she many some so these
      would other into has more her two like him see time could no make than first been its who now people my made over
      did down only way find use may water long little very after words called just where most know get through back
      much before go good new write our used me man too any day same right look think also around another came come
      work three word must because does part even place well such here take why things help put years different away
      again off went old number great tell men say small every found still between name should home big give air line
      set own under read last never us left end along while might next sound below saw something thought both few
      those always looked show large often together asked house world going want school important until form food keep
      children feet land side without boy once animals life enough took sometimes four head above kind began almost
      live page got earth need far hand high year mother light parts country father let night following picture being
      study second eyes soon times story boys since white days paper hard near sentence better best across during
      today others however sure means knew learn model teacher network token tokens weight weights layer layers
      attention compute miner validator reward task tasks result results training distillation compression matrix
      the the the of of and and to to in in is is that that it it was was for for on on are are with with as as
      """;

  private static final int TARGET_VOCAB = 1000;

  private TinyTokenizerJson() {}

  /** The tokenizer.json text; the same bytes on every call. */
  public static String build() {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    vocab.put("<unk>", 0);
    vocab.put("<s>", 1);
    vocab.put("</s>", 2);
    for (int b = 0; b < 256; b++) {
      vocab.put("<0x%02X>".formatted(b), vocab.size());
    }
    vocab.put(SPACE, vocab.size());
    for (char c = 33; c < 127; c++) {
      vocab.put(String.valueOf(c), vocab.size());
    }
    List<String> merges = learnMerges(vocab);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    root.put("added_tokens", List.of(special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")));
    root.put(
        "normalizer",
        ordered(
            "type",
            "Sequence",
            "normalizers",
            List.of(
                ordered("type", "Prepend", "prepend", SPACE),
                ordered("type", "Replace", "pattern", ordered("String", " "), "content", SPACE))));
    root.put("pre_tokenizer", null);
    Map<String, Object> bos = ordered("SpecialToken", ordered("id", "<s>", "type_id", 0));
    root.put(
        "post_processor",
        ordered(
            "type",
            "TemplateProcessing",
            "single",
            List.of(bos, ordered("Sequence", ordered("id", "A", "type_id", 0))),
            "pair",
            List.of(
                bos,
                ordered("Sequence", ordered("id", "A", "type_id", 0)),
                ordered("SpecialToken", ordered("id", "<s>", "type_id", 1)),
                ordered("Sequence", ordered("id", "B", "type_id", 1))),
            "special_tokens",
            ordered("<s>", ordered("id", "<s>", "ids", List.of(1), "tokens", List.of("<s>")))));
    root.put(
        "decoder",
        ordered(
            "type",
            "Sequence",
            "decoders",
            List.of(
                ordered("type", "Replace", "pattern", ordered("String", SPACE), "content", " "),
                ordered("type", "ByteFallback"),
                ordered("type", "Fuse"),
                ordered("type", "Strip", "content", " ", "start", 1, "stop", 0))));
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", "<unk>");
    model.put("continuing_subword_prefix", null);
    model.put("end_of_word_suffix", null);
    model.put("fuse_unk", true);
    model.put("byte_fallback", true);
    model.put("ignore_merges", false);
    model.put("vocab", vocab);
    model.put("merges", merges);
    root.put("model", model);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes() {
    return build().getBytes(StandardCharsets.UTF_8);
  }

  /** Greedy BPE training: repeatedly merge the most frequent adjacent pair (ties: smallest pair text). */
  private static List<String> learnMerges(Map<String, Integer> vocab) {
    Map<String, Integer> wordCounts = new LinkedHashMap<>();
    for (String w : CORPUS.strip().split("\\s+")) {
      wordCounts.merge(SPACE + w, 1, Integer::sum);
    }
    List<List<String>> words = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
      List<String> symbols = new ArrayList<>();
      e.getKey().codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
      words.add(symbols);
      counts.add(e.getValue());
    }
    List<String> merges = new ArrayList<>();
    while (vocab.size() < TARGET_VOCAB) {
      Map<String, Integer> pairCounts = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> s = words.get(w);
        for (int i = 0; i + 1 < s.size(); i++) {
          pairCounts.merge(s.get(i) + " " + s.get(i + 1), counts.get(w), Integer::sum);
        }
      }
      String best = null;
      int bestCount = 0;
      for (Map.Entry<String, Integer> e : pairCounts.entrySet()) {
        int c = e.getValue();
        if (c > bestCount || (c == bestCount && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          bestCount = c;
        }
      }
      if (best == null) {
        break;
      }
      String[] ab = best.split(" ");
      String merged = ab[0] + ab[1];
      merges.add(best);
      vocab.putIfAbsent(merged, vocab.size());
      for (List<String> s : words) {
        for (int i = 0; i + 1 < s.size(); i++) {
          if (s.get(i).equals(ab[0]) && s.get(i + 1).equals(ab[1])) {
            s.set(i, merged);
            s.remove(i + 1);
          }
        }
      }
    }
    return merges;
  }

  private static Map<String, Object> special(int id, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("content", content);
    m.put("single_word", false);
    m.put("lstrip", false);
    m.put("rstrip", false);
    m.put("normalized", false);
    m.put("special", true);
    return m;
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
