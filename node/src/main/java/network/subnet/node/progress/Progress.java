package network.subnet.node.progress;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one long piece of work (model loading, hashing, dataset scans). On a terminal it redraws one bar line on
 * stderr a few times a second; otherwise (a service, a pipe, CI) it stays quiet unless the work runs long, then logs
 * one line every {@link #LOG_EVERY} and a last one when done. Thread-safe; {@link #close()} ends it.
 */
public final class Progress implements AutoCloseable {

  /** What is counted: bytes print as KiB/MiB/GiB, items as plain numbers. */
  public enum Unit {
    BYTES,
    ITEMS
  }

  public static final Duration LOG_EVERY = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 30;

  private final String label;
  private final long total;
  private final Unit unit;
  private final boolean terminal;
  private final Consumer<String> out;
  private final LongSupplier nanos;
  private final long every;
  private final long started;
  private long done;
  private long lastShown;
  private boolean shown;
  private boolean closed;

  Progress(String label, long total, Unit unit, boolean terminal, Consumer<String> out, LongSupplier nanos,
      Duration every) {
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.terminal = terminal;
    this.out = out;
    this.nanos = nanos;
    this.every = every.toNanos();
    this.started = nanos.getAsLong();
    this.lastShown = started;
  }

  /** Starts tracking {@code total} units of work ({@code total <= 0}: unknown, counts only). */
  public static Progress start(String label, long total, Unit unit) {
    if (isTerminal()) {
      PrintStream err = System.err;
      return new Progress(label, total, unit, true, err::print, System::nanoTime, LOG_EVERY);
    }
    return new Progress(label, total, unit, false, LOG::info, System::nanoTime, LOG_EVERY);
  }

  /** True when stderr is an interactive terminal; System.console() alone says yes for pipes on newer JDKs. */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Records {@code n} more units done. */
  public synchronized void advance(long n) {
    if (closed) {
      return;
    }
    done += n;
    long now = nanos.getAsLong();
    if (terminal ? now - lastShown >= REDRAW_NANOS : now - lastShown >= every) {
      lastShown = now;
      shown = true;
      out.accept(terminal ? "\r" + line(now) + "  " : line(now));
    }
  }

  public synchronized long done() {
    return done;
  }

  /** Ends the work: a terminal gets the final bar and a newline; a log gets a last line if it got any before. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long now = nanos.getAsLong();
    if (terminal) {
      out.accept("\r" + line(now) + "  " + System.lineSeparator());
    } else if (shown || now - started >= every) {
      out.accept(label + ": done, " + amount(done) + " in " + seconds(now - started));
    }
  }

  /** One status line: label, bar and percentage when the total is known, amount, rate and time left. */
  String line(long now) {
    double elapsed = Math.max(1e-9, (now - started) / 1e9);
    double rate = done / elapsed;
    StringBuilder s = new StringBuilder(label).append(' ');
    if (total > 0) {
      double fraction = Math.min(1.0, (double) done / total);
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      s.append('[').append("=".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%% ", Math.round(fraction * 100)))
          .append(amount(done)).append(" / ").append(amount(total));
    } else {
      s.append(amount(done));
    }
    s.append(", ").append(amount((long) rate)).append("/s");
    if (total > 0 && rate > 0 && done < total) {
      s.append(", ").append(seconds((long) ((total - done) / rate * 1e9))).append(" left");
    }
    return s.toString();
  }

  private String amount(long n) {
    if (unit == Unit.ITEMS) {
      return String.format(Locale.ROOT, "%,d", n);
    }
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  private static String seconds(long nanos) {
    long s = Math.round(nanos / 1e9);
    return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }
}
