package network.subnet.node.api;

public enum TaskKind {
  DISTILL,
  COMPRESS
}
