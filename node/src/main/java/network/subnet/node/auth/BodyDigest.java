package network.subnet.node.auth;

import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a request's serialized body, as both ends compute it. */
final class BodyDigest {

  private BodyDigest() {}

  /**
   * The digest of {@code message}. A mark-supporting {@link InputStream} (what a service wrapped by
   * {@link ServerAuthInterceptor#protect} hands over) is digested as received and rewound for the
   * service to parse: the exact bytes the sender signed. A parsed protobuf message is re-serialized
   * instead, which gives the same bytes when the sender serialized canonically (fields in number
   * order, no unknown fields), as the Java client does.
   */
  static <ReqT> byte[] of(MethodDescriptor<ReqT, ?> method, ReqT message) {
    try {
      if (message instanceof InputStream in && in.markSupported()) {
        in.mark(Integer.MAX_VALUE);
        byte[] digest = digest(in);
        in.reset();
        return digest;
      }
      if (message instanceof MessageLite proto) {
        return sha256().digest(proto.toByteArray());
      }
      try (InputStream in = method.streamRequest(message)) {
        return digest(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not read the request body of " + method.getFullMethodName(), e);
    }
  }

  static byte[] of(byte[] body) {
    return sha256().digest(body);
  }

  private static byte[] digest(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      sha.update(buffer, 0, n);
    }
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
