package network.subnet.miner.teacher;

/**
 * How a teacher runs.
 *
 * @param device "cpu" (default, fp32) or "gpu" (CUDA through DJL's PyTorch natives, fp32)
 * @param threads PyTorch intra-op threads; 0 keeps PyTorch's default
 * @param maxBatchTokens padded tokens per forward pass; sequences are grouped by length up to this many
 */
public record TeacherOptions(String device, int threads, int maxBatchTokens) {

  public static final String CPU = "cpu";
  public static final String GPU = "gpu";
  public static final int DEFAULT_MAX_BATCH_TOKENS = 4096;

  public TeacherOptions {
    if (!device.equals(CPU) && !device.equals(GPU)) {
      throw new IllegalArgumentException("device must be 'cpu' or 'gpu', got '" + device + "'");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0");
    }
    if (maxBatchTokens <= 0) {
      throw new IllegalArgumentException("maxBatchTokens must be positive");
    }
  }

  public static TeacherOptions defaults() {
    return new TeacherOptions(CPU, 0, DEFAULT_MAX_BATCH_TOKENS);
  }

  public TeacherOptions withDevice(String newDevice) {
    return new TeacherOptions(newDevice, threads, maxBatchTokens);
  }

  /** What results record so replicas batch alike. */
  public String batchPolicy() {
    return "length-sorted,right-padded,max-tokens=" + maxBatchTokens;
  }
}
