package network.subnet.miner.teacher;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.codec.Activations;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.model.MistralCheckpoint;
import network.subnet.node.model.MistralConfig;
import network.subnet.node.text.HfTextTokenizer;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.node.text.TextTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mistral teacher on DJL's PyTorch engine, loaded from a Hugging Face model directory. Weights are widened to fp32
 * once and kept in one NDManager; every {@link #label} call runs without autograd and frees its intermediates.
 *
 * <p>CPU (fp32) is the default. {@code device = "gpu"} runs fp32 on the first CUDA device, with top-k taken on the
 * device so full logits never reach the host. That needs PyTorch's CUDA natives, which the bundled
 * {@code pytorch-native-cpu} jar does not contain. An operator provides them in one of three ways: put the CUDA native
 * jar ({@code ai.djl.pytorch:pytorch-native-cu128:2.7.1:linux-x86_64}, or the flavor matching the installed CUDA) on
 * the classpath in place of the CPU one; or let DJL download them on first use by setting {@code PYTORCH_FLAVOR=cu128}
 * (environment or {@code -DPYTORCH_FLAVOR=cu128}) on a host with network access and without
 * {@code -Dai.djl.offline=true}; or point {@code PYTORCH_LIBRARY_PATH} at a local CUDA build of libtorch 2.7.1. Without
 * a usable GPU, loading fails with a message that says so.
 *
 * <p>PyTorch uses its default intra-op thread count (one per core) unless {@link TeacherOptions#threads()} says
 * otherwise. Where the cores are shared with other processes, start the JVM with {@code OMP_WAIT_POLICY=PASSIVE} in the
 * environment: spinning OpenMP threads otherwise make a forward pass several times slower.
 */
public final class MistralTeacher implements Teacher {

  private static final Logger LOG = LoggerFactory.getLogger(MistralTeacher.class);
  static final String ENGINE = "PyTorch";

  private final NDManager manager;
  private final MistralWeights weights;
  private final MistralForward forward;
  private final TextTokenizer tokenizer;
  private final TeacherSpec spec;
  private final TeacherOptions options;

  private MistralTeacher(
      NDManager manager, MistralWeights weights, TextTokenizer tokenizer, TeacherSpec spec, TeacherOptions options) {
    this.manager = manager;
    this.weights = weights;
    this.forward = new MistralForward(weights);
    this.tokenizer = tokenizer;
    this.spec = spec;
    this.options = options;
  }

  /** Loads and validates {@code modelDir}, logging progress; failures name the file and tensor at fault. */
  public static MistralTeacher load(Path modelDir, TeacherOptions options) throws IOException {
    return load(modelDir, options, LOG::info);
  }

  /** As {@link #load(Path, TeacherOptions)}, reporting progress, load time and memory to {@code progress}. */
  public static MistralTeacher load(Path modelDir, TeacherOptions options, Consumer<String> progress)
      throws IOException {
    long start = System.nanoTime();
    MistralCheckpoint ckpt = MistralCheckpoint.open(modelDir);
    MistralConfig c = ckpt.config();
    progress.accept(
        "loading %s: %d layers, hidden %d, vocab %d, %d tensors in %d shard(s)"
            .formatted(
                modelDir,
                c.numHiddenLayers(),
                c.hiddenSize(),
                c.vocabSize(),
                ckpt.tensors().size(),
                ckpt.shards().size()));
    Device device = device(options);
    String modelHash = ckpt.modelHash();
    TextTokenizer tokenizer = HfTextTokenizer.load(ckpt.tokenizerJson());
    NDManager manager = NDManager.newBaseManager(device, ENGINE);
    try {
      probe(manager, device);
      MistralWeights weights = MistralWeights.load(ckpt, manager, progress);
      TeacherSpec spec =
          new TeacherSpec(modelHash, tokenizer.hash(), "float32", options.device(), options.batchPolicy());
      Runtime rt = Runtime.getRuntime();
      progress.accept(
          "loaded %s in %d ms: %d MiB fp32 weights (native) on %s, heap %d MiB used"
              .formatted(
                  modelDir,
                  (System.nanoTime() - start) / 1_000_000,
                  weights.bytes() >> 20,
                  device,
                  (rt.totalMemory() - rt.freeMemory()) >> 20));
      return new MistralTeacher(manager, weights, tokenizer, spec, options);
    } catch (IOException | RuntimeException e) {
      manager.close();
      tokenizer.close();
      throw e;
    }
  }

  /** The DJL device for the options; applies the thread setting. */
  static Device device(TeacherOptions options) {
    Engine engine = Engine.getEngine(ENGINE);
    if (options.threads() > 0) {
      JniUtils.setNumThreads(options.threads());
    }
    if (options.device().equals(TeacherOptions.GPU)) {
      if (engine.getGpuCount() == 0) {
        throw new IllegalStateException(
            "--device gpu: no CUDA GPU found for PyTorch "
                + engine.getVersion()
                + " (no NVIDIA device or driver, or a driver too old for the CUDA runtime). Check nvidia-smi, provide"
                + " CUDA natives (pytorch-native-cu128 jar on the classpath, PYTORCH_FLAVOR=cu128 with network access,"
                + " or PYTORCH_LIBRARY_PATH) or use --device cpu");
      }
      return Device.gpu();
    }
    return Device.cpu();
  }

  /**
   * A GPU can be visible to the driver while the loaded PyTorch natives are CPU-only; one tiny allocation tells, and
   * turns PyTorch's error into one that says what to do.
   */
  static void probe(NDManager manager, Device device) {
    if (!device.isGpu()) {
      return;
    }
    try (NDManager probe = manager.newSubManager()) {
      probe.zeros(new Shape(1)).toFloatArray();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "--device gpu: PyTorch cannot use " + device + " (" + e.getMessage() + "); the loaded natives are"
              + " probably CPU-only. Provide CUDA natives (pytorch-native-cu128 jar, PYTORCH_FLAVOR=cu128 with network"
              + " access, or PYTORCH_LIBRARY_PATH) or use --device cpu",
          e);
    }
  }

  @Override
  public TeacherSpec spec() {
    return spec;
  }

  public MistralConfig config() {
    return weights.config;
  }

  /** The tokenizer loaded from the model directory's tokenizer.json. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public long weightBytes() {
    return weights.bytes();
  }

  @Override
  public synchronized List<SoftLabels> label(List<int[]> sequences, int topK, float temperature) {
    if (topK <= 0) {
      throw new IllegalArgumentException("topK must be positive, got " + topK);
    }
    if (!(temperature > 0f) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
    }
    Integer[] order = new Integer[sequences.size()];
    for (int i = 0; i < order.length; i++) {
      if (sequences.get(i).length == 0) {
        throw new IllegalArgumentException("sequence " + i + " is empty");
      }
      order[i] = i;
    }
    // Longest first, so each batch pads to its first sequence; ties keep input order (deterministic batches).
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -sequences.get(i).length));
    SoftLabels[] out = new SoftLabels[order.length];
    JniUtils.setGradMode(false);
    int i = 0;
    while (i < order.length) {
      int len = sequences.get(order[i]).length;
      int n = Math.max(1, options.maxBatchTokens() / len);
      int end = Math.min(order.length, i + n);
      List<int[]> batch = new ArrayList<>(end - i);
      for (int j = i; j < end; j++) {
        batch.add(sequences.get(order[j]));
      }
      List<SoftLabels> labels = forward.label(manager, batch, topK, temperature);
      for (int j = i; j < end; j++) {
        out[order[j]] = labels.get(j - i);
      }
      i = end;
    }
    return List.of(out);
  }

  /**
   * Hugging Face's {@code hidden_states[layer]} for one sequence as a {@code [tokens, hidden]} tensor of {@code dtype}:
   * the embeddings for layer 0, the residual stream after {@code layer} decoder layers, and the final-norm output for
   * the last layer ({@code config().numHiddenLayers()}). Computed in fp32 and narrowed once at the end.
   */
  public synchronized DenseTensor hiddenStates(int[] tokens, int layer, DType dtype) {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("the sequence is empty");
    }
    JniUtils.setGradMode(false);
    try (NDManager m = manager.newSubManager()) {
      float[] values = forward.hiddenState(m, tokens, layer).toFloatArray();
      return Activations.tensor(dtype, new long[] {tokens.length, config().hiddenSize()}, values);
    }
  }

  @Override
  public synchronized void close() {
    manager.close();
    tokenizer.close();
  }
}
