package network.subnet.validator.admin;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.subnet.node.auth.ClientAuthInterceptor;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;
import network.subnet.node.transport.ChannelSecurity;
import network.subnet.node.transport.ClientOptions;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.proto.v1.AdminServiceGrpc;
import network.subnet.proto.v1.BanRequest;
import network.subnet.proto.v1.BanResponse;
import network.subnet.proto.v1.CloseEpochRequest;
import network.subnet.proto.v1.ConfigResponse;
import network.subnet.proto.v1.GetConfigRequest;
import network.subnet.proto.v1.SetConfigRequest;
import network.subnet.validator.epoch.EpochRecord;
import network.subnet.validator.query.QueryClient;

/**
 * The operator's side of the AdminService: every call signed with the validator's own key (any
 * other key is refused PERMISSION_DENIED). Refusals surface as {@code ApiException}s.
 */
public final class AdminClient implements AutoCloseable {

  private static final long DEADLINE_SECONDS = 30;

  private final ManagedChannel channel;
  private final AdminServiceGrpc.AdminServiceBlockingStub stub;

  private AdminClient(ManagedChannel channel, Signer signer, Clock clock) {
    this.channel = channel;
    this.stub =
        AdminServiceGrpc.newBlockingStub(
            ClientInterceptors.intercept(channel, new ClientAuthInterceptor(signer, clock)));
  }

  public static AdminClient connect(String hostPort, Signer validatorKey, ChannelSecurity security) {
    return new AdminClient(
        security.dial(QueryClient.checkTarget(hostPort), ClientOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE),
        validatorKey,
        Clock.systemUTC());
  }

  /** What a ban or unban left behind. */
  public record BanState(boolean changed, List<PublicKey> banned) {}

  /** What GetConfig and SetConfig answer: every setting, and which can change while running. */
  public record Settings(Map<String, String> values, List<String> settable) {}

  /** Closes the open epoch now; the record is signed by the validator. */
  public EpochRecord closeEpoch() {
    return QueryClient.epochRecord(call(() -> stub().closeEpoch(CloseEpochRequest.getDefaultInstance())));
  }

  public BanState ban(PublicKey miner) {
    return banState(call(() -> stub().ban(BanRequest.newBuilder().setMinerKey(miner.hex()).build())));
  }

  public BanState unban(PublicKey miner) {
    return banState(call(() -> stub().unban(BanRequest.newBuilder().setMinerKey(miner.hex()).build())));
  }

  public Settings config() {
    return settings(call(() -> stub().getConfig(GetConfigRequest.getDefaultInstance())));
  }

  public Settings setConfig(String name, String value) {
    return settings(
        call(() -> stub().setConfig(SetConfigRequest.newBuilder().setName(name).setValue(value).build())));
  }

  private AdminServiceGrpc.AdminServiceBlockingStub stub() {
    return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static BanState banState(BanResponse r) {
    return new BanState(r.getChanged(), r.getBannedList().stream().map(PublicKey::fromHex).toList());
  }

  private static Settings settings(ConfigResponse r) {
    return new Settings(Map.copyOf(r.getValuesMap()), List.copyOf(r.getSettableList()));
  }

  private static <T> T call(Supplier<T> rpc) {
    return GrpcStatuses.call(rpc);
  }

  @Override
  public void close() {
    GrpcStatuses.shutdown(channel);
  }
}
