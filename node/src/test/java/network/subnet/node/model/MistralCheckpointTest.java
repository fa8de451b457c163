package network.subnet.node.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import network.subnet.node.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MistralCheckpointTest {

  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void opensTheShardedTinyCheckpoint() throws IOException {
    MistralCheckpoint ckpt = MistralCheckpoint.open(TinyModels.checkpoint());
    MistralConfig c = ckpt.config();
    assertThat(c.numKeyValueHeads()).isLessThan(c.numAttentionHeads());
    assertThat(c.headDim()).isEqualTo(TinyCheckpoint.HEAD_DIM);
    assertThat(ckpt.shards()).hasSize(2);
    assertThat(ckpt.tensors()).hasSize(3 + 9 * c.numHiddenLayers());
    assertThat(ckpt.tensor("model.layers.0.self_attn.k_proj.weight").dtypeName()).isEqualTo("BF16");
    assertThat(ckpt.tensor("lm_head.weight").shape()).containsExactly(c.vocabSize(), c.hiddenSize());
    float[] norm = SafetensorsFile.readFloats(ckpt.tensor("model.norm.weight"));
    assertThat(norm[0]).isBetween(0.5f, 1.5f);
  }

  @Test
  void tinyCheckpointIsDeterministic() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    TinyCheckpoint.write(a, 42);
    TinyCheckpoint.write(b, 42);
    for (String f :
        new String[] {
          "config.json", "tokenizer.json", "model.safetensors.index.json",
          "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
        }) {
      assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
    }
    String hash = MistralCheckpoint.open(a).modelHash();
    assertThat(hash).isEqualTo(MistralCheckpoint.open(b).modelHash()).hasSize(64);
    Path c = dir.resolve("c");
    TinyCheckpoint.write(c, 43);
    assertThat(MistralCheckpoint.open(c).modelHash()).isNotEqualTo(hash);
    var index = JSON.readTree(a.resolve("model.safetensors.index.json").toFile());
    assertThat(index.path("metadata").path("total_size").asLong()).isPositive();
    var config = JSON.readTree(a.resolve("config.json").toFile());
    assertThat(config.path("torch_dtype").asText()).isEqualTo("bfloat16");
    assertThat(config.path("sliding_window").isNull()).isTrue();
  }

  @Test
  void readsASingleFileCheckpoint() throws IOException {
    Path tiny = copyTiny();
    // Merge the shards into model.safetensors, as F32.
    MistralCheckpoint sharded = MistralCheckpoint.open(tiny);
    SortedMap<String, SafetensorsWriter.Tensor> all = new TreeMap<>();
    for (TensorInfo t : sharded.tensors().values()) {
      all.put(t.name(), asF32(t));
    }
    float[] expected = SafetensorsFile.readFloats(sharded.tensor("model.layers.1.mlp.up_proj.weight"));
    Files.delete(tiny.resolve("model.safetensors.index.json"));
    Files.delete(tiny.resolve("model-00001-of-00002.safetensors"));
    Files.delete(tiny.resolve("model-00002-of-00002.safetensors"));
    SafetensorsWriter.write(tiny.resolve("model.safetensors"), all, Map.of());
    MistralCheckpoint single = MistralCheckpoint.open(tiny);
    assertThat(single.shards()).hasSize(1);
    assertThat(SafetensorsFile.readFloats(single.tensor("model.layers.1.mlp.up_proj.weight")))
        .containsExactly(expected);
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Path tiny = copyTiny();
    Files.delete(tiny.resolve("model-00002-of-00002.safetensors"));
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors")
        .hasMessageContaining("missing shard");
    Files.delete(tiny.resolve("model.safetensors.index.json"));
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny)).hasMessageContaining("no weights");
    Files.delete(tiny.resolve("config.json"));
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny)).hasMessageContaining("missing config.json");
    assertThatThrownBy(() -> MistralCheckpoint.open(dir.resolve("absent"))).hasMessageContaining("does not exist");
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path tiny = copyTiny();
    rewriteShard(tiny, "model-00002-of-00002.safetensors", "model.norm.weight", null);
    ObjectNode index = (ObjectNode) JSON.readTree(tiny.resolve("model.safetensors.index.json").toFile());
    ((ObjectNode) index.get("weight_map")).remove("model.norm.weight");
    JSON.writeValue(tiny.resolve("model.safetensors.index.json").toFile(), index);
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny)).hasMessageContaining("missing tensor model.norm.weight");
  }

  @Test
  void extraTensorIsNamed() throws IOException {
    Path tiny = copyTiny();
    rewriteShard(
        tiny,
        "model-00002-of-00002.safetensors",
        "model.layers.9.mlp.up_proj.weight",
        new SafetensorsWriter.Tensor("F32", new long[] {1}, new byte[4]));
    ObjectNode index = (ObjectNode) JSON.readTree(tiny.resolve("model.safetensors.index.json").toFile());
    ((ObjectNode) index.get("weight_map")).put("model.layers.9.mlp.up_proj.weight", "model-00002-of-00002.safetensors");
    JSON.writeValue(tiny.resolve("model.safetensors.index.json").toFile(), index);
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny))
        .hasMessageContaining("unexpected tensor model.layers.9.mlp.up_proj.weight");
  }

  @Test
  void wrongShapeIsNamed() throws IOException {
    Path tiny = copyTiny();
    ObjectNode config = (ObjectNode) JSON.readTree(tiny.resolve("config.json").toFile());
    config.put("intermediate_size", 128);
    JSON.writeValue(tiny.resolve("config.json").toFile(), config);
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny))
        .hasMessageContaining("mlp.")
        .hasMessageContaining("config.json implies");
  }

  @Test
  void unknownArchitectureIsRefused() throws IOException {
    Path tiny = copyTiny();
    ObjectNode config = (ObjectNode) JSON.readTree(tiny.resolve("config.json").toFile());
    config.put("model_type", "llama");
    JSON.writeValue(tiny.resolve("config.json").toFile(), config);
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny)).hasMessageContaining("unsupported model_type 'llama'");
    config.put("model_type", "mistral");
    config.putArray("architectures").add("MixtralForCausalLM");
    JSON.writeValue(tiny.resolve("config.json").toFile(), config);
    assertThatThrownBy(() -> MistralCheckpoint.open(tiny)).hasMessageContaining("MixtralForCausalLM");
  }

  @Test
  void headDimDefaultsToHiddenOverHeads() throws IOException {
    ObjectNode config = JSON.createObjectNode();
    config.put("model_type", "mistral").put("vocab_size", 10).put("hidden_size", 64).put("intermediate_size", 8);
    config.put("num_hidden_layers", 1).put("num_attention_heads", 4).put("num_key_value_heads", 2);
    MistralConfig c = MistralConfig.parse(dir, config);
    assertThat(c.headDim()).isEqualTo(16);
    assertThat(c.rmsNormEps()).isEqualTo(1e-6);
    assertThat(c.ropeTheta()).isEqualTo(10000.0);
  }

  private Path copyTiny() throws IOException {
    Path out = dir.resolve("tiny");
    Files.createDirectories(out);
    try (var files = Files.list(TinyModels.checkpoint())) {
      for (Path f : files.toList()) {
        Files.copy(f, out.resolve(f.getFileName()));
      }
    }
    return out;
  }

  /** Rewrites one shard without {@code name}, or with {@code name} set to {@code replacement}. */
  private static void rewriteShard(Path tiny, String shard, String name, SafetensorsWriter.Tensor replacement)
      throws IOException {
    SafetensorsFile f = SafetensorsFile.open(tiny.resolve(shard));
    SortedMap<String, SafetensorsWriter.Tensor> kept = new TreeMap<>();
    for (TensorInfo t : f.tensors().values()) {
      if (!t.name().equals(name)) {
        kept.put(t.name(), asF32(t));
      }
    }
    if (replacement != null) {
      kept.put(name, replacement);
    }
    SafetensorsWriter.write(tiny.resolve(shard), kept, Map.of());
  }

  private static SafetensorsWriter.Tensor asF32(TensorInfo t) throws IOException {
    return new SafetensorsWriter.Tensor("F32", t.shape(), SafetensorsWriter.toF32(SafetensorsFile.readFloats(t)));
  }
}
