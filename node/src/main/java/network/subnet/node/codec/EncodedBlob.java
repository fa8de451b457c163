package network.subnet.node.codec;

/**
 * One encoded tensor: the codec key ({@code name/version}), the self-describing blob, the Apex similarity of its
 * reconstruction (1.0 for lossless codecs) and its compression ratio.
 */
public record EncodedBlob(String codec, byte[] blob, double similarity, double ratio) {}
