package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.ledger.ResultRecord;
import network.subnet.validator.ledger.Settlement;
import network.subnet.validator.ledger.TaskRecord;
import network.subnet.validator.ledger.VerdictRecord;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class DistillJudgeTest {

  private final DistillJudge judge = new DistillJudge(new ReplicaComparator(0.98, 0.05), 3, null, t -> false);
  private final Task task = Fixtures.task(5);

  private ResultRecord result(LocalSigner miner, int nonce, SoftLabels labels) {
    return new ResultRecord(miner.publicKey(),
        Fixtures.signed(miner, task.id(), new byte[] {(byte) nonce}, Fixtures.MODEL, labels), 1,
        ResultRecord.Status.PENDING);
  }

  @Test
  void majorityVerdictsCiteEveryResultWithTheJudgedOneFirst() {
    List<LocalSigner> miners = List.of(LocalSigner.generate(), LocalSigner.generate(), LocalSigner.generate());
    List<ResultRecord> results = new ArrayList<>();
    results.add(result(miners.get(0), 1, Fixtures.honest(task.spec())));
    results.add(result(miners.get(1), 2, Fixtures.honest(task.spec())));
    results.add(result(miners.get(2), 3, Fixtures.dishonest(task.spec())));

    Settlement s = judge.judge(task, 3, results, Map.of(), 0, 10);

    assertThat(s.task().status()).isEqualTo(TaskRecord.Status.VERIFIED);
    assertThat(s.results()).extracting(ResultRecord::status).containsExactly(
        ResultRecord.Status.AGREED, ResultRecord.Status.AGREED, ResultRecord.Status.REJECTED);
    assertThat(s.verdicts()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      VerdictRecord v = s.verdicts().get(i);
      List<VerdictRecord.Evidence> expected = new ArrayList<>();
      expected.add(DistillJudge.evidenceOf(results.get(i)));
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          expected.add(DistillJudge.evidenceOf(results.get(j)));
        }
      }
      assertThat(v.miner()).isEqualTo(miners.get(i).publicKey());
      assertThat(v.evidence()).hasSize(3);
      for (int e = 0; e < 3; e++) {
        assertThat(v.evidence().get(e).miner()).isEqualTo(expected.get(e).miner());
        assertThat(v.evidence().get(e).digest()).isEqualTo(expected.get(e).digest());
        assertThat(v.evidence().get(e).signature()).isEqualTo(expected.get(e).signature());
      }
    }
  }

  @Test
  void identicalPayloadsShareTheDecodeTheCallerAlreadyMade() {
    LocalSigner a = LocalSigner.generate();
    LocalSigner b = LocalSigner.generate();
    ResultRecord ra = result(a, 1, Fixtures.honest(task.spec()));
    ResultRecord rb = result(b, 2, Fixtures.honest(task.spec()));
    assertThat(ra.result().softLabels().packed()).isEqualTo(rb.result().softLabels().packed());
    // The labels handed in stand for every byte-identical payload: b's result is judged on them, not decoded again.
    // Handing in labels that differ from the bytes shows it: decoded anew, b's honest bytes would disagree with them.
    SoftLabels handed = Fixtures.dishonest(task.spec());
    Settlement s = judge.judge(task, 2, List.of(ra, rb), Map.of(a.publicKey(), handed), 0, 10);
    assertThat(s.task().status()).isEqualTo(TaskRecord.Status.VERIFIED);
    assertThat(s.verdicts()).allSatisfy(v -> assertThat(v.measures().get(0).value()).isEqualTo(1.0));
  }

  @Test
  void aStoredPayloadLargerThanTheTaskIsRefused() {
    LocalSigner a = LocalSigner.generate();
    ResultRecord ok = result(a, 1, Fixtures.honest(task.spec()));
    Task longer = Fixtures.task(5, 40);
    WorkResult.PackedSoftLabels big = SoftLabelCodec.encode(Fixtures.honest(longer.spec()));
    WorkResult forged = new WorkResult(task.id(), new byte[] {9}, Fixtures.MODEL, ok.result().kind(), big, null,
        Fixtures.TEACHER, 1, new byte[64]);
    ResultRecord bad = new ResultRecord(LocalSigner.generate().publicKey(), forged, 1, ResultRecord.Status.PENDING);
    assertThatThrownBy(() -> judge.judge(task, 2, List.of(ok, bad), Map.of(), 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most " + (long) task.tokenCount() * task.spec().topK());
  }
}
