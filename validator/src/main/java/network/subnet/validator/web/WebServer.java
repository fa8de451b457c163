package network.subnet.validator.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import network.subnet.node.lifecycle.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's read-only web page on the JDK's HTTP server: {@code /} (the dashboard), {@code /work.svg} (the plot
 * alone) and {@code /healthz}. Only GET and HEAD are served; anything else gets 405. A request reads a fresh
 * {@link Dashboard.Snapshot} unless one was read in the last two seconds.
 */
public final class WebServer implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  // Everything is inline, so the page needs nothing from anywhere; a strict policy keeps it that way.
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  // A page scans the ledger's results for the plot; viewers arriving together (or the page's own refresh) share one
  // read instead of each costing a scan.
  private static final long SNAPSHOT_REUSE_NANOS = 2_000_000_000L;

  private final Dashboard dashboard;
  private final String host;
  private final int port;
  private HttpServer server;
  private ExecutorService executor;
  private Dashboard.Snapshot last;
  private long lastReadNanos;

  public WebServer(Dashboard dashboard, String host, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("web port must be in 0..65535, got " + port);
    }
    this.dashboard = dashboard;
    this.host = host;
    this.port = port;
  }

  @Override
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 16);
    s.createContext("/", this::handle);
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "validator-web-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(executor);
    s.start();
    server = s;
    LOG.info("validator web page at {}", url());
  }

  /** The bound port (useful when started on port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the web server is not started");
    }
    return server.getAddress().getPort();
  }

  /** Where a browser on this machine finds the page. */
  public String url() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/";
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "this page is read-only: " + method + " is not allowed\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/", "/index.html" -> {
          exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
          send(exchange, 200, "text/html", DashboardPage.render(snapshot()));
        }
        case "/work.svg" -> send(exchange, 200, "image/svg+xml", WorkPlot.svg(snapshot().history()));
        case "/healthz" -> send(exchange, 200, "text/plain", "ok\n");
        default -> send(exchange, 404, "text/plain", "no page at " + path + "\n");
      }
    } catch (RuntimeException e) {
      LOG.error("web page failed for {}", exchange.getRequestURI(), e);
      try {
        send(exchange, 500, "text/plain", "the page could not be read: " + e.getMessage() + "\n");
      } catch (IOException | RuntimeException ignored) {
        // Headers were already sent; the client sees a cut response.
      }
    }
  }

  private synchronized Dashboard.Snapshot snapshot() {
    long now = System.nanoTime();
    if (last == null || now - lastReadNanos > SNAPSHOT_REUSE_NANOS) {
      last = dashboard.read();
      lastReadNanos = now;
    }
    return last;
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
