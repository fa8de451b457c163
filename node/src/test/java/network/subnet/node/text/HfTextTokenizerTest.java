package network.subnet.node.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTextTokenizerTest {

  private static Path tokenizerJson() {
    return TinyModels.checkpoint().resolve(MistralCheckpoint.TOKENIZER);
  }

  @Test
  void addsBosFirstAndRoundTrips() throws IOException {
    try (HfTextTokenizer tok = HfTextTokenizer.load(tokenizerJson())) {
      int[] ids = tok.encode("the teacher model computes soft labels");
      assertThat(ids[0]).isEqualTo(1);
      assertThat(tok.bosId()).isEqualTo(1);
      assertThat(ids.length).isGreaterThan(2).isLessThan(30);
      assertThat(tok.decode(ids)).isEqualTo("the teacher model computes soft labels");
    }
  }

  @Test
  void fallsBackToBytesForUnknownCharacters() throws IOException {
    try (HfTextTokenizer tok = HfTextTokenizer.load(tokenizerJson())) {
      int[] ids = tok.encode("café\n");
      assertThat(ids).doesNotContain(0);
      assertThat(tok.decode(ids)).isEqualTo("café\n");
    }
  }

  @Test
  void neverTruncatesLongTexts() throws IOException {
    String text = "the quick zebra jumps over seventeen lazy dogs while counting 0123456789; ".repeat(60);
    try (HfTextTokenizer tok = HfTextTokenizer.load(tokenizerJson())) {
      int[] ids = tok.encode(text);
      assertThat(ids.length).isGreaterThan(1500);
      assertThat(tok.decode(ids)).isEqualTo(text);
    }
  }

  @Test
  void hashIsSha256OfTheFile() throws Exception {
    try (HfTextTokenizer tok = HfTextTokenizer.load(tokenizerJson())) {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tokenizerJson()));
      assertThat(tok.hash()).isEqualTo(HexFormat.of().formatHex(digest));
    }
  }

  @Test
  void missingFileNamesIt(@TempDir Path dir) {
    assertThatThrownBy(() -> HfTextTokenizer.load(dir.resolve("tokenizer.json")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tokenizer.json");
  }
}
