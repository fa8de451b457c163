package network.subnet.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import network.subnet.node.codec.ApexScore;
import network.subnet.node.codec.CodecException;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.DecodedTensor;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.codec.NpyFile;
import network.subnet.node.codec.Similarity;
import network.subnet.node.codec.TensorFiles;
import network.subnet.node.tensor.DenseTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code subnet codec encode|decode|score}: the activation codecs on files. */
@Command(
    name = "codec",
    mixinStandardHelpOptions = true,
    description = "Compress activation matrices (.npy, .safetensors) with the shared codecs, decode and score blobs.",
    subcommands = {CodecCommand.Encode.class, CodecCommand.Decode.class, CodecCommand.Score.class})
public final class CodecCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: encode, decode or score");
  }

  /** How an input tensor file is read. */
  static final class InputOptions {
    @Option(names = "--tensor", paramLabel = "NAME", description = "Tensor to read from a .safetensors file.")
    String tensor;

    @Option(names = "--bf16", description = "Read uint16/int16 .npy data as bf16 bit patterns.")
    boolean bf16;

    DenseTensor read(Path file) throws IOException {
      return TensorFiles.read(file, tensor, bf16, CodecRegistry.DEFAULT_MAX_ELEMENTS);
    }
  }

  private static int fail(CommandSpec spec, Exception e) {
    String message = e instanceof NoSuchFileException ? "no such file: " + e.getMessage() : e.getMessage();
    spec.commandLine().getErr().println("error: " + message);
    spec.commandLine().getErr().flush();
    return 1;
  }

  private static byte[] readBlob(Path file) throws IOException {
    long size = Files.size(file);
    if (size > 8L * CodecRegistry.DEFAULT_MAX_ELEMENTS) {
      throw new CodecException(file + ": " + size + " bytes is larger than any blob this node accepts");
    }
    return Files.readAllBytes(file);
  }

  @Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode a tensor file into a blob.")
  static final class Encode implements Callable<Integer> {
    @Spec private CommandSpec spec;
    @Mixin private InputOptions input;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = ".npy or .safetensors input.")
    private Path in;

    @Option(names = "--out", required = true, paramLabel = "BLOB", description = "Blob to write.")
    private Path out;

    @Option(
        names = "--min-similarity",
        defaultValue = "0.99",
        description = "Apex similarity floor (default ${DEFAULT-VALUE}); 1 forces a lossless codec.")
    private double floor;

    @Option(names = "--codec", paramLabel = "NAME", description = "Use this codec (default: the smallest that fits).")
    private String codec;

    @Override
    public Integer call() {
      try {
        DenseTensor t = input.read(in);
        CodecRegistry registry = CodecRegistry.standard();
        long start = System.nanoTime();
        EncodedBlob blob = codec == null ? registry.encodeBest(t, floor) : registry.encode(t, codec, floor);
        double ms = (System.nanoTime() - start) / 1e6;
        Files.write(out, blob.blob());
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
            "codec %s  bytes %d  ratio %.4f  similarity %.6f  encode_ms %.1f%n",
            blob.codec(), blob.blob().length, blob.ratio(), blob.similarity(), ms);
        o.flush();
        return 0;
      } catch (IOException | CodecException | IllegalArgumentException e) {
        return fail(spec, e);
      }
    }
  }

  @Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode a blob into a float32 .npy.")
  static final class Decode implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "BLOB", description = "Blob to decode.")
    private Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "float32 .npy to write.")
    private Path out;

    @Override
    public Integer call() {
      try {
        DecodedTensor d = CodecRegistry.standard().decode(readBlob(in));
        NpyFile.writeFloat32(out, d.values(), d.shape());
        spec.commandLine()
            .getOut()
            .printf("codec %s  dtype %s  elements %d%n", d.codec(), d.dtype(), d.values().length);
        spec.commandLine().getOut().flush();
        return 0;
      } catch (IOException | CodecException e) {
        return fail(spec, e);
      }
    }
  }

  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      description =
          "Score a blob against its reference the Apex way. encode_ms times this node re-encoding the reference with"
              + " the blob's codec at --min-similarity; the Apex task time is encode_ms + decode_ms.")
  static final class Score implements Callable<Integer> {
    @Spec private CommandSpec spec;
    @Mixin private InputOptions input;

    @Option(names = "--reference", required = true, paramLabel = "FILE", description = "The original tensor.")
    private Path reference;

    @Option(names = "--blob", required = true, paramLabel = "BLOB", description = "The blob to score.")
    private Path blobFile;

    @Option(names = "--min-similarity", defaultValue = "0.99", description = "Floor for the timed re-encode.")
    private double floor;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Override
    public Integer call() {
      try {
        DenseTensor ref = input.read(reference);
        byte[] blob = readBlob(blobFile);
        CodecRegistry registry = CodecRegistry.standard();
        long t0 = System.nanoTime();
        DecodedTensor d = registry.decode(blob);
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        if (!java.util.Arrays.equals(d.shape(), ref.shape())) {
          throw new CodecException(
              "shape mismatch: reference %s, blob %s"
                  .formatted(java.util.Arrays.toString(ref.shape()), java.util.Arrays.toString(d.shape())));
        }
        float[] a = registry.check(ref).values();
        Similarity.Parts sim = Similarity.parts(a, d.values());
        long t1 = System.nanoTime();
        registry.encode(ref, d.codec(), Math.min(floor, sim.similarity()));
        double encodeMs = (System.nanoTime() - t1) / 1e6;
        double ratio = (double) ref.data().length / blob.length;
        double raw = ApexScore.raw((encodeMs + decodeMs) / 1000, sim.similarity(), ratio);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("codec", d.codec());
        r.put("ratio", ratio);
        r.put("cosine", sim.cosine());
        r.put("norm_similarity", sim.normSimilarity());
        r.put("similarity", sim.similarity());
        r.put("encode_ms", encodeMs);
        r.put("decode_ms", decodeMs);
        r.put("apex_raw", raw);
        r.put("apex_normalized", ApexScore.normalized(raw));
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
          o.println(new ObjectMapper().writeValueAsString(r));
        } else {
          r.forEach((k, v) -> o.println(k + " " + (v instanceof Double x ? String.format("%.6f", x) : v)));
        }
        o.flush();
        return 0;
      } catch (IOException | CodecException e) {
        return fail(spec, e);
      }
    }
  }
}
