package network.subnet.node.testing;

import java.time.Clock;
import network.subnet.node.api.MinerGateway;
import network.subnet.node.auth.ServerAuthInterceptor;
import network.subnet.node.identity.Signer;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.node.transport.MinerGrpcService;
import network.subnet.node.transport.NodeServer;

/**
 * A real MinerService over Netty on 127.0.0.1 (ephemeral port) in front of any {@link
 * MinerGateway}, with request authentication on: for end-to-end tests of miners and validators.
 * Close it to stop the server.
 */
public final class LoopbackValidator implements AutoCloseable {

  private final NodeServer server;

  private LoopbackValidator(NodeServer server) {
    this.server = server;
  }

  public static LoopbackValidator start(MinerGateway gateway) throws Exception {
    return start(gateway, NodeServer.builder());
  }

  /**
   * Starts with extra server options (message size, executor); host, port and services are set
   * here.
   */
  public static LoopbackValidator start(MinerGateway gateway, NodeServer.Builder options)
      throws Exception {
    Clock clock = Clock.systemUTC();
    NodeServer server =
        options
            .host("127.0.0.1")
            .port(0)
            .addService(
                ServerAuthInterceptor.withDefaults(clock)
                    .protect(new MinerGrpcService(gateway, clock)))
            .build();
    server.start();
    return new LoopbackValidator(server);
  }

  public String target() {
    return server.target();
  }

  public NodeServer server() {
    return server;
  }

  /** A miner-side client signing with {@code miner}. */
  public GrpcValidatorApi connect(Signer miner) {
    return GrpcValidatorApi.connect(target(), miner, ClientOptions.defaults());
  }

  @Override
  public void close() {
    server.stop();
  }
}
