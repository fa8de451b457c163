package network.subnet.validator;

import static network.subnet.node.testing.MetricsScrape.scrape;
import static network.subnet.node.testing.MetricsScrape.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.metrics.MetricsServer;
import network.subnet.node.metrics.PrometheusMetrics;
import network.subnet.node.storage.RocksDbStorage;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcValidatorApi;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A validator over gRPC with its metrics on a free port: real work moves the series a scrape over HTTP shows. */
class ValidatorMetricsTest {

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  @Test
  void leasesResultsSettledTasksRatiosAndLedgerSizesShowOnTheEndpoint() throws Exception {
    RocksDbStorage storage = RocksDbStorage.open(dir.resolve("ledger"));
    open.add(storage);
    PrometheusMetrics metrics = new PrometheusMetrics("validator").watchStorage(storage);
    ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
        storage, LocalSigner.generate(), System::currentTimeMillis, metrics);
    ValidatorMetrics.watchLedger(metrics, node);
    Task compress = Fixtures.compressTask(3, 16, 64, 0.99);
    node.addTasks(List.of(Fixtures.task(1), compress));
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC());
    server.start();
    open.add(server::stop);
    MetricsServer endpoint = new MetricsServer(metrics, "127.0.0.1", 0);
    endpoint.start();
    open.add(endpoint);

    String before = scrape(endpoint.port());
    assertThat(value(before, "subnet_ledger_tasks{status=\"pending\"}")).isEqualTo(2);
    assertThat(before).doesNotContain("subnet_tasks_leased_total{").contains("jvm_threads_current");

    LocalSigner cheater = LocalSigner.generate();
    // The cheater goes first: its compress blob is refused at once, its distill labels lose the vote later.
    for (LocalSigner miner : List.of(cheater, LocalSigner.generate(), LocalSigner.generate())) {
      GrpcValidatorApi api = GrpcValidatorApi.connect(server.target(), miner, ClientOptions.defaults());
      open.add(api);
      api.register(Fixtures.bothKinds(Fixtures.TEACHER), "test");
      for (Lease lease : api.lease(2, Duration.ZERO)) {
        if (miner == cheater && lease.kind() == TaskKind.COMPRESS) {
          EncodedBlob coarse = CodecRegistry.standard().encode(lease.compress().activations(), "quant/2", 0.9);
          assertThatThrownBy(() -> api.submit(Fixtures.signedBlob(miner, lease, coarse.codec(), coarse.blob())))
              .isInstanceOfSatisfying(ApiException.class,
                  e -> assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT));
        } else if (miner == cheater) {
          api.submit(Fixtures.signed(miner, lease, Fixtures.dishonest(lease.distill())));
        } else if (lease.kind() == TaskKind.COMPRESS) {
          EncodedBlob blob = CodecRegistry.standard().encodeBest(lease.compress().activations(), 0.99,
              lease.compress().allowedCodecs());
          api.submit(Fixtures.signedBlob(miner, lease, blob.codec(), blob.blob()));
        } else {
          api.submit(Fixtures.signed(miner, lease, Fixtures.honest(lease.distill())));
        }
      }
    }

    String after = scrape(endpoint.port());
    assertThat(value(after, "subnet_tasks_leased_total{kind=\"distill\"}")).isEqualTo(3);
    assertThat(value(after, "subnet_tasks_leased_total{kind=\"compress\"}")).isEqualTo(3);
    assertThat(value(after, "subnet_tasks_verified_total{kind=\"distill\"}")).isEqualTo(1);
    assertThat(value(after, "subnet_tasks_verified_total{kind=\"compress\"}")).isEqualTo(1);
    assertThat(value(after, "subnet_results_accepted_total{kind=\"distill\"}")).isEqualTo(3);
    assertThat(value(after, "subnet_results_refused_total{kind=\"compress\",reason=\"invalid_argument\"}"))
        .isEqualTo(1);
    assertThat(value(after, "subnet_results_accepted_total{kind=\"compress\"}")).isEqualTo(2);
    assertThat(value(after, "subnet_tokens_labelled_total")).isEqualTo(Fixtures.task(1).tokenCount());
    assertThat(value(after, "subnet_lease_latency_seconds_count")).isEqualTo(3);
    assertThat(after).containsPattern("subnet_codec_ratio_count\\{codec=\"[^\"]+\"} 2");
    assertThat(value(after, "subnet_ledger_tasks{status=\"verified\"}")).isEqualTo(2);
    assertThat(value(after, "subnet_ledger_miners")).isEqualTo(3);
    assertThat(value(after, "subnet_storage_keys{column=\"results\"}")).isGreaterThanOrEqualTo(6);
    assertThat(value(after, "subnet_storage_memtable_bytes{column=\"results\"}")).isPositive();
  }
}
