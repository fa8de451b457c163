package network.subnet.validator.competitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompetitionsFileTest {

  @TempDir Path dir;

  @Test
  void readsDefinitionsWithDefaultsAndRelativeDatasets() throws IOException {
    Path file = Files.writeString(dir.resolve("competitions.json"), """
        {"competitions": [
          {"id": "micronet-imagenet", "scorer": "micronet-efficiency", "dataset": "imagenet", "scoreToBeat": 0.1295},
          {"id": "apex-1", "scorer": "matrix-compression", "dataset": "m/", "scoreToBeat": 1300000,
           "improvement": 0.02, "opens": "2026-01-01T00:00:00Z", "closes": 1900000000000}
        ]}
        """);
    List<CompetitionDefinition> defs = CompetitionsFile.read(file);
    assertThat(defs).hasSize(2);
    assertThat(defs.get(0).dataset()).isEqualTo(dir.toAbsolutePath().resolve("imagenet"));
    assertThat(defs.get(0).improvement()).isEqualTo(0.01);
    assertThat(defs.get(0).closesMs()).isEqualTo(Long.MAX_VALUE);
    assertThat(defs.get(1).opensMs()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    assertThat(defs.get(1).closesMs()).isEqualTo(1_900_000_000_000L);
    assertThat(defs.get(1).improvement()).isEqualTo(0.02);
  }

  @Test
  void mistakesAreNamed() throws IOException {
    Path typo = Files.writeString(dir.resolve("a.json"),
        "{\"competitions\": [{\"id\": \"a\", \"scorer\": \"s\", \"dataset\": \"d\", \"scoreToBeat\": 1, \"opns\": 0}]}");
    assertThatThrownBy(() -> CompetitionsFile.read(typo)).hasMessageContaining("competitions[0]")
        .hasMessageContaining("unknown field \"opns\"");
    Path noScore = Files.writeString(dir.resolve("b.json"),
        "{\"competitions\": [{\"id\": \"a\", \"scorer\": \"s\", \"dataset\": \"d\"}]}");
    assertThatThrownBy(() -> CompetitionsFile.read(noScore)).hasMessageContaining("scoreToBeat");
    Path badId = Files.writeString(dir.resolve("c.json"),
        "{\"competitions\": [{\"id\": \"A B\", \"scorer\": \"s\", \"dataset\": \"d\", \"scoreToBeat\": 1}]}");
    assertThatThrownBy(() -> CompetitionsFile.read(badId)).hasMessageContaining("competition id");
    assertThatThrownBy(() -> CompetitionsFile.read(dir.resolve("missing.json"))).hasMessageContaining("does not exist");
  }
}
