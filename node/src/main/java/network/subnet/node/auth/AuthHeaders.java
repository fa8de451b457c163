package network.subnet.node.auth;

import io.grpc.Metadata;

/**
 * The metadata headers that carry a request's signature. Values are lowercase hex, the timestamp
 * decimal ms.
 */
public final class AuthHeaders {

  public static final Metadata.Key<String> KEY =
      Metadata.Key.of("subnet-key", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> TIMESTAMP =
      Metadata.Key.of("subnet-timestamp-ms", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> NONCE =
      Metadata.Key.of("subnet-nonce", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> SIGNATURE =
      Metadata.Key.of("subnet-signature", Metadata.ASCII_STRING_MARSHALLER);

  private AuthHeaders() {}
}
