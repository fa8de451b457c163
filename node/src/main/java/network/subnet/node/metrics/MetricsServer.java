package network.subnet.node.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import network.subnet.node.lifecycle.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves a {@link PrometheusMetrics} registry over HTTP at {@code /metrics} (and {@code /-/healthy}). */
public final class MetricsServer implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  private final PrometheusMetrics metrics;
  private final String host;
  private final int port;
  private HTTPServer server;

  /** {@code port} 0 picks a free port; {@link #port()} tells which once started. */
  public MetricsServer(PrometheusMetrics metrics, String host, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
    }
    this.metrics = metrics;
    this.host = host;
    this.port = port;
  }

  @Override
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    try {
      server = HTTPServer.builder().hostname(host).port(port).registry(metrics.registry()).buildAndStart();
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    LOG.info("metrics on http://{}:{}/metrics", host, server.getPort());
  }

  /** The bound port; only meaningful once started. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("metrics server not started");
    }
    return server.getPort();
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }
}
