package network.subnet.node.metrics;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --metrics-port} and {@code --metrics-host} options, as a mixin for the validator and miner commands. */
public final class MetricsOptions {

  /** The port a validator's metrics usually go on; a miner's go one above. */
  public static final int VALIDATOR_PORT = 9464;

  public static final int MINER_PORT = 9465;

  public static final String DEFAULT_HOST = "0.0.0.0";

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0: any free port; default: off; usual: "
          + VALIDATOR_PORT + " validator, " + MINER_PORT + " miner).")
  Integer port;

  @Option(names = "--metrics-host", paramLabel = "HOST",
      description = "Address the metrics endpoint listens on (default: ${DEFAULT-VALUE}).")
  String host = DEFAULT_HOST;

  public Optional<Integer> port() {
    return Optional.ofNullable(port);
  }

  public String host() {
    return host;
  }

  /** A server for {@code metrics} if a port was given, not yet started. */
  public Optional<MetricsServer> server(PrometheusMetrics metrics) {
    return port().map(p -> new MetricsServer(metrics, host, p));
  }
}
