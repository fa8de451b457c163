package network.subnet.node.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built ONNX models for tests, written in the protobuf wire format with the field numbers of onnx.proto
 * (ModelProto ir_version=1 opset_import=8 graph=7; GraphProto node=1 initializer=5 input=11 output=12; NodeProto
 * input=1 output=2 name=3 op_type=4 attribute=5; AttributeProto name=1 i=3 s=4 ints=8 type=20; TensorProto dims=1
 * data_type=2 float_data=4 name=8 raw_data=9; ValueInfoProto name=1 type=2; TypeProto tensor_type=1;
 * TypeProto.Tensor elem_type=1 shape=2; TensorShapeProto dim=1; Dimension dim_value=1 dim_param=2).
 */
public final class TinyOnnx {

  public static final int FLOAT = 1;
  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int INT64 = 7;

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();

  /** A graph input; a negative dim is written as the symbolic dim "N". */
  public TinyOnnx input(String name, int elemType, long... dims) {
    inputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  public TinyOnnx output(String name, int elemType) {
    outputs.add(valueInfo(name, elemType, null));
    return this;
  }

  /** A float32 initializer in raw_data. */
  public TinyOnnx floats(String name, long[] dims, float... values) {
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    initializers.add(tensor(name, FLOAT, dims, raw.array()));
    return this;
  }

  /** A float32 initializer in the typed float_data field (packed), as some exporters write small tensors. */
  public TinyOnnx floatData(String name, long[] dims, float... values) {
    initializers.add(message(out -> {
      for (long d : dims) {
        out.writeInt64(1, d);
      }
      out.writeInt32(2, FLOAT);
      ByteBuffer packed = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        packed.putFloat(v);
      }
      out.writeByteArray(4, packed.array());
      out.writeString(8, name);
    }));
    return this;
  }

  /** An int8 / uint8 initializer in raw_data. */
  public TinyOnnx bytes(String name, int type, long[] dims, byte... values) {
    initializers.add(tensor(name, type, dims, values));
    return this;
  }

  public TinyOnnx int64s(String name, long[] dims, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    initializers.add(tensor(name, INT64, dims, raw.array()));
    return this;
  }

  /** A node; attributes from {@link #ints}, {@link #i} and {@link #s}. */
  public TinyOnnx node(String op, List<String> in, List<String> out, byte[]... attributes) {
    nodes.add(message(o -> {
      for (String s : in) {
        o.writeString(1, s);
      }
      for (String s : out) {
        o.writeString(2, s);
      }
      o.writeString(3, op.toLowerCase() + nodes.size());
      o.writeString(4, op);
      for (byte[] a : attributes) {
        o.writeByteArray(5, a);
      }
    }));
    return this;
  }

  public static byte[] ints(String name, long... values) {
    return message(o -> {
      o.writeString(1, name);
      for (long v : values) {
        o.writeInt64(8, v);
      }
      o.writeEnum(20, 7);
    });
  }

  public static byte[] i(String name, long value) {
    return message(o -> {
      o.writeString(1, name);
      o.writeInt64(3, value);
      o.writeEnum(20, 2);
    });
  }

  public static byte[] s(String name, String value) {
    return message(o -> {
      o.writeString(1, name);
      o.writeBytes(4, ByteString.copyFromUtf8(value));
      o.writeEnum(20, 3);
    });
  }

  /** The serialized ModelProto (IR version 8, default opset 17). */
  public byte[] build() {
    byte[] graph = message(o -> {
      for (byte[] n : nodes) {
        o.writeByteArray(1, n);
      }
      o.writeString(2, "test");
      for (byte[] t : initializers) {
        o.writeByteArray(5, t);
      }
      for (byte[] v : inputs) {
        o.writeByteArray(11, v);
      }
      for (byte[] v : outputs) {
        o.writeByteArray(12, v);
      }
    });
    return message(o -> {
      o.writeInt64(1, 8);
      o.writeString(2, "subnet-tests");
      o.writeByteArray(7, graph);
      o.writeByteArray(8, message(op -> {
        op.writeString(1, "");
        op.writeInt64(2, 17);
      }));
    });
  }

  private static byte[] tensor(String name, int type, long[] dims, byte[] raw) {
    return message(o -> {
      for (long d : dims) {
        o.writeInt64(1, d);
      }
      o.writeInt32(2, type);
      o.writeString(8, name);
      o.writeByteArray(9, raw);
    });
  }

  private static byte[] valueInfo(String name, int elemType, long[] dims) {
    byte[] tensorType = message(o -> {
      o.writeInt32(1, elemType);
      if (dims != null) {
        o.writeByteArray(2, message(shape -> {
          for (long d : dims) {
            shape.writeByteArray(1, message(dim -> {
              if (d < 0) {
                dim.writeString(2, "N");
              } else {
                dim.writeInt64(1, d);
              }
            }));
          }
        }));
      }
    });
    return message(o -> {
      o.writeString(1, name);
      o.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
    });
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      body.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
