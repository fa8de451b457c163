package network.subnet.node.identity;

/**
 * The check of a miner's signature over its result digest, batched across concurrent submissions by one shared
 * {@link BatchingVerifier}: results arrive many at a time from few miners, where {@link Ed25519Batch} pays off. The
 * answers are those of {@link Ed25519#verify}, which request and epoch signatures keep using directly.
 */
public final class ResultSignatures {

  private static final BatchingVerifier VERIFIER = BatchingVerifier.forCores();

  private static volatile boolean batching = true;

  private ResultSignatures() {}

  /** Whether {@code signature} is {@code miner}'s Ed25519 signature of the result digest {@code digest}. */
  public static boolean verify(PublicKey miner, byte[] digest, byte[] signature) {
    return batching ? VERIFIER.verify(miner, digest, signature) : Ed25519.verify(miner, digest, signature);
  }

  /**
   * Turns batching on (the default) or off, returning the previous setting; off, each result signature is checked
   * alone by {@link Ed25519#verify}. For {@code subnet bench intake}, which measures intake both ways in one run.
   */
  public static boolean setBatching(boolean on) {
    boolean before = batching;
    batching = on;
    return before;
  }

  /** The shared verifier, for its batch counts. */
  public static BatchingVerifier verifier() {
    return VERIFIER;
  }
}
