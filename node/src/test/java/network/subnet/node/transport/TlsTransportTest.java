package network.subnet.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import network.subnet.node.api.ApiException;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.testing.LoopbackValidator;
import network.subnet.node.testing.RecordingMinerGateway;
import network.subnet.node.testing.SampleWork;
import network.subnet.node.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS with a pinned self-signed certificate over real Netty, and the mix-ups it must explain. */
class TlsTransportTest {

  private static final LocalSigner validator = LocalSigner.generate();
  private static final TlsIdentity identity = TlsIdentity.generate("subnet-test");
  private static LoopbackValidator tlsServer;
  private static LoopbackValidator plainServer;

  private final LocalSigner miner = LocalSigner.generate();

  @BeforeAll
  static void start() throws Exception {
    tlsServer =
        LoopbackValidator.start(
            new RecordingMinerGateway(validator.publicKey()),
            NodeServer.builder().security(ServerSecurity.tls(identity)));
    plainServer = LoopbackValidator.start(new RecordingMinerGateway(validator.publicKey()));
  }

  @AfterAll
  static void stop() {
    tlsServer.close();
    plainServer.close();
  }

  @Test
  void pinnedTlsCarriesSignedCalls() {
    try (GrpcValidatorApi api = dial(tlsServer, ChannelSecurity.pinned(identity.fingerprint()))) {
      assertThat(api.register(SampleWork.capabilities(), "t").validatorKey())
          .isEqualTo(validator.publicKey());
    }
  }

  @Test
  void pinAcceptsTheColonSeparatedUppercaseForm() {
    String openssl = identity.fingerprint().toUpperCase().replaceAll("(..)(?!$)", "$1:");
    try (GrpcValidatorApi api = dial(tlsServer, ChannelSecurity.pinned(openssl))) {
      assertThat(api.register(SampleWork.capabilities(), "t").minerKey())
          .isEqualTo(miner.publicKey());
    }
  }

  @Test
  void wrongFingerprintIsRefusedNamingBoth() {
    String other = TlsIdentity.generate("impostor").fingerprint();
    try (GrpcValidatorApi api = dial(tlsServer, ChannelSecurity.pinned(other))) {
      ApiException e = refusal(api);
      assertThat(e.code()).isEqualTo(ApiException.Code.UNAUTHENTICATED);
      assertThat(e.getMessage())
          .contains("fingerprint mismatch")
          .contains("expected " + other)
          .contains("got " + identity.fingerprint());
    }
  }

  @Test
  void plaintextClientAgainstTlsServerIsToldToPin() {
    try (GrpcValidatorApi api = dial(tlsServer, ChannelSecurity.insecure())) {
      ApiException e = refusal(api);
      assertThat(e.code()).isEqualTo(ApiException.Code.UNAVAILABLE);
      assertThat(e.getMessage())
          .contains("speaks TLS, but this client uses plaintext")
          .contains("--validator-fingerprint")
          .contains(identity.fingerprint());
    }
  }

  @Test
  void tlsClientAgainstPlaintextServerIsToldAboutInsecure() {
    try (GrpcValidatorApi api = dial(plainServer, ChannelSecurity.pinned(identity.fingerprint()))) {
      ApiException e = refusal(api);
      assertThat(e.code()).isEqualTo(ApiException.Code.UNAVAILABLE);
      assertThat(e.getMessage()).contains("speaks plaintext, but this client uses TLS").contains("--insecure");
    }
  }

  private GrpcValidatorApi dial(LoopbackValidator server, ChannelSecurity security) {
    return GrpcValidatorApi.connect(server.target(), miner, ClientOptions.defaults(), security);
  }

  private static ApiException refusal(GrpcValidatorApi api) {
    return catchThrowableOfType(
        ApiException.class, () -> api.register(SampleWork.capabilities(), "t"));
  }
}
