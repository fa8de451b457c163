package network.subnet.validator.cli;

import io.grpc.BindableService;
import java.nio.file.Path;
import java.util.List;
import network.subnet.node.compete.ScorerRegistry;
import network.subnet.node.storage.KeyValueStorage;
import network.subnet.validator.competitions.CompetitionDefinition;
import network.subnet.validator.competitions.CompetitionGrpcService;
import network.subnet.validator.competitions.CompetitionRegistry;
import network.subnet.validator.competitions.CompetitionsFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The competitions a validator hosts, read from a JSON file (see {@link CompetitionsFile}). */
public final class CompetitionOptions {

  @Option(names = "--competitions", paramLabel = "FILE",
      description = "JSON file of the competitions to host (env SUBNET_COMPETITIONS; default: none).")
  Path file;

  /** The CompetitionService over {@code storage}, or nothing when no file was given. */
  List<BindableService> services(KeyValueStorage storage, CommandSpec spec) {
    if (file == null) {
      return List.of();
    }
    try {
      List<CompetitionDefinition> definitions = CompetitionsFile.read(file);
      CompetitionRegistry registry =
          new CompetitionRegistry(definitions, ScorerRegistry.standard(), storage, System::currentTimeMillis);
      spec.commandLine().getErr().printf("validator: hosting %d competitions from %s%n", definitions.size(), file);
      return List.of(new CompetitionGrpcService(registry));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--competitions: " + e.getMessage());
    }
  }
}
