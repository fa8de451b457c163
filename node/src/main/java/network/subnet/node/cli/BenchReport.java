package network.subnet.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;

/** How the {@code subnet bench} commands print: one JSON object with {@code --json}, a human-readable table without. */
public final class BenchReport {

  private BenchReport() {}

  /** Prints the human-readable form of a report. */
  @FunctionalInterface
  public interface Table {
    void print(PrintWriter out) throws Exception;
  }

  /**
   * Prints {@code report} as one line of JSON when {@code json} is set, otherwise {@code table}; flushes either way.
   */
  public static void print(PrintWriter out, boolean json, Object report, Table table) throws Exception {
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(report));
    } else {
      table.print(out);
    }
    out.flush();
  }
}
