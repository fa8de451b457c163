package network.subnet.node.transport;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import network.subnet.node.lifecycle.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server over Netty with the standard health service: SERVING once started, NOT_SERVING as
 * soon as it begins to stop. Messages above the inbound size limit are refused by gRPC itself with
 * RESOURCE_EXHAUSTED before any service sees them, and the connection stays usable. The server is
 * plaintext unless given a {@link ServerSecurity#tls} identity; the roles' servers choose TLS by
 * default.
 *
 * <p>Calls run on virtual threads unless an executor is given: a lease long-poll parks its thread
 * for up to its wait, and thousands of miners polling at once must not exhaust a platform thread
 * pool.
 */
public final class NodeServer implements Service {

  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 64 << 20;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(NodeServer.class);

  private final Builder config;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ExecutorService ownedExecutor;
  private final Server server;
  private volatile boolean started;
  private volatile boolean stopped;

  private NodeServer(Builder b) {
    this.config = b;
    this.ownedExecutor = b.executor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
    NettyServerBuilder nb =
        NettyServerBuilder.forAddress(new InetSocketAddress(b.host, b.port))
            .maxInboundMessageSize(b.maxInboundMessageSize)
            .keepAliveTime(b.keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(b.keepAliveTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(b.permitKeepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true)
            .executor(b.executor != null ? b.executor : ownedExecutor)
            .addService(health.getHealthService());
    b.security.apply(nb);
    for (ServerServiceDefinition service : b.services) {
      nb.addService(service);
    }
    this.server = nb.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized void start() throws IOException {
    if (started) {
      throw new IllegalStateException("server already started");
    }
    server.start();
    started = true;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    for (ServerServiceDefinition service : config.services) {
      health.setStatus(service.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    log.info("gRPC server listening on {}:{} ({})", config.host, port(), config.security.describe());
  }

  /**
   * The port actually bound (the ephemeral one when built with port 0); only valid once started.
   */
  public int port() {
    if (!started) {
      throw new IllegalStateException("server not started");
    }
    return server.getPort();
  }

  /** "host:port" as a client dials it. */
  public String target() {
    return config.host + ":" + port();
  }

  @Override
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    // Health first, so load balancers and probes stop sending work before the listener closes.
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(config.shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("calls still running after {}; cancelling them", config.shutdownGrace);
        server.shutdownNow();
        server.awaitTermination(config.shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
      }
    }
  }

  /**
   * Options for {@link NodeServer}. Interceptors given with a service apply to that service only.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private Duration keepAliveTime = Duration.ofMinutes(1);
    private Duration keepAliveTimeout = Duration.ofSeconds(20);
    private Duration permitKeepAliveTime = Duration.ofSeconds(10);
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private ExecutorService executor;
    private ServerSecurity security = ServerSecurity.insecure();

    private Builder() {}

    /** TLS or plaintext; plaintext unless set. */
    public Builder security(ServerSecurity security) {
      this.security = security;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** 0 picks a free port; read it back with {@link NodeServer#port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Adds a service; its interceptors run in the order given (the first sees the call first). */
    public Builder addService(BindableService service, ServerInterceptor... interceptors) {
      List<ServerInterceptor> outermostLast = new ArrayList<>(List.of(interceptors));
      Collections.reverse(outermostLast);
      services.add(ServerInterceptors.intercept(service, outermostLast));
      return this;
    }

    /**
     * Adds a service already wrapped as it should be, e.g. by {@code
     * ServerAuthInterceptor.protect}.
     */
    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    public Builder maxInboundMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException(
            "max inbound message size must be positive, got " + bytes);
      }
      this.maxInboundMessageSize = bytes;
      return this;
    }

    /**
     * Server pings an idle client after {@code time}, and drops it if no answer comes within {@code
     * timeout}.
     */
    public Builder keepAlive(Duration time, Duration timeout) {
      this.keepAliveTime = time;
      this.keepAliveTimeout = timeout;
      return this;
    }

    /** Clients pinging more often than this are told to go away (protects against ping floods). */
    public Builder permitKeepAliveTime(Duration time) {
      this.permitKeepAliveTime = time;
      return this;
    }

    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Runs calls on {@code executor} instead of virtual threads; the caller owns and shuts it down.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = executor;
      return this;
    }

    public NodeServer build() {
      return new NodeServer(this);
    }
  }
}
