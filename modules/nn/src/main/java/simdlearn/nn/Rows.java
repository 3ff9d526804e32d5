package simdlearn.nn;

import simdlearn.kernel.training.TrainingKernels;

/**
 * A layer's input rows, either floats ({@code data[offset + r * width + j]}) or gathered unsigned
 * bytes: row {@code r} is {@code bytes[index[from + r] * width ..]} times {@code scale}, a
 * shuffled minibatch of pixels read in place. A mutable cursor: one per shard, re-pointed for each
 * minibatch, so nothing is allocated per batch.
 */
public final class Rows {
  private final int width;
  private float[] floats;
  private int offset;
  private byte[] bytes;
  private int[] index;
  private int from;
  private float scale;

  public Rows(int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("rows need a width > 0, got " + width);
    }
    this.width = width;
  }

  /** Points at float rows starting at {@code offset}. */
  public Rows floats(float[] data, int offset) {
    this.floats = data;
    this.offset = offset;
    this.bytes = null;
    this.index = null;
    return this;
  }

  /** Points at rows {@code index[from ..]} of the byte matrix {@code bytes}, times {@code scale}. */
  public Rows gathered(byte[] bytes, int[] index, int from, float scale) {
    this.bytes = bytes;
    this.index = index;
    this.from = from;
    this.scale = scale;
    this.floats = null;
    return this;
  }

  public int width() {
    return width;
  }

  public boolean isGathered() {
    return bytes != null;
  }

  public float[] floats() {
    return floats;
  }

  public int offset() {
    return offset;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int[] index() {
    return index;
  }

  public int from() {
    return from;
  }

  public float scale() {
    return scale;
  }

  /** Copies the first {@code n} rows as floats into {@code dst} from {@code dstOff}. */
  public void copyTo(TrainingKernels k, int n, float[] dst, int dstOff) {
    if (bytes != null) {
      k.gatherBytesToFloats(n, width, bytes, index, from, scale, dst, dstOff);
    } else if (floats != dst || offset != dstOff) {
      System.arraycopy(floats, offset, dst, dstOff, n * width);
    }
  }
}
