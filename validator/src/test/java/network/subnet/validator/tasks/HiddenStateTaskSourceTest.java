package network.subnet.validator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import network.subnet.node.api.TaskKind;
import network.subnet.node.codec.Activations;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.tensor.DType;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class HiddenStateTaskSourceTest {

  private final List<Integer> asked = new ArrayList<>();

  /** Hidden states that depend on every token, like a real teacher's. */
  private final HiddenStateSource teacher = (tokens, layer, dtype) -> {
    asked.add(layer);
    int hidden = 8;
    float[] values = new float[tokens.length * hidden];
    for (int p = 0; p < tokens.length; p++) {
      for (int i = 0; i < hidden; i++) {
        values[p * hidden + i] = (float) Math.sin(tokens[p] * 0.37 + i * 1.3 + layer);
      }
    }
    return Activations.tensor(dtype, new long[] {tokens.length, hidden}, values);
  };

  private final CompressTaskSource compress = new CompressTaskSource(CodecRegistry.standard(), 0.99);

  @Test
  void oneCompressTaskPerWindowAtTheChosenLayer() {
    List<Task> distill = List.of(Fixtures.task(1), Fixtures.task(2, 9), Fixtures.task(3));
    List<Task> tasks = new HiddenStateTaskSource(teacher, 2, DType.BF16, compress).tasksFrom(distill, 2);
    assertThat(tasks).hasSize(2).allMatch(t -> t.kind() == TaskKind.COMPRESS);
    assertThat(tasks.get(1).compress().activations().shape()).containsExactly(9, 8);
    assertThat(tasks.get(1).compress().activations().dtype()).isEqualTo(DType.BF16);
    assertThat(tasks.get(0).compress().similarityFloor()).isEqualTo(0.99);
    assertThat(asked).containsOnly(2);
    assertThat(new HiddenStateTaskSource(teacher, 2, DType.BF16, compress).tasksFrom(distill, 2))
        .extracting(Task::id).as("the same windows give the same tasks").isEqualTo(tasks.stream().map(Task::id).toList());
    assertThat(new HiddenStateTaskSource(teacher, 1, DType.BF16, compress).tasksFrom(distill, 1).get(0).id())
        .as("another layer is another task").isNotEqualTo(tasks.get(0).id());
  }

  @Test
  void refusesANegativeLayerAndActivationsTheCodecsCannotTake() {
    assertThatThrownBy(() -> new HiddenStateTaskSource(teacher, -1, DType.BF16, compress))
        .hasMessageContaining("layer must be >= 0");
    HiddenStateSource zeros = (tokens, layer, dtype) ->
        Activations.tensor(dtype, new long[] {tokens.length, 4}, new float[tokens.length * 4]);
    assertThatThrownBy(() -> new HiddenStateTaskSource(zeros, 1, DType.F32, compress)
            .tasksFrom(List.of(Fixtures.task(1)), 1))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("hidden states at layer 1")
        .hasMessageContaining("all zeros");
  }
}
