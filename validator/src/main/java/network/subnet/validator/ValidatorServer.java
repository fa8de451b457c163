package network.subnet.validator;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import network.subnet.node.auth.ServerAuthInterceptor;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.lifecycle.Service;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.transport.CallerGate;
import network.subnet.node.transport.MinerGrpcService;
import network.subnet.node.transport.NodeServer;
import network.subnet.node.transport.RequestParseGuard;
import network.subnet.node.transport.limits.AddressRateLimit;
import network.subnet.node.transport.limits.RateLimiter;
import network.subnet.node.transport.limits.RetryHint;
import network.subnet.validator.admin.AdminGrpcService;
import network.subnet.validator.admin.RuntimeSettings;
import network.subnet.validator.query.QueryGrpcService;
import network.subnet.validator.security.BanList;
import network.subnet.validator.security.ServerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ValidatorNode} on the network: the authenticated MinerService, the public QueryService,
 * the operator's AdminService, gRPC health and server reflection (so {@code grpcurl} can list and call the services)
 * on one Netty server. Stopping stops the node's leasing and timers first (so waiting long polls end at once), then
 * the server, which lets calls in flight (submissions above all) finish; the caller closes storage.
 *
 * <p>Miner calls pass, in order: the per-address rate limit (before any signature is checked), the
 * signature check, then, for the verified key, the ban list (PERMISSION_DENIED) and the per-key
 * rate limit (RESOURCE_EXHAUSTED with a retry hint). Admin calls must be signed by the validator's
 * own key.
 */
public final class ValidatorServer implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorServer.class);

  private final ValidatorNode node;
  private final ServerPolicy policy;
  private final BanList bans;
  private final RuntimeSettings settings;
  private final NodeServer server;

  /** Plaintext, no rate limits, bans kept in memory only: for tests and benchmarks on loopback. */
  public ValidatorServer(ValidatorNode node, String host, int port, Clock clock) {
    this(node, host, port, clock, ServerPolicy.loopbackTesting(), new BanList(new InMemoryStorage()));
  }

  /** Plaintext like {@link #ValidatorServer(ValidatorNode, String, int, Clock)}, with more public services. */
  public ValidatorServer(ValidatorNode node, String host, int port, Clock clock, List<BindableService> extra) {
    this(node, host, port, clock, ServerPolicy.loopbackTesting(), new BanList(new InMemoryStorage()), extra);
  }

  public ValidatorServer(
      ValidatorNode node, String host, int port, Clock clock, ServerPolicy policy, BanList bans) {
    this(node, host, port, clock, policy, bans, List.of());
  }

  /** {@code extra}: more public services beside the validator's own, e.g. the CompetitionService. */
  public ValidatorServer(
      ValidatorNode node, String host, int port, Clock clock, ServerPolicy policy, BanList bans,
      List<BindableService> extra) {
    this.node = node;
    this.policy = policy;
    this.bans = bans;
    RateLimiter<PublicKey> perKey = new RateLimiter<>(policy.perKey());
    RateLimiter<InetAddress> perAddress = new RateLimiter<>(policy.perAddress());
    this.settings =
        new RuntimeSettings(
            node.config(), policy.security(), policy.maxInboundMessageSize(), perKey, perAddress);
    ServerAuthInterceptor auth = ServerAuthInterceptor.withDefaults(clock);
    CallerGate minerGate =
        new CallerGate(
            caller -> {
              if (bans.isBanned(caller)) {
                return Status.PERMISSION_DENIED
                    .withDescription("miner key " + caller.hex() + " is banned by this validator")
                    .asRuntimeException();
              }
              long wait = perKey.acquire(caller);
              return wait > 0 ? RetryHint.exhausted("miner key " + caller.hex(), perKey.limit(), wait) : null;
            });
    CallerGate adminGate =
        new CallerGate(
            caller ->
                caller.equals(node.validatorKey())
                    ? null
                    : Status.PERMISSION_DENIED
                        .withDescription(
                            "admin calls must be signed by the validator's own key "
                                + node.validatorKey().hex()
                                + "; got "
                                + caller.hex())
                        .asRuntimeException());
    NodeServer.Builder builder =
        NodeServer.builder()
            .host(host)
            .port(port)
            .security(policy.security())
            .maxInboundMessageSize(policy.maxInboundMessageSize())
            .addService(
                ServerInterceptors.intercept(
                    auth.protect(new MinerGrpcService(node, clock), minerGate),
                    new AddressRateLimit(perAddress)))
            .addService(RequestParseGuard.guard(new QueryGrpcService(node).bindService()))
            .addService(
                auth.protect(new AdminGrpcService(node, bans, settings, clock::millis), adminGate))
            .addService(ProtoReflectionServiceV1.newInstance());
    for (BindableService service : extra) {
      builder.addService(RequestParseGuard.guard(service.bindService()));
    }
    this.server = builder.build();
  }

  @Override
  public void start() throws IOException {
    node.start();
    server.start();
    LOG.info(
        "validator {} listening on {} ({})",
        node.validatorKey().hex(),
        server.target(),
        policy.security().describe());
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

  public ServerPolicy policy() {
    return policy;
  }

  public BanList bans() {
    return bans;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  @Override
  public void stop() {
    node.stop();
    server.stop();
  }
}
