package network.subnet.validator;

import java.io.IOException;
import java.time.Clock;
import network.subnet.node.auth.ServerAuthInterceptor;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.transport.MinerGrpcService;
import network.subnet.node.transport.NodeServer;
import network.subnet.validator.query.QueryGrpcService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ValidatorNode} on the network: the authenticated MinerService, the public QueryService and gRPC health on
 * one Netty server. Stopping stops the node's leasing and timers first (so waiting long polls end at once), then the
 * server, which lets calls in flight (submissions above all) finish; the caller closes storage.
 */
public final class ValidatorServer implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorServer.class);

  private final ValidatorNode node;
  private final NodeServer server;

  public ValidatorServer(ValidatorNode node, String host, int port, Clock clock) {
    this.node = node;
    this.server =
        NodeServer.builder()
            .host(host)
            .port(port)
            .addService(ServerAuthInterceptor.withDefaults(clock).protect(new MinerGrpcService(node, clock)))
            .addService(new QueryGrpcService(node))
            .build();
  }

  @Override
  public void start() throws IOException {
    node.start();
    server.start();
    LOG.info("validator {} listening on {}", node.validatorKey().hex(), server.target());
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.port();
  }

  public String target() {
    return server.target();
  }

  public ValidatorNode node() {
    return node;
  }

  @Override
  public void stop() {
    node.stop();
    server.stop();
  }
}
