package network.subnet.miner.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import network.subnet.node.model.CheckpointException;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.model.MistralConfig;
import network.subnet.node.model.SafetensorsFile;
import network.subnet.node.model.TensorInfo;
import network.subnet.node.progress.Progress;

/**
 * Mistral weights as fp32 NDArrays, laid out for few large matmuls: q, k and v projections fused into one matrix, gate
 * and up fused into another, and every projection held as a transposed view ({@code [in, out]}) so activations
 * multiply it directly without a copy.
 */
final class MistralWeights {

  /** One decoder layer. */
  record Layer(NDArray inputNorm, NDArray qkvT, NDArray oT, NDArray postNorm, NDArray gateUpT, NDArray downT) {}

  final MistralConfig config;
  final NDArray embed;
  final List<Layer> layers;
  final NDArray finalNorm;
  final NDArray lmHeadT;

  private MistralWeights(MistralConfig config, NDArray embed, List<Layer> layers, NDArray finalNorm, NDArray lmHeadT) {
    this.config = config;
    this.embed = embed;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.lmHeadT = lmHeadT;
  }

  /** Reads every tensor once, widening bf16/f16 to fp32 in Java, into arrays owned by {@code manager}. */
  static MistralWeights load(MistralCheckpoint ckpt, NDManager manager, Consumer<String> progress)
      throws CheckpointException {
    MistralConfig c = ckpt.config();
    try (Progress bar = Progress.start("loading " + ckpt.dir().getFileName(),
        ckpt.tensors().values().stream().mapToLong(TensorInfo::byteLength).sum(), Progress.Unit.BYTES)) {
      return load(ckpt, c, new Loader(ckpt, manager, bar), progress);
    }
  }

  private static MistralWeights load(MistralCheckpoint ckpt, MistralConfig c, Loader loader, Consumer<String> progress)
      throws CheckpointException {
    NDArray embed = loader.matrix("model.embed_tokens.weight");
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      String p = "model.layers." + l + ".";
      layers.add(
          new Layer(
              loader.matrix(p + "input_layernorm.weight"),
              loader.matrix(p + "self_attn.q_proj.weight", p + "self_attn.k_proj.weight", p + "self_attn.v_proj.weight")
                  .transpose(),
              loader.matrix(p + "self_attn.o_proj.weight").transpose(),
              loader.matrix(p + "post_attention_layernorm.weight"),
              loader.matrix(p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight").transpose(),
              loader.matrix(p + "mlp.down_proj.weight").transpose()));
      progress.accept("loaded layer %d/%d (%d tensors)".formatted(l + 1, c.numHiddenLayers(), loader.tensorsRead));
    }
    NDArray finalNorm = loader.matrix("model.norm.weight");
    NDArray lmHeadT = loader.matrix("lm_head.weight").transpose();
    progress.accept("loaded %d tensors from %d shard(s)".formatted(loader.tensorsRead, ckpt.shards().size()));
    return new MistralWeights(c, embed, layers, finalNorm, lmHeadT);
  }

  /** Random weights (normal, std 0.02; norms 1) of the given shape, for benchmarks. */
  static MistralWeights random(MistralConfig c, NDManager m) {
    long h = c.hiddenSize();
    long q = (long) c.numAttentionHeads() * c.headDim();
    long kv = (long) c.numKeyValueHeads() * c.headDim();
    long i = c.intermediateSize();
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      layers.add(
          new Layer(
              m.ones(new Shape(h)),
              normal(m, q + 2 * kv, h).transpose(),
              normal(m, h, q).transpose(),
              m.ones(new Shape(h)),
              normal(m, 2 * i, h).transpose(),
              normal(m, h, i).transpose()));
    }
    NDArray embed = normal(m, c.vocabSize(), h);
    return new MistralWeights(c, embed, layers, m.ones(new Shape(h)), normal(m, c.vocabSize(), h).transpose());
  }

  private static NDArray normal(NDManager m, long rows, long cols) {
    return m.randomNormal(0f, 0.02f, new Shape(rows, cols), DataType.FLOAT32);
  }

  /** fp32 bytes held by the weights. */
  long bytes() {
    long total = embed.size() + finalNorm.size() + lmHeadT.size();
    for (Layer l : layers) {
      total += l.inputNorm.size() + l.qkvT.size() + l.oT.size() + l.postNorm.size() + l.gateUpT.size() + l.downT.size();
    }
    return total * 4;
  }

  /** Reads tensors (concatenating row blocks when several are named) into fresh native buffers. */
  private static final class Loader {
    private final MistralCheckpoint ckpt;
    private final NDManager manager;
    private final Progress bar;
    private int tensorsRead;

    Loader(MistralCheckpoint ckpt, NDManager manager, Progress bar) {
      this.ckpt = ckpt;
      this.manager = manager;
      this.bar = bar;
    }

    NDArray matrix(String... names) throws CheckpointException {
      long rows = 0;
      long cols = -1;
      for (String n : names) {
        TensorInfo t = ckpt.tensor(n);
        rows += t.shape()[0];
        cols = t.shape().length == 1 ? -1 : t.shape()[1];
      }
      long count = cols < 0 ? rows : rows * cols;
      if (count * 4 > Integer.MAX_VALUE) {
        throw new CheckpointException(
            ckpt.dir() + ": tensor " + names[0] + " is larger than 2 GiB in fp32, beyond one native buffer");
      }
      FloatBuffer dst =
          ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (String n : names) {
        SafetensorsFile.readFloats(ckpt.tensor(n), dst);
        tensorsRead++;
        bar.advance(ckpt.tensor(n).byteLength());
      }
      dst.flip();
      Shape shape = cols < 0 ? new Shape(rows) : new Shape(rows, cols);
      NDArray array = manager.create(dst, shape, DataType.FLOAT32);
      if (manager.getDevice().isGpu()) {
        return array;
      }
      // On the CPU PyTorch wraps the direct buffer without copying, which would pin every weight in Java's direct
      // memory (capped by -XX:MaxDirectMemorySize). A clone lives in PyTorch's own allocator; the buffer can go.
      NDArray owned = array.duplicate();
      array.close();
      return owned;
    }
  }
}
