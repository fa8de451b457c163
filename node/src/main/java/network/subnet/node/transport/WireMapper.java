package network.subnet.node.transport;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.DistillSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.TeacherSpec;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.Ed25519;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.proto.v1.CompressTask;
import network.subnet.proto.v1.CompressedBlob;
import network.subnet.proto.v1.DistillTask;
import network.subnet.proto.v1.RegisterResponse;
import network.subnet.proto.v1.Result;
import network.subnet.proto.v1.SoftLabels;
import network.subnet.proto.v1.SubmitResponse;
import network.subnet.proto.v1.SubmitStatus;
import network.subnet.proto.v1.Task;
import network.subnet.proto.v1.TeacherInfo;

/**
 * Maps between the wire schema and the domain records, in both directions. Decoding validates:
 * anything a peer could get wrong is refused with {@link ApiException#invalid} naming the field, so
 * generated types and malformed input stop here. Encoding assumes well-formed domain records.
 */
public final class WireMapper {

  public static final int MAX_ID_LENGTH = 256;
  public static final int MIN_LEASE_NONCE_LENGTH = 16;
  public static final int MAX_LEASE_NONCE_LENGTH = 64;
  public static final int MAX_TOP_K = 1024;
  public static final int MAX_POSITIONS = 1 << 20;
  public static final int MAX_LIST_LENGTH = 10_000;

  private WireMapper() {}

  // ------------------------------------------------------------------ enums and small values

  public static network.subnet.proto.v1.TaskKind toProto(TaskKind kind) {
    return network.subnet.proto.v1.TaskKind.valueOf(kind.name());
  }

  public static TaskKind taskKind(network.subnet.proto.v1.TaskKind kind, String field) {
    return switch (kind) {
      case TASK_KIND_UNSPECIFIED -> throw ApiException.invalid(field + " is missing");
      case UNRECOGNIZED -> throw ApiException.invalid(field + " is an unknown task kind");
      default -> TaskKind.valueOf(kind.name());
    };
  }

  public static TeacherInfo toProto(TeacherSpec t) {
    return TeacherInfo.newBuilder()
        .setModelHash(t.modelHash())
        .setTokenizerHash(t.tokenizerHash())
        .setDtype(t.dtype())
        .setDevice(t.device())
        .setBatchPolicy(t.batchPolicy())
        .build();
  }

  public static TeacherSpec teacher(TeacherInfo t, String field) {
    return new TeacherSpec(
        text(t.getModelHash(), field + ".model_hash", true),
        text(t.getTokenizerHash(), field + ".tokenizer_hash", false),
        text(t.getDtype(), field + ".dtype", false),
        text(t.getDevice(), field + ".device", false),
        text(t.getBatchPolicy(), field + ".batch_policy", false));
  }

  // ------------------------------------------------------------------ registration

  public static network.subnet.proto.v1.Capabilities toProto(Capabilities c) {
    network.subnet.proto.v1.Capabilities.Builder b =
        network.subnet.proto.v1.Capabilities.newBuilder()
            .addAllCodecs(c.codecs())
            .setMaxBatch(c.maxBatch());
    c.kinds().stream().sorted().forEach(k -> b.addKinds(toProto(k)));
    if (c.teacher() != null) {
      b.setTeacher(toProto(c.teacher()));
    }
    return b.build();
  }

  /** A miner without a teacher (compress only) reports none: {@code teacher} is then null. */
  public static Capabilities capabilities(network.subnet.proto.v1.Capabilities c) {
    Set<TaskKind> kinds = EnumSet.noneOf(TaskKind.class);
    for (network.subnet.proto.v1.TaskKind k : c.getKindsList()) {
      kinds.add(taskKind(k, "capabilities.kinds"));
    }
    TeacherSpec teacher = c.hasTeacher() ? teacher(c.getTeacher(), "capabilities.teacher") : null;
    if (kinds.contains(TaskKind.DISTILL) && teacher == null) {
      throw ApiException.invalid(
          "capabilities.teacher is missing, but the miner offers distill work");
    }
    return new Capabilities(
        Set.copyOf(kinds),
        teacher,
        ids(c.getCodecsList(), "capabilities.codecs"),
        unsigned(c.getMaxBatch(), "capabilities.max_batch"));
  }

  public static RegisterResponse toProto(Registration r) {
    return RegisterResponse.newBuilder()
        .setMinerId(r.minerKey().hex())
        .setValidatorKey(r.validatorKey().hex())
        .setServerTimeMs(r.serverTimeMs())
        .setHeartbeatIntervalMs(r.heartbeatIntervalMs())
        .build();
  }

  public static Registration registration(RegisterResponse r) {
    return new Registration(
        key(r.getMinerId(), "register.miner_id"),
        key(r.getValidatorKey(), "register.validator_key"),
        r.getServerTimeMs(),
        nonNegative(r.getHeartbeatIntervalMs(), "register.heartbeat_interval_ms"));
  }

  // ------------------------------------------------------------------ leases

  public static Task toProto(Lease lease) {
    Task.Builder b =
        Task.newBuilder()
            .setTaskId(lease.taskId())
            .setLeaseNonce(ByteString.copyFrom(lease.leaseNonce()))
            .setDeadlineMs(lease.deadlineMs())
            .setKind(toProto(lease.kind()));
    switch (lease.kind()) {
      case DISTILL -> b.setDistill(toProto(lease.distill()));
      case COMPRESS -> b.setCompress(toProto(lease.compress()));
    }
    return b.build();
  }

  public static Lease lease(Task task) {
    String field = "task";
    String taskId = id(task.getTaskId(), field + ".task_id");
    byte[] nonce = leaseNonce(task.getLeaseNonce(), field + ".lease_nonce");
    TaskKind kind = taskKind(task.getKind(), field + ".kind");
    field = "task " + taskId;
    return switch (kind) {
      case DISTILL -> {
        if (task.getPayloadCase() != Task.PayloadCase.DISTILL) {
          throw ApiException.invalid(
              field + ": payload must be distill for a DISTILL task, got " + task.getPayloadCase());
        }
        yield new Lease(
            taskId,
            nonce,
            task.getDeadlineMs(),
            kind,
            distill(task.getDistill(), field + ".distill"),
            null);
      }
      case COMPRESS -> {
        if (task.getPayloadCase() != Task.PayloadCase.COMPRESS) {
          throw ApiException.invalid(
              field
                  + ": payload must be compress for a COMPRESS task, got "
                  + task.getPayloadCase());
        }
        yield new Lease(
            taskId,
            nonce,
            task.getDeadlineMs(),
            kind,
            null,
            compress(task.getCompress(), field + ".compress"));
      }
    };
  }

  public static DistillTask toProto(DistillSpec d) {
    ByteBuffer tokens = ByteBuffer.allocate(d.tokens().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    tokens.asIntBuffer().put(d.tokens());
    return DistillTask.newBuilder()
        .setTokens(
            TensorMapper.toProto(
                new DenseTensor(DType.I32, new long[] {d.tokens().length}, tokens.array())))
        .setTopK(d.topK())
        .setTemperature(d.temperature())
        .setModelHash(d.modelHash())
        .setTokenizerHash(d.tokenizerHash())
        .build();
  }

  public static DistillSpec distill(DistillTask d, String field) {
    if (!d.hasTokens()) {
      throw ApiException.invalid(field + ".tokens is missing");
    }
    DenseTensor tokens = TensorMapper.fromProto(d.getTokens(), field + ".tokens");
    if (tokens.dtype() != DType.I32 || tokens.shape().length != 1 || tokens.elementCount() == 0) {
      throw ApiException.invalid(field + ".tokens must be a non-empty I32 vector");
    }
    if (tokens.elementCount() > MAX_POSITIONS) {
      throw ApiException.invalid(
          field + ".tokens has " + tokens.elementCount() + " positions; at most " + MAX_POSITIONS);
    }
    int[] ids = new int[(int) tokens.elementCount()];
    ByteBuffer.wrap(tokens.data()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ids);
    float temperature = d.getTemperature();
    if (!(temperature > 0f) || Float.isInfinite(temperature)) {
      throw ApiException.invalid(
          field + ".temperature must be a positive finite number, got " + temperature);
    }
    return new DistillSpec(
        ids,
        topK(d.getTopK(), field + ".top_k"),
        temperature,
        text(d.getModelHash(), field + ".model_hash", true),
        text(d.getTokenizerHash(), field + ".tokenizer_hash", false));
  }

  public static CompressTask toProto(CompressSpec c) {
    return CompressTask.newBuilder()
        .setActivations(TensorMapper.toProto(c.activations()))
        .setSimilarityFloor(c.similarityFloor())
        .addAllAllowedCodecs(c.allowedCodecs())
        .build();
  }

  public static CompressSpec compress(CompressTask c, String field) {
    if (!c.hasActivations()) {
      throw ApiException.invalid(field + ".activations is missing");
    }
    DenseTensor activations = TensorMapper.fromProto(c.getActivations(), field + ".activations");
    if (activations.shape().length != 2) {
      throw ApiException.invalid(field + ".activations must be a [rows, cols] matrix");
    }
    if (activations.dtype() != DType.BF16
        && activations.dtype() != DType.F16
        && activations.dtype() != DType.F32) {
      throw ApiException.invalid(
          field + ".activations must be BF16, F16 or F32, got " + activations.dtype());
    }
    double floor = c.getSimilarityFloor();
    if (!(floor > 0 && floor <= 1)) {
      throw ApiException.invalid(field + ".similarity_floor must be in (0, 1], got " + floor);
    }
    return new CompressSpec(
        activations, floor, ids(c.getAllowedCodecsList(), field + ".allowed_codecs"));
  }

  // ------------------------------------------------------------------ results

  public static Result toProto(WorkResult r) {
    Result.Builder b =
        Result.newBuilder()
            .setTaskId(r.taskId())
            .setLeaseNonce(ByteString.copyFrom(r.leaseNonce()))
            .setModelHash(r.modelHash())
            .setKind(toProto(r.kind()))
            .setComputeMs(r.computeMs())
            .setSignature(ByteString.copyFrom(r.signature()));
    if (r.teacher() != null) {
      b.setTeacher(toProto(r.teacher()));
    }
    switch (r.kind()) {
      case DISTILL -> {
        WorkResult.PackedSoftLabels s = r.softLabels();
        b.setSoftLabels(
            SoftLabels.newBuilder()
                .setPositions(s.positions())
                .setTopK(s.topK())
                .setFormat(s.format())
                .setPacked(ByteString.copyFrom(s.packed())));
      }
      case COMPRESS ->
          b.setCompressed(
              CompressedBlob.newBuilder()
                  .setCodec(r.compressed().codec())
                  .setBlob(ByteString.copyFrom(r.compressed().blob())));
    }
    return b.build();
  }

  /** A result whose teacher is not reported (compress work) has a null {@code teacher}. */
  public static WorkResult workResult(Result r) {
    String taskId = id(r.getTaskId(), "result.task_id");
    String field = "result for task " + taskId;
    byte[] nonce = leaseNonce(r.getLeaseNonce(), field + ": lease_nonce");
    TaskKind kind = taskKind(r.getKind(), field + ": kind");
    String modelHash = text(r.getModelHash(), field + ": model_hash", kind == TaskKind.DISTILL);
    if (r.getSignature().size() != Ed25519.SIGNATURE_LENGTH) {
      throw ApiException.invalid(
          field
              + ": signature must be "
              + Ed25519.SIGNATURE_LENGTH
              + " bytes, got "
              + r.getSignature().size());
    }
    if (r.getComputeMs() < 0) {
      throw ApiException.invalid(field + ": compute_ms is negative: " + r.getComputeMs());
    }
    TeacherSpec teacher = r.hasTeacher() ? teacher(r.getTeacher(), field + ": teacher") : null;
    WorkResult.PackedSoftLabels softLabels = null;
    WorkResult.CompressedOutput compressed = null;
    switch (kind) {
      case DISTILL -> {
        if (r.getOutputCase() != Result.OutputCase.SOFT_LABELS) {
          throw ApiException.invalid(
              field
                  + ": output must be soft_labels for a DISTILL result, got "
                  + r.getOutputCase());
        }
        SoftLabels s = r.getSoftLabels();
        int positions = unsigned(s.getPositions(), field + ": soft_labels.positions");
        if (positions == 0 || positions > MAX_POSITIONS) {
          throw ApiException.invalid(
              field
                  + ": soft_labels.positions must be in 1.."
                  + MAX_POSITIONS
                  + ", got "
                  + positions);
        }
        int k = topK(s.getTopK(), field + ": soft_labels.top_k");
        if (s.getPacked().isEmpty()) {
          throw ApiException.invalid(field + ": soft_labels.packed is empty");
        }
        softLabels =
            new WorkResult.PackedSoftLabels(
                positions, k, s.getFormat(), s.getPacked().toByteArray());
      }
      case COMPRESS -> {
        if (r.getOutputCase() != Result.OutputCase.COMPRESSED) {
          throw ApiException.invalid(
              field
                  + ": output must be compressed for a COMPRESS result, got "
                  + r.getOutputCase());
        }
        CompressedBlob c = r.getCompressed();
        if (c.getBlob().isEmpty()) {
          throw ApiException.invalid(field + ": compressed.blob is empty");
        }
        compressed =
            new WorkResult.CompressedOutput(
                id(c.getCodec(), field + ": compressed.codec"), c.getBlob().toByteArray());
      }
    }
    return new WorkResult(
        taskId,
        nonce,
        modelHash,
        kind,
        softLabels,
        compressed,
        teacher,
        r.getComputeMs(),
        r.getSignature().toByteArray());
  }

  public static SubmitResponse toProto(SubmitOutcome o) {
    return SubmitResponse.newBuilder()
        .setStatus(SubmitStatus.valueOf(o.status().name()))
        .setMessage(o.message() == null ? "" : o.message())
        .build();
  }

  public static SubmitOutcome submitOutcome(SubmitResponse r) {
    SubmitOutcome.Status status =
        switch (r.getStatus()) {
          case SUBMIT_STATUS_UNSPECIFIED -> throw ApiException.invalid("submit.status is missing");
          case UNRECOGNIZED -> throw ApiException.invalid("submit.status is an unknown status");
          default -> SubmitOutcome.Status.valueOf(r.getStatus().name());
        };
    return new SubmitOutcome(status, r.getMessage());
  }

  // ------------------------------------------------------------------ field checks

  /** A non-empty identifier (task id, codec id) of bounded length. */
  public static String id(String value, String field) {
    if (value.isBlank()) {
      throw ApiException.invalid(field + " is empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw ApiException.invalid(
          field + " is " + value.length() + " characters; at most " + MAX_ID_LENGTH);
    }
    return value;
  }

  /** A list of identifiers, each checked, of bounded length. */
  public static List<String> ids(List<String> values, String field) {
    if (values.size() > MAX_LIST_LENGTH) {
      throw ApiException.invalid(
          field + " has " + values.size() + " entries; at most " + MAX_LIST_LENGTH);
    }
    List<String> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(id(values.get(i), field + "[" + i + "]"));
    }
    return List.copyOf(out);
  }

  private static String text(String value, String field, boolean required) {
    if (required && value.isBlank()) {
      throw ApiException.invalid(field + " is empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw ApiException.invalid(
          field + " is " + value.length() + " characters; at most " + MAX_ID_LENGTH);
    }
    return value;
  }

  private static PublicKey key(String hex, String field) {
    try {
      return PublicKey.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field + " is not a hex Ed25519 public key: '" + hex + "'");
    }
  }

  private static byte[] leaseNonce(ByteString nonce, String field) {
    if (nonce.size() < MIN_LEASE_NONCE_LENGTH || nonce.size() > MAX_LEASE_NONCE_LENGTH) {
      throw ApiException.invalid(
          "%s must be %d..%d bytes, got %d"
              .formatted(field, MIN_LEASE_NONCE_LENGTH, MAX_LEASE_NONCE_LENGTH, nonce.size()));
    }
    return nonce.toByteArray();
  }

  private static int topK(int k, String field) {
    if (k <= 0 || k > MAX_TOP_K) {
      throw ApiException.invalid(
          field + " must be in 1.." + MAX_TOP_K + ", got " + Integer.toUnsignedString(k));
    }
    return k;
  }

  /** proto uint32 arrives as a Java int; values past 2^31 would turn negative and are refused. */
  static int unsigned(int value, String field) {
    if (value < 0) {
      throw ApiException.invalid(field + " is too large: " + Integer.toUnsignedString(value));
    }
    return value;
  }

  private static long nonNegative(long value, String field) {
    if (value < 0) {
      throw ApiException.invalid(field + " is negative: " + value);
    }
    return value;
  }
}
