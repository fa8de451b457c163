package network.subnet.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Set;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.Lease;
import network.subnet.node.api.Registration;
import network.subnet.node.api.SubmitOutcome;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;
import network.subnet.node.testing.SampleWork;
import network.subnet.proto.v1.CompressTask;
import network.subnet.proto.v1.Result;
import network.subnet.proto.v1.SoftLabels;
import network.subnet.proto.v1.SubmitResponse;
import network.subnet.proto.v1.Task;
import network.subnet.proto.v1.Tensor;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class WireMapperTest {

  private final LocalSigner miner = LocalSigner.generate();

  @Test
  void distillLeaseRoundTrips() {
    Lease lease = SampleWork.distillLease("task-1");
    Lease back = WireMapper.lease(WireMapper.toProto(lease));
    assertThat(back).usingRecursiveComparison().isEqualTo(lease);
  }

  @Test
  void compressLeaseRoundTrips() {
    Lease lease = SampleWork.compressLease("task-2", 3, 5);
    Lease back = WireMapper.lease(WireMapper.toProto(lease));
    assertThat(back).usingRecursiveComparison().isEqualTo(lease);
  }

  @Test
  void resultsRoundTrip() {
    WorkResult distill = SampleWork.distillResult(SampleWork.distillLease("t"), miner);
    WorkResult compress =
        SampleWork.compressResult(SampleWork.compressLease("c", 2, 2), new byte[] {1, 2, 3}, miner);
    assertThat(WireMapper.workResult(WireMapper.toProto(distill)))
        .usingRecursiveComparison()
        .isEqualTo(distill);
    assertThat(WireMapper.workResult(WireMapper.toProto(compress)))
        .usingRecursiveComparison()
        .isEqualTo(compress);
  }

  @Test
  void registrationCapabilitiesAndOutcomeRoundTrip() {
    Capabilities caps = SampleWork.capabilities();
    assertThat(WireMapper.capabilities(WireMapper.toProto(caps))).isEqualTo(caps);
    Registration reg =
        new Registration(miner.publicKey(), LocalSigner.generate().publicKey(), 5, 6);
    assertThat(WireMapper.registration(WireMapper.toProto(reg))).isEqualTo(reg);
    SubmitOutcome outcome = new SubmitOutcome(SubmitOutcome.Status.DUPLICATE, "seen");
    assertThat(WireMapper.submitOutcome(WireMapper.toProto(outcome))).isEqualTo(outcome);
  }

  @Test
  void compressOnlyMinerNeedsNoTeacher() {
    Capabilities caps = new Capabilities(Set.of(TaskKind.COMPRESS), null, List.of("lossless/1"), 1);
    assertThat(WireMapper.capabilities(WireMapper.toProto(caps))).isEqualTo(caps);
    Capabilities distillWithoutTeacher =
        new Capabilities(Set.of(TaskKind.DISTILL), null, List.of(), 1);
    invalid(
        () -> WireMapper.capabilities(WireMapper.toProto(distillWithoutTeacher)),
        "capabilities.teacher is missing");
  }

  @Test
  void unknownOrMissingEnumsAreRefused() {
    invalid(
        () ->
            WireMapper.capabilities(
                network.subnet.proto.v1.Capabilities.newBuilder().addKindsValue(7).build()),
        "capabilities.kinds is an unknown task kind");
    Task noKind = WireMapper.toProto(SampleWork.distillLease("t")).toBuilder().clearKind().build();
    invalid(() -> WireMapper.lease(noKind), "task.kind is missing");
    invalid(
        () -> WireMapper.submitOutcome(SubmitResponse.newBuilder().setStatusValue(9).build()),
        "submit.status is an unknown status");
  }

  @Test
  void malformedTensorsAreRefusedNamingTheField() {
    Tensor good =
        TensorMapper.toProto(new DenseTensor(DType.BF16, new long[] {2, 3}, new byte[12]));
    invalid(
        () ->
            TensorMapper.fromProto(
                good.toBuilder().setData(ByteString.copyFrom(new byte[11])).build(), "x"),
        "x.data has 11 bytes; shape [2, 3] of BF16 needs 12");
    invalid(
        () -> TensorMapper.fromProto(good.toBuilder().setShape(1, -3).build(), "x"),
        "x.shape[1] is negative");
    invalid(
        () -> TensorMapper.fromProto(good.toBuilder().clearDtype().build(), "x"),
        "x.dtype is missing");
    invalid(
        () -> TensorMapper.fromProto(good.toBuilder().setDtypeValue(77).build(), "x"),
        "x.dtype is an unknown dtype");
    invalid(
        () ->
            TensorMapper.fromProto(
                good.toBuilder().clearShape().addShape(1L << 40).addShape(1L << 40).build(), "x"),
        "absurdly large");
    Tensor.Builder deep = good.toBuilder().clearShape();
    for (int i = 0; i < 9; i++) {
      deep.addShape(1);
    }
    invalid(() -> TensorMapper.fromProto(deep.build(), "x"), "x.shape has rank 9");
  }

  @Test
  void malformedTasksAreRefused() {
    Task distill = WireMapper.toProto(SampleWork.distillLease("t"));
    invalid(
        () -> WireMapper.lease(distill.toBuilder().setTaskId("").build()), "task.task_id is empty");
    invalid(
        () ->
            WireMapper.lease(
                distill.toBuilder().setLeaseNonce(ByteString.copyFrom(new byte[4])).build()),
        "task.lease_nonce must be 16..64 bytes, got 4");
    invalid(
        () -> WireMapper.lease(distill.toBuilder().clearPayload().build()),
        "payload must be distill");
    invalid(
        () ->
            WireMapper.lease(
                distill.toBuilder().setKind(network.subnet.proto.v1.TaskKind.COMPRESS).build()),
        "payload must be compress");
    invalid(
        () ->
            WireMapper.lease(
                distill.toBuilder()
                    .setDistill(distill.getDistill().toBuilder().setTopK(2000))
                    .build()),
        "task t.distill.top_k must be in 1..1024, got 2000");
    invalid(
        () ->
            WireMapper.lease(
                distill.toBuilder()
                    .setDistill(distill.getDistill().toBuilder().setTemperature(0))
                    .build()),
        "temperature must be a positive finite number");
    Task compress = WireMapper.toProto(SampleWork.compressLease("c", 2, 2));
    CompressTask.Builder vector = compress.getCompress().toBuilder();
    vector.getActivationsBuilder().clearShape().addShape(4);
    invalid(
        () -> WireMapper.lease(compress.toBuilder().setCompress(vector).build()),
        "must be a [rows, cols] matrix");
  }

  @Test
  void malformedResultsAreRefused() {
    Result good = WireMapper.toProto(SampleWork.distillResult(SampleWork.distillLease("t"), miner));
    invalid(
        () -> WireMapper.workResult(good.toBuilder().setTaskId(" ").build()),
        "result.task_id is empty");
    invalid(
        () ->
            WireMapper.workResult(
                good.toBuilder().setSignature(ByteString.copyFrom(new byte[63])).build()),
        "signature must be 64 bytes, got 63");
    invalid(
        () -> WireMapper.workResult(good.toBuilder().clearOutput().build()),
        "output must be soft_labels");
    invalid(
        () -> WireMapper.workResult(soft(good, s -> s.setTopK(0))),
        "soft_labels.top_k must be in 1..1024, got 0");
    invalid(() -> WireMapper.workResult(soft(good, s -> s.setTopK(-1))), "got 4294967295");
    invalid(
        () -> WireMapper.workResult(soft(good, s -> s.setPositions(0))),
        "soft_labels.positions must be in 1..");
    invalid(
        () -> WireMapper.workResult(soft(good, s -> s.clearPacked())),
        "soft_labels.packed is empty");
    invalid(
        () -> WireMapper.workResult(good.toBuilder().setModelHash("").build()),
        "model_hash is empty");
    invalid(
        () -> WireMapper.workResult(good.toBuilder().setComputeMs(-5).build()),
        "compute_ms is negative");
  }

  private static Result soft(Result r, java.util.function.Consumer<SoftLabels.Builder> edit) {
    SoftLabels.Builder s = r.getSoftLabels().toBuilder();
    edit.accept(s);
    return r.toBuilder().setSoftLabels(s).build();
  }

  private static void invalid(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }
}
