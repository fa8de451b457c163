package network.subnet.node.codec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import network.subnet.node.model.CheckpointException;
import network.subnet.node.model.SafetensorsFile;
import network.subnet.node.model.TensorInfo;
import network.subnet.node.tensor.DenseTensor;

/**
 * Reads a codec input from {@code .npy} or {@code .safetensors} (one tensor, chosen by name when there are several).
 */
public final class TensorFiles {

  private TensorFiles() {}

  public static DenseTensor read(Path file, String tensorName, boolean uint16IsBf16, long maxElements)
      throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".npy")) {
      return NpyFile.read(file, uint16IsBf16, maxElements);
    }
    if (name.endsWith(".safetensors")) {
      return readSafetensors(file, tensorName, maxElements);
    }
    throw new CodecException(file + ": unknown input type (expected .npy or .safetensors)");
  }

  private static DenseTensor readSafetensors(Path file, String tensorName, long maxElements) {
    try {
      Map<String, TensorInfo> tensors = SafetensorsFile.open(file).tensors();
      TensorInfo info;
      if (tensorName != null) {
        info = tensors.get(tensorName);
        if (info == null) {
          throw new CodecException(file + ": no tensor named " + tensorName + " (has " + tensors.keySet() + ")");
        }
      } else if (tensors.size() == 1) {
        info = tensors.values().iterator().next();
      } else {
        throw new CodecException(file + ": holds " + tensors.size() + " tensors " + tensors.keySet() + "; name one");
      }
      if (info.elementCount() > maxElements) {
        throw new CodecException(
            file + ": tensor " + info.name() + " is above the limit of " + maxElements + " elements");
      }
      byte[] data = new byte[(int) info.byteLength()];
      int[] at = {0};
      SafetensorsFile.forEachWindow(
          info,
          window -> {
            int len = window.remaining();
            window.get(data, at[0], len);
            at[0] += len;
          });
      return new DenseTensor(info.dtype(), info.shape(), data);
    } catch (CheckpointException e) {
      throw new CodecException(e.getMessage(), e);
    }
  }
}
