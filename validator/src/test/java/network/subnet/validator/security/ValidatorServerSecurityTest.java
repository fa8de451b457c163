package network.subnet.validator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.node.transport.ServerSecurity;
import network.subnet.node.transport.limits.RateLimit;
import network.subnet.node.transport.tls.TlsIdentity;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.ValidatorServer;
import network.subnet.validator.admin.AdminClient;
import network.subnet.validator.admin.RuntimeSettings;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.query.QueryClient;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validator's server over pinned TLS: bans, per-key rate limits and the admin service. */
class ValidatorServerSecurityTest {

  private final LocalSigner validatorKey = LocalSigner.generate();
  private final TlsIdentity identity = TlsIdentity.generate("validator-test");
  private final InMemoryStorage storage = new InMemoryStorage();
  private ValidatorServer server;
  private ChannelSecurity pinned;

  @BeforeEach
  void start() throws Exception {
    ValidatorNode node =
        new ValidatorNode(
            ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
            storage,
            validatorKey,
            System::currentTimeMillis);
    ServerPolicy policy =
        ServerPolicy.of(ServerSecurity.tls(identity))
            .withRateLimits(new RateLimit(0.5, 3), RateLimit.UNLIMITED);
    server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC(), policy, new BanList(storage));
    server.start();
    pinned = ChannelSecurity.pinned(identity.fingerprint());
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private GrpcValidatorApi miner(LocalSigner key) {
    return GrpcValidatorApi.connect(server.target(), key, ClientOptions.defaults(), pinned);
  }

  @Test
  void bannedMinerIsDeniedUntilUnbannedAndTheBanOutlivesARestartOfTheList() {
    LocalSigner miner = LocalSigner.generate();
    try (GrpcValidatorApi api = miner(miner);
        AdminClient admin = AdminClient.connect(server.target(), validatorKey, pinned)) {
      api.register(Fixtures.capabilities(Fixtures.TEACHER), "t");
      AdminClient.BanState banned = admin.ban(miner.publicKey());
      assertThat(banned.changed()).isTrue();
      assertThat(banned.banned()).containsExactly(miner.publicKey());
      assertThat(admin.ban(miner.publicKey()).changed()).isFalse();
      assertThat(new BanList(storage).isBanned(miner.publicKey())).isTrue();

      ApiException denied = catchThrowableOfType(ApiException.class, () -> api.lease(1, Duration.ZERO));
      assertThat(denied.code()).isEqualTo(ApiException.Code.PERMISSION_DENIED);
      assertThat(denied.getMessage()).contains(miner.publicKey().hex()).contains("banned");

      assertThat(admin.unban(miner.publicKey()).banned()).isEmpty();
      assertThat(api.lease(1, Duration.ZERO)).isEmpty();
    }
  }

  @Test
  void adminCallsSignedByAnyOtherKeyAreDenied() {
    LocalSigner stranger = LocalSigner.generate();
    try (AdminClient admin = AdminClient.connect(server.target(), stranger, pinned)) {
      ApiException e = catchThrowableOfType(ApiException.class, () -> admin.ban(stranger.publicKey()));
      assertThat(e.code()).isEqualTo(ApiException.Code.PERMISSION_DENIED);
      assertThat(e.getMessage()).contains("validator's own key");
    }
    assertThat(server.bans().list()).isEmpty();
  }

  @Test
  void adminClosesTheEpochAndReadsAndSetsRateLimits() {
    try (AdminClient admin = AdminClient.connect(server.target(), validatorKey, pinned);
        QueryClient query = QueryClient.connect(server.target(), pinned)) {
      EpochRecord closed = admin.closeEpoch();
      assertThat(closed.verify()).isTrue();
      assertThat(closed.validator()).isEqualTo(validatorKey.publicKey());
      assertThat(query.networkStatus().currentEpoch()).isEqualTo(closed.epoch() + 1);

      AdminClient.Settings settings = admin.config();
      assertThat(settings.values())
          .containsEntry("replicas", "2")
          .containsEntry(RuntimeSettings.RATE_LIMIT_PER_KEY, "0.5/s, burst 3")
          .containsEntry("transport", "TLS (certificate fingerprint " + identity.fingerprint() + ")");
      assertThat(admin.setConfig(RuntimeSettings.RATE_LIMIT_PER_KEY, "100/200").values())
          .containsEntry(RuntimeSettings.RATE_LIMIT_PER_KEY, "100/s, burst 200");
      ApiException fixed = catchThrowableOfType(ApiException.class, () -> admin.setConfig("replicas", "3"));
      assertThat(fixed.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT);
      assertThat(fixed.getMessage()).contains("fixed at start");
      ApiException bad = catchThrowableOfType(
          ApiException.class, () -> admin.setConfig(RuntimeSettings.RATE_LIMIT_PER_KEY, "fast"));
      assertThat(bad.getMessage()).contains("rate-limit-per-key").contains("'fast'");
    }
  }

  @Test
  void aMinerOverItsRateIsToldWhenToRetryAndOthersAreUnaffected() {
    LocalSigner greedy = LocalSigner.generate();
    LocalSigner other = LocalSigner.generate();
    try (GrpcValidatorApi api = miner(greedy);
        GrpcValidatorApi calm = miner(other)) {
      for (int i = 0; i < 3; i++) {
        api.heartbeat(List.of());
      }
      ApiException e = catchThrowableOfType(ApiException.class, () -> api.heartbeat(List.of()));
      assertThat(e.code()).isEqualTo(ApiException.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getMessage()).contains("rate limit").contains(greedy.publicKey().hex()).containsPattern("retry in \\d+ ms");
      // The hint also travels as a trailer, which the client turns into a number a miner can wait on.
      assertThat(e.retryAfterMs()).isPositive().isLessThanOrEqualTo(60_000);
      assertThat(calm.heartbeat(List.of())).isEmpty();
    }
  }

  @Test
  void perAddressLimitSetWhileRunningAppliesToEveryKeyFromThatAddress() {
    try (AdminClient admin = AdminClient.connect(server.target(), validatorKey, pinned);
        GrpcValidatorApi a = miner(LocalSigner.generate());
        GrpcValidatorApi b = miner(LocalSigner.generate())) {
      admin.setConfig(RuntimeSettings.RATE_LIMIT_PER_ADDRESS, "0.1/2");
      a.heartbeat(List.of());
      b.heartbeat(List.of());
      ApiException e = catchThrowableOfType(ApiException.class, () -> a.heartbeat(List.of()));
      assertThat(e.code()).isEqualTo(ApiException.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getMessage()).contains("address 127.0.0.1").containsPattern("retry in \\d+ ms");
      // The admin service is not a miner RPC: the operator is never locked out by a flood.
      assertThat(admin.setConfig(RuntimeSettings.RATE_LIMIT_PER_ADDRESS, "unlimited").values())
          .containsEntry(RuntimeSettings.RATE_LIMIT_PER_ADDRESS, "unlimited");
      assertThat(a.heartbeat(List.of())).isEmpty();
    }
  }

  @Test
  void anOversizedRequestIsRefusedAndTheServerKeepsServing() throws Exception {
    ValidatorNode node =
        new ValidatorNode(
            ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
            new InMemoryStorage(),
            validatorKey,
            System::currentTimeMillis);
    ServerPolicy small = ServerPolicy.of(ServerSecurity.tls(identity)).withMaxInboundMessageSize(64 << 10);
    ValidatorServer tight = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC(), small, new BanList(storage));
    tight.start();
    try (GrpcValidatorApi api =
        GrpcValidatorApi.connect(tight.target(), LocalSigner.generate(), ClientOptions.defaults(), pinned)) {
      List<String> huge = java.util.Collections.nCopies(2_000, "x".repeat(64));
      ApiException e = catchThrowableOfType(ApiException.class, () -> api.heartbeat(huge));
      assertThat(e.code()).isEqualTo(ApiException.Code.RESOURCE_EXHAUSTED);
      // Answered normally: an unknown task comes back as cancelled.
      assertThat(api.heartbeat(List.of("small"))).containsExactly("small");
    } finally {
      tight.stop();
    }
  }
}
