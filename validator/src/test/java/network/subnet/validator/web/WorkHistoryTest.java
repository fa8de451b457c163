package network.subnet.validator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.ledger.ResultRecord;
import org.junit.jupiter.api.Test;

class WorkHistoryTest {

  private final PublicKey a = LocalSigner.generate().publicKey();
  private final PublicKey b = LocalSigner.generate().publicKey();

  private static ResultRecord result(PublicKey miner, long atMs, ResultRecord.Status status) {
    WorkResult r = new WorkResult("t" + atMs, new byte[] {1}, "m", TaskKind.DISTILL, null, null, null, 1, new byte[0]);
    return new ResultRecord(miner, r, atMs, status);
  }

  @Test
  void countsAreCumulativePerBinAndPendingResultsAreLeftOut() {
    WorkHistory.Builder builder = new WorkHistory.Builder();
    builder.add(result(a, 0, ResultRecord.Status.AGREED));
    builder.add(result(a, 10, ResultRecord.Status.AGREED));
    builder.add(result(a, 35, ResultRecord.Status.REJECTED));
    builder.add(result(b, 20, ResultRecord.Status.AGREED));
    builder.add(result(b, 39, ResultRecord.Status.PENDING));
    builder.add(result(b, 39, ResultRecord.Status.UNDECIDED));

    WorkHistory h = builder.build(4, 40);

    assertThat(h.binEndsMs()).containsExactly(10, 20, 30, 40);
    WorkHistory.Series sa = h.series().stream().filter(s -> s.miner().equals(a)).findFirst().orElseThrow();
    assertThat(sa.verified()).containsExactly(2, 2, 2, 2);
    assertThat(sa.failed()).containsExactly(0, 0, 0, 1);
    WorkHistory.Series sb = h.series().stream().filter(s -> s.miner().equals(b)).findFirst().orElseThrow();
    assertThat(sb.verified()).containsExactly(0, 1, 1, 1);
    assertThat(sb.totalFailed()).isZero();
  }

  @Test
  void noResultsMeansAnEmptyHistoryAndTheSvgSaysSo() {
    WorkHistory h = new WorkHistory.Builder().build(24, 1000);
    assertThat(h.isEmpty()).isTrue();
    assertThat(WorkPlot.svg(h)).contains("no verified or failed results yet").doesNotContain("<circle");
    assertThatThrownBy(() -> new WorkHistory.Builder().build(0, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one bin");
  }

  @Test
  void htmlEscapingCoversMarkupAndQuotes() {
    assertThat(Html.escape("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    assertThat(Html.escape(null)).isEmpty();
  }
}
