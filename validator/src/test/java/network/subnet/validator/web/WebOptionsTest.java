package network.subnet.validator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class WebOptionsTest {

  @Command(name = "test")
  static final class Holder {
    @Mixin WebOptions web;
  }

  private final ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults(), new InMemoryStorage(),
      LocalSigner.generate(), System::currentTimeMillis);

  private static WebOptions parse(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.web;
  }

  @Test
  void offUnlessAPortIsGiven() throws Exception {
    WebOptions none = parse();
    assertThat(none.port()).isEmpty();
    assertThat(none.start(node, "127.0.0.1")).isEmpty();
  }

  @Test
  void servesThePageOnTheGivenPort() throws Exception {
    Optional<WebServer> server = parse("--web-port", "0").start(node, "127.0.0.1");
    assertThat(server).isPresent();
    try {
      HttpResponse<String> page = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.get().url())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains(node.validatorKey().hex());
    } finally {
      server.get().stop();
    }
  }

  @Test
  void aPortOutOfRangeIsNamed() {
    assertThatThrownBy(() -> parse("--web-port", "70000").start(node, "127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("web port must be in 0..65535, got 70000");
  }
}
