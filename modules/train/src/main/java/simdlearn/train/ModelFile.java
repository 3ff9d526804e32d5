package simdlearn.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import simdlearn.kernel.FloatMatrix;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LayerTypes;
import simdlearn.nn.Shape;
import simdlearn.nn.Sequential;
import simdlearn.nn.StateTensor;
import simdlearn.train.io.AtomicFiles;

/**
 * A trained model on disk (format in {@code docs/model-format.md}): a JSON document with the
 * model's kind and output, image size and class names, the architecture layer by layer, every
 * parameter by name and shape as base64 little-endian float32, and the SHA-256 of the whole
 * document in canonical form, so a change to any field (not only the weights) is caught. Written
 * to a temporary file and renamed; loading checks the format, the checksum, the architecture
 * against the parameters, and that every weight is finite.
 *
 * <p>The architecture is each layer's own {@link LayerSpec} record with its {@code type}, read
 * back through {@link LayerTypes}: this class knows no layer. Version 2 files (the same layers as
 * flat rows with inputs and outputs) and version 1 files (softmax or linear regression: one weight
 * and one bias, checksum over the weights only) still load.
 */
public final class ModelFile {
  /** The {@code format} field of every model file. */
  public static final String FORMAT = "simdlearn-model";
  public static final int VERSION = 3;
  /**
   * The most floats a model may hold: 64 M (256 MiB as float32, 342 MiB of base64). Recipes
   * refuse larger networks before training, so every model trained here can be loaded.
   */
  public static final long MAX_PARAMETERS = 1L << 26;
  /** The largest model file read: 1 GiB of JSON, three times the largest model's. */
  static final long MAX_FILE_BYTES = 1L << 30;

  /**
   * Mappers for files of up to {@code maxBytes}: Jackson's default cap on one string (20 M
   * characters) refused the base64 parameters of models this engine trains (an MLP with 8192
   * hidden units); a string can be as long as the file, which the caller caps first.
   */
  static JsonMapper.Builder boundedMapper(long maxBytes) {
    int longest = (int) Math.min(Integer.MAX_VALUE, maxBytes);
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints
        .builder().maxStringLength(longest).maxDocumentLength(maxBytes).build()).build());
  }

  private static final ObjectMapper MAPPER = boundedMapper(MAX_FILE_BYTES)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();
  /** Reads a layer's fields into its spec: every field present, none unknown. */
  private static final ObjectMapper SPECS = MAPPER.copy()
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  /** Reads a version 2 layer row, whose fields each type used only some of. */
  private static final ObjectMapper V2_SPECS = MAPPER.copy()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelFile() {}

  /** One layer of a version 2 architecture. */
  record V2Layer(String type, int inputs, int outputs, Boolean bias, Double p) {}

  /** One named parameter: shape and float32 values. */
  record Tensor(String name, int rows, int cols, FloatCodec.Data data) {}

  /**
   * The JSON document (version 3; older ones are read from {@link V2} and {@link V1}). Each
   * architecture entry is a layer's spec as a map with its {@code type} first.
   */
  record Document(String format, int version, String kind, String output,
      List<Integer> inputShape, int inputs, int outputs, int imageHeight, int imageWidth,
      List<String> classNames, List<String> classNamesZh, List<Map<String, Object>> architecture,
      List<Tensor> parameters, String sha256) {}

  /** The version 2 document. */
  record V2(String format, int version, String kind, String output, int inputs, int outputs,
      int imageHeight, int imageWidth, List<String> classNames, List<String> classNamesZh,
      List<V2Layer> architecture, List<Tensor> parameters, String sha256) {}

  /** The two kinds version 1 wrote, and what their outputs are. */
  private static final Map<String, String> V1_OUTPUTS =
      Map.of("softmax-regression", "classes", "linear-regression", "values");

  /** The version 1 document. */
  record V1(String format, int version, String kind, int inputs, int outputs, int imageHeight,
      int imageWidth, List<String> classNames, List<String> classNamesZh, String weight,
      String bias, String sha256) {}

  /** Thrown for a file that is not a valid model; the message says what is wrong. */
  public static final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    ModelFormatException(Path file, String problem) {
      super(file + " is not a usable simdlearn model: " + problem);
    }
  }

  public static void save(Model model, Path file) throws IOException {
    Document doc = document(model);
    AtomicFiles.write(file, out -> MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, doc));
  }

  /** The model file of {@code model} as bytes (compact JSON), for another JVM to load. */
  public static byte[] toBytes(Model model) throws IOException {
    return MAPPER.writeValueAsBytes(document(model));
  }

  private static Document document(Model model) throws IOException {
    List<Map<String, Object>> layers = new ArrayList<>();
    for (LayerSpec s : model.network().architecture()) {
      // The type first, for readers; the checksum sorts every key (see checksum).
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", s.type());
      entry.putAll(new TreeMap<>(MAPPER.convertValue(s,
          new TypeReference<Map<String, Object>>() {})));
      layers.add(entry);
    }
    List<Tensor> tensors = new ArrayList<>();
    for (StateTensor t : model.network().state()) {
      FloatMatrix v = t.value();
      // The values themselves, not a copy: a model is saved once training has stopped.
      tensors.add(new Tensor(t.name(), v.rows(), v.cols(),
          FloatCodec.Data.of(v.data(), v.offset(), v.size())));
    }
    Document unsigned = new Document(FORMAT, VERSION, model.kind(), model.output().id(),
        model.network().inputShape().dims(), model.inputs(), model.outputs(),
        model.imageHeight(), model.imageWidth(),
        model.classNames(), model.classNamesZh(), layers, tensors, null);
    return withChecksum(unsigned, checksum(unsigned));
  }

  private static Document withChecksum(Document d, String sha) {
    return new Document(d.format(), d.version(), d.kind(), d.output(), d.inputShape(),
        d.inputs(), d.outputs(), d.imageHeight(), d.imageWidth(), d.classNames(),
        d.classNamesZh(), d.architecture(), d.parameters(), sha);
  }

  /** The checksum of the document's canonical form: architecture entries' keys sorted too. */
  static String checksum(Document unsigned) throws IOException {
    List<Map<String, Object>> sorted = new ArrayList<>();
    for (Map<String, Object> entry : unsigned.architecture()) {
      sorted.add(new TreeMap<>(entry));
    }
    Document d = unsigned;
    return CanonicalJson.sha256(new Document(d.format(), d.version(), d.kind(), d.output(),
        d.inputShape(), d.inputs(), d.outputs(), d.imageHeight(), d.imageWidth(),
        d.classNames(), d.classNamesZh(), sorted, d.parameters(), null));
  }

  private static String checksum(V2 d) throws IOException {
    return CanonicalJson.sha256(new V2(d.format(), d.version(), d.kind(), d.output(), d.inputs(),
        d.outputs(), d.imageHeight(), d.imageWidth(), d.classNames(), d.classNamesZh(),
        d.architecture(), d.parameters(), null));
  }

  public static Model load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException(file, "no such file");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new ModelFormatException(file, "larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    return parse(file, () -> MAPPER.readTree(file.toFile()));
  }

  /**
   * The model of a model file's bytes ({@link #toBytes}), checked as {@link #load} checks a
   * file; {@code source} names them in errors.
   */
  public static Model fromBytes(String source, byte[] json) throws IOException {
    Path file = Path.of(source);
    if (json.length > MAX_FILE_BYTES) {
      throw new ModelFormatException(file, "larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    return parse(file, () -> MAPPER.readTree(json));
  }

  /** Where a model document's JSON tree comes from. */
  private interface Tree {
    com.fasterxml.jackson.databind.JsonNode read() throws IOException;
  }

  private static Model parse(Path file, Tree source) throws IOException {
    int version;
    try {
      var tree = source.read();
      if (tree == null || !tree.isObject() || !FORMAT.equals(tree.path("format").asText())) {
        throw new ModelFormatException(file, "its format is not '" + FORMAT + "'");
      }
      version = tree.path("version").asInt(-1);
      if (version == 1) {
        return fromV1(file, MAPPER.treeToValue(tree, V1.class));
      }
      if (version == 2) {
        return fromV2(file, MAPPER.treeToValue(tree, V2.class));
      }
      if (version != VERSION) {
        throw new ModelFormatException(file, "version " + tree.path("version") + " (this"
            + " simdlearn reads 1 to " + VERSION + ")");
      }
      return fromV3(file, MAPPER.treeToValue(tree, Document.class));
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(file, "not a model JSON document (" + e.getOriginalMessage()
          + ")");
    }
  }

  private static Model fromV3(Path file, Document d) throws IOException {
    if (d.architecture() == null || d.architecture().isEmpty() || d.parameters() == null
        || d.inputShape() == null) {
      throw new ModelFormatException(file, "no input shape, architecture or parameters");
    }
    if (d.architecture().contains(null)) {
      throw new ModelFormatException(file, "an architecture entry is null");
    }
    List<Map<String, Object>> entries = d.architecture();
    if (d.sha256() == null || !d.sha256().equals(checksum(d))) {
      throw new ModelFormatException(file, "checksum mismatch: the file was changed or is"
          + " corrupt");
    }
    List<LayerSpec> specs = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Map<String, Object> fields = new TreeMap<>(entries.get(i));
      Object type = fields.remove("type");
      try {
        specs.add(SPECS.convertValue(fields, LayerTypes.get(String.valueOf(type)).spec()));
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(file, "layer " + i + " (" + type + "): "
            + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return model(file, d.kind(), network(file, d.inputShape(), specs), d.inputs(), d.outputs(),
        d.parameters(), d.output(), d.classNames(), d.classNamesZh(), d.imageHeight(),
        d.imageWidth());
  }

  private static Model fromV2(Path file, V2 d) throws IOException {
    if (d.sha256() == null || !d.sha256().equals(checksum(d))) {
      throw new ModelFormatException(file, "checksum mismatch: the file was changed or is"
          + " corrupt");
    }
    if (d.architecture() == null || d.architecture().isEmpty() || d.parameters() == null) {
      throw new ModelFormatException(file, "no architecture or no parameters");
    }
    List<LayerSpec> specs = new ArrayList<>();
    for (int i = 0; i < d.architecture().size(); i++) {
      V2Layer l = d.architecture().get(i);
      try {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("inputs", l.inputs());
        fields.put("outputs", l.outputs());
        if (l.bias() != null) {
          fields.put("bias", l.bias());
        }
        if (l.p() != null) {
          fields.put("p", l.p());
        }
        specs.add(V2_SPECS.convertValue(fields, LayerTypes.get(l.type()).spec()));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new ModelFormatException(file, "bad architecture: layer " + i + ": "
            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      }
    }
    Sequential net = network(file, List.of(d.inputs()), specs);
    return model(file, d.kind(), net, d.inputs(), d.outputs(), d.parameters(), d.output(),
        d.classNames(), d.classNamesZh(), d.imageHeight(), d.imageWidth());
  }

  /** The network of {@code specs}, refused before it allocates more than the cap allows. */
  private static Sequential network(Path file, List<Integer> inputShape, List<LayerSpec> specs)
      throws ModelFormatException {
    try {
      Shape shape = Shape.of(inputShape);
      List<simdlearn.nn.Layer> layers = new ArrayList<>();
      long total = 0;
      for (int i = 0; i < specs.size(); i++) {
        total += specs.get(i).parameterCount(shape);
        if (total > MAX_PARAMETERS) {
          throw new IllegalArgumentException("more than " + MAX_PARAMETERS + " parameters");
        }
        simdlearn.nn.Layer layer = specs.get(i).build(shape, i);
        layers.add(layer);
        shape = layer.outputShape();
      }
      return new Sequential(layers);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, "bad architecture: " + e.getMessage());
    }
  }

  /** Checks the network against the file's sizes and parameters, and loads them. */
  private static Model model(Path file, String kind, Sequential net, int inputs, int outputs,
      List<Tensor> tensors, String output, List<String> classNames, List<String> classNamesZh,
      int height, int width) throws ModelFormatException {
    if (net.inputs() != inputs || net.outputs() != outputs) {
      throw new ModelFormatException(file, "the architecture (" + net.describe() + ") does not"
          + " take " + inputs + " inputs to " + outputs + " outputs");
    }
    List<StateTensor> params = net.state();
    if (tensors.size() != params.size()) {
      throw new ModelFormatException(file, tensors.size() + " parameters for an"
          + " architecture with " + params.size());
    }
    for (int i = 0; i < params.size(); i++) {
      StateTensor p = params.get(i);
      Tensor t = tensors.get(i);
      FloatMatrix v = p.value();
      if (t == null || !p.name().equals(t.name()) || t.rows() != v.rows()
          || t.cols() != v.cols()) {
        throw new ModelFormatException(file, "parameter " + i + " is "
            + (t == null ? "null" : t.name() + " " + t.rows() + "x" + t.cols())
            + ", the architecture needs " + p.name() + " " + v.rows() + "x" + v.cols());
      }
      fill(file, p.name(), FloatCodec.Data.textOf(t.data()), v);
    }
    return model(file, kind, net, output, classNames, classNamesZh, height, width);
  }

  private static Model fromV1(Path file, V1 d) throws IOException {
    if (d.inputs() <= 0 || d.outputs() <= 0 || (long) d.inputs() * d.outputs() > MAX_PARAMETERS) {
      throw new ModelFormatException(file, "impossible shape " + d.outputs() + "x" + d.inputs());
    }
    String output = d.kind() == null ? null : V1_OUTPUTS.get(d.kind());
    if (output == null) {
      throw new ModelFormatException(file, "unknown model kind '" + d.kind() + "'");
    }
    byte[] w = decode(file, "weight", d.weight());
    byte[] b = decode(file, "bias", d.bias());
    if (w.length != 4L * d.inputs() * d.outputs() || b.length != 4L * d.outputs()) {
      throw new ModelFormatException(file, "weights hold " + w.length / 4 + " and " + b.length / 4
          + " floats for a " + d.outputs() + "x" + d.inputs() + " model");
    }
    MessageDigest md = CanonicalJson.digest();
    md.update(w);
    md.update(b);
    if (!HexFormat.of().formatHex(md.digest()).equals(d.sha256())) {
      throw new ModelFormatException(file, "checksum mismatch: the weights are corrupt");
    }
    Sequential net = Sequential.builder(d.inputs()).linear(d.outputs()).build();
    copyFinite(file, "weight", fromBytes(w), net.parameter("0.weight").value());
    copyFinite(file, "bias", fromBytes(b), net.parameter("0.bias").value());
    return model(file, d.kind(), net, output, d.classNames(), d.classNamesZh(), d.imageHeight(),
        d.imageWidth());
  }

  private static Model model(Path file, String kind, Sequential net, String output,
      List<String> classNames, List<String> classNamesZh, int height, int width)
      throws ModelFormatException {
    try {
      Model.Output out = switch (output == null ? "" : output) {
        case "classes" -> Model.Output.CLASSES;
        case "values" -> Model.Output.VALUES;
        case "binary" -> Model.Output.BINARY;
        default -> throw new IllegalArgumentException("unknown output '" + output + "'");
      };
      if (kind == null || kind.isBlank()) {
        throw new IllegalArgumentException("no model kind");
      }
      return new Model(kind, net, out, nonNull(classNames), nonNull(classNamesZh), height, width);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ModelFormatException(file, e.getMessage());
    }
  }

  private static List<String> nonNull(List<String> names) {
    if (names == null) {
      return List.of();
    }
    for (String n : names) {
      if (n == null) {
        throw new IllegalArgumentException("a class name is null");
      }
    }
    return names;
  }

  private static void fill(Path file, String name, String base64, FloatMatrix into)
      throws ModelFormatException {
    try {
      float[] v = FloatCodec.decode(name, base64, into.size());
      System.arraycopy(v, 0, into.data(), into.offset(), v.length);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, e.getMessage());
    }
  }

  private static void copyFinite(Path file, String name, float[] values, FloatMatrix into)
      throws ModelFormatException {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new ModelFormatException(file, name + "[" + i + "] is " + values[i]);
      }
    }
    System.arraycopy(values, 0, into.data(), into.offset(), values.length);
  }

  private static byte[] decode(Path file, String name, String base64) throws ModelFormatException {
    try {
      return Base64.getDecoder().decode(base64 == null ? "" : base64);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, name + " is not base64");
    }
  }

  private static float[] fromBytes(byte[] bytes) {
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

}
