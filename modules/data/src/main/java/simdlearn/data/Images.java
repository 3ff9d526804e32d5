package simdlearn.data;

/** Image helpers on unsigned-byte grayscale pixels. */
public final class Images {
  private Images() {}

  /**
   * Bilinear resize of one {@code h x w} image at {@code src[srcOff]} into an {@code oh x ow} image
   * at {@code dst[dstOff]}, sampling at half-pixel centres and clamping at the borders.
   */
  public static void resizeBilinear(byte[] src, int srcOff, int h, int w, byte[] dst, int dstOff,
      int oh, int ow) {
    float sy = (float) h / oh;
    float sx = (float) w / ow;
    for (int y = 0; y < oh; y++) {
      float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
      int y0 = Math.min((int) fy, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      float wy = fy - y0;
      for (int x = 0; x < ow; x++) {
        float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
        int x0 = Math.min((int) fx, w - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        float wx = fx - x0;
        float top = (src[srcOff + y0 * w + x0] & 0xFF) * (1 - wx) + (src[srcOff + y0 * w + x1] & 0xFF) * wx;
        float bottom = (src[srcOff + y1 * w + x0] & 0xFF) * (1 - wx) + (src[srcOff + y1 * w + x1] & 0xFF) * wx;
        int v = Math.round(top * (1 - wy) + bottom * wy);
        dst[dstOff + y * ow + x] = (byte) Math.min(255, Math.max(0, v));
      }
    }
  }
}
