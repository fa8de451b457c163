package network.subnet.node.api;

/**
 * One task leased to one miner until {@code deadlineMs} (validator wall clock). The nonce binds a result to this
 * lease; exactly one of {@code distill} and {@code compress} is set, as {@code kind} says.
 */
public record Lease(
    String taskId, byte[] leaseNonce, long deadlineMs, TaskKind kind, DistillSpec distill, CompressSpec compress) {}
