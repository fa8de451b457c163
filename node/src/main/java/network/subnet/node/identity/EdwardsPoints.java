package network.subnet.node.identity;

import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Point arithmetic on the Ed25519 curve -x^2 + y^2 = 1 + d x^2 y^2 over Bouncy Castle's field (int[10] limbs), for the
 * batch verifier. Points being summed live in an {@link Accumulator} (extended coordinates with T kept as the product
 * U*V, so a doubling never computes it); points being added in are kept in a "cached" form (Y+X, Y-X, 2Z, 2dT) so one
 * addition costs nine multiplications. The formulas are those of Hisil, Wong, Carter and Dawson (2008) for a = -1, as
 * RFC 8032 section 5.1.4 gives them. Variable time: only public values (keys, signatures, random weights) go in.
 */
final class EdwardsPoints {

  static final int FE = X25519Field.SIZE;
  /** Ints of one point in cached form: Y+X, Y-X, 2Z, 2dT. */
  static final int CACHED = 4 * FE;
  /** Ints of one affine point (Z = 1) in cached form: y+x, y-x, 2dxy. */
  static final int AFFINE = 3 * FE;

  static final int[] D = curveD();
  static final int[] D2 = twice(D);

  private EdwardsPoints() {}

  /** Extended coordinates X:Y:Z with T = U*V (U, V are the E and H of the last operation). */
  static final class Accumulator {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] u = X25519Field.create();
    final int[] v = X25519Field.create();

    void setNeutral() {
      X25519Field.zero(x);
      X25519Field.one(y);
      X25519Field.one(z);
      X25519Field.zero(u);
      X25519Field.one(v);
    }

    void setAffine(int[] px, int[] py) {
      X25519Field.copy(px, 0, x, 0);
      X25519Field.copy(py, 0, y, 0);
      X25519Field.one(z);
      X25519Field.copy(px, 0, u, 0);
      X25519Field.copy(py, 0, v, 0);
    }
  }

  /** Scratch field elements, so the hot loop allocates nothing; one per thread of work. */
  static final class Scratch {
    final int[] a = X25519Field.create();
    final int[] b = X25519Field.create();
    final int[] c = X25519Field.create();
    final int[] d = X25519Field.create();
    final int[] f = X25519Field.create();
    final int[] g = X25519Field.create();
    final int[] t = X25519Field.create();
  }

  /**
   * Decodes a 32-byte RFC 8032 point encoding (section 5.1.3) into affine {x, y}, with x negated when {@code negate};
   * null when y is not canonical (>= p), no x exists, or x = 0 is encoded with its sign bit set.
   */
  static int[][] decode(byte[] encoded, int offset, boolean negate) {
    byte[] py = new byte[32];
    System.arraycopy(encoded, offset, py, 0, 32);
    int sign = (py[31] & 0x80) >>> 7;
    py[31] &= 0x7F;
    if (!canonical(py)) {
      return null;
    }
    int[] x = X25519Field.create();
    int[] y = X25519Field.create();
    X25519Field.decode(py, 0, y);
    int[] u = X25519Field.create();
    int[] v = X25519Field.create();
    X25519Field.sqr(y, u);
    X25519Field.mul(D, u, v);
    X25519Field.subOne(u); // y^2 - 1
    X25519Field.addOne(v); // d y^2 + 1
    if (!X25519Field.sqrtRatioVar(u, v, x)) {
      return null;
    }
    X25519Field.normalize(x);
    if (sign == 1 && X25519Field.isZeroVar(x)) {
      return null;
    }
    if (negate ^ (sign != (x[0] & 1))) {
      X25519Field.negate(x, x);
      X25519Field.normalize(x);
    }
    X25519Field.normalize(y);
    return new int[][] {x, y};
  }

  /** Whether the little-endian 255-bit value (top bit already cleared) is below p = 2^255 - 19. */
  private static boolean canonical(byte[] y) {
    if ((y[31] & 0xFF) != 0x7F) {
      return true;
    }
    for (int i = 30; i >= 1; i--) {
      if ((y[i] & 0xFF) != 0xFF) {
        return true;
      }
    }
    return (y[0] & 0xFF) < 0xED;
  }

  /**
   * The odd multiples P, 3P, 5P, ..., (2 count - 1)P of the affine point (x, y) in cached form, {@link #CACHED} ints
   * each, at {@code offset} of {@code table}.
   */
  static void oddMultiples(int[] x, int[] y, int count, int[] table, int offset, Scratch s) {
    Accumulator p = new Accumulator();
    p.setAffine(x, y);
    toCached(p, table, offset, s);
    if (count == 1) {
      return;
    }
    Accumulator twice = new Accumulator();
    twice.setAffine(x, y);
    dbl(twice, s);
    int[] twiceCached = new int[CACHED];
    toCached(twice, twiceCached, 0, s);
    for (int i = 1; i < count; i++) {
      add(p, twiceCached, 0, false, s);
      toCached(p, table, offset + i * CACHED, s);
    }
  }

  /** The affine point (x, y) in affine cached form, {@link #AFFINE} ints at {@code offset} of {@code table}. */
  static void affineCached(int[] x, int[] y, int[] table, int offset, Scratch s) {
    X25519Field.apm(y, x, s.a, s.b);
    X25519Field.carry(s.a);
    X25519Field.carry(s.b);
    X25519Field.copy(s.a, 0, table, offset);
    X25519Field.copy(s.b, 0, table, offset + FE);
    X25519Field.mul(x, y, s.t);
    X25519Field.mul(s.t, D2, s.t);
    X25519Field.copy(s.t, 0, table, offset + 2 * FE);
  }

  private static void toCached(Accumulator p, int[] out, int offset, Scratch s) {
    int[] ypx = s.a;
    int[] ymx = s.b;
    X25519Field.apm(p.y, p.x, ypx, ymx);
    X25519Field.carry(ypx);
    X25519Field.carry(ymx);
    X25519Field.copy(ypx, 0, out, offset);
    X25519Field.copy(ymx, 0, out, offset + FE);
    X25519Field.add(p.z, p.z, s.c);
    X25519Field.carry(s.c);
    X25519Field.copy(s.c, 0, out, offset + 2 * FE);
    X25519Field.mul(p.u, p.v, s.t);
    X25519Field.mul(s.t, D2, s.t);
    X25519Field.copy(s.t, 0, out, offset + 3 * FE);
  }

  /** r += Q, or r -= Q when {@code negate}, for Q in cached form at {@code offset} of {@code table}. */
  static void add(Accumulator r, int[] table, int offset, boolean negate, Scratch s) {
    addCached(r, table, offset, false, negate, s);
  }

  /**
   * r += Q, or r -= Q when {@code negate}, for an affine Q in affine cached form at {@code offset} of {@code table}:
   * as {@link #add}, with Q's Z = 1 sparing the multiplication by 2Z.
   */
  static void addAffine(Accumulator r, int[] table, int offset, boolean negate, Scratch s) {
    addCached(r, table, offset, true, negate, s);
  }

  /** Q at {@code offset} holds Y+X, Y-X, then 2Z and 2dT, or only 2dxy when {@code affine} (Z = 1). */
  private static void addCached(Accumulator r, int[] table, int offset, boolean affine, boolean negate, Scratch s) {
    int[] a = s.a;
    int[] b = s.b;
    int[] c = s.c;
    int[] d = s.d;
    int[] e = r.u;
    int[] h = r.v;
    // -Q swaps Y+X with Y-X and negates T, which swaps the roles of F and G below.
    int[] f = negate ? s.g : s.f;
    int[] g = negate ? s.f : s.g;
    int ypx = negate ? offset + FE : offset;
    int ymx = negate ? offset : offset + FE;
    X25519Field.apm(r.y, r.x, b, a);
    X25519Field.copy(table, ymx, s.t, 0);
    X25519Field.mul(a, s.t, a);
    X25519Field.copy(table, ypx, s.t, 0);
    X25519Field.mul(b, s.t, b);
    X25519Field.mul(r.u, r.v, c);
    X25519Field.copy(table, offset + (affine ? 2 : 3) * FE, s.t, 0);
    X25519Field.mul(c, s.t, c);
    if (affine) {
      X25519Field.add(r.z, r.z, d);
      X25519Field.carry(d);
    } else {
      X25519Field.copy(table, offset + 2 * FE, s.t, 0);
      X25519Field.mul(r.z, s.t, d);
    }
    X25519Field.apm(b, a, h, e);
    X25519Field.apm(d, c, g, f);
    X25519Field.carry(g);
    X25519Field.mul(e, s.f, r.x);
    X25519Field.mul(s.g, h, r.y);
    X25519Field.mul(s.f, s.g, r.z);
  }

  /** r = 2r. */
  static void dbl(Accumulator r, Scratch s) {
    int[] a = s.a;
    int[] b = s.b;
    int[] c = s.c;
    int[] e = r.u;
    int[] f = s.f;
    int[] g = s.g;
    int[] h = r.v;
    X25519Field.sqr(r.x, a);
    X25519Field.sqr(r.y, b);
    X25519Field.sqr(r.z, c);
    X25519Field.add(c, c, c);
    X25519Field.apm(a, b, h, g);
    X25519Field.add(r.x, r.y, e);
    X25519Field.sqr(e, e);
    X25519Field.sub(h, e, e);
    X25519Field.add(c, g, f);
    X25519Field.carry(f);
    X25519Field.mul(e, f, r.x);
    X25519Field.mul(g, h, r.y);
    X25519Field.mul(f, g, r.z);
  }

  /** Whether r is the neutral element (0 : 1): X = 0 and Y = Z. */
  static boolean isNeutral(Accumulator r, Scratch s) {
    X25519Field.copy(r.x, 0, s.a, 0);
    X25519Field.normalize(s.a);
    X25519Field.sub(r.y, r.z, s.b);
    X25519Field.normalize(s.b);
    return X25519Field.isZeroVar(s.a) && X25519Field.isZeroVar(s.b);
  }

  /** d = -121665 / 121666, computed rather than transcribed. */
  private static int[] curveD() {
    int[] den = X25519Field.create();
    den[0] = 121666;
    int[] d = X25519Field.create();
    X25519Field.invVar(den, d);
    X25519Field.mul(d, 121665, d);
    X25519Field.negate(d, d);
    X25519Field.normalize(d);
    return d;
  }

  private static int[] twice(int[] v) {
    int[] r = X25519Field.create();
    X25519Field.add(v, v, r);
    X25519Field.normalize(r);
    return r;
  }
}
