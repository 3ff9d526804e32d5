package simdlearn.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simdlearn.nn.Layer;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.Shape;
import simdlearn.onnx.proto.OnnxProto.GraphProto;
import simdlearn.onnx.proto.OnnxProto.ModelProto;
import simdlearn.onnx.proto.OnnxProto.OperatorSetIdProto;
import simdlearn.onnx.proto.OnnxProto.StringStringEntryProto;
import simdlearn.onnx.proto.OnnxProto.TensorProto;
import simdlearn.onnx.proto.OnnxProto.TensorShapeProto;
import simdlearn.onnx.proto.OnnxProto.TypeProto;
import simdlearn.onnx.proto.OnnxProto.ValueInfoProto;
import simdlearn.train.Model;
import simdlearn.train.io.AtomicFiles;

/**
 * A trained model as an ONNX file (IR version {@value #IR_VERSION}, opset {@value #OPSET}), for
 * ONNX Runtime, PyTorch, a Java service or a browser.
 *
 * <p>The graph reads what this engine's network reads: one float32 tensor {@value #INPUT} of
 * shape {@code [N, ...input_shape]}, {@code N} free: {@code [N, 784]} for the dense models on
 * images, {@code [N, 1, 28, 28]} for the convolutional ones, the pixels as {@code byte / 255} in
 * [0, 1] (the IDX files' bytes, row by row); a regressor's features as it was trained on them.
 * A classifier's outputs are {@value #LOGITS} (the network's outputs, {@code [N, classes]}; a
 * binary classifier's one logit of its second class, {@code [N, 1]}) and {@value #PROBABILITIES}
 * ({@code [N, classes]}: their softmax, or {@code 1 - sigmoid, sigmoid}); a regressor's output is
 * {@value #VALUES}. Dropout is exported as the identity it is at inference. The class names, the
 * model's kind and its input layout go into the file's metadata.
 */
public final class ModelExport {
  /** The ONNX operator set the graph uses (ONNX 1.12; ONNX Runtime 1.13 and later). */
  public static final int OPSET = 17;

  /** The ONNX IR version of the file: 8, the one of opset 17. */
  public static final long IR_VERSION = 8;

  /** The graph's input. */
  public static final String INPUT = "input";

  /** A classifier's raw outputs. */
  public static final String LOGITS = "logits";

  /** A classifier's class probabilities. */
  public static final String PROBABILITIES = "probabilities";

  /** A regressor's predictions. */
  public static final String VALUES = "values";

  private static final String BATCH = "N";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelExport() {}

  /**
   * Makes layers whose spec is {@code spec} exportable, for a program's own layer types (the
   * built-in ones are known).
   */
  public static <S extends LayerSpec> void register(Class<S> spec, LayerExporter<S> exporter) {
    LayerExporters.put(spec, exporter);
  }

  /**
   * The model as the bytes of an ONNX file.
   *
   * @throws IllegalArgumentException naming the first layer (position and type) that has no
   *     ONNX exporter
   */
  public static byte[] toOnnx(Model model) {
    return build(model).toByteArray();
  }

  /**
   * Writes the model's ONNX file to {@code file} through a temporary file in the same directory
   * and a rename, so a failure never leaves a partial file under that name.
   *
   * @throws FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
   * @throws IllegalArgumentException as {@link #toOnnx}, before anything is written
   */
  public static void save(Model model, Path file, boolean overwrite) throws IOException {
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(file + " is a directory, not a file to write the ONNX model to");
    }
    if (!overwrite && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(file.toString(), null,
          "exists; pass --overwrite to replace it");
    }
    byte[] bytes = toOnnx(model);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  /**
   * The graph's inputs and outputs in words, e.g. {@code input 'input' float32 [N, 784]; outputs
   * 'logits' [N, 10], 'probabilities' [N, 10]}.
   */
  public static String signature(Model model) {
    List<Integer> out = model.network().outputShape().dims();
    String outputs = switch (model.output()) {
      case VALUES -> "output '" + VALUES + "' " + dims(out);
      case CLASSES, BINARY -> "outputs '" + LOGITS + "' " + dims(out) + ", '" + PROBABILITIES
          + "' " + dims(List.of(model.classes()));
    };
    return "input '" + INPUT + "' float32 " + dims(model.network().inputShape().dims()) + "; "
        + outputs;
  }

  private static String dims(List<Integer> dims) {
    StringBuilder s = new StringBuilder("[" + BATCH);
    dims.forEach(d -> s.append(", ").append(d));
    return s.append("]").toString();
  }

  private static ModelProto build(Model model) {
    GraphProto.Builder graph = GraphProto.newBuilder().setName(model.kind())
        .setDocString(model.network().describe());
    Shape input = model.network().inputShape();
    graph.addInput(tensor(INPUT, input.dims()));
    OnnxGraph g = new OnnxGraph(graph);
    String x = INPUT;
    List<Layer> layers = model.network().layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      g.enter(i, layer);
      x = export(layer.spec(), layer, g, x, i);
    }
    List<Integer> out = model.network().outputShape().dims();
    switch (model.output()) {
      case VALUES -> graph.addOutput(tensor(name(g, x, VALUES), out));
      case CLASSES -> {
        String logits = name(g, x, LOGITS);
        graph.addOutput(tensor(logits, out));
        g.enter(layers.size(), null);
        String p = g.node("Softmax", logits, OnnxGraph.Attribute.integer("axis", 1));
        graph.addOutput(tensor(name(g, p, PROBABILITIES), List.of(model.classes())));
      }
      case BINARY -> {
        String logit = name(g, x, LOGITS);
        graph.addOutput(tensor(logit, out));
        g.enter(layers.size(), null);
        String p1 = g.node("Sigmoid", logit);
        String p0 = g.node("Sub", List.of(g.constant("one", new long[] {1}, 1f), p1));
        String p = g.node("Concat", List.of(p0, p1), OnnxGraph.Attribute.integer("axis", 1));
        graph.addOutput(tensor(name(g, p, PROBABILITIES), List.of(2)));
      }
    }
    return ModelProto.newBuilder().setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("simdlearn").setProducerVersion(version())
        .setDocString(model.kind() + " " + model.network().describe() + ", exported by simdlearn")
        .setGraph(graph).addAllMetadataProps(metadata(model)).build();
  }

  private static <S extends LayerSpec> String export(S spec, Layer layer, OnnxGraph g,
      String input, int position) {
    LayerExporter<S> exporter = LayerExporters.get(spec);
    if (exporter == null) {
      throw new IllegalArgumentException("layer " + position + " (" + spec.type() + ") has no"
          + " ONNX export: a program that defines that layer registers one with"
          + " ModelExport.register");
    }
    return exporter.export(spec, layer, g, input);
  }

  /**
   * The tensor {@code last}, the latest made, under the graph output's name {@code name}: its node
   * renamed, or an identity node when no node made it (a network that is the identity).
   */
  private static String name(OnnxGraph g, String last, String name) {
    if (!g.renameLastOutput(last, name)) {
      g.renameLastOutput(g.node("Identity", last), name);
    }
    return name;
  }

  /** A float32 tensor of shape {@code [N, dims...]}. */
  private static ValueInfoProto tensor(String name, List<Integer> dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    for (int d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
            .setShape(shape))).build();
  }

  /** What a user of the file needs to know beyond the graph, as ONNX's metadata_props. */
  private static List<StringStringEntryProto> metadata(Model model) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("simdlearn.kind", model.kind());
    m.put("simdlearn.output", model.output().id());
    m.put("simdlearn.architecture", model.network().describe());
    m.put("input", inputDescription(model));
    if (model.isClassifier()) {
      m.put("class_names", json(model.classNames()));
      if (!model.classNamesZh().isEmpty()) {
        m.put("class_names_zh", json(model.classNamesZh()));
      }
    }
    if (model.imageHeight() > 0) {
      m.put("image_height", Integer.toString(model.imageHeight()));
      m.put("image_width", Integer.toString(model.imageWidth()));
    }
    List<StringStringEntryProto> props = new ArrayList<>();
    m.forEach((k, v) -> props.add(StringStringEntryProto.newBuilder().setKey(k).setValue(v)
        .build()));
    return props;
  }

  /** E.g. "float32 [N, 1, 28, 28]: image pixels as byte / 255, in [0, 1], row by row". */
  static String inputDescription(Model model) {
    return "float32 " + dims(model.network().inputShape().dims()) + ": "
        + (model.imageHeight() > 0
        ? model.imageHeight() + "x" + model.imageWidth()
            + " image pixels as byte / 255, in [0, 1], row by row"
        : "the features the model was trained on");
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This module's version, on the module path or the class path (the jar's manifest). */
  private static String version() {
    var d = ModelExport.class.getModule().getDescriptor();
    String v = d != null && d.rawVersion().isPresent() ? d.rawVersion().get()
        : ModelExport.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
