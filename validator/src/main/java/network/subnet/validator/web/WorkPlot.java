package network.subnet.validator.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Draws a {@link WorkHistory} as an inline SVG line chart: per miner, cumulative verified results as a solid line and
 * failed ones as a dashed line in the same colour, one marker per bin. Drawn on the server so the page needs no
 * script.
 */
final class WorkPlot {

  static final int WIDTH = 760;
  static final int HEIGHT = 300;
  private static final int LEFT = 56;
  private static final int RIGHT = 170;
  private static final int TOP = 16;
  private static final int BOTTOM = 36;
  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"
  };
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private WorkPlot() {}

  static String svg(WorkHistory history) {
    StringBuilder out = new StringBuilder(4096);
    out.append("<svg id=\"work-plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"verified and failed results per miner over time\">");
    out.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"#fff\"/>");
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    line(out, LEFT, TOP, LEFT, TOP + plotH, "#333", "");
    line(out, LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333", "");
    if (history.isEmpty()) {
      text(out, LEFT + plotW / 2.0, TOP + plotH / 2.0, "middle", "no verified or failed results yet");
      return out.append("</svg>").toString();
    }
    long[] ends = history.binEndsMs();
    long highest = 1;
    for (WorkHistory.Series s : history.series()) {
      highest = Math.max(highest, Math.max(s.totalVerified(), s.totalFailed()));
    }
    // Four whole-number steps, so every grid line sits on a count a result could reach.
    long step = (highest + 3) / 4;
    long max = step * 4;
    for (int tick = 0; tick <= 4; tick++) {
      long value = step * tick;
      double y = TOP + plotH - (double) plotH * value / max;
      line(out, LEFT - 4, y, LEFT + plotW, y, "#ddd", "");
      text(out, LEFT - 8, y + 4, "end", Long.toString(value));
    }
    text(out, LEFT, TOP + plotH + 24, "start", CLOCK.format(Instant.ofEpochMilli(ends[0])));
    text(out, LEFT + plotW, TOP + plotH + 24, "end", CLOCK.format(Instant.ofEpochMilli(ends[ends.length - 1])) + " UTC");
    for (int m = 0; m < history.series().size(); m++) {
      WorkHistory.Series s = history.series().get(m);
      String colour = COLOURS[m % COLOURS.length];
      String miner = s.miner().hex();
      series(out, ends.length, s.verified(), max, plotW, plotH, colour, "", "verified", miner);
      series(out, ends.length, s.failed(), max, plotW, plotH, colour, "5 4", "failed", miner);
      double ly = TOP + 12 + m * 32;
      line(out, LEFT + plotW + 14, ly, LEFT + plotW + 36, ly, colour, "");
      text(out, LEFT + plotW + 42, ly + 4, "start", miner.substring(0, 12));
      text(out, LEFT + plotW + 42, ly + 18, "start", s.totalVerified() + " ok / " + s.totalFailed() + " failed");
    }
    return out.append("</svg>").toString();
  }

  private static void series(StringBuilder out, int bins, long[] values, long max, int plotW, int plotH,
      String colour, String dash, String kind, String miner) {
    StringBuilder points = new StringBuilder();
    StringBuilder markers = new StringBuilder();
    for (int i = 0; i < bins; i++) {
      double x = LEFT + (bins == 1 ? plotW : (double) plotW * i / (bins - 1));
      double y = TOP + plotH - (double) plotH * values[i] / max;
      points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
      markers.append("<circle class=\"point ").append(kind).append("\" data-miner=\"").append(Html.escape(miner))
          .append("\" data-value=\"").append(values[i]).append("\" cx=\"").append(fmt(x)).append("\" cy=\"")
          .append(fmt(y)).append("\" r=\"3\" fill=\"").append(kind.equals("failed") ? "#fff" : colour)
          .append("\" stroke=\"").append(colour).append("\"/>");
    }
    out.append("<polyline class=\"series ").append(kind).append("\" fill=\"none\" stroke=\"").append(colour)
        .append("\" stroke-width=\"2\"");
    if (!dash.isEmpty()) {
      out.append(" stroke-dasharray=\"").append(dash).append('"');
    }
    out.append(" points=\"").append(points.toString().trim()).append("\"/>").append(markers);
  }

  private static void line(StringBuilder out, double x1, double y1, double x2, double y2, String colour, String dash) {
    out.append("<line x1=\"").append(fmt(x1)).append("\" y1=\"").append(fmt(y1)).append("\" x2=\"").append(fmt(x2))
        .append("\" y2=\"").append(fmt(y2)).append("\" stroke=\"").append(colour).append('"');
    if (!dash.isEmpty()) {
      out.append(" stroke-dasharray=\"").append(dash).append('"');
    }
    out.append("/>");
  }

  private static void text(StringBuilder out, double x, double y, String anchor, String value) {
    out.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" text-anchor=\"").append(anchor)
        .append("\" font-size=\"12\" fill=\"#333\">").append(Html.escape(value)).append("</text>");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
