package network.subnet.node.storage;

/** The ledger cannot be opened, read or written; the message names the directory and the cause. */
public final class StorageException extends RuntimeException {

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
