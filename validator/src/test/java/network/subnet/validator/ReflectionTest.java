package network.subnet.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.validator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** What {@code grpcurl list} and {@code grpcurl describe} ask a validator, asked with the reflection v1 stub. */
class ReflectionTest {

  @Test
  void reflectionListsTheServicesAndServesTheirSchema() throws Exception {
    ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults().withTeacher(Fixtures.MODEL, Fixtures.TOP_K, 16),
        new InMemoryStorage(), LocalSigner.generate(), System::currentTimeMillis);
    ValidatorServer server = new ValidatorServer(node, "127.0.0.1", 0, Clock.systemUTC());
    server.start();
    ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
    try {
      ServerReflectionResponse list = ask(channel, ServerReflectionRequest.newBuilder().setListServices("*").build());
      assertThat(list.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
          .contains("subnet.v1.MinerService", "subnet.v1.QueryService", "grpc.health.v1.Health",
              "grpc.reflection.v1.ServerReflection");

      ServerReflectionResponse file = ask(channel,
          ServerReflectionRequest.newBuilder().setFileContainingSymbol("subnet.v1.MinerService").build());
      List<String> services = new ArrayList<>();
      for (var bytes : file.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
        proto.getServiceList().forEach(s -> services.add(proto.getPackage() + "." + s.getName()));
      }
      assertThat(services).contains("subnet.v1.MinerService");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop();
    }
  }

  private static ServerReflectionResponse ask(ManagedChannel channel, ServerReflectionRequest request)
      throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new IllegalStateException("stream ended without an answer"));
          }
        });
    requests.onNext(request);
    ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    assertThat(response.hasErrorResponse()).as("error: %s", response.getErrorResponse()).isFalse();
    return response;
  }
}
