package network.subnet.validator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import network.subnet.validator.query.QueryGrpcService;
import network.subnet.validator.testing.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QueryCommandsTest {

  private final Network net = new Network(2);
  private Server server;
  private String address;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new QueryGrpcService(net.validator))
        .build()
        .start();
    address = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private int run(Object command, String... args) {
    return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err, true)).execute(args);
  }

  @Test
  void rewardsTableAndJson() throws Exception {
    net.validator.closeEpoch();
    assertThat(run(new RewardsCommand(), "--validator", address, "--insecure")).isZero();
    assertThat(out.toString())
        .contains("epoch 0")
        .contains("signature valid")
        .contains(net.a.publicKey().hex())
        .contains("50.0000%");

    out.getBuffer().setLength(0);
    assertThat(run(new RewardsCommand(), "--validator", address, "--insecure", "--epoch", "0", "--json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("epoch").asLong()).isZero();
    assertThat(json.get("signatureValid").asBoolean()).isTrue();
    assertThat(json.get("validatorKey").asText()).isEqualTo(net.validatorKey.publicKey().hex());
    assertThat(json.get("shares")).hasSize(2);
    assertThat(json.get("shares").get(0).get("share").asDouble()).isEqualTo(0.5);
  }

  @Test
  void unknownEpochGoesToStderrWithExitCodeOne() {
    assertThat(run(new RewardsCommand(), "--validator", address, "--insecure", "--epoch", "5")).isEqualTo(1);
    assertThat(err.toString()).contains("error: epoch 5 is not closed");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void leaderboardTableAndJson() throws Exception {
    assertThat(run(new LeaderboardCommand(), "--validator", address, "--insecure")).isZero();
    assertThat(out.toString()).contains("RANK").contains(net.b.publicKey().hex()).contains("12");

    out.getBuffer().setLength(0);
    assertThat(run(new LeaderboardCommand(), "--validator", address, "--insecure", "--limit", "1", "--json")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("credits").asLong()).isEqualTo(12);
    assertThat(json.get(0).get("resultsAccepted").asLong()).isEqualTo(2);
  }

  @Test
  void unreachableValidatorIsAClearError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(run(new LeaderboardCommand(), "--validator", "127.0.0.1:" + port, "--insecure")).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach the validator at 127.0.0.1:" + port);
  }

  @Test
  void badAddressIsAClearError() {
    assertThat(run(new RewardsCommand(), "--validator", "nowhere", "--insecure")).isEqualTo(1);
    assertThat(err.toString()).contains("expected HOST:PORT");
  }

  @Test
  void withoutAFingerprintOrInsecureTheClientRefusesToGuess() {
    assertThat(run(new LeaderboardCommand(), "--validator", address)).isEqualTo(1);
    assertThat(err.toString()).contains("--validator-fingerprint").contains("--insecure");
  }
}
