package network.subnet.node.auth;

import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The serialized form of a request, as both ends hash it. */
final class MessageBytes {

  private MessageBytes() {}

  static <ReqT> byte[] of(MethodDescriptor<ReqT, ?> method, ReqT message) {
    // Protobuf's Java serializer writes fields in number order, so a parsed message re-serializes to the bytes the
    // (Java) sender hashed; the marshaller path covers any other message type.
    if (message instanceof MessageLite proto) {
      return proto.toByteArray();
    }
    try (InputStream in = method.streamRequest(message)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not serialize the request of " + method.getFullMethodName(), e);
    }
  }
}
