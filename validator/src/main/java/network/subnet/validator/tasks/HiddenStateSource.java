package network.subnet.validator.tasks;

import network.subnet.node.tensor.DType;
import network.subnet.node.tensor.DenseTensor;

/**
 * The validator's own teacher, asked for activations: Hugging Face's {@code hidden_states[layer]} of a token sequence
 * as a {@code [tokens, hidden]} tensor. The validator module only names this; the assembly that owns a teacher
 * provides it.
 */
public interface HiddenStateSource {

  DenseTensor hiddenStates(int[] tokens, int layer, DType dtype);
}
