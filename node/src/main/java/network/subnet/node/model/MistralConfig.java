package network.subnet.node.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The fields of a Hugging Face Mistral {@code config.json} that the forward pass needs. {@code headDim} comes from
 * {@code head_dim} when present, else {@code hidden_size / num_attention_heads}, as in {@code MistralAttention}.
 */
public record MistralConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings) {

  public MistralConfig {
    if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0) {
      throw new IllegalArgumentException("model sizes must be positive");
    }
    if (numAttentionHeads <= 0 || numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads %d must be a positive multiple of num_key_value_heads %d"
              .formatted(numAttentionHeads, numKeyValueHeads));
    }
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim must be positive and even, got " + headDim);
    }
  }

  /** Query heads that share one key/value head. */
  public int groupSize() {
    return numAttentionHeads / numKeyValueHeads;
  }

  /** Weight parameters (embeddings and lm_head included). */
  public long parameterCount() {
    long h = hiddenSize;
    long attn = h * numAttentionHeads * headDim * 2L + h * numKeyValueHeads * headDim * 2L;
    long mlp = 3L * h * intermediateSize;
    long perLayer = attn + mlp + 2L * h;
    return numHiddenLayers * perLayer + h + 2L * vocabSize * h;
  }

  /** Reads and checks {@code config.json}; anything but a Mistral causal LM is refused. */
  public static MistralConfig read(Path configJson) throws CheckpointException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(configJson.toFile());
    } catch (IOException e) {
      throw new CheckpointException(configJson + ": cannot parse config.json: " + e.getMessage(), e);
    }
    return parse(configJson, root);
  }

  static MistralConfig parse(Path where, JsonNode root) throws CheckpointException {
    if (root == null || !root.isObject()) {
      throw new CheckpointException(where + ": config.json is not a JSON object");
    }
    String modelType = root.path("model_type").asText("");
    if (!modelType.equals("mistral")) {
      throw new CheckpointException(
          where + ": unsupported model_type '" + modelType + "' (only 'mistral' is supported)");
    }
    JsonNode arch = root.get("architectures");
    if (arch != null) {
      if (!arch.isArray() || arch.size() != 1 || !arch.get(0).asText().equals("MistralForCausalLM")) {
        throw new CheckpointException(
            where + ": unsupported architectures " + arch + " (only [\"MistralForCausalLM\"] is supported)");
      }
    }
    boolean tied = root.path("tie_word_embeddings").asBoolean(false);
    if (tied) {
      throw new CheckpointException(
          where + ": tie_word_embeddings=true is not supported (Mistral has its own lm_head)");
    }
    int hidden = intField(where, root, "hidden_size");
    int heads = intField(where, root, "num_attention_heads");
    JsonNode kv = root.get("num_key_value_heads");
    int kvHeads = kv == null || kv.isNull() ? heads : kv.asInt();
    JsonNode hd = root.get("head_dim");
    int headDim = hd == null || hd.isNull() ? hidden / heads : hd.asInt();
    try {
      return new MistralConfig(
          intField(where, root, "vocab_size"),
          hidden,
          intField(where, root, "intermediate_size"),
          intField(where, root, "num_hidden_layers"),
          heads,
          kvHeads,
          headDim,
          root.path("rms_norm_eps").asDouble(1e-6),
          root.path("rope_theta").asDouble(10000.0),
          false);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(where + ": " + e.getMessage(), e);
    }
  }

  private static int intField(Path where, JsonNode root, String name) throws CheckpointException {
    JsonNode n = root.get(name);
    if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
      throw new CheckpointException(where + ": config.json lacks a positive integer '" + name + "'");
    }
    return n.asInt();
  }
}
