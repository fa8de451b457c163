package network.subnet.validator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Ledgers written before compress tasks existed stay readable; the new layouts round-trip. */
class RecordLayoutTest {

  @Test
  void distillTasksKeepLayoutOneAndCompressTasksUseLayoutTwo() {
    TaskRecord distill = new TaskRecord(Fixtures.task(1), 2, TaskRecord.Status.PENDING);
    assertThat(distill.value()[0]).isEqualTo((byte) 1);
    assertThat(TaskRecord.decode(distill.key(), distill.value()).task().spec().tokens())
        .isEqualTo(distill.task().spec().tokens());

    Task compress = Fixtures.compressTask(3, 4, 16, 0.995);
    TaskRecord record = new TaskRecord(compress, 3, TaskRecord.Status.VERIFIED);
    assertThat(record.value()[0]).isEqualTo((byte) 2);
    TaskRecord back = TaskRecord.decode(record.key(), record.value());
    assertThat(back.replicasNeeded()).isEqualTo(3);
    assertThat(back.status()).isEqualTo(TaskRecord.Status.VERIFIED);
    assertThat(back.task().kind()).isEqualTo(TaskKind.COMPRESS);
    assertThat(Task.idOf(back.task().compress())).as("same content, same id").isEqualTo(compress.id());
  }

  @Test
  void aLayoutOneMinerReadsAsDistillOnlyAndLayoutTwoKeepsKindsAndCodecs() {
    PublicKey key = LocalSigner.generate().publicKey();
    TeacherSpec t = Fixtures.TEACHER;
    byte[] v1 = new RecordWriter().u8(1).string(t.modelHash()).string(t.tokenizerHash()).string(t.dtype())
        .string(t.device()).string(t.batchPolicy()).string("old-miner").i64(42).toBytes();
    MinerRecord old = MinerRecord.decode(key.bytes(), v1);
    assertThat(old.kinds()).containsExactly(TaskKind.DISTILL);
    assertThat(old.codecs()).isEmpty();
    assertThat(old.teacher()).isEqualTo(t);
    assertThat(old.registeredAtMs()).isEqualTo(42);

    MinerRecord both = new MinerRecord(key, t, "new", 7, Set.of(TaskKind.DISTILL, TaskKind.COMPRESS),
        List.of("zstd/1", "e8/1"));
    assertThat(MinerRecord.decode(key.bytes(), both.value())).isEqualTo(both);
  }
}
