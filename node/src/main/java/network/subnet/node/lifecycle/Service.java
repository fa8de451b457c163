package network.subnet.node.lifecycle;

/** One start/stop lifecycle for every long-running part of a node. {@code stop} is idempotent and drains work. */
public interface Service extends AutoCloseable {

  void start() throws Exception;

  void stop();

  @Override
  default void close() {
    stop();
  }
}
