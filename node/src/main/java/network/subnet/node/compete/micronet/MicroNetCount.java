package network.subnet.node.compete.micronet;

/**
 * What MicroNet counts in a model, per example.
 *
 * @param parameters stored parameter elements (dense count)
 * @param nonZeroParameters of those, the nonzeros
 * @param parameterStorage parameters in 32-bit units: bits/32 each, sparse tensors as nonzeros plus a 1-bit mask
 * @param multiplies multiplications per example (divisions count as multiplications)
 * @param additions additions per example (subtractions and comparisons count as additions)
 * @param transcendental transcendental operations per example (exp, log, tanh, sigmoid, erf, sqrt, sin, cos)
 * @param mathOps operations in 32-bit units: each multiply and addition at max(input bits)/32, transcendental ops 1
 * @param freebie16Bit whether the unquantized model's 16-bit parameters and multiplies were credited
 */
public record MicroNetCount(
    long parameters,
    long nonZeroParameters,
    double parameterStorage,
    double multiplies,
    double additions,
    double transcendental,
    double mathOps,
    boolean freebie16Bit) {}
