package network.subnet.node.api;

/** A distillation task: soft labels for every position of {@code tokens} (BOS included) from the named teacher. */
public record DistillSpec(int[] tokens, int topK, float temperature, String modelHash, String tokenizerHash) {}
