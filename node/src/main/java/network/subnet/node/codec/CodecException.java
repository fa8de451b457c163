package network.subnet.node.codec;

/** A tensor or blob the codecs refuse: bad values, a malformed or forged blob, an unknown codec, a size over limit. */
public final class CodecException extends RuntimeException {

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
