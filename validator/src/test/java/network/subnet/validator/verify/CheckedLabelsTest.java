package network.subnet.validator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import network.subnet.node.api.ApiException;
import network.subnet.node.api.WorkResult;
import network.subnet.node.api.WorkResult.PackedSoftLabels;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.labels.SoftLabelCodec;
import network.subnet.node.labels.SoftLabels;
import network.subnet.validator.tasks.Task;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Checked labels are only ever reused for a byte-identical payload of the same task, within a bounded budget. */
class CheckedLabelsTest {

  private final LocalSigner a = LocalSigner.generate();
  private final LocalSigner b = LocalSigner.generate();

  private static PackedSoftLabels copy(PackedSoftLabels p) {
    return new PackedSoftLabels(p.positions(), p.topK(), p.format(), p.packed().clone());
  }

  @Test
  void anIdenticalReplicaGetsItsTwinsLabelsAndADifferentOneIsDecodedAndChecked() {
    CheckedLabels checked = new CheckedLabels(CheckedLabels.DEFAULT_MAX_ENTRIES);
    Task task = Fixtures.task(1);
    WorkResult first = Fixtures.signed(a, task.id(), new byte[] {1}, Fixtures.MODEL, Fixtures.honest(task.spec()));
    SoftLabels labels = ResultChecker.check(task, a.publicKey(), first, checked);
    assertThat(checked.entries()).isEqualTo((long) task.tokenCount() * task.spec().topK());

    WorkResult twin = Fixtures.signed(b, task.id(), new byte[] {2}, Fixtures.MODEL, Fixtures.honest(task.spec()));
    assertThat(twin.softLabels().packed()).isNotSameAs(first.softLabels().packed()).isEqualTo(
        first.softLabels().packed());
    assertThat(ResultChecker.check(task, b.publicKey(), twin, checked)).isSameAs(labels);

    // The signature is still checked for a twin: the labels are shared, the miner's word is not.
    WorkResult forged = Fixtures.withSignature(twin, first.signature());
    assertThatThrownBy(() -> ResultChecker.check(task, b.publicKey(), forged, checked))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("signature");

    WorkResult other = Fixtures.signed(b, task.id(), new byte[] {3}, Fixtures.MODEL, Fixtures.dishonest(task.spec()));
    SoftLabels decoded = ResultChecker.check(task, b.publicKey(), other, checked);
    assertThat(decoded).isNotSameAs(labels);
    assertThat(decoded).usingRecursiveComparison().isEqualTo(SoftLabelCodec.decode(other.softLabels()));
  }

  @Test
  void labelsAreMatchedPerTaskAndByEveryByte() {
    CheckedLabels checked = new CheckedLabels(CheckedLabels.DEFAULT_MAX_ENTRIES);
    Task task = Fixtures.task(2);
    Task another = Fixtures.task(3);
    SoftLabels labels = Fixtures.honest(task.spec());
    PackedSoftLabels packed = SoftLabelCodec.encode(labels);
    checked.put(task.id(), packed, labels);

    assertThat(checked.match(task.id(), copy(packed))).isSameAs(labels);
    assertThat(checked.match(another.id(), copy(packed))).as("another task").isNull();
    PackedSoftLabels flipped = copy(packed);
    flipped.packed()[flipped.packed().length - 1] ^= 1;
    assertThat(checked.match(task.id(), flipped)).isNull();
    assertThat(checked.match(task.id(), new PackedSoftLabels(packed.positions(), packed.topK(), packed.format() + 1,
        packed.packed()))).isNull();

    checked.forget(task.id());
    assertThat(checked.match(task.id(), packed)).isNull();
    assertThat(checked.entries()).isZero();
  }

  @Test
  void theOldestTasksGoFirstWhenTheBudgetIsFull() {
    Task first = Fixtures.task(4);
    Task second = Fixtures.task(5);
    Task third = Fixtures.task(6);
    SoftLabels labels = Fixtures.honest(first.spec());
    long size = (long) labels.positions() * labels.topK();
    CheckedLabels checked = new CheckedLabels(2 * size);
    for (Task t : new Task[] {first, second, third}) {
      SoftLabels l = Fixtures.honest(t.spec());
      checked.put(t.id(), SoftLabelCodec.encode(l), l);
    }
    assertThat(checked.entries()).isEqualTo(2 * size);
    assertThat(checked.match(first.id(), SoftLabelCodec.encode(Fixtures.honest(first.spec())))).isNull();
    assertThat(checked.match(third.id(), SoftLabelCodec.encode(Fixtures.honest(third.spec())))).isNotNull();
    assertThat(new CheckedLabels(size - 1)).satisfies(small -> {
      small.put(first.id(), SoftLabelCodec.encode(labels), labels);
      assertThat(small.entries()).as("larger than the whole budget: not held").isZero();
    });
  }
}
