package network.subnet.node.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Scrapes a metrics endpoint over HTTP the way Prometheus does, and reads single samples out of the text. */
public final class MetricsScrape {

  private MetricsScrape() {}

  /** The text exposition at {@code http://127.0.0.1:PORT/metrics}; fails unless the answer is 200. */
  public static String scrape(int port) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString(UTF_8));
      if (response.statusCode() != 200) {
        throw new IOException("metrics endpoint answered " + response.statusCode());
      }
      return response.body();
    }
  }

  /** The value of the sample named exactly {@code series} (labels included, as exposed), or NaN when absent. */
  public static double value(String exposition, String series) {
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(series + " ")) {
        String rest = line.substring(series.length() + 1).strip();
        int space = rest.indexOf(' ');
        return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
      }
    }
    return Double.NaN;
  }
}
