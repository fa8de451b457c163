package network.subnet.miner.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A deliberately plain Mistral forward pass for checking the engine: its own safetensors parser, double precision,
 * nested loops, one sequence at a time, written straight from the Hugging Face modeling code.
 */
final class ReferenceMistral {

  final int vocab;
  final int hidden;
  final int inter;
  final int layers;
  final int heads;
  final int kvHeads;
  final int headDim;
  final double eps;
  final double theta;
  private final Map<String, double[]> t = new HashMap<>();

  ReferenceMistral(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode cfg = json.readTree(dir.resolve("config.json").toFile());
    vocab = cfg.get("vocab_size").asInt();
    hidden = cfg.get("hidden_size").asInt();
    inter = cfg.get("intermediate_size").asInt();
    layers = cfg.get("num_hidden_layers").asInt();
    heads = cfg.get("num_attention_heads").asInt();
    kvHeads = cfg.get("num_key_value_heads").asInt();
    headDim = cfg.has("head_dim") ? cfg.get("head_dim").asInt() : hidden / heads;
    eps = cfg.get("rms_norm_eps").asDouble();
    theta = cfg.get("rope_theta").asDouble();
    JsonNode map = json.readTree(dir.resolve("model.safetensors.index.json").toFile()).get("weight_map");
    Map<String, Boolean> files = new HashMap<>();
    map.forEach(f -> files.put(f.asText(), true));
    for (String f : files.keySet()) {
      readShard(dir.resolve(f), json);
    }
  }

  private void readShard(Path file, ObjectMapper json) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) buf.getLong(0);
    JsonNode header = json.readTree(new String(all, 8, n, java.nio.charset.StandardCharsets.UTF_8));
    for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.equals("__metadata__")) {
        continue;
      }
      JsonNode e = header.get(name);
      int begin = 8 + n + e.get("data_offsets").get(0).asInt();
      int end = 8 + n + e.get("data_offsets").get(1).asInt();
      String dtype = e.get("dtype").asText();
      double[] v = new double[(end - begin) / (dtype.equals("F32") ? 4 : 2)];
      for (int i = 0; i < v.length; i++) {
        v[i] =
            switch (dtype) {
              case "BF16" -> Float.intBitsToFloat((buf.getShort(begin + 2 * i) & 0xFFFF) << 16);
              case "F16" -> Float.float16ToFloat(buf.getShort(begin + 2 * i));
              default -> buf.getFloat(begin + 4 * i);
            };
      }
      t.put(name, v);
    }
  }

  /** log_softmax(logits / temperature) for every position: [len][vocab]. */
  double[][] logProbs(int[] ids, double temperature) {
    double[][] logits = linear(hiddenState(ids, layers), t.get("lm_head.weight"), vocab);
    for (double[] row : logits) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < vocab; i++) {
        row[i] /= temperature;
        max = Math.max(max, row[i]);
      }
      double sum = 0;
      for (double z : row) {
        sum += Math.exp(z - max);
      }
      double lse = max + Math.log(sum);
      for (int i = 0; i < vocab; i++) {
        row[i] -= lse;
      }
    }
    return logits;
  }

  /** HF's hidden_states[upTo]: the residual stream after {@code upTo} layers, final-normed after the last. */
  double[][] hiddenState(int[] ids, int upTo) {
    int len = ids.length;
    double[][] x = new double[len][hidden];
    double[] emb = t.get("model.embed_tokens.weight");
    for (int p = 0; p < len; p++) {
      System.arraycopy(toRow(emb, ids[p], hidden), 0, x[p], 0, hidden);
    }
    for (int l = 0; l < upTo; l++) {
      String pre = "model.layers." + l + ".";
      double[][] h = norm(x, t.get(pre + "input_layernorm.weight"));
      double[][] q = linear(h, t.get(pre + "self_attn.q_proj.weight"), heads * headDim);
      double[][] k = linear(h, t.get(pre + "self_attn.k_proj.weight"), kvHeads * headDim);
      double[][] v = linear(h, t.get(pre + "self_attn.v_proj.weight"), kvHeads * headDim);
      rope(q, heads);
      rope(k, kvHeads);
      double[][] attn = new double[len][heads * headDim];
      int group = heads / kvHeads;
      for (int hh = 0; hh < heads; hh++) {
        int kh = hh / group;
        for (int i = 0; i < len; i++) {
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            double dot = 0;
            for (int d = 0; d < headDim; d++) {
              dot += q[i][hh * headDim + d] * k[j][kh * headDim + d];
            }
            s[j] = dot / Math.sqrt(headDim);
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j <= i; j++) {
            for (int d = 0; d < headDim; d++) {
              attn[i][hh * headDim + d] += s[j] / sum * v[j][kh * headDim + d];
            }
          }
        }
      }
      double[][] o = linear(attn, t.get(pre + "self_attn.o_proj.weight"), hidden);
      add(x, o);
      double[][] h2 = norm(x, t.get(pre + "post_attention_layernorm.weight"));
      double[][] gate = linear(h2, t.get(pre + "mlp.gate_proj.weight"), inter);
      double[][] up = linear(h2, t.get(pre + "mlp.up_proj.weight"), inter);
      for (int p = 0; p < len; p++) {
        for (int i = 0; i < inter; i++) {
          double g = gate[p][i];
          gate[p][i] = g / (1 + Math.exp(-g)) * up[p][i];
        }
      }
      add(x, linear(gate, t.get(pre + "mlp.down_proj.weight"), hidden));
    }
    return upTo == layers ? norm(x, t.get("model.norm.weight")) : x;
  }

  private static double[] toRow(double[] m, int r, int cols) {
    double[] out = new double[cols];
    System.arraycopy(m, r * cols, out, 0, cols);
    return out;
  }

  private double[][] norm(double[][] x, double[] w) {
    double[][] out = new double[x.length][hidden];
    for (int p = 0; p < x.length; p++) {
      double ss = 0;
      for (double v : x[p]) {
        ss += v * v;
      }
      double inv = 1 / Math.sqrt(ss / hidden + eps);
      for (int i = 0; i < hidden; i++) {
        out[p][i] = x[p][i] * inv * w[i];
      }
    }
    return out;
  }

  /** y = x W^T with W stored [out][in] as in PyTorch. */
  private static double[][] linear(double[][] x, double[] w, int out) {
    int in = x[0].length;
    double[][] y = new double[x.length][out];
    for (int p = 0; p < x.length; p++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int i = 0; i < in; i++) {
          s += x[p][i] * w[o * in + i];
        }
        y[p][o] = s;
      }
    }
    return y;
  }

  private void rope(double[][] x, int nHeads) {
    int half = headDim / 2;
    for (int p = 0; p < x.length; p++) {
      for (int hh = 0; hh < nHeads; hh++) {
        int base = hh * headDim;
        for (int i = 0; i < half; i++) {
          double angle = p / Math.pow(theta, 2.0 * i / headDim);
          double a = x[p][base + i];
          double b = x[p][base + half + i];
          x[p][base + i] = a * Math.cos(angle) - b * Math.sin(angle);
          x[p][base + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
        }
      }
    }
  }

  private static void add(double[][] x, double[][] y) {
    for (int p = 0; p < x.length; p++) {
      for (int i = 0; i < x[p].length; i++) {
        x[p][i] += y[p][i];
      }
    }
  }
}
