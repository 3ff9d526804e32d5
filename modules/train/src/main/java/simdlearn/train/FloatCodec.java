package simdlearn.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Float arrays as base64 of little-endian float32, as model and checkpoint files hold them. */
final class FloatCodec {
  private FloatCodec() {}

  static String encode(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(buf.array());
  }

  /**
   * The floats of {@code base64}, which must hold exactly {@code count}, all finite.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code what}
   */
  static float[] decode(String what, String base64, int count) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64 == null ? "" : base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64");
    }
    if (bytes.length != 4L * count) {
      throw new IllegalArgumentException(what + " holds " + bytes.length / 4 + " floats, its"
          + " shape needs " + count);
    }
    float[] v = new float[count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    for (int i = 0; i < count; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(what + "[" + i + "] is " + v[i]);
      }
    }
    return v;
  }
}
