package network.subnet.validator.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.codec.ActivationCodec;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.TensorFiles;
import network.subnet.node.model.CheckpointException;
import network.subnet.node.model.SafetensorsFile;
import network.subnet.node.tensor.DenseTensor;

/**
 * Turns activation files into compress tasks: each {@code .npy} file, and each tensor of a {@code .safetensors} file,
 * becomes one task at the configured similarity floor allowing every registered codec. Directories are walked in
 * path order, so the same inputs always give the same tasks in the same order. {@code .npy} integer data of two bytes
 * ({@code <u2}, {@code <i2}) is read as bf16 bit patterns, the way bf16 activations are usually saved.
 */
public final class CompressTaskSource {

  private final CodecRegistry registry;
  private final double similarityFloor;
  private final List<String> allowedCodecs;

  public CompressTaskSource(CodecRegistry registry, double similarityFloor) {
    if (!(similarityFloor > 0 && similarityFloor <= 1)) {
      throw new IllegalArgumentException("similarity floor must be in (0, 1], got " + similarityFloor);
    }
    this.registry = registry;
    this.similarityFloor = similarityFloor;
    this.allowedCodecs = registry.codecs().stream().map(ActivationCodec::key).toList();
  }

  /**
   * Reads every activation file under {@code paths}; throws {@link CodecException} naming the file and the problem
   * when one cannot become a task (unknown type, unsupported dtype, empty, all zeros, non-finite, too large).
   */
  public List<Task> read(List<Path> paths) throws IOException {
    List<Task> tasks = new ArrayList<>();
    for (Path file : files(paths)) {
      String name = file.getFileName().toString();
      if (name.endsWith(".safetensors")) {
        List<String> names;
        try {
          names = List.copyOf(SafetensorsFile.open(file).tensors().keySet());
        } catch (CheckpointException e) {
          throw new CodecException(e.getMessage(), e);
        }
        for (String tensor : names.stream().sorted().toList()) {
          tasks.add(task(file + " tensor " + tensor, TensorFiles.read(file, tensor, true, maxElements())));
        }
      } else {
        tasks.add(task(file.toString(), TensorFiles.read(file, null, true, maxElements())));
      }
    }
    return tasks;
  }

  /** One tensor as a task; {@code where} names its origin in the error when the codecs cannot take it. */
  public Task task(String where, DenseTensor tensor) {
    try {
      registry.check(tensor);
    } catch (CodecException e) {
      throw new CodecException(where + ": " + e.getMessage(), e);
    }
    return Task.of(new CompressSpec(tensor, similarityFloor, allowedCodecs));
  }

  private static long maxElements() {
    return CodecRegistry.DEFAULT_MAX_ELEMENTS;
  }

  /** The activation files named or found under {@code paths}, each directory's in path order. */
  static List<Path> files(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(CompressTaskSource::isActivationFile).sorted().forEach(out::add);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new CodecException(p + ": no such file or directory");
      }
    }
    return out;
  }

  private static boolean isActivationFile(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".npy") || name.endsWith(".safetensors");
  }
}
