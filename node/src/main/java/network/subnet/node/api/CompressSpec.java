package network.subnet.node.api;

import java.util.List;
import network.subnet.node.tensor.DenseTensor;

/** A compression task: encode {@code activations} with one of the allowed codecs at or above the similarity floor. */
public record CompressSpec(DenseTensor activations, double similarityFloor, List<String> allowedCodecs) {}
