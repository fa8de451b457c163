package network.subnet.validator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.regex.Pattern;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.ledger.TaskRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebServerTest {

  private final WebFixture net = new WebFixture(new InMemoryStorage());
  private final HttpClient http = HttpClient.newHttpClient();
  private WebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new WebServer(net.dashboard(), "127.0.0.1", 0);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url()).resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pageShowsLeaderboardSharesRootsOpenTasksAndThePlot() throws Exception {
    HttpResponse<String> page = call("GET", "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    String html = page.body();

    String leaderboard = section(html, "leaderboard");
    assertThat(rows(leaderboard)).isEqualTo(3);
    // a did every task, so it leads; c's cheating shows as rejected results.
    assertThat(leaderboard.indexOf(net.a.publicKey().hex())).isLessThan(leaderboard.indexOf(net.c.publicKey().hex()));
    String rowC = leaderboard.substring(leaderboard.indexOf(net.c.publicKey().hex()));
    assertThat(rowC.substring(0, rowC.indexOf("</tr>")))
        .contains("class=\"num ok\">2<").contains("class=\"num bad\">" + WebFixture.LATE_TASKS + "<");

    EpochRecord epoch0 = net.validator.rewards(0);
    String epochs = section(html, "epochs");
    assertThat(rows(epochs)).isEqualTo(1);
    assertThat(epochs).contains(HexFormat.of().formatHex(epoch0.merkleRoot())).contains("signature valid");
    assertThat(rows(section(html, "shares"))).isEqualTo(epoch0.entries().size()).isEqualTo(3);

    String open = section(html, "open-tasks");
    assertThat(rows(open)).isEqualTo(WebFixture.OPEN_TASKS);
    net.validator.ledger().forEachPendingTask((TaskRecord t) -> assertThat(open).contains(t.task().id()));

    String svg = html.substring(html.indexOf("<svg id=\"work-plot\""), html.indexOf("</svg>"));
    int bins = Dashboard.HISTORY_BINS;
    assertThat(count(svg, "class=\"point verified\"")).isEqualTo(3 * bins);
    assertThat(count(svg, "class=\"point failed\"")).isEqualTo(3 * bins);
    // c's failed line ends at its four rejected results.
    assertThat(svg).contains("data-miner=\"" + net.c.publicKey().hex() + "\" data-value=\"" + WebFixture.LATE_TASKS);
  }

  @Test
  void onlyReadsAreServed() throws Exception {
    HttpResponse<String> post = call("POST", "/");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(call("DELETE", "/").statusCode()).isEqualTo(405);
    assertThat(call("HEAD", "/").statusCode()).isEqualTo(200);
    assertThat(call("GET", "/nothing-here").statusCode()).isEqualTo(404);
    assertThat(call("GET", "/healthz").body()).isEqualTo("ok\n");
    HttpResponse<String> svg = call("GET", "/work.svg");
    assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml; charset=utf-8");
    assertThat(svg.body()).startsWith("<svg").endsWith("</svg>");
  }

  @Test
  void anEmptyValidatorStillRenders() throws Exception {
    ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults(), new InMemoryStorage(), LocalSigner.generate(),
        System::currentTimeMillis);
    WebServer empty = new WebServer(Dashboard.of(node), "127.0.0.1", 0);
    empty.start();
    try {
      String html = http.send(HttpRequest.newBuilder(URI.create(empty.url())).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(html).contains("no miner has results yet").contains("no epoch has closed yet")
          .contains("no verified or failed results yet");
    } finally {
      empty.stop();
    }
  }

  private static String section(String html, String id) {
    int start = html.indexOf("<table id=\"" + id + "\"");
    assertThat(start).as("table #%s", id).isNotNegative();
    return html.substring(start, html.indexOf("</table>", start));
  }

  private static int rows(String table) {
    return count(table.substring(table.indexOf("<tbody>")), "<tr>");
  }

  private static int count(String s, String what) {
    return (int) Pattern.compile(Pattern.quote(what)).matcher(s).results().count();
  }
}
