package network.subnet.validator.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import network.subnet.node.api.TaskKind;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.model.SafetensorsWriter;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressTaskSourceTest {

  @TempDir Path dir;

  private static DenseTensor matrix(long seed, DType dtype) {
    return SyntheticActivations.tensor(SyntheticActivations.Kind.HEAVY_TAILED, 8, 32, dtype, seed);
  }

  @Test
  void eachMatrixAndEachSafetensorsTensorBecomesOneDeterministicTask() throws Exception {
    Path acts = Files.createDirectories(dir.resolve("acts"));
    NpyFile.write(acts.resolve("b.npy"), matrix(1, DType.BF16));
    NpyFile.write(acts.resolve("a.npy"), matrix(2, DType.F32));
    Files.writeString(acts.resolve("notes.txt"), "ignored");
    TreeMap<String, SafetensorsWriter.Tensor> tensors = new TreeMap<>();
    for (String name : List.of("layer.0", "layer.1")) {
      DenseTensor t = matrix(name.hashCode(), DType.BF16);
      tensors.put(name, new SafetensorsWriter.Tensor(t.dtype().name(), t.shape(), t.data()));
    }
    SafetensorsWriter.write(acts.resolve("c.safetensors"), tensors, Map.of());

    CompressTaskSource source = new CompressTaskSource(CodecRegistry.standard(), 0.995);
    List<Task> tasks = source.read(List.of(acts));
    assertThat(tasks).hasSize(4).allSatisfy(t -> {
      assertThat(t.kind()).isEqualTo(TaskKind.COMPRESS);
      assertThat(t.compress().similarityFloor()).isEqualTo(0.995);
      assertThat(t.compress().allowedCodecs()).containsExactly("zstd/1", "plane/1", "quant/2", "e8/1");
    });
    assertThat(tasks.get(0).compress().activations().dtype()).as("a.npy first").isEqualTo(DType.F32);
    assertThat(tasks.get(1).compress().activations().dtype()).as("bf16 bits read back as bf16").isEqualTo(DType.BF16);
    assertThat(tasks.get(1).compress().activations().data()).isEqualTo(matrix(1, DType.BF16).data());
    assertThat(tasks.stream().map(Task::id).distinct()).hasSize(4);

    assertThat(source.read(List.of(acts)).stream().map(Task::id).toList())
        .as("same files, same ids").isEqualTo(tasks.stream().map(Task::id).toList());
    assertThat(new CompressTaskSource(CodecRegistry.standard(), 0.99).read(List.of(acts.resolve("a.npy"))).get(0).id())
        .as("another floor is another task").isNotEqualTo(tasks.get(0).id());
  }

  @Test
  void unusableInputsAreRefusedNamingTheFile() throws Exception {
    CompressTaskSource source = new CompressTaskSource(CodecRegistry.standard(), 0.99);
    Path zeros = dir.resolve("zeros.npy");
    NpyFile.writeFloat32(zeros, new float[16], new long[] {4, 4});
    assertThatThrownBy(() -> source.read(List.of(zeros)))
        .isInstanceOf(CodecException.class).hasMessageContaining("zeros.npy").hasMessageContaining("all zeros");
    Path text = Files.writeString(dir.resolve("x.txt"), "hello");
    assertThatThrownBy(() -> source.read(List.of(text)))
        .isInstanceOf(CodecException.class).hasMessageContaining("x.txt");
    assertThatThrownBy(() -> source.read(List.of(dir.resolve("missing"))))
        .isInstanceOf(CodecException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> new CompressTaskSource(CodecRegistry.standard(), 1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floor");
  }
}
