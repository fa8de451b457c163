package network.subnet.node.compete.micronet;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.subnet.node.compete.ScoringException;

/**
 * Reads an ONNX {@code ModelProto} from its protobuf wire format.
 *
 * <p>Why not generated classes: no artifact found on Maven Central ships ONNX's own {@code onnx.proto} (the JavaCPP
 * {@code org.bytedeco:onnx} jars hold bindings and a native library only, {@code com.microsoft.azure:onnx-protobuf}
 * a pre-generated class, and nd4j keeps its copy out of its jar), and the schema must not be copied into this
 * repository by hand. So this reader walks the wire format with protobuf-java's
 * {@link CodedInputStream}, using the field numbers that {@code onnx/onnx.proto} (ONNX 1.17, IR version 10)
 * documents, and skips every field it does not need, as any protobuf parser would an unknown one:
 *
 * <pre>
 * ModelProto         ir_version=1 graph=7
 * GraphProto         node=1 initializer=5 input=11 output=12 value_info=13 sparse_initializer=15
 * NodeProto          input=1 output=2 name=3 op_type=4 attribute=5 domain=7
 * AttributeProto     name=1 f=2 i=3 s=4 t=5 floats=7 ints=8 type=20
 * TensorProto        dims=1 data_type=2 float_data=4 int32_data=5 int64_data=7 name=8 raw_data=9 double_data=10
 *                    uint64_data=11 data_location=14 (1: EXTERNAL)
 * SparseTensorProto  values=1 indices=2 dims=3
 * ValueInfoProto     name=1 type=2;  TypeProto tensor_type=1;  TypeProto.Tensor elem_type=1 shape=2
 * TensorShapeProto   dim=1;  Dimension dim_value=1 dim_param=2
 * </pre>
 */
public final class OnnxReader {

  /** Integer tensors up to this many elements keep their values (shapes, axes, pads). */
  private static final int MAX_INT_VALUES = 64;

  private OnnxReader() {}

  /** Parses {@code bytes}; anything that is not a well-formed ONNX model fails with a {@link ScoringException}. */
  public static OnnxModel read(byte[] bytes) {
    if (bytes.length == 0) {
      throw new ScoringException("invalid ONNX model: the file is empty");
    }
    try {
      return model(CodedInputStream.newInstance(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new ScoringException("invalid ONNX model: not a protobuf ModelProto (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new ScoringException("invalid ONNX model: " + e.getMessage());
    } catch (ScoringException e) {
      throw e;
    } catch (RuntimeException e) {
      // Hostile bytes must never surface as an internal error: whatever the reader trips on is a malformed model.
      throw new ScoringException("invalid ONNX model: " + e);
    }
  }

  private static OnnxModel model(CodedInputStream in) throws IOException {
    long irVersion = 0;
    GraphParts graph = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> irVersion = in.readInt64();
        case 7 -> graph = graph(in.readBytes().newCodedInput());
        default -> in.skipField(tag);
      }
    }
    if (graph == null) {
      throw new ScoringException("invalid ONNX model: it has no graph");
    }
    if (irVersion < 1) {
      throw new ScoringException("invalid ONNX model: no IR version (ir_version is " + irVersion + ")");
    }
    return new OnnxModel(irVersion, graph.nodes, graph.initializers, graph.inputs, graph.outputs, graph.valueInfo);
  }

  private static final class GraphParts {
    final List<OnnxModel.Node> nodes = new ArrayList<>();
    final Map<String, OnnxModel.Tensor> initializers = new LinkedHashMap<>();
    final List<OnnxModel.ValueInfo> inputs = new ArrayList<>();
    final List<OnnxModel.ValueInfo> outputs = new ArrayList<>();
    final Map<String, OnnxModel.ValueInfo> valueInfo = new LinkedHashMap<>();
  }

  private static GraphParts graph(CodedInputStream in) throws IOException {
    GraphParts g = new GraphParts();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> g.nodes.add(node(in.readBytes().newCodedInput()));
        case 5 -> {
          OnnxModel.Tensor t = tensor(in.readBytes().newCodedInput());
          g.initializers.put(t.name(), t);
        }
        case 11 -> g.inputs.add(valueInfo(in.readBytes().newCodedInput()));
        case 12 -> g.outputs.add(valueInfo(in.readBytes().newCodedInput()));
        case 13 -> {
          OnnxModel.ValueInfo v = valueInfo(in.readBytes().newCodedInput());
          g.valueInfo.put(v.name(), v);
        }
        case 15 -> {
          OnnxModel.Tensor t = sparseTensor(in.readBytes().newCodedInput());
          g.initializers.put(t.name(), t);
        }
        default -> in.skipField(tag);
      }
    }
    return g;
  }

  private static OnnxModel.Node node(CodedInputStream in) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String opType = "";
    String domain = "";
    Map<String, OnnxModel.Attribute> attributes = new LinkedHashMap<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> inputs.add(in.readString());
        case 2 -> outputs.add(in.readString());
        case 3 -> name = in.readString();
        case 4 -> opType = in.readString();
        case 5 -> {
          OnnxModel.Attribute a = attribute(in.readBytes().newCodedInput());
          attributes.put(a.name(), a);
        }
        case 7 -> domain = in.readString();
        default -> in.skipField(tag);
      }
    }
    if (opType.isEmpty()) {
      throw new ScoringException("invalid ONNX model: node '" + name + "' has no op_type");
    }
    return new OnnxModel.Node(name, opType, domain, inputs, outputs, attributes);
  }

  private static OnnxModel.Attribute attribute(CodedInputStream in) throws IOException {
    String name = "";
    int type = 0;
    float f = 0;
    long i = 0;
    String s = "";
    LongList ints = new LongList();
    List<Float> floats = new ArrayList<>();
    OnnxModel.Tensor t = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int wire = WireFormat.getTagWireType(tag);
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readString();
        case 2 -> f = in.readFloat();
        case 3 -> i = in.readInt64();
        case 4 -> s = in.readBytes().toStringUtf8();
        case 5 -> t = tensor(in.readBytes().newCodedInput());
        case 7 -> {
          if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
              floats.add(in.readFloat());
            }
            in.popLimit(limit);
          } else {
            floats.add(in.readFloat());
          }
        }
        case 8 -> readInt64s(in, wire, ints);
        case 20 -> type = in.readEnum();
        default -> in.skipField(tag);
      }
    }
    float[] fs = new float[floats.size()];
    for (int k = 0; k < fs.length; k++) {
      fs[k] = floats.get(k);
    }
    return new OnnxModel.Attribute(name, type, f, i, s, ints.toArray(), fs, t);
  }

  private static OnnxModel.ValueInfo valueInfo(CodedInputStream in) throws IOException {
    String name = "";
    int elemType = 0;
    long[] dims = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readString();
        case 2 -> {
          CodedInputStream type = in.readBytes().newCodedInput();
          for (int t = type.readTag(); t != 0; t = type.readTag()) {
            if (WireFormat.getTagFieldNumber(t) != 1) {
              type.skipField(t);
              continue;
            }
            CodedInputStream tensor = type.readBytes().newCodedInput();
            for (int u = tensor.readTag(); u != 0; u = tensor.readTag()) {
              switch (WireFormat.getTagFieldNumber(u)) {
                case 1 -> elemType = tensor.readInt32();
                case 2 -> dims = shape(tensor.readBytes().newCodedInput());
                default -> tensor.skipField(u);
              }
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    return new OnnxModel.ValueInfo(name, elemType, dims);
  }

  private static long[] shape(CodedInputStream in) throws IOException {
    LongList dims = new LongList();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream dim = in.readBytes().newCodedInput();
      long value = -1;
      for (int t = dim.readTag(); t != 0; t = dim.readTag()) {
        if (WireFormat.getTagFieldNumber(t) == 1) {
          value = dim.readInt64();
        } else {
          dim.skipField(t);
        }
      }
      dims.add(value);
    }
    return dims.toArray();
  }

  private static OnnxModel.Tensor sparseTensor(CodedInputStream in) throws IOException {
    OnnxModel.Tensor values = null;
    long[] dims = null;
    LongList dimList = new LongList();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> values = tensor(in.readBytes().newCodedInput());
        case 3 -> readInt64s(in, WireFormat.getTagWireType(tag), dimList);
        default -> in.skipField(tag);
      }
    }
    dims = dimList.toArray();
    if (values == null) {
      throw new ScoringException("invalid ONNX model: a sparse initializer has no values");
    }
    long count = product(dims, values.name());
    // Stored values may still hold explicit zeros; only the nonzeros among them count.
    return new OnnxModel.Tensor(values.name(), values.dataType(), dims, count, values.nonZeros(), null, true);
  }

  private static OnnxModel.Tensor tensor(CodedInputStream in) throws IOException {
    LongList dims = new LongList();
    int dataType = 0;
    String name = "";
    byte[] raw = null;
    Typed typed = new Typed();
    boolean external = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int wire = WireFormat.getTagWireType(tag);
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> readInt64s(in, wire, dims);
        case 2 -> dataType = in.readInt32();
        case 4 -> readPacked(in, wire, WireFormat.WIRETYPE_FIXED32, () -> typed.add(in.readFloat() != 0, 0));
        case 5 -> readPacked(in, wire, WireFormat.WIRETYPE_VARINT, () -> {
          long v = in.readInt32();
          typed.add(v != 0, v);
        });
        case 7 -> readPacked(in, wire, WireFormat.WIRETYPE_VARINT, () -> {
          long v = in.readInt64();
          typed.add(v != 0, v);
        });
        case 8 -> name = in.readString();
        case 9 -> raw = in.readByteArray();
        case 10 -> readPacked(in, wire, WireFormat.WIRETYPE_FIXED64, () -> typed.add(in.readDouble() != 0, 0));
        case 11 -> readPacked(in, wire, WireFormat.WIRETYPE_VARINT, () -> {
          long v = in.readUInt64();
          typed.add(v != 0, v);
        });
        case 14 -> external = in.readEnum() == 1;
        default -> in.skipField(tag);
      }
    }
    if (external) {
      throw new ScoringException("tensor " + name + " keeps its data in an external file; embed every weight in the "
          + "model (onnx.save(model, path, save_as_external_data=False))");
    }
    int bits = OnnxDataType.bits(dataType);
    if (bits == 0) {
      throw new ScoringException("tensor " + name + " has unsupported data type " + dataType);
    }
    long[] shape = dims.toArray();
    long count = product(shape, name);
    long nonZeros;
    long[] intValues = null;
    boolean integral = !OnnxDataType.isFloat(dataType);
    if (raw != null) {
      long need = (count * bits + 7) / 8;
      if (raw.length != need) {
        throw new ScoringException("tensor " + name + " of shape " + java.util.Arrays.toString(shape) + " needs "
            + need + " bytes of raw data, has " + raw.length);
      }
      nonZeros = rawNonZeros(raw, bits, count, dataType);
      if (integral && count <= MAX_INT_VALUES && (bits == 32 || bits == 64)) {
        intValues = rawInts(raw, bits, (int) count);
      }
    } else {
      // 4-bit types travel two to an int32_data value.
      if (typed.count != count && !(bits == 4 && typed.count == (count + 1) / 2)) {
        throw new ScoringException("tensor " + name + " of shape " + java.util.Arrays.toString(shape) + " holds "
            + typed.count + " values, expected " + count);
      }
      nonZeros = bits == 4 ? count : typed.nonZeros;
      if (integral && count <= MAX_INT_VALUES && typed.count == count) {
        intValues = typed.small.toArray();
      }
    }
    return new OnnxModel.Tensor(name, dataType, shape, count, Math.min(nonZeros, count), intValues, false);
  }

  private static long rawNonZeros(byte[] raw, int bits, long count, int dataType) {
    long nonZeros = 0;
    if (bits < 8) {
      for (long k = 0; k < count; k++) {
        int b = raw[(int) (k / 2)] & 0xFF;
        int v = (k % 2 == 0) ? b & 0x0F : b >>> 4;
        // A float4 of only its sign bit is -0.
        if ((dataType == OnnxDataType.FLOAT4E2M1 ? v & 0x7 : v) != 0) {
          nonZeros++;
        }
      }
      return nonZeros;
    }
    int width = bits / 8;
    boolean floating = OnnxDataType.isFloat(dataType);
    for (int k = 0; k < count; k++) {
      boolean zero = true;
      for (int j = 0; j < width; j++) {
        int b = raw[k * width + j] & 0xFF;
        // Little-endian: the sign bit of a float is the top bit of its last byte; -0.0 is zero.
        if (floating && j == width - 1) {
          b &= 0x7F;
        }
        if (b != 0) {
          zero = false;
          break;
        }
      }
      if (!zero) {
        nonZeros++;
      }
    }
    return nonZeros;
  }

  private static long[] rawInts(byte[] raw, int bits, int count) {
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[count];
    for (int k = 0; k < count; k++) {
      out[k] = bits == 64 ? b.getLong() : b.getInt();
    }
    return out;
  }

  private static long product(long[] dims, String name) {
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new ScoringException("tensor " + name + " has a negative dimension " + d);
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new ScoringException("tensor " + name + " is impossibly large");
      }
    }
    return n;
  }

  private interface Read {
    void run() throws IOException;
  }

  private static void readPacked(CodedInputStream in, int wire, int elementWire, Read one) throws IOException {
    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED && elementWire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int limit = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        one.run();
      }
      in.popLimit(limit);
    } else {
      one.run();
    }
  }

  private static void readInt64s(CodedInputStream in, int wire, LongList out) throws IOException {
    readPacked(in, wire, WireFormat.WIRETYPE_VARINT, () -> out.add(in.readInt64()));
  }

  /** Counts typed values as they stream by, keeping the first few integers. */
  private static final class Typed {
    long count;
    long nonZeros;
    final LongList small = new LongList();

    void add(boolean nonZero, long value) {
      count++;
      if (nonZero) {
        nonZeros++;
      }
      if (count <= MAX_INT_VALUES) {
        small.add(value);
      }
    }
  }

  /** A growable long array. */
  private static final class LongList {
    private long[] values = new long[8];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
