package network.subnet.validator.admin;

import io.grpc.stub.StreamObserver;
import java.util.function.LongSupplier;
import network.subnet.node.api.ApiException;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.transport.GrpcStatuses;
import network.subnet.proto.v1.AdminServiceGrpc;
import network.subnet.proto.v1.BanRequest;
import network.subnet.proto.v1.BanResponse;
import network.subnet.proto.v1.CloseEpochRequest;
import network.subnet.proto.v1.ConfigResponse;
import network.subnet.proto.v1.GetConfigRequest;
import network.subnet.proto.v1.RewardsResponse;
import network.subnet.proto.v1.SetConfigRequest;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.query.QueryGrpcService;
import network.subnet.validator.security.BanList;

/**
 * The operator's service. It trusts its caller because the server installs it behind request
 * authentication and a gate that admits only the validator's own key (see {@code
 * ValidatorServer}); this class only maps the wire to the node, the ban list and the settings.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {

  private final ValidatorNode node;
  private final BanList bans;
  private final RuntimeSettings settings;
  private final LongSupplier clockMs;

  public AdminGrpcService(ValidatorNode node, BanList bans, RuntimeSettings settings, LongSupplier clockMs) {
    this.node = node;
    this.bans = bans;
    this.settings = settings;
    this.clockMs = clockMs;
  }

  @Override
  public void closeEpoch(CloseEpochRequest request, StreamObserver<RewardsResponse> out) {
    GrpcStatuses.respond("CloseEpoch", out, () -> QueryGrpcService.toProto(node.closeEpoch()));
  }

  @Override
  public void ban(BanRequest request, StreamObserver<BanResponse> out) {
    GrpcStatuses.respond("Ban", out, () -> {
      PublicKey miner = key(request.getMinerKey());
      if (miner.equals(node.validatorKey())) {
        throw ApiException.invalid("refusing to ban the validator's own key");
      }
      return answer(bans.ban(miner, clockMs.getAsLong()));
    });
  }

  @Override
  public void unban(BanRequest request, StreamObserver<BanResponse> out) {
    GrpcStatuses.respond("Unban", out, () -> answer(bans.unban(key(request.getMinerKey()))));
  }

  @Override
  public void getConfig(GetConfigRequest request, StreamObserver<ConfigResponse> out) {
    GrpcStatuses.respond("GetConfig", out, this::config);
  }

  @Override
  public void setConfig(SetConfigRequest request, StreamObserver<ConfigResponse> out) {
    GrpcStatuses.respond("SetConfig", out, () -> {
      settings.set(request.getName(), request.getValue());
      return config();
    });
  }

  private ConfigResponse config() {
    return ConfigResponse.newBuilder()
        .putAllValues(settings.values())
        .addAllSettable(RuntimeSettings.SETTABLE)
        .build();
  }

  private BanResponse answer(boolean changed) {
    BanResponse.Builder b = BanResponse.newBuilder().setChanged(changed);
    bans.list().forEach(k -> b.addBanned(k.hex()));
    return b.build();
  }

  private static PublicKey key(String hex) {
    try {
      return PublicKey.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("miner key '" + hex + "' is not a hex Ed25519 public key: " + e.getMessage());
    }
  }
}
