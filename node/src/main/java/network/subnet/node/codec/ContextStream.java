package network.subnet.node.codec;

/**
 * The context-modelled rANS section the entropy codecs share: the coarse context count, the fine-to-coarse context
 * map, the coarse contexts' frequency tables and the rANS stream, in that order.
 */
final class ContextStream {

  private ContextStream() {}

  /** The fine-to-coarse map read back and a decoder positioned at the stream's start. */
  record Read(int[] map, Rans.Decoder rans) {}

  /** Writes the section for {@code coarse} contexts; {@code map} holds one entry per fine context. */
  static void write(ByteWriter w, int coarse, int[] map, Rans.Tables tables, byte[] stream) {
    write(w, coarse, map, tables, stream, 0, stream.length);
  }

  /** As above, with the stream in {@code stream[from, from + len)}. */
  static void write(ByteWriter w, int coarse, int[] map, Rans.Tables tables, byte[] stream, int from, int len) {
    w.u8(coarse);
    for (int c = 0; c < map.length; c++) {
      w.u8(map[c]);
    }
    tables.write(w);
    w.section(stream, from, len);
  }

  /** Reads the section written for {@code fine} fine contexts, rejecting counts and map entries out of range. */
  static Read read(ByteReader payload, int fine, int alphabet) {
    return read(payload, fine, alphabet, 2);
  }

  /** As {@link #read(ByteReader, int, int)}, with {@code padding} zero bytes after the decoder's copy of the stream. */
  static Read read(ByteReader payload, int fine, int alphabet, int padding) {
    int coarse = payload.u8("context count");
    if (coarse < 1 || coarse > fine) {
      throw new CodecException("corrupt blob: " + coarse + " contexts");
    }
    int[] map = new int[fine];
    for (int c = 0; c < fine; c++) {
      map[c] = payload.u8("context map");
      if (map[c] >= coarse) {
        throw new CodecException("corrupt blob: context map entry " + map[c] + " of " + coarse);
      }
    }
    Rans.Tables tables = Rans.Tables.read(payload, coarse, alphabet);
    return new Read(map, new Rans.Decoder(payload.section("rANS stream"), tables, padding));
  }

  /** Reads a quantisation step, which must be positive and finite; {@code what} names it in the error. */
  static double readStep(ByteReader payload, String what) {
    double step = payload.f64("step");
    if (!(step > 0) || !Double.isFinite(step)) {
      throw new CodecException("corrupt blob: " + what + " step " + step);
    }
    return step;
  }
}
