package network.subnet.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import network.subnet.node.api.TaskKind;
import network.subnet.node.storage.ColumnSize;
import network.subnet.node.storage.KeyValueStorage;

/**
 * {@link NodeMetrics} as Prometheus series in a registry of its own (so two nodes in one JVM, as in tests and the
 * devnet, never share counters), together with the JVM's metrics. Every series name starts with {@code subnet_};
 * {@code deploy/grafana/subnet.json} charts them.
 */
public final class PrometheusMetrics implements NodeMetrics {

  private static final double[] RATIO_BUCKETS = {1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 4.0, 8.0};
  private static final double[] LATENCY_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter leased;
  private final Counter verified;
  private final Counter failed;
  private final Counter accepted;
  private final Counter refused;
  private final Counter tokens;
  private final Histogram codecRatio;
  private final Histogram leaseLatency;

  /** {@code role} (validator or miner) labels every series, so one dashboard shows both. */
  public PrometheusMetrics(String role) {
    leased = counter("subnet_tasks_leased", "Tasks leased (validator: handed out; miner: received).", "kind");
    verified = counter("subnet_tasks_verified", "Tasks settled with an agreed result.", "kind");
    failed = counter("subnet_tasks_failed",
        "Tasks that ended without a usable result (validator: undecided; miner: could not be done).", "kind");
    accepted = counter("subnet_results_accepted", "Results accepted by the validator.", "kind");
    refused = counter("subnet_results_refused", "Results refused by the validator, by reason.", "kind", "reason");
    tokens = counter("subnet_tokens_labelled",
        "Tokens labelled by the teacher (miner) or in verified distill tasks (validator); rate() gives tokens/s.");
    codecRatio = Histogram.builder()
        .name("subnet_codec_ratio")
        .help("Compression ratio (original / blob bytes) of compress results, by codec.")
        .labelNames("codec")
        .classicOnly()
        .classicUpperBounds(RATIO_BUCKETS)
        .register(registry);
    leaseLatency = Histogram.builder()
        .name("subnet_lease_latency_seconds")
        .help("Duration of lease calls, long-poll wait included.")
        .classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS)
        .register(registry);
    GaugeWithCallback.builder()
        .name("subnet_node_info")
        .help("Always 1; the role label says what this process is.")
        .labelNames("role")
        .callback(cb -> cb.call(1, role))
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Reports the size of every column of {@code storage} at each scrape. */
  public PrometheusMetrics watchStorage(KeyValueStorage storage) {
    storageGauge("subnet_storage_live_data_bytes", "Estimated live data per ledger column.", storage,
        ColumnSize::liveDataBytes);
    storageGauge("subnet_storage_sst_files_bytes", "Size of the SST files per ledger column.", storage,
        ColumnSize::sstFilesBytes);
    storageGauge("subnet_storage_memtable_bytes", "Written but not yet flushed data per ledger column.", storage,
        ColumnSize::memtableBytes);
    storageGauge("subnet_storage_keys", "Estimated number of keys per ledger column.", storage,
        ColumnSize::estimatedKeys);
    return this;
  }

  private void storageGauge(String name, String help, KeyValueStorage storage,
      ToLongFunction<ColumnSize> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("column")
        .callback(cb -> {
          for (ColumnSize size : storage.columnSizes()) {
            cb.call(value.applyAsLong(size), size.column().name().toLowerCase(Locale.ROOT));
          }
        })
        .register(registry);
  }

  /** A gauge read at each scrape, for values the node already keeps (pending tasks, open epoch). */
  public PrometheusMetrics gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    return this;
  }

  /** A gauge with one label, read at each scrape: {@code values} maps each label value to its reading. */
  public PrometheusMetrics gauge(String name, String help, String label,
      Supplier<Map<String, ? extends Number>> values) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(cb -> values.get().forEach((k, v) -> cb.call(v.doubleValue(), k)))
        .register(registry);
    return this;
  }

  @Override
  public void taskLeased(TaskKind kind) {
    leased.labelValues(label(kind)).inc();
  }

  @Override
  public void taskVerified(TaskKind kind) {
    verified.labelValues(label(kind)).inc();
  }

  @Override
  public void taskFailed(TaskKind kind) {
    failed.labelValues(label(kind)).inc();
  }

  @Override
  public void resultAccepted(TaskKind kind) {
    accepted.labelValues(label(kind)).inc();
  }

  @Override
  public void resultRefused(TaskKind kind, String reason) {
    refused.labelValues(label(kind), reason == null ? "unknown" : reason.toLowerCase(Locale.ROOT)).inc();
  }

  @Override
  public void tokensLabelled(long n) {
    if (n > 0) {
      tokens.inc(n);
    }
  }

  @Override
  public void codecRatio(String codec, double ratio) {
    if (Double.isFinite(ratio) && ratio > 0) {
      codecRatio.labelValues(codec == null ? "unknown" : codec).observe(ratio);
    }
  }

  @Override
  public void leaseLatency(long nanos) {
    leaseLatency.observe(nanos / 1e9);
  }

  private static String label(TaskKind kind) {
    return kind == null ? "unknown" : kind.name().toLowerCase(Locale.ROOT);
  }
}
