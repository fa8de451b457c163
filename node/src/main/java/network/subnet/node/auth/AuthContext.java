package network.subnet.node.auth;

import io.grpc.Context;
import java.net.InetAddress;
import network.subnet.node.identity.PublicKey;

/** Where a service finds the key that signed the request it is handling. */
public final class AuthContext {

  /**
   * Set by {@link ServerAuthInterceptor}; the service body only runs once the signature over the
   * body verified.
   */
  public static final Context.Key<PublicKey> CALLER = Context.key("subnet-caller");

  /** The caller's network address as the transport saw it, set by {@link ServerAuthInterceptor} when known. */
  public static final Context.Key<InetAddress> REMOTE_ADDRESS = Context.key("subnet-remote-address");

  private AuthContext() {}

  /**
   * The verified caller of the current call; throws when the service was wired without the auth
   * interceptor.
   */
  public static PublicKey caller() {
    PublicKey key = CALLER.get();
    if (key == null) {
      throw new IllegalStateException(
          "no authenticated caller: is ServerAuthInterceptor installed on this service?");
    }
    return key;
  }
}
