package network.subnet.cli.metrics;

import static network.subnet.node.testing.MetricsScrape.scrape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.subnet.node.api.TaskKind;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.metrics.MetricsServer;
import network.subnet.node.metrics.PrometheusMetrics;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorMetrics;
import network.subnet.validator.ValidatorNode;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard charts only series that a node really exposes. */
class DashboardTest {

  private static final Pattern SERIES = Pattern.compile("\\b((?:subnet|jvm)_[a-z_]+)\\b");

  @Test
  void everySeriesTheDashboardQueriesIsExposed() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Path.of("grafana", "subnet.json").toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      Matcher m = SERIES.matcher(expr.asText());
      while (m.find()) {
        queried.add(m.group(1));
      }
    }
    assertThat(queried).contains("subnet_tasks_leased_total", "subnet_lease_latency_seconds_bucket",
        "subnet_storage_live_data_bytes", "jvm_memory_used_bytes");

    InMemoryStorage storage = new InMemoryStorage();
    PrometheusMetrics metrics = new PrometheusMetrics("validator").watchStorage(storage);
    ValidatorMetrics.watchLedger(metrics,
        new ValidatorNode(ValidatorConfig.defaults(), storage, LocalSigner.generate(), System::currentTimeMillis));
    metrics.taskLeased(TaskKind.DISTILL);
    metrics.taskVerified(TaskKind.DISTILL);
    metrics.taskFailed(TaskKind.COMPRESS);
    metrics.resultAccepted(TaskKind.DISTILL);
    metrics.resultRefused(TaskKind.COMPRESS, "invalid_argument");
    metrics.tokensLabelled(10);
    metrics.codecRatio("quant/2", 2.0);
    metrics.leaseLatency(1_000_000);
    try (MetricsServer server = new MetricsServer(metrics, "127.0.0.1", 0)) {
      server.start();
      String exposition = scrape(server.port());
      Set<String> exposed = new TreeSet<>();
      exposition.lines().filter(l -> !l.startsWith("#")).forEach(l -> exposed.add(l.split("[{ ]", 2)[0]));
      assertThat(exposed).containsAll(queried);
    }
  }
}
