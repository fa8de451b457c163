package network.subnet.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.BindableService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.competitions.CompetitionGrpcService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class CompetitionOptionsTest {

  @TempDir Path dir;

  @CommandLine.Command(name = "host")
  static final class Host {
    @CommandLine.Mixin CompetitionOptions competitions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    List<BindableService> services(String... args) {
      new CommandLine(this).parseArgs(args);
      return competitions.services(new InMemoryStorage(), spec);
    }
  }

  @Test
  void noFileHostsNothing() {
    assertThat(new Host().services()).isEmpty();
  }

  @Test
  void aFileOfCompetitionsBecomesTheCompetitionService() throws IOException {
    Path file = Files.writeString(dir.resolve("c.json"), """
        {"competitions": [{"id": "m", "scorer": "micronet-efficiency", "dataset": "cifar100", "scoreToBeat": 0.01}]}
        """);
    assertThat(new Host().services("--competitions", file.toString()))
        .singleElement().isInstanceOf(CompetitionGrpcService.class);
  }

  @Test
  void anUnknownScorerStopsTheValidatorWithTheReason() throws IOException {
    Path file = Files.writeString(dir.resolve("c.json"), """
        {"competitions": [{"id": "m", "scorer": "chess", "dataset": "x", "scoreToBeat": 1}]}
        """);
    assertThatThrownBy(() -> new Host().services("--competitions", file.toString()))
        .isInstanceOf(ParameterException.class).hasMessageContaining("--competitions").hasMessageContaining("chess");
  }
}
