package simdlearn.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Float arrays as base64 of little-endian float32, as model and checkpoint files hold them. */
final class FloatCodec {
  private FloatCodec() {}

  private static byte[] littleEndian(float[] v, int offset, int length) {
    ByteBuffer buf = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v, offset, length);
    return buf.array();
  }

  /**
   * A tensor's values in a document: the base64 text read from a file, or floats encoded only
   * while the document is written, straight into the output ({@link #text()}'s characters). A
   * file of many tensors then never holds all its text at once: ResNet-18's 11 million floats are
   * 59 MB of it, which the end of a run held beside the training buffers.
   */
  @JsonSerialize(using = DataWriter.class)
  static final class Data {
    private final String text;
    private final float[] floats;
    private final int offset;
    private final int length;

    private Data(String text, float[] floats, int offset, int length) {
      this.text = text;
      this.floats = floats;
      this.offset = offset;
      this.length = length;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Data read(String text) {
      return new Data(text, null, 0, 0);
    }

    /** {@code floats[offset .. offset + length)}, read (not copied) when written. */
    static Data of(float[] floats, int offset, int length) {
      return new Data(null, floats, offset, length);
    }

    static Data of(float[] floats) {
      return of(floats, 0, floats.length);
    }

    /** The base64 text (encoded now for floats). */
    String text() {
      return text != null ? text
          : Base64.getEncoder().encodeToString(littleEndian(floats, offset, length));
    }

    /** The text of {@code d}, null for null (a document without the field). */
    static String textOf(Data d) {
      return d == null ? null : d.text();
    }
  }

  /** Writes {@link Data} as a JSON string: the text, or the floats' base64 one tensor at a time. */
  static final class DataWriter extends StdSerializer<Data> {
    private static final long serialVersionUID = 1L;

    DataWriter() {
      super(Data.class);
    }

    @Override
    public void serialize(Data d, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (d.text != null) {
        gen.writeString(d.text);
        return;
      }
      // Jackson's MIME variant without line feeds is java.util.Base64's basic encoding.
      byte[] bytes = littleEndian(d.floats, d.offset, d.length);
      gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
    }
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
