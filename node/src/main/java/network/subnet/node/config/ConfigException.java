package network.subnet.node.config;

/** A configuration file that cannot be read or parsed; the message names the file, line and problem. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
