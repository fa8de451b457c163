package network.subnet.validator.web;

import java.io.IOException;
import java.util.Optional;
import network.subnet.validator.ValidatorNode;
import picocli.CommandLine.Option;

/** {@code --web-port}: the read-only web page, off unless a port is given. */
public final class WebOptions {

  @Option(names = "--web-port", paramLabel = "PORT",
      description = "Serve the read-only web page (leaderboard, shares, work plot, open tasks, epoch roots) on this "
          + "port; off by default.")
  Integer webPort;

  public Optional<Integer> port() {
    return Optional.ofNullable(webPort);
  }

  /** Starts the page for {@code node} on {@code host} when a port was given. */
  public Optional<WebServer> start(ValidatorNode node, String host) throws IOException {
    if (webPort == null) {
      return Optional.empty();
    }
    WebServer server = new WebServer(Dashboard.of(node), host, webPort);
    server.start();
    return Optional.of(server);
  }
}
