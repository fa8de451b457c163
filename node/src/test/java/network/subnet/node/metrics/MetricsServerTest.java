package network.subnet.node.metrics;

import static network.subnet.node.testing.MetricsScrape.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import network.subnet.node.api.TaskKind;
import network.subnet.node.storage.Column;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.storage.KeyValueStorage.WriteBatch;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  @Test
  void scrapeShowsDomainStorageAndJvmSeriesAndTheyMove() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    PrometheusMetrics metrics = new PrometheusMetrics("validator").watchStorage(storage);
    try (MetricsServer server = new MetricsServer(metrics, "127.0.0.1", 0)) {
      server.start();
      String before = scrape(server.port());
      assertThat(before)
          .contains("subnet_node_info{role=\"validator\"} 1")
          .contains("subnet_storage_keys{column=\"tasks\"} 0")
          .contains("jvm_memory_used_bytes")
          .doesNotContain("subnet_tasks_leased_total{");

      metrics.taskLeased(TaskKind.DISTILL);
      metrics.taskLeased(TaskKind.DISTILL);
      metrics.taskVerified(TaskKind.COMPRESS);
      metrics.taskFailed(TaskKind.DISTILL);
      metrics.resultAccepted(TaskKind.COMPRESS);
      metrics.resultRefused(TaskKind.DISTILL, "INVALID_ARGUMENT");
      metrics.tokensLabelled(640);
      metrics.codecRatio("lattice/1", 2.3);
      metrics.leaseLatency(3_000_000);
      try (WriteBatch b = storage.batch()) {
        b.put(Column.TASKS, new byte[] {1}, new byte[9]).commit();
      }

      String after = scrape(server.port());
      assertThat(after)
          .contains("subnet_tasks_leased_total{kind=\"distill\"} 2.0")
          .contains("subnet_tasks_verified_total{kind=\"compress\"} 1.0")
          .contains("subnet_tasks_failed_total{kind=\"distill\"} 1.0")
          .contains("subnet_results_accepted_total{kind=\"compress\"} 1.0")
          .contains("subnet_results_refused_total{kind=\"distill\",reason=\"invalid_argument\"} 1.0")
          .contains("subnet_tokens_labelled_total 640.0")
          .contains("subnet_codec_ratio_bucket{codec=\"lattice/1\",le=\"2.5\"} 1")
          .contains("subnet_codec_ratio_bucket{codec=\"lattice/1\",le=\"2.25\"} 0")
          .contains("subnet_lease_latency_seconds_count 1")
          .contains("subnet_storage_keys{column=\"tasks\"} 1")
          .contains("subnet_storage_live_data_bytes{column=\"tasks\"} 10");
    }
  }

  @Test
  void aPortOutOfRangeIsNamed() {
    assertThatThrownBy(() -> new MetricsServer(new PrometheusMetrics("miner"), "127.0.0.1", 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }
}
