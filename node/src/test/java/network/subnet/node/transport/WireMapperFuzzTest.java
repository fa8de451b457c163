package network.subnet.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import network.subnet.node.api.ApiException;
import network.subnet.node.api.Lease;
import network.subnet.node.api.WorkResult;
import network.subnet.proto.v1.RegisterRequest;
import network.subnet.proto.v1.Result;
import network.subnet.proto.v1.Task;

/**
 * Request bodies come from any peer: any bytes must either fail protobuf parsing or map to a domain record or end in
 * an {@link ApiException} (INVALID_ARGUMENT) naming the field, never another exception. Together with the soft-label
 * and codec targets this covers a submitted result from wire bytes to decoded output.
 */
class WireMapperFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void workResult(byte[] bytes) {
    Result proto;
    try {
      proto = Result.parseFrom(bytes);
    } catch (InvalidProtocolBufferException notProtobuf) {
      return;
    }
    try {
      WorkResult r = WireMapper.workResult(proto);
      assertThat(r.signature()).hasSize(64);
      assertThat(r.outputBytes()).isNotEmpty();
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void lease(byte[] bytes) {
    Task proto;
    try {
      proto = Task.parseFrom(bytes);
    } catch (InvalidProtocolBufferException notProtobuf) {
      return;
    }
    try {
      Lease lease = WireMapper.lease(proto);
      assertThat(lease.taskId()).isNotBlank();
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void capabilities(byte[] bytes) {
    RegisterRequest proto;
    try {
      proto = RegisterRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException notProtobuf) {
      return;
    }
    try {
      WireMapper.capabilities(proto.getCapabilities());
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(ApiException.Code.INVALID_ARGUMENT);
    }
  }
}
