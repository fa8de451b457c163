package network.subnet.node.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import network.subnet.node.progress.Progress;

/**
 * A Hugging Face Mistral model directory: {@code config.json}, the weights as {@code model.safetensors} or as shards
 * listed by {@code model.safetensors.index.json}, and {@code tokenizer.json}. Opening it checks that every tensor
 * {@code MistralForCausalLM} needs is present with the shape the config implies, and that nothing else is; tensor
 * bytes are read later, one tensor at a time.
 */
public final class MistralCheckpoint {

  public static final String CONFIG = "config.json";
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  public static final String TOKENIZER = "tokenizer.json";

  private final Path dir;
  private final MistralConfig config;
  private final Map<String, TensorInfo> tensors;
  private final List<Path> shards;

  private MistralCheckpoint(Path dir, MistralConfig config, Map<String, TensorInfo> tensors, List<Path> shards) {
    this.dir = dir;
    this.config = config;
    this.tensors = tensors;
    this.shards = shards;
  }

  /** Opens and validates a model directory. */
  public static MistralCheckpoint open(Path dir) throws CheckpointException {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir + ": model directory does not exist");
    }
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new CheckpointException(configFile + ": missing config.json");
    }
    if (!Files.isRegularFile(dir.resolve(TOKENIZER))) {
      throw new CheckpointException(dir.resolve(TOKENIZER) + ": missing tokenizer.json");
    }
    MistralConfig config = MistralConfig.read(configFile);
    Map<String, TensorInfo> found = new TreeMap<>();
    List<Path> shards = new ArrayList<>();
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      Map<String, String> weightMap = readWeightMap(index);
      Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
      for (String shardName : new TreeSet<>(weightMap.values())) {
        Path shard = dir.resolve(shardName);
        if (!Files.isRegularFile(shard)) {
          throw new CheckpointException(shard + ": missing shard listed in " + INDEX);
        }
        opened.put(shardName, SafetensorsFile.open(shard));
        shards.add(shard);
      }
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        TensorInfo t = opened.get(e.getValue()).tensors().get(e.getKey());
        if (t == null) {
          throw new CheckpointException(
              dir.resolve(e.getValue()) + ": tensor " + e.getKey() + " listed in " + INDEX + " is not in this shard");
        }
        found.put(e.getKey(), t);
      }
      for (SafetensorsFile f : opened.values()) {
        for (String name : f.tensors().keySet()) {
          if (!weightMap.containsKey(name)) {
            throw new CheckpointException(f.file() + ": tensor " + name + " is not listed in " + INDEX);
          }
        }
      }
    } else if (Files.isRegularFile(dir.resolve(SINGLE_FILE))) {
      SafetensorsFile f = SafetensorsFile.open(dir.resolve(SINGLE_FILE));
      found.putAll(f.tensors());
      shards.add(f.file());
    } else {
      throw new CheckpointException(dir + ": no weights: neither " + SINGLE_FILE + " nor " + INDEX + " is present");
    }
    Map<String, long[]> expected = expectedShapes(config);
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      TensorInfo t = found.get(e.getKey());
      if (t == null) {
        throw new CheckpointException(dir + ": missing tensor " + e.getKey());
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new CheckpointException(
            "%s: tensor %s has shape %s but config.json implies %s"
                .formatted(t.file(), t.name(), t.shapeString(), Arrays.toString(e.getValue())));
      }
    }
    for (TensorInfo t : found.values()) {
      if (!expected.containsKey(t.name())) {
        throw new CheckpointException(t.file() + ": unexpected tensor " + t.name() + " for MistralForCausalLM");
      }
    }
    return new MistralCheckpoint(dir, config, Collections.unmodifiableMap(found), List.copyOf(shards));
  }

  private static Map<String, String> readWeightMap(Path index) throws CheckpointException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(index.toFile());
    } catch (IOException e) {
      throw new CheckpointException(index + ": cannot parse: " + e.getMessage(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new CheckpointException(index + ": no weight_map");
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      String shard = e.getValue().asText();
      if (shard.isEmpty() || shard.contains("/") || shard.contains("\\")) {
        throw new CheckpointException(
            index + ": tensor " + e.getKey() + " maps to an invalid shard name '" + shard + "'");
      }
      out.put(e.getKey(), shard);
    }
    return out;
  }

  /** Every tensor of {@code MistralForCausalLM} with the shape the config implies, in sorted name order. */
  public static Map<String, long[]> expectedShapes(MistralConfig c) {
    long h = c.hiddenSize();
    long q = (long) c.numAttentionHeads() * c.headDim();
    long kv = (long) c.numKeyValueHeads() * c.headDim();
    long i = c.intermediateSize();
    Map<String, long[]> m = new TreeMap<>();
    m.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
    m.put("model.norm.weight", new long[] {h});
    m.put("lm_head.weight", new long[] {c.vocabSize(), h});
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      String p = "model.layers." + l + ".";
      m.put(p + "self_attn.q_proj.weight", new long[] {q, h});
      m.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
      m.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
      m.put(p + "self_attn.o_proj.weight", new long[] {h, q});
      m.put(p + "mlp.gate_proj.weight", new long[] {i, h});
      m.put(p + "mlp.up_proj.weight", new long[] {i, h});
      m.put(p + "mlp.down_proj.weight", new long[] {h, i});
      m.put(p + "input_layernorm.weight", new long[] {h});
      m.put(p + "post_attention_layernorm.weight", new long[] {h});
    }
    return m;
  }

  public Path dir() {
    return dir;
  }

  public MistralConfig config() {
    return config;
  }

  public Path tokenizerJson() {
    return dir.resolve(TOKENIZER);
  }

  public List<Path> shards() {
    return shards;
  }

  /** Tensors by name, sorted. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  public TensorInfo tensor(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor " + name + " in " + dir);
    }
    return t;
  }

  /** Total bytes the weights take once widened to fp32. */
  public long fp32Bytes() {
    return tensors.values().stream().mapToLong(t -> t.elementCount() * 4).sum();
  }

  /**
   * Hex SHA-256 over the config.json bytes followed by, for each tensor in sorted name order, its name (UTF-8), a zero
   * byte, its dtype name (UTF-8), a zero byte, its rank and dimensions as little-endian int64, and its raw bytes.
   */
  public String modelHash() throws CheckpointException {
    MessageDigest sha = sha256();
    try {
      sha.update(Files.readAllBytes(dir.resolve(CONFIG)));
    } catch (IOException e) {
      throw new CheckpointException(dir.resolve(CONFIG) + ": cannot read: " + e.getMessage(), e);
    }
    try (Progress progress = Progress.start("hashing " + dir.getFileName(),
        tensors.values().stream().mapToLong(TensorInfo::byteLength).sum(), Progress.Unit.BYTES)) {
      for (TensorInfo t : tensors.values()) {
        hashTensor(sha, t);
        progress.advance(t.byteLength());
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void hashTensor(MessageDigest sha, TensorInfo t) throws CheckpointException {
    sha.update(t.name().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(t.dtypeName().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    ByteBuffer dims = ByteBuffer.allocate(8 * (t.shape().length + 1)).order(ByteOrder.LITTLE_ENDIAN);
    dims.putLong(t.shape().length);
    for (long d : t.shape()) {
      dims.putLong(d);
    }
    sha.update(dims.flip());
    SafetensorsFile.forEachWindow(t, sha::update);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
