package network.subnet.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Writes a small FineWeb-style corpus (JSONL, one {"text": ...} document per line) for the devnet: plain English
 * sentences from a fixed vocabulary, deterministic for a seed, so that devnet runs are repeatable.
 */
public final class SampleCorpus {

  private static final String[] SUBJECTS = {
    "The river", "A small town", "The old library", "Our team", "The morning train", "A quiet garden",
    "The new bridge", "Every student", "The city council", "A local farmer", "The museum", "The weather"
  };
  private static final String[] VERBS = {
    "opened", "changed", "carried", "welcomed", "reached", "followed", "described", "protected", "improved", "shared"
  };
  private static final String[] OBJECTS = {
    "the first visitors of the season", "a long history of trade", "fresh water to the valley",
    "new ideas about learning", "the north side of the hills", "hundreds of books and maps",
    "a simple plan for the winter", "the people who lived nearby", "the results of the survey", "a bright morning"
  };
  private static final String[] TAILS = {
    "after many years", "in the spring", "without much noise", "for the whole region", "before the storm",
    "with great care", "during the festival", "at the end of the day"
  };

  private SampleCorpus() {}

  /** Writes {@code documents} documents to {@code file} unless it already exists; returns the file. */
  public static Path writeIfAbsent(Path file, int documents, long seed) {
    if (Files.exists(file)) {
      return file;
    }
    ObjectMapper json = new ObjectMapper();
    Random random = new Random(seed);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (int d = 0; d < documents; d++) {
          out.write(json.writeValueAsString(Map.of("text", document(random))));
          out.write('\n');
        }
      }
      Files.move(tmp, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample corpus " + file, e);
    }
  }

  private static String document(Random random) {
    StringBuilder text = new StringBuilder();
    int sentences = 3 + random.nextInt(6);
    for (int s = 0; s < sentences; s++) {
      if (s > 0) {
        text.append(' ');
      }
      text.append(pick(SUBJECTS, random)).append(' ').append(pick(VERBS, random)).append(' ')
          .append(pick(OBJECTS, random)).append(' ').append(pick(TAILS, random)).append('.');
    }
    return text.toString();
  }

  private static String pick(String[] words, Random random) {
    return words[random.nextInt(words.length)];
  }
}
