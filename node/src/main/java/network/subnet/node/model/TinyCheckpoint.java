package network.subnet.node.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a small, deterministic checkpoint in the Hugging Face Mistral layout (config.json, two bf16 safetensors
 * shards with their index, tokenizer.json), for devnets and tests. The same seed gives byte-identical files and so the
 * same model hash.
 */
public final class TinyCheckpoint {

  public static final int HIDDEN = 96;
  public static final int LAYERS = 4;
  public static final int HEADS = 4;
  public static final int KV_HEADS = 2;
  /** Deliberately not hidden/heads, so the explicit head_dim of config.json is exercised. */
  public static final int HEAD_DIM = 32;

  public static final int INTERMEDIATE = 256;
  public static final double RMS_EPS = 1e-5;
  public static final double ROPE_THETA = 1_000_000.0;
  public static final double INIT_STD = 0.02;
  public static final int SHARDS = 2;

  private TinyCheckpoint() {}

  /** Writes the checkpoint into {@code out} (created if needed) and returns its config. */
  public static MistralConfig write(Path out, long seed) throws IOException {
    Files.createDirectories(out);
    byte[] tokenizer = TinyTokenizerJson.bytes();
    int tokens = countVocab();
    int vocab = (tokens + 63) / 64 * 64;
    Files.write(out.resolve(MistralCheckpoint.TOKENIZER), tokenizer);
    Files.write(out.resolve(MistralCheckpoint.CONFIG), configJson(vocab));
    MistralConfig config = MistralConfig.read(out.resolve(MistralCheckpoint.CONFIG));

    Map<String, long[]> shapes = MistralCheckpoint.expectedShapes(config);
    Random random = new Random(seed);
    List<SortedMap<String, SafetensorsWriter.Tensor>> shards = List.of(new TreeMap<>(), new TreeMap<>());
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      float[] values = new float[Math.toIntExact(shape.length == 1 ? shape[0] : shape[0] * shape[1])];
      boolean norm = name.endsWith("norm.weight");
      for (int i = 0; i < values.length; i++) {
        double g = random.nextGaussian();
        values[i] = (float) (norm ? 1.0 + 0.1 * g : INIT_STD * g);
      }
      shards
          .get(shardOf(name, config))
          .put(name, new SafetensorsWriter.Tensor("BF16", shape, SafetensorsWriter.toBf16(values)));
    }
    Map<String, Object> weightMap = new TreeMap<>();
    long total = 0;
    for (int s = 0; s < SHARDS; s++) {
      String file = "model-%05d-of-%05d.safetensors".formatted(s + 1, SHARDS);
      total += SafetensorsWriter.write(out.resolve(file), shards.get(s), Map.of("format", "pt"));
      for (String name : shards.get(s).keySet()) {
        weightMap.put(name, file);
      }
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("metadata", Map.of("total_size", total));
    index.put("weight_map", weightMap);
    Files.write(out.resolve(MistralCheckpoint.INDEX), json().writeValueAsBytes(index));
    return config;
  }

  /** The first half of the layers and the embeddings go to shard 1, the rest to shard 2, as HF splits by size. */
  private static int shardOf(String name, MistralConfig c) {
    if (name.startsWith("model.embed_tokens.")) {
      return 0;
    }
    if (name.startsWith("model.layers.")) {
      int layer = Integer.parseInt(name.split("\\.")[2]);
      return layer < c.numHiddenLayers() / 2 ? 0 : 1;
    }
    return 1;
  }

  private static int countVocab() throws IOException {
    return new ObjectMapper().readTree(TinyTokenizerJson.bytes()).path("model").path("vocab").size();
  }

  private static byte[] configJson(int vocab) throws IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("architectures", List.of("MistralForCausalLM"));
    c.put("attention_dropout", 0.0);
    c.put("bos_token_id", 1);
    c.put("eos_token_id", 2);
    c.put("head_dim", HEAD_DIM);
    c.put("hidden_act", "silu");
    c.put("hidden_size", HIDDEN);
    c.put("initializer_range", INIT_STD);
    c.put("intermediate_size", INTERMEDIATE);
    c.put("max_position_embeddings", 32768);
    c.put("model_type", "mistral");
    c.put("num_attention_heads", HEADS);
    c.put("num_hidden_layers", LAYERS);
    c.put("num_key_value_heads", KV_HEADS);
    c.put("rms_norm_eps", RMS_EPS);
    c.put("rope_theta", ROPE_THETA);
    c.put("sliding_window", null);
    c.put("tie_word_embeddings", false);
    c.put("torch_dtype", "bfloat16");
    c.put("transformers_version", "4.44.0");
    c.put("use_cache", true);
    c.put("vocab_size", vocab);
    return json().writeValueAsBytes(c);
  }

  private static ObjectMapper json() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }
}
