package network.subnet.node.compete.micronet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import network.subnet.node.compete.ScoringException;

/**
 * Counts an ONNX model's parameter storage and math operations per example by the final MicroNet rules.
 *
 * <p>Shapes are inferred node by node from the graph inputs (a symbolic first dimension is the batch, taken as 1)
 * and the initializers. Each value carries a precision in bits: its element type, except that a
 * {@code DequantizeLinear} output keeps the width of its quantized input, since the values it feeds on are still
 * on that grid and a quantized kernel computes them at that width. An operation counts at the largest precision of
 * its data inputs.
 *
 * <p>Counting: a convolution or matrix product by a constant weight costs one multiply per nonzero weight per
 * output position and one addition fewer (plus one per output for a bias), so static weight sparsity is credited;
 * dynamic activation sparsity is not. Element-wise ops cost one multiply (Mul, Div) or addition (Add, Sub, Relu,
 * Max, Min; Clip two) per output; pooling {@code k - 1} comparisons (plus one multiply to average); batch
 * normalisation one multiply and one addition per element; Softmax one exp, one division and {@code d - 1} additions
 * per row of {@code d}; Sigmoid, Tanh, Exp, Log, Sqrt, Erf, Sin and Cos one transcendental op per element; Quantize-
 * and DequantizeLinear one multiply and one addition per element; reshaping ops nothing.
 *
 * <p>A node that reads only constants (a DequantizeLinear of stored weights, say) is folded at load time and costs
 * nothing per example.
 *
 * <p>Parameters are the initializers and Constant tensors, except small integer tensors used only as shapes or
 * axes. A tensor is stored sparse (nonzeros plus a 1-bit mask over its shape) where that is smaller than dense. If
 * nothing in the model is below 16 bits, the 16-bit freebie applies: float parameters and multiplies count 16 bits,
 * additions stay at 32.
 */
public final class MicroNetCounter {

  private static final Set<String> SHAPE_OPS = Set.of("Reshape", "Squeeze", "Unsqueeze", "Expand", "Slice", "Tile",
      "Pad", "ReduceMean", "ReduceSum", "ReduceMax", "ConstantOfShape", "Resize", "Upsample");
  private static final Set<String> TRANSCENDENTAL = Set.of("Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Erf", "Sin",
      "Cos");
  private static final Set<String> SHAPE_ONLY = Set.of("Flatten", "Reshape", "Transpose", "Identity", "Dropout",
      "Squeeze", "Unsqueeze", "Concat", "Cast");

  /** A value during counting: precision in bits, shape, constant integers (if known) and nonzeros (-1: dense). */
  private record Value(int bits, long[] shape, long[] ints, long nonZeros, boolean constant) {
    Value(int bits, long[] shape, long[] ints, long nonZeros) {
      this(bits, shape, ints, nonZeros, false);
    }

    long count() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private final OnnxModel model;
  private final Map<String, Value> values = new HashMap<>();
  private final Map<String, OnnxModel.Tensor> parameters = new LinkedHashMap<>();
  private final Map<Integer, Double> multipliesByBits = new TreeMap<>();
  private final Map<Integer, Double> additionsByBits = new TreeMap<>();
  private double transcendental;
  private boolean quantized;
  /** True while the current node reads only constants: it is folded once at load time and costs nothing per run. */
  private boolean folding;
  private long batch = 1;

  private MicroNetCounter(OnnxModel model) {
    this.model = model;
  }

  public static MicroNetCount count(OnnxModel model) {
    return new MicroNetCounter(model).run();
  }

  private MicroNetCount run() {
    for (OnnxModel.Tensor t : model.initializers().values()) {
      put(t.name(), new Value(bitsOf(t.dataType(), t.name()), t.dims(), t.intValues(), t.nonZeros(), true));
      parameters.put(t.name(), t);
    }
    boolean first = true;
    for (OnnxModel.ValueInfo in : model.inputs()) {
      if (model.initializers().containsKey(in.name())) {
        continue;
      }
      if (in.dims() == null) {
        throw new ScoringException("graph input " + in.name() + " declares no shape");
      }
      long[] dims = in.dims().clone();
      for (int k = 0; k < dims.length; k++) {
        if (dims[k] < 0 && k == 0) {
          dims[k] = 1;
        } else if (dims[k] < 1) {
          throw new ScoringException("graph input " + in.name() + " has no fixed size at axis " + k
              + "; only the first (batch) axis may be symbolic");
        }
      }
      if (first && dims.length >= 2) {
        batch = dims[0];
      }
      first = false;
      put(in.name(), new Value(bitsOf(in.elemType(), in.name()), dims, null, -1));
    }
    for (OnnxModel.Node n : model.nodes()) {
      try {
        node(n);
      } catch (ScoringException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new ScoringException(where(n) + ": " + e.getMessage());
      }
    }
    return totals();
  }

  private MicroNetCount totals() {
    Map<String, Boolean> shapeOnly = new HashMap<>();
    for (OnnxModel.Node n : model.nodes()) {
      for (int i = 0; i < n.inputs().size(); i++) {
        String name = n.inputs().get(i);
        boolean asShape = SHAPE_OPS.contains(n.opType()) && i >= 1;
        shapeOnly.merge(name, asShape, Boolean::logicalAnd);
      }
    }
    List<OnnxModel.Tensor> stored = new ArrayList<>();
    for (OnnxModel.Tensor t : parameters.values()) {
      boolean smallInts = !OnnxDataType.isFloat(t.dataType()) && t.intValues() != null;
      if (!(smallInts && shapeOnly.getOrDefault(t.name(), false))) {
        stored.add(t);
        int bits = OnnxDataType.bits(t.dataType());
        if (bits > 1 && bits < 16) {
          quantized = true;
        }
      }
    }
    boolean freebie = !quantized;
    long count = 0;
    long nonZeros = 0;
    double storage = 0;
    for (OnnxModel.Tensor t : stored) {
      int bits = OnnxDataType.bits(t.dataType());
      double width = (freebie && OnnxDataType.isFloat(t.dataType()) ? Math.min(bits, 16) : bits) / 32.0;
      double sparse = t.nonZeros() * width + t.count() / 32.0;
      double dense = t.count() * width;
      storage += t.sparse() ? sparse : Math.min(dense, sparse);
      count += t.count();
      nonZeros += t.nonZeros();
    }
    double mults = 0;
    double multOps = 0;
    for (Map.Entry<Integer, Double> e : multipliesByBits.entrySet()) {
      mults += e.getValue();
      int bits = freebie ? Math.min(e.getKey(), 16) : e.getKey();
      multOps += e.getValue() * bits / 32.0;
    }
    double adds = 0;
    double addOps = 0;
    for (Map.Entry<Integer, Double> e : additionsByBits.entrySet()) {
      adds += e.getValue();
      addOps += e.getValue() * e.getKey() / 32.0;
    }
    double perExample = 1.0 / batch;
    return new MicroNetCount(count, nonZeros, storage, mults * perExample, adds * perExample,
        transcendental * perExample, (multOps + addOps + transcendental) * perExample, freebie);
  }

  // ------------------------------------------------------------------ nodes

  private void node(OnnxModel.Node n) {
    if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
      throw new ScoringException(where(n) + ": operators of domain " + n.domain() + " are not supported");
    }
    if (n.outputs().isEmpty()) {
      throw new ScoringException(where(n) + " has no output");
    }
    folding = n.inputs().stream().filter(i -> !i.isEmpty()).allMatch(i -> values.containsKey(i)
        && values.get(i).constant());
    String op = n.opType();
    if (TRANSCENDENTAL.contains(op)) {
      Value x = in(n, 0);
      transcend(x.count());
      out(n, new Value(x.bits(), x.shape(), null, -1));
      return;
    }
    switch (op) {
      case "Conv" -> conv(n);
      case "Gemm" -> gemm(n);
      case "MatMul" -> matmul(n);
      case "Add", "Sub" -> elementwise(n, 0, 1);
      case "Mul", "Div" -> elementwise(n, 1, 0);
      case "Max", "Min" -> elementwise(n, 0, n.inputs().size() - 1);
      case "PRelu" -> elementwise(n, 1, 1);
      case "Relu" -> unary(n, 0, 1);
      case "LeakyRelu" -> unary(n, 1, 1);
      case "Clip" -> unary(n, 0, 2);
      case "HardSigmoid" -> unary(n, 1, 3);
      case "HardSwish" -> unary(n, 2, 3);
      case "BatchNormalization" -> unary(n, 1, 1);
      case "QuantizeLinear" -> quantize(n);
      case "DequantizeLinear" -> dequantize(n);
      case "Softmax" -> softmax(n);
      case "MaxPool" -> pool(n, false);
      case "AveragePool" -> pool(n, true);
      case "GlobalAveragePool", "GlobalMaxPool" -> globalPool(n, op.equals("GlobalAveragePool"));
      case "Constant" -> constant(n);
      default -> {
        if (SHAPE_ONLY.contains(op)) {
          reshape(n);
        } else {
          throw new ScoringException(where(n) + ": operator " + op + " is not supported by the MicroNet counter");
        }
      }
    }
  }

  private void conv(OnnxModel.Node n) {
    Value x = in(n, 0);
    Value w = in(n, 1);
    long[] xs = x.shape();
    long[] ws = w.shape();
    int spatial = xs.length - 2;
    if (spatial < 1 || ws.length != xs.length) {
      throw new ScoringException(where(n) + ": input rank " + xs.length + " and weight rank " + ws.length
          + " do not make a convolution");
    }
    long group = attrInt(n, "group", 1);
    if (xs[1] != ws[1] * group) {
      throw new ScoringException(where(n) + ": input has " + xs[1] + " channels, weight expects " + ws[1] * group);
    }
    long[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
    long[] outShape = new long[xs.length];
    outShape[0] = xs[0];
    outShape[1] = ws[0];
    long[] spatialOut = window(n, Arrays.copyOfRange(xs, 2, xs.length), kernel, false);
    System.arraycopy(spatialOut, 0, outShape, 2, spatial);
    long positions = xs[0];
    for (long d : spatialOut) {
      positions *= d;
    }
    long weights = w.nonZeros() >= 0 ? w.nonZeros() : w.count();
    int bits = Math.max(x.bits(), w.bits());
    multiply(bits, (double) positions * weights);
    add(bits, (double) positions * Math.max(weights - ws[0], 0));
    if (hasInput(n, 2)) {
      add(bits, (double) positions * ws[0]);
    }
    out(n, new Value(bits, outShape, null, -1));
  }

  private void gemm(OnnxModel.Node n) {
    Value a = in(n, 0);
    Value b = in(n, 1);
    if (a.shape().length != 2 || b.shape().length != 2) {
      throw new ScoringException(where(n) + ": Gemm takes 2-D inputs");
    }
    boolean ta = attrInt(n, "transA", 0) != 0;
    boolean tb = attrInt(n, "transB", 0) != 0;
    long m = ta ? a.shape()[1] : a.shape()[0];
    long k = ta ? a.shape()[0] : a.shape()[1];
    long kb = tb ? b.shape()[1] : b.shape()[0];
    long cols = tb ? b.shape()[0] : b.shape()[1];
    if (k != kb) {
      throw new ScoringException(where(n) + ": inner dimensions differ (" + k + " vs " + kb + ")");
    }
    product(n, a, b, 1, m, cols, hasInput(n, 2), new long[] {m, cols});
  }

  private void matmul(OnnxModel.Node n) {
    Value a = in(n, 0);
    Value b = in(n, 1);
    long[] as = a.shape();
    long[] bs = b.shape();
    if (as.length < 2 || bs.length < 2) {
      throw new ScoringException(where(n) + ": MatMul inputs of rank below 2 are not supported");
    }
    long k = as[as.length - 1];
    if (k != bs[bs.length - 2]) {
      throw new ScoringException(where(n) + ": inner dimensions differ (" + k + " vs " + bs[bs.length - 2] + ")");
    }
    long[] batchShape = broadcast(n, Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
    long[] outShape = Arrays.copyOf(batchShape, batchShape.length + 2);
    long m = as[as.length - 2];
    long cols = bs[bs.length - 1];
    outShape[batchShape.length] = m;
    outShape[batchShape.length + 1] = cols;
    long batches = 1;
    for (long d : batchShape) {
      batches *= d;
    }
    // A constant weight shared across batches counts its nonzeros; a per-batch one counts dense.
    product(n, a, bs.length == 2 ? b : new Value(b.bits(), b.shape(), null, -1), batches, m, cols, false, outShape);
  }

  /** {@code batches} products of an {@code m x k} matrix by a {@code k x cols} weight with the given nonzeros. */
  private void product(OnnxModel.Node n, Value a, Value b, long batches, long m, long cols, boolean bias,
      long[] outShape) {
    long weights = b.nonZeros() >= 0 ? b.nonZeros() : b.count();
    if (b.shape().length > 2) {
      weights /= b.count() / (b.shape()[b.shape().length - 2] * b.shape()[b.shape().length - 1]);
    }
    int bits = Math.max(a.bits(), b.bits());
    double rows = (double) batches * m;
    multiply(bits, rows * weights);
    add(bits, rows * Math.max(weights - cols, 0));
    if (bias) {
      add(bits, rows * cols);
    }
    out(n, new Value(bits, outShape, null, -1));
  }

  private void elementwise(OnnxModel.Node n, int mults, int adds) {
    long[] shape = new long[0];
    int bits = 0;
    for (int i = 0; i < n.inputs().size(); i++) {
      Value v = in(n, i);
      shape = broadcast(n, shape, v.shape());
      bits = Math.max(bits, v.bits());
    }
    Value out = new Value(bits, shape, null, -1);
    multiply(bits, (double) mults * out.count());
    add(bits, (double) adds * out.count());
    out(n, out);
  }

  private void unary(OnnxModel.Node n, int mults, int adds) {
    Value x = in(n, 0);
    multiply(x.bits(), (double) mults * x.count());
    add(x.bits(), (double) adds * x.count());
    out(n, new Value(x.bits(), x.shape(), null, -1));
  }

  private void quantize(OnnxModel.Node n) {
    Value x = in(n, 0);
    int outBits = hasInput(n, 2) ? in(n, 2).bits() : 8;
    long to = attrInt(n, "output_dtype", 0);
    if (to != 0) {
      outBits = bitsOf((int) to, n.outputs().get(0));
    }
    multiply(x.bits(), x.count());
    add(x.bits(), x.count());
    out(n, new Value(outBits, x.shape(), null, -1));
  }

  private void dequantize(OnnxModel.Node n) {
    Value x = in(n, 0);
    multiply(x.bits(), x.count());
    boolean zeroPoint = hasInput(n, 2) && !allZero(in(n, 2));
    if (zeroPoint) {
      add(x.bits(), x.count());
    }
    out(n, new Value(x.bits(), x.shape(), null, zeroPoint ? -1 : x.nonZeros()));
  }

  private void softmax(OnnxModel.Node n) {
    Value x = in(n, 0);
    int axis = axis(n, attrInt(n, "axis", -1), x.shape().length);
    long d = x.shape()[axis];
    long rows = x.count() / Math.max(d, 1);
    transcend(x.count());
    multiply(x.bits(), x.count());
    add(x.bits(), (double) rows * Math.max(d - 1, 0));
    out(n, new Value(x.bits(), x.shape(), null, -1));
  }

  private void pool(OnnxModel.Node n, boolean average) {
    Value x = in(n, 0);
    long[] kernel = attrInts(n, "kernel_shape");
    if (kernel == null || kernel.length != x.shape().length - 2) {
      throw new ScoringException(where(n) + ": needs kernel_shape with one entry per spatial axis");
    }
    long[] xs = x.shape();
    long[] spatial = window(n, Arrays.copyOfRange(xs, 2, xs.length), kernel, attrInt(n, "ceil_mode", 0) != 0);
    long[] outShape = Arrays.copyOf(xs, xs.length);
    System.arraycopy(spatial, 0, outShape, 2, spatial.length);
    Value out = new Value(x.bits(), outShape, null, -1);
    long window = 1;
    for (long k : kernel) {
      window *= k;
    }
    add(x.bits(), (double) out.count() * (window - 1));
    if (average) {
      multiply(x.bits(), out.count());
    }
    out(n, out);
  }

  private void globalPool(OnnxModel.Node n, boolean average) {
    Value x = in(n, 0);
    long[] xs = x.shape();
    if (xs.length < 3) {
      throw new ScoringException(where(n) + ": needs an input of rank 3 or more");
    }
    long[] outShape = xs.clone();
    long window = 1;
    for (int i = 2; i < xs.length; i++) {
      window *= xs[i];
      outShape[i] = 1;
    }
    Value out = new Value(x.bits(), outShape, null, -1);
    add(x.bits(), (double) out.count() * (window - 1));
    if (average) {
      multiply(x.bits(), out.count());
    }
    out(n, out);
  }

  private void constant(OnnxModel.Node n) {
    OnnxModel.Attribute value = n.attributes().get("value");
    if (value == null || value.t() == null) {
      throw new ScoringException(where(n) + ": only Constant nodes with a tensor 'value' are supported");
    }
    OnnxModel.Tensor t = value.t();
    OnnxModel.Tensor named = new OnnxModel.Tensor(n.outputs().get(0), t.dataType(), t.dims(), t.count(), t.nonZeros(),
        t.intValues(), false);
    parameters.put(named.name(), named);
    folding = true;
    out(n, new Value(bitsOf(t.dataType(), named.name()), t.dims(), t.intValues(), t.nonZeros()));
  }

  private void reshape(OnnxModel.Node n) {
    Value x = in(n, 0);
    long[] xs = x.shape();
    long[] shape = switch (n.opType()) {
      case "Identity", "Dropout", "Cast" -> xs;
      case "Flatten" -> {
        int axis = axis(n, attrInt(n, "axis", 1), xs.length + 1);
        long head = 1;
        for (int i = 0; i < axis; i++) {
          head *= xs[i];
        }
        yield new long[] {head, x.count() / Math.max(head, 1)};
      }
      case "Reshape" -> reshaped(n, xs, x.count(), constInts(n, 1, "shape"));
      case "Transpose" -> {
        long[] perm = attrInts(n, "perm");
        long[] out = new long[xs.length];
        for (int i = 0; i < xs.length; i++) {
          out[i] = xs[perm == null ? xs.length - 1 - i : axis(n, perm[i], xs.length)];
        }
        yield out;
      }
      case "Squeeze" -> squeezed(n, xs);
      case "Unsqueeze" -> unsqueezed(n, xs);
      case "Concat" -> {
        int axis = axis(n, attrInt(n, "axis", 0), xs.length);
        long[] out = xs.clone();
        for (int i = 1; i < n.inputs().size(); i++) {
          out[axis] += in(n, i).shape()[axis];
        }
        yield out;
      }
      default -> throw new IllegalStateException("no shape rule for " + n.opType());
    };
    int bits = n.opType().equals("Cast") ? bitsOf((int) attrInt(n, "to", 0), n.outputs().get(0)) : x.bits();
    if (n.opType().equals("Concat")) {
      for (int i = 1; i < n.inputs().size(); i++) {
        bits = Math.max(bits, in(n, i).bits());
      }
    }
    long nonZeros = n.opType().equals("Concat") ? -1 : x.nonZeros();
    out(n, new Value(bits, shape, n.opType().equals("Cast") ? null : x.ints(), nonZeros));
  }

  private long[] reshaped(OnnxModel.Node n, long[] xs, long count, long[] target) {
    long[] out = target.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        out[i] = xs[i];
      }
      if (out[i] == -1) {
        if (infer >= 0) {
          throw new ScoringException(where(n) + ": shape has two -1 entries");
        }
        infer = i;
      } else {
        known *= out[i];
      }
    }
    if (infer >= 0) {
      out[infer] = count / Math.max(known, 1);
      known *= out[infer];
    }
    if (known != count) {
      throw new ScoringException(where(n) + ": cannot reshape " + Arrays.toString(xs) + " to "
          + Arrays.toString(target));
    }
    return out;
  }

  private long[] squeezed(OnnxModel.Node n, long[] xs) {
    long[] axes = attrInts(n, "axes");
    if (axes == null && hasInput(n, 1)) {
      axes = constInts(n, 1, "axes");
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      boolean drop = false;
      if (axes == null) {
        drop = xs[i] == 1;
      } else {
        for (long a : axes) {
          drop |= axis(n, a, xs.length) == i;
        }
      }
      if (!drop) {
        out.add(xs[i]);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private long[] unsqueezed(OnnxModel.Node n, long[] xs) {
    long[] axes = attrInts(n, "axes");
    if (axes == null) {
      axes = constInts(n, 1, "axes");
    }
    int rank = xs.length + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[axis(n, a, rank)] = true;
    }
    long[] out = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      out[i] = inserted[i] ? 1 : xs[j++];
    }
    return out;
  }

  /** Output sizes of a sliding window (convolution or pooling) per spatial axis. */
  private long[] window(OnnxModel.Node n, long[] in, long[] kernel, boolean ceil) {
    int r = in.length;
    long[] strides = orDefault(attrInts(n, "strides"), r, 1);
    long[] dilations = orDefault(attrInts(n, "dilations"), r, 1);
    long[] pads = orDefault(attrInts(n, "pads"), 2 * r, 0);
    String autoPad = n.attributes().containsKey("auto_pad") ? n.attributes().get("auto_pad").s() : "NOTSET";
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      if (strides[i] < 1 || dilations[i] < 1 || kernel[i] < 1) {
        throw new ScoringException(where(n) + ": strides, dilations and kernel sizes must be positive");
      }
      long span = (kernel[i] - 1) * dilations[i] + 1;
      switch (autoPad) {
        case "SAME_UPPER", "SAME_LOWER" -> out[i] = (in[i] + strides[i] - 1) / strides[i];
        case "VALID" -> out[i] = (in[i] - span) / strides[i] + 1;
        case "NOTSET", "" -> {
          long padded = in[i] + pads[i] + pads[i + r] - span;
          out[i] = (ceil ? Math.ceilDiv(padded, strides[i]) : Math.floorDiv(padded, strides[i])) + 1;
        }
        default -> throw new ScoringException(where(n) + ": unknown auto_pad " + autoPad);
      }
      if (out[i] < 1) {
        throw new ScoringException(where(n) + ": the window does not fit the input (axis " + i + ")");
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  private void transcend(double count) {
    if (!folding) {
      transcendental += count;
    }
  }

  private void multiply(int bits, double count) {
    if (count > 0 && !folding) {
      multipliesByBits.merge(bits, count, Double::sum);
    }
  }

  private void add(int bits, double count) {
    if (count > 0 && !folding) {
      additionsByBits.merge(bits, count, Double::sum);
    }
  }

  private Value in(OnnxModel.Node n, int i) {
    if (i >= n.inputs().size() || n.inputs().get(i).isEmpty()) {
      throw new ScoringException(where(n) + ": input " + i + " is missing");
    }
    Value v = values.get(n.inputs().get(i));
    if (v == null) {
      throw new ScoringException(where(n) + ": input " + n.inputs().get(i)
          + " is not produced by an earlier node, an initializer or a graph input");
    }
    return v;
  }

  private static boolean hasInput(OnnxModel.Node n, int i) {
    return i < n.inputs().size() && !n.inputs().get(i).isEmpty();
  }

  private void out(OnnxModel.Node n, Value v) {
    put(n.outputs().get(0), new Value(v.bits(), v.shape(), v.ints(), v.nonZeros(), folding));
  }

  private void put(String name, Value v) {
    if (v.bits() > 1 && v.bits() < 16) {
      quantized = true;
    }
    values.put(name, v);
  }

  private long[] constInts(OnnxModel.Node n, int i, String what) {
    Value v = in(n, i);
    if (v.ints() == null) {
      throw new ScoringException(where(n) + ": its " + what + " must be a constant integer tensor");
    }
    return v.ints();
  }

  private static boolean allZero(Value v) {
    if (v.ints() == null) {
      return v.nonZeros() == 0;
    }
    return Arrays.stream(v.ints()).allMatch(x -> x == 0);
  }

  private static long attrInt(OnnxModel.Node n, String name, long absent) {
    OnnxModel.Attribute a = n.attributes().get(name);
    return a == null ? absent : a.i();
  }

  private static long[] attrInts(OnnxModel.Node n, String name) {
    OnnxModel.Attribute a = n.attributes().get(name);
    return a == null ? null : a.ints();
  }

  private static long[] orDefault(long[] given, int length, long value) {
    if (given == null || given.length == 0) {
      long[] out = new long[length];
      Arrays.fill(out, value);
      return out;
    }
    if (given.length != length) {
      throw new ScoringException("expected " + length + " entries, got " + given.length);
    }
    return given;
  }

  private static int axis(OnnxModel.Node n, long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new ScoringException(where(n) + ": axis " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }

  private static long[] broadcast(OnnxModel.Node n, long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (x != y && x != 1 && y != 1) {
        throw new ScoringException(where(n) + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
            + " do not broadcast");
      }
      out[i] = Math.max(x, y);
    }
    return out;
  }

  private static int bitsOf(int type, String name) {
    int bits = OnnxDataType.bits(type);
    if (bits == 0) {
      throw new ScoringException(name + " has unsupported element type " + type);
    }
    return bits;
  }

  private static String where(OnnxModel.Node n) {
    return "node " + (n.name().isEmpty() ? "<unnamed>" : n.name()) + " (" + n.opType() + ")";
  }
}
