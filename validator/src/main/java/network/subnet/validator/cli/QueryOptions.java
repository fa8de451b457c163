package network.subnet.validator.cli;

import network.subnet.validator.ValidatorConfig;
import picocli.CommandLine.Option;

/** Where the validator's query service listens, and how to print the answer. */
public final class QueryOptions {

  @Option(
      names = "--validator",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:" + ValidatorConfig.DEFAULT_PORT,
      description = "The validator's address (env SUBNET_VALIDATOR; default: ${DEFAULT-VALUE}).")
  String validator;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;
}
