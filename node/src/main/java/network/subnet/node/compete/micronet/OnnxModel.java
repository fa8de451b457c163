package network.subnet.node.compete.micronet;

import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model that MicroNet counting needs: the main graph's nodes, its initializers (dense and
 * sparse), and the declared types and shapes of its inputs, outputs and intermediate values.
 */
public record OnnxModel(
    long irVersion,
    List<Node> nodes,
    Map<String, Tensor> initializers,
    List<ValueInfo> inputs,
    List<ValueInfo> outputs,
    Map<String, ValueInfo> valueInfo) {

  /** One operator. Empty input names mean an omitted optional input. */
  public record Node(
      String name, String opType, String domain, List<String> inputs, List<String> outputs,
      Map<String, Attribute> attributes) {}

  /** An attribute; only the field matching its type is meaningful. */
  public record Attribute(String name, int type, float f, long i, String s, long[] ints, float[] floats, Tensor t) {}

  /**
   * A constant tensor: its ONNX data type, shape, element and nonzero counts, and its values when it is a small
   * integer tensor (shapes and axes feed shape inference). {@code sparse} is true for a sparse initializer.
   */
  public record Tensor(String name, int dataType, long[] dims, long count, long nonZeros, long[] intValues,
      boolean sparse) {}

  /** A declared value: element type and dims, {@code -1} where a dim is symbolic or unknown. */
  public record ValueInfo(String name, int elemType, long[] dims) {}
}
