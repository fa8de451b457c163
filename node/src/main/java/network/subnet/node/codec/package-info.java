/**
 * Activation codecs shared by miner and validator.
 *
 * <p>Every blob starts with a {@link network.subnet.node.codec.BlobHeader} (magic, codec id and version, dtype,
 * shape), so {@link network.subnet.node.codec.CodecRegistry#decode(byte[])} reads any registered codec's output and
 * refuses unknown ids, newer versions, truncated or forged payloads and declared sizes above its limit with a
 * {@link network.subnet.node.codec.CodecException}. The ladder, smallest blob at the floor wins
 * ({@link network.subnet.node.codec.CodecRegistry#encodeBest}):
 *
 * <ul>
 *   <li>{@code zstd/1} (id 1): zstd level 3 on the raw bytes, the baseline Apex compares against;
 *   <li>{@code plane/1} (id 2): lossless byte-plane split (exponent vs sign and mantissa) with multi-context rANS;
 *   <li>{@code quant/2} (id 3): one global step searched so the exact Apex similarity lands just above the floor,
 *       integers rANS-coded with per-channel contexts in one backward pass (near-lossless at floor 0.999, lossy at
 *       0.99); {@code quant/1} blobs, coded in several passes, are still decoded;
 *   <li>{@code e8/1} (id 4): the same with the E8 lattice, about 0.11 bit per value smaller on dense data.
 * </ul>
 *
 * <p>{@link network.subnet.node.codec.Similarity#apex} is Apex's similarity in float64 and
 * {@link network.subnet.node.codec.ApexScore} its score.
 */
package network.subnet.node.codec;
