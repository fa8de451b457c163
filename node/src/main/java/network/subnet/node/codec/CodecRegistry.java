package network.subnet.node.codec;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.subnet.node.tensor.DenseTensor;

/**
 * The codecs miner and validator share, looked up by blob id or by {@code name} / {@code name/version}. The encoder
 * side picks the smallest blob that meets a similarity floor; the decoder side reads any registered codec's blob and
 * refuses anything else with a {@link CodecException}.
 */
public final class CodecRegistry {

  /** Decoding refuses blobs that declare more elements than this unless told otherwise (256 MiB of fp32). */
  public static final long DEFAULT_MAX_ELEMENTS = 1L << 26;

  private final Map<Integer, ActivationCodec> byId = new LinkedHashMap<>();
  /** Earlier versions still decoded, by {@code id << 8 | version}; named only by their full key. */
  private final Map<Integer, ActivationCodec> earlier = new LinkedHashMap<>();

  private final long maxElements;

  private CodecRegistry(List<ActivationCodec> codecs, List<ActivationCodec> earlierVersions, long maxElements) {
    for (ActivationCodec c : codecs) {
      if (byId.putIfAbsent(c.id(), c) != null) {
        throw new IllegalArgumentException("two codecs with id " + c.id());
      }
    }
    for (ActivationCodec c : earlierVersions) {
      ActivationCodec current = byId.get(c.id());
      if (current == null
          || current.version() == c.version()
          || earlier.putIfAbsent(c.id() << 8 | c.version(), c) != null) {
        throw new IllegalArgumentException("earlier version " + c.key() + " clashes or has no current version");
      }
    }
    if (maxElements < 1 || maxElements > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxElements must be in [1, 2^31 - 9]");
    }
    this.maxElements = maxElements;
  }

  /**
   * zstd/1 (baseline), plane/1 (lossless byte planes), quant/2 and e8/1 (lossy at the floor); quant/1 blobs are still
   * decoded.
   */
  public static CodecRegistry standard() {
    return standard(DEFAULT_MAX_ELEMENTS);
  }

  public static CodecRegistry standard(long maxElements) {
    return new CodecRegistry(
        List.of(new ZstdCodec(), new PlaneCodec(), new QuantCodec(), new LatticeCodec()),
        List.of(new QuantCodecV1()),
        maxElements);
  }

  public Collection<ActivationCodec> codecs() {
    return byId.values();
  }

  public Optional<ActivationCodec> byId(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** By {@code name} or {@code name/version} (an earlier version still decoded only by the latter). */
  public Optional<ActivationCodec> byName(String nameOrKey) {
    for (ActivationCodec c : byId.values()) {
      if (c.key().equals(nameOrKey) || c.name().equals(nameOrKey)) {
        return Optional.of(c);
      }
    }
    for (ActivationCodec c : earlier.values()) {
      if (c.key().equals(nameOrKey)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private ActivationCodec require(String nameOrKey) {
    return byName(nameOrKey)
        .orElseThrow(() -> new CodecException("unknown codec " + nameOrKey + " (known: " + keys() + ")"));
  }

  private List<String> keys() {
    return byId.values().stream().map(ActivationCodec::key).toList();
  }

  /**
   * Encodes with one codec at the floor; fails if that codec cannot meet it.
   *
   * @param floor the Apex similarity the reconstruction must reach, in [0, 1]
   */
  public EncodedBlob encode(DenseTensor tensor, String codec, double floor) {
    checkFloor(floor);
    Activations a = Activations.of(tensor, maxElements);
    EncodedBlob blob = encodeWith(require(codec), a, floor);
    if (blob == null) {
      throw new CodecException("codec " + codec + " cannot reach similarity " + floor + " on this tensor");
    }
    return blob;
  }

  /** The smallest blob of any registered codec that meets the floor. */
  public EncodedBlob encodeBest(DenseTensor tensor, double floor) {
    return encodeBest(tensor, floor, keys());
  }

  /** The smallest blob among {@code allowed} codecs (names or keys) that meets the floor. */
  public EncodedBlob encodeBest(DenseTensor tensor, double floor, Collection<String> allowed) {
    checkFloor(floor);
    Activations a = Activations.of(tensor, maxElements);
    EncodedBlob best = null;
    for (String name : allowed) {
      EncodedBlob blob = encodeWith(require(name), a, floor);
      if (blob != null && (best == null || blob.blob().length < best.blob().length)) {
        best = blob;
      }
    }
    if (best == null) {
      throw new CodecException("none of the codecs " + allowed + " reaches similarity " + floor);
    }
    return best;
  }

  /** Encodes already checked activations; null if the codec cannot meet the floor. */
  public EncodedBlob encodeWith(ActivationCodec codec, Activations a, double floor) {
    ActivationCodec.Payload payload = codec.encode(a, floor);
    if (payload == null) {
      return null;
    }
    ByteWriter w = new ByteWriter(64);
    new BlobHeader(codec.id(), codec.version(), a.dtype, a.shape).write(w);
    byte[] header = w.toByteArray();
    // Header and payload copied once into the blob: payloads run to megabytes.
    byte[] blob = Arrays.copyOf(header, header.length + payload.bytes().length);
    System.arraycopy(payload.bytes(), 0, blob, header.length, payload.bytes().length);
    return new EncodedBlob(codec.key(), blob, payload.similarity(), (double) a.originalBytes() / blob.length);
  }

  /** Checks a tensor for encoding under this registry's size limit. */
  public Activations check(DenseTensor tensor) {
    return Activations.of(tensor, maxElements);
  }

  /** Reads the header only: codec, dtype and shape, checked against the size limit. */
  public BlobHeader header(byte[] blob) {
    return BlobHeader.read(new ByteReader(blob), maxElements);
  }

  /** Decodes any registered codec's blob. */
  public DecodedTensor decode(byte[] blob) {
    return decode(blob, null);
  }

  /**
   * Decodes a blob that must hold a tensor of {@code expectedShape}, checked before anything is allocated: the
   * validator knows each task's shape, so a blob declaring another cannot make it decode (or allocate) anything.
   */
  public DecodedTensor decode(byte[] blob, long[] expectedShape) {
    ByteReader r = new ByteReader(blob);
    BlobHeader h = BlobHeader.read(r, maxElements);
    if (expectedShape != null && !java.util.Arrays.equals(h.shape(), expectedShape)) {
      throw new CodecException(
          "shape mismatch: blob declares %s, expected %s"
              .formatted(java.util.Arrays.toString(h.shape()), java.util.Arrays.toString(expectedShape)));
    }
    ActivationCodec codec =
        byId(h.codecId()).orElseThrow(() -> new CodecException("unknown codec id " + h.codecId() + " in blob"));
    if (h.codecVersion() != codec.version()) {
      codec = earlier.get(h.codecId() << 8 | h.codecVersion());
    }
    if (codec == null) {
      ActivationCodec current = byId(h.codecId()).orElseThrow();
      throw new CodecException(
          "blob of codec %s version %d, this node knows version %d"
              .formatted(current.name(), h.codecVersion(), current.version()));
    }
    float[] values = codec.decode(h, r);
    if (!codec.decodesOnlyFinite()) {
      ActivationCodec.requireFinite(values);
    }
    return new DecodedTensor(codec.key(), h.dtype(), h.shape(), values);
  }

  private static void checkFloor(double floor) {
    if (!(floor >= 0 && floor <= 1)) {
      throw new CodecException("similarity floor must be in [0, 1], got " + floor);
    }
  }
}
