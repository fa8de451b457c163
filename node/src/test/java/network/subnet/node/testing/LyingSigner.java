package network.subnet.node.testing;

import network.subnet.node.identity.LocalSigner;
import network.subnet.node.identity.PublicKey;
import network.subnet.node.identity.Signer;

/** A signer that claims one key but signs with a fresh, unrelated one: what an impostor sends. */
public final class LyingSigner {

  private LyingSigner() {}

  public static Signer claiming(PublicKey claimed) {
    LocalSigner impostor = LocalSigner.generate();
    return new Signer() {
      @Override
      public PublicKey publicKey() {
        return claimed;
      }

      @Override
      public byte[] sign(byte[] message) {
        return impostor.sign(message);
      }
    };
  }
}
