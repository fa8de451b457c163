package network.subnet.validator.cli;

import network.subnet.node.cli.ValidatorTrustOptions;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.validator.ValidatorConfig;
import picocli.CommandLine.Mixin;
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

  @Mixin ValidatorTrustOptions trust;

  /** How to reach the validator: TLS pinned by --validator-fingerprint, or --insecure. */
  ChannelSecurity security() {
    return trust.security();
  }
}
