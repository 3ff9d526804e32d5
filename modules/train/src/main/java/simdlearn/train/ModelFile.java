package simdlearn.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import simdlearn.kernel.FloatMatrix;
import simdlearn.train.io.AtomicFiles;

/**
 * A trained model on disk: a small JSON document with the kind, shapes, class names, image size,
 * the weight and bias as base64 little-endian float32, and the SHA-256 of those bytes. Written to a
 * temporary file and renamed, so a crash never leaves half a model under the final name; loading
 * checks the format, the shapes and the checksum.
 */
public final class ModelFile {
  /** The {@code format} field of every model file. */
  public static final String FORMAT = "simdlearn-model";
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private ModelFile() {}

  /** The JSON document. */
  record Document(String format, int version, String kind, int inputs, int outputs,
      int imageHeight, int imageWidth, List<String> classNames, List<String> classNamesZh,
      String weight, String bias, String sha256) {}

  /** Thrown for a file that is not a valid model; the message says what is wrong. */
  public static final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    ModelFormatException(Path file, String problem) {
      super(file + " is not a usable simdlearn model: " + problem);
    }
  }

  public static void save(LinearModel model, Path file) throws IOException {
    byte[] w = toBytes(model.weight().toArray());
    byte[] b = toBytes(model.bias().toArray());
    Document doc = new Document(FORMAT, VERSION, model.kind().id(), model.inputs(),
        model.outputs(), model.imageHeight(), model.imageWidth(), model.classNames(),
        model.classNamesZh(), Base64.getEncoder().encodeToString(w),
        Base64.getEncoder().encodeToString(b), sha256(w, b));
    AtomicFiles.write(file, tmp -> MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), doc));
  }

  public static LinearModel load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException(file, "no such file");
    }
    Document d;
    try {
      d = MAPPER.readValue(file.toFile(), Document.class);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file, "not a model JSON document (" + e.getOriginalMessage() + ")");
    }
    if (d == null || !FORMAT.equals(d.format())) {
      throw new ModelFormatException(file, "its format is not '" + FORMAT + "'");
    }
    if (d.version() != VERSION) {
      throw new ModelFormatException(file, "version " + d.version() + " (this simdlearn reads "
          + VERSION + ")");
    }
    if (d.inputs() <= 0 || d.outputs() <= 0 || (long) d.inputs() * d.outputs() > 1 << 26) {
      throw new ModelFormatException(file, "impossible shape " + d.outputs() + "x" + d.inputs());
    }
    byte[] w;
    byte[] b;
    try {
      w = Base64.getDecoder().decode(d.weight() == null ? "" : d.weight());
      b = Base64.getDecoder().decode(d.bias() == null ? "" : d.bias());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, "weights are not base64");
    }
    if (w.length != 4L * d.inputs() * d.outputs() || b.length != 4L * d.outputs()) {
      throw new ModelFormatException(file, "weights hold " + w.length / 4 + " and " + b.length / 4
          + " floats for a " + d.outputs() + "x" + d.inputs() + " model");
    }
    if (!sha256(w, b).equals(d.sha256())) {
      throw new ModelFormatException(file, "checksum mismatch: the weights are corrupt");
    }
    LinearModel.Kind kind;
    try {
      kind = LinearModel.Kind.parse(d.kind());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, e.getMessage());
    }
    try {
      return new LinearModel(kind, FloatMatrix.wrap(fromBytes(w), d.outputs(), d.inputs()),
          FloatMatrix.wrap(fromBytes(b), 1, d.outputs()),
          d.classNames() == null ? List.of() : d.classNames(),
          d.classNamesZh() == null ? List.of() : d.classNamesZh(), d.imageHeight(), d.imageWidth());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, e.getMessage());
    }
  }

  private static byte[] toBytes(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return buf.array();
  }

  private static float[] fromBytes(byte[] bytes) {
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private static String sha256(byte[] w, byte[] b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(w);
      md.update(b);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
