package network.subnet.miner.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import network.subnet.node.labels.SoftLabels;
import network.subnet.node.model.MistralConfig;

/**
 * The forward pass of Hugging Face's {@code MistralForCausalLM} in fp32 on DJL NDArrays, for a batch of right-padded
 * sequences. Padding never reaches a real position: keys past a sequence's length are masked out, positions restart
 * at 0 for every sequence, and padded rows are dropped before the lm_head.
 *
 * <p>Every intermediate lives in a per-call (and per-layer) sub-manager, so only the weights stay resident. Ops are
 * always invoked on an activation, never on a weight, because DJL attaches a result to its receiver's manager.
 */
final class MistralForward {

  static final int DEFAULT_QUERY_BLOCK = 128;

  private final MistralWeights w;
  private final MistralConfig c;

  private final int queryBlock;
  private final float scale;

  MistralForward(MistralWeights weights) {
    this(weights, DEFAULT_QUERY_BLOCK);
  }

  /** {@code queryBlock}: query rows per causal attention block; longer sequences are attended block by block. */
  MistralForward(MistralWeights weights, int queryBlock) {
    this.w = weights;
    this.c = weights.config;
    this.queryBlock = queryBlock;
    this.scale = (float) (1.0 / Math.sqrt(c.headDim()));
  }

  /** Soft labels for each sequence of one batch: top {@code k} of log_softmax(logits / temperature). */
  List<SoftLabels> label(NDManager parent, List<int[]> batch, int k, float temperature) {
    int b = batch.size();
    int len = 0;
    int real = 0;
    for (int[] s : batch) {
      len = Math.max(len, s.length);
      real += s.length;
    }
    try (NDManager m = parent.newSubManager()) {
      NDArray hidden = hiddenStates(m, batch, len);
      long[] rows = new long[real];
      int r = 0;
      for (int i = 0; i < b; i++) {
        for (int p = 0; p < batch.get(i).length; p++) {
          rows[r++] = (long) i * len + p;
        }
      }
      NDArray x = hidden.get(m, new NDIndex("{}", m.create(rows)));
      NDArray logits = x.matMul(w.lmHeadT);
      if (temperature != 1f) {
        logits = logits.div(temperature);
      }
      NDList top = logits.logSoftmax(1).topK(Math.min(k, c.vocabSize()), 1, true, true);
      float[] values = top.get(0).toFloatArray();
      long[] ids = top.get(1).toLongArray();
      int kk = (int) top.get(0).getShape().get(1);
      List<SoftLabels> out = new ArrayList<>(b);
      int row = 0;
      for (int[] s : batch) {
        int[][] tid = new int[s.length][kk];
        float[][] lp = new float[s.length][kk];
        for (int p = 0; p < s.length; p++, row++) {
          for (int j = 0; j < kk; j++) {
            tid[p][j] = (int) ids[row * kk + j];
            lp[p][j] = values[row * kk + j];
          }
        }
        out.add(new SoftLabels(tid, lp));
      }
      return out;
    }
  }

  /** Final-norm hidden states, {@code [batch * len, hidden]}, padded rows included. */
  NDArray hiddenStates(NDManager m, List<int[]> batch, int len) {
    return rmsNorm(residualStream(m, batch, len, w.layers.size()), w.finalNorm);
  }

  /**
   * Hugging Face's {@code hidden_states[layer]} of one sequence, {@code [len, hidden]}: the embeddings for 0, the
   * residual stream after {@code layer} decoder layers below the last, and the final-norm output for the last.
   */
  NDArray hiddenState(NDManager m, int[] tokens, int layer) {
    int layers = w.layers.size();
    if (layer < 0 || layer > layers) {
      throw new IllegalArgumentException("layer must be in 0.." + layers + ", got " + layer);
    }
    NDArray x = residualStream(m, List.of(tokens), tokens.length, layer);
    return layer == layers ? rmsNorm(x, w.finalNorm) : x;
  }

  /** The residual stream after the first {@code layers} decoder layers, {@code [batch * len, hidden]}. */
  private NDArray residualStream(NDManager m, List<int[]> batch, int len, int layers) {
    int b = batch.size();
    long[] ids = new long[b * len];
    float[] keyMask = new float[b * len];
    for (int i = 0; i < b; i++) {
      int[] s = batch.get(i);
      for (int p = 0; p < len; p++) {
        if (p < s.length) {
          if (s[p] < 0 || s[p] >= c.vocabSize()) {
            throw new IllegalArgumentException(
                "token id " + s[p] + " at position " + p + " is outside the vocabulary of " + c.vocabSize());
          }
          ids[i * len + p] = s[p];
        } else {
          keyMask[i * len + p] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    NDArray x = w.embed.get(m, new NDIndex("{}", m.create(ids)));
    NDArray mask = attentionMask(m, keyMask, b, len);
    // One mask slice per causal query block ([b, 1, 1, rows, keys]), shared by all layers.
    List<NDArray> maskBlocks = new ArrayList<>();
    for (int s = 0; s < len; s += queryBlock) {
      int e = Math.min(len, s + queryBlock);
      maskBlocks.add(len <= queryBlock ? mask : mask.get(new NDIndex(":, :, :, {}:{}, :{}", s, e, e)));
    }
    NDArray[] rope = rope(m, len);
    for (MistralWeights.Layer layer : w.layers.subList(0, layers)) {
      try (NDManager lm = m.newSubManager()) {
        x.attach(lm);
        x = decoderLayer(layer, x, maskBlocks, rope[0], rope[1], b, len);
        x.attach(m);
      }
    }
    return x;
  }

  private NDArray decoderLayer(
      MistralWeights.Layer l, NDArray x, List<NDArray> maskBlocks, NDArray cos, NDArray sin, int b, int len) {
    int nh = c.numAttentionHeads();
    int nkv = c.numKeyValueHeads();
    int hd = c.headDim();
    int g = c.groupSize();
    long qkDim = (long) (nh + nkv) * hd;

    NDArray h = rmsNorm(x, l.inputNorm());
    NDList qkv = h.matMul(l.qkvT()).split(new long[] {qkDim}, 1);
    // q and k get their rotary embedding together: [b, len, nh + nkv, hd].
    NDArray qk = applyRope(qkv.get(0).reshape(b, len, nh + nkv, hd), cos, sin);
    NDList qkSplit = qk.split(new long[] {nh}, 2);
    // Query head i uses key/value head i / g (repeat_kv), so grouping queries as [b, nkv, g, len, hd] shares k and v
    // without copying them.
    NDArray q = qkSplit.get(0).transpose(0, 2, 1, 3).reshape(b, nkv, g, len, hd);
    NDArray kT = qkSplit.get(1).transpose(0, 2, 3, 1);
    NDArray v = qkv.get(1).reshape(b, len, nkv, hd).transpose(0, 2, 1, 3);
    NDArray attn;
    if (len <= queryBlock) {
      attn = attend(q, kT, v, maskBlocks.get(0), b, len, len);
    } else {
      // Causal blocks: queries in [s, e) only see keys [0, e), which skips most of the masked upper triangle.
      NDList blocks = new NDList();
      for (int s = 0; s < len; s += queryBlock) {
        int e = Math.min(len, s + queryBlock);
        blocks.add(
            attend(
                q.get(new NDIndex(":, :, :, {}:{}", s, e)),
                kT.get(new NDIndex(":, :, :, :{}", e)),
                v.get(new NDIndex(":, :, :{}", e)),
                maskBlocks.get(s / queryBlock),
                b,
                e - s,
                e));
      }
      attn = NDArrays.concat(blocks, 3);
    }
    attn = attn.reshape(b, nh, len, hd).transpose(0, 2, 1, 3).reshape((long) b * len, (long) nh * hd);
    x = x.add(attn.matMul(l.oT()));

    NDArray h2 = rmsNorm(x, l.postNorm());
    NDList gateUp = h2.matMul(l.gateUpT()).split(2, 1);
    NDArray gate = gateUp.get(0);
    NDArray act = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(gateUp.get(1));
    return x.add(act.matMul(l.downT()));
  }

  /**
   * Eager attention for {@code rows} queries against {@code keys} keys: softmax(q k^T * head_dim^-0.5 + mask) v,
   * softmax in fp32. {@code q} is {@code [b, nkv, g, rows, hd]}; returns {@code [b, nkv, g, rows, hd]}.
   */
  private NDArray attend(NDArray q, NDArray kT, NDArray v, NDArray mask, int b, int rows, int keys) {
    int nkv = c.numKeyValueHeads();
    int g = c.groupSize();
    int hd = c.headDim();
    NDArray scores =
        q.reshape(b, nkv, (long) g * rows, hd).matMul(kT).mul(scale).reshape(b, nkv, g, rows, keys).add(mask);
    NDArray probs = scores.softmax(4).reshape(b, nkv, (long) g * rows, keys);
    return probs.matMul(v).reshape(b, nkv, g, rows, hd);
  }

  /** HF MistralRMSNorm: x * rsqrt(mean(x^2) + eps) * weight, in fp32. */
  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray inv = x.square().mean(new int[] {1}, true).add(c.rmsNormEps()).pow(-0.5);
    return x.mul(inv).mul(weight);
  }

  /**
   * q * cos + rotate_half(q) * sin, where rotate_half(q) = cat(-q[..., d/2:], q[..., :d/2]). The sign of the first half
   * is carried by {@code signedSin} (exact: negation does not round), which saves a pass over q.
   */
  private static NDArray applyRope(NDArray q, NDArray cos, NDArray signedSin) {
    NDList halves = q.split(2, 3);
    NDArray swapped = halves.get(1).concat(halves.get(0), 3);
    return q.mul(cos).add(swapped.mul(signedSin));
  }

  /**
   * cos and signed sin tables, {@code [1, len, 1, head_dim]}, computed as HF's MistralRotaryEmbedding does in fp32:
   * inv_freq = 1 / theta^(arange(0, d, 2) / d), angle = position * inv_freq, emb = cat(angles, angles); the first half
   * of sin is negated for {@link #applyRope}.
   */
  private NDArray[] rope(NDManager m, int len) {
    int hd = c.headDim();
    int half = hd / 2;
    float[] invFreq = new float[half];
    for (int i = 0; i < half; i++) {
      float exponent = (float) (2 * i) / (float) hd;
      invFreq[i] = 1.0f / (float) Math.pow(c.ropeTheta(), exponent);
    }
    float[] cos = new float[len * hd];
    float[] sin = new float[len * hd];
    for (int p = 0; p < len; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * invFreq[i];
        float cv = (float) Math.cos(angle);
        float sv = (float) Math.sin(angle);
        cos[p * hd + i] = cv;
        cos[p * hd + half + i] = cv;
        sin[p * hd + i] = -sv;
        sin[p * hd + half + i] = sv;
      }
    }
    Shape shape = new Shape(1, len, 1, hd);
    return new NDArray[] {m.create(cos, shape), m.create(sin, shape)};
  }

  /** Additive mask {@code [b, 1, 1, len, len]}: -inf above the diagonal and on padded keys, else 0. */
  private static NDArray attentionMask(NDManager m, float[] keyMask, int b, int len) {
    float[] causal = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        causal[i * len + j] = Float.NEGATIVE_INFINITY;
      }
    }
    NDArray keys = m.create(keyMask, new Shape(b, 1, 1, 1, len));
    return keys.add(m.create(causal, new Shape(1, 1, 1, len, len)));
  }
}
