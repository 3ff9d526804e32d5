package simdlearn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.AvgPool2d;
import simdlearn.nn.Conv2d;
import simdlearn.nn.GlobalAvgPool2d;
import simdlearn.nn.Init;
import simdlearn.nn.Layer;
import simdlearn.nn.LayerSpec;
import simdlearn.nn.LeakyReLU;
import simdlearn.nn.MaxPool2d;
import simdlearn.nn.Pass;
import simdlearn.nn.Residual;
import simdlearn.nn.Rows;
import simdlearn.nn.Sequential;
import simdlearn.nn.Shape;
import simdlearn.onnx.proto.OnnxProto.ModelProto;
import simdlearn.onnx.proto.OnnxProto.TensorProto;
import simdlearn.train.Model;

/**
 * Every layer kind exported and run in ONNX Runtime against this engine's forward pass on random
 * inputs, with awkward shapes (padding, strides, h x w kernels, a kernel as large as its input,
 * no bias); the file's declared opset, names, shapes and metadata; and the refusals.
 */
class ModelExportTest {
  private static final TrainingKernels K = TrainingKernels.vector();

  @TempDir
  Path dir;

  record Case(String name, Model model) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> models() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("softmax regression", classes(Sequential.builder(20).linear(7))));
    cases.add(new Case("mlp, every activation, dropout, a linear without bias",
        classes(Sequential.builder(30).linear(16).relu().dropout(0.5).linear(12).sigmoid()
            .linear(9, false).tanh().add(new LeakyReLU.Spec(0.05)).dropout(0.2).linear(5))));
    cases.add(new Case("lenet-like: padding, h x w kernels, both pools",
        classes(Sequential.builder(Shape.planes(1, 9, 11))
            .conv2d(3, 3, 1, 1).sigmoid().avgPool2d(2, 2, 0)
            .add(new Conv2d.Spec(3, 4, 2, 3, 1, 0, 1, 2, true)).relu().maxPool2d(3, 2, 1)
            .flatten().linear(6))));
    cases.add(new Case("stride 3, a 1x1 kernel, padded average, a window as large as the input",
        classes(Sequential.builder(Shape.planes(2, 10, 7))
            .add(new Conv2d.Spec(2, 3, 3, 2, 1, 1, 3, 3, false))
            .add(new AvgPool2d.Spec(3, 2, 1, 2, 1, 1)).add(Conv2d.Spec.of(3, 5, 1, 0, 1)).tanh()
            .add(new MaxPool2d.Spec(3, 2, 3, 2, 0, 0)).flatten().linear(4))));
    cases.add(new Case("batch normalisation of planes and of features (running statistics)",
        withRunningStatistics(classes(Sequential.builder(Shape.planes(2, 6, 5))
            .conv2d(3, 3, 0, 1).batchNorm().sigmoid().avgPool2d(2, 2, 0).flatten().linear(8)
            .batchNorm().relu().linear(4)))));
    cases.add(new Case("residual blocks (identity, 1x1 stride-2 shortcut), global average pool",
        withRunningStatistics(classes(Sequential.builder(Shape.planes(3, 7, 6))
            .add(new Residual.Spec(3, 3, false, 1)).add(new Residual.Spec(3, 5, true, 2))
            .add(new GlobalAvgPool2d.Spec()).flatten().linear(4)))));
    cases.add(new Case("a network that is the identity at inference (dropout alone)",
        classes(Sequential.builder(3).dropout(0.5))));
    cases.add(new Case("binary classifier", new Model("logistic", Sequential.builder(6).linear(1)
        .build(new Init.Normal(1), 5), Model.Output.BINARY, List.of("no", "yes"), List.of(), 0,
        0)));
    cases.add(new Case("regressor", new Model("mlp-regression", Sequential.builder(4).linear(8)
        .relu().linear(2).build(new Init.XavierUniform(), 9), Model.Output.VALUES, List.of(),
        List.of(), 0, 0)));
    return cases;
  }

  /** Running statistics away from their start (0 and 1), as training leaves them. */
  private static Model withRunningStatistics(Model model) {
    SplittableRandom rng = new SplittableRandom(3);
    for (var b : model.network().buffers()) {
      float[] v = b.value().data();
      for (int i = 0; i < b.value().size(); i++) {
        v[i] = b.name().endsWith("running_var") ? (float) rng.nextDouble(0.2, 3)
            : (float) rng.nextDouble(-1, 1);
      }
    }
    return model;
  }

  private static Model classes(Sequential.Builder b) {
    Sequential net = b.build(new Init.Normal(0.5), 42);
    List<String> names = IntStream.range(0, net.outputs()).mapToObj(i -> "class " + i).toList();
    int h = 0;
    int w = 0;
    if (net.inputShape() instanceof Shape.Planes p && p.channels() == 1) {
      h = p.height();
      w = p.width();
    }
    return new Model("test", net, Model.Output.CLASSES, names, List.of(), h, w);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void onnxRuntimeComputesWhatThisEngineComputes(Case c) throws Exception {
    Model model = c.model();
    int n = 53;
    float[] x = new float[n * model.inputs()];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble(-1, 1);
    }
    FloatMatrix ours = model.outputs(K, FloatMatrix.wrap(x, n, model.inputs()));
    Map<String, float[]> theirs;
    try (OnnxRun run = new OnnxRun(ModelExport.toOnnx(model))) {
      theirs = run.run(x, n, model.network().inputShape().dims());
    }
    String out = model.isClassifier() ? ModelExport.LOGITS : ModelExport.VALUES;
    assertEquals(model.isClassifier() ? List.of(ModelExport.LOGITS, ModelExport.PROBABILITIES)
        : List.of(ModelExport.VALUES), List.copyOf(theirs.keySet()));
    float[] values = theirs.get(out);
    assertEquals(n * model.outputs(), values.length);
    for (int i = 0; i < values.length; i++) {
      float want = ours.get(i / model.outputs(), i % model.outputs());
      assertEquals(want, values[i], 1e-5f * Math.max(1, Math.abs(want)), out + "[" + i + "]");
    }
    if (model.isClassifier()) {
      Model.Predictor p = model.predictor(K);
      float[] probs = new float[model.classes()];
      float[] got = theirs.get(ModelExport.PROBABILITIES);
      assertEquals(n * model.classes(), got.length);
      for (int r = 0; r < n; r++) {
        p.probabilities(Arrays.copyOfRange(x, r * model.inputs(), (r + 1) * model.inputs()),
            probs);
        for (int j = 0; j < probs.length; j++) {
          assertEquals(probs[j], got[r * probs.length + j], 1e-6f, "probability " + r + "," + j);
        }
      }
    }
  }

  @Test
  void theFileDeclaresItsVersionsShapesNamesAndMetadata() throws Exception {
    Model lenet = models().get(2).model();
    byte[] bytes = ModelExport.toOnnx(lenet);
    assertArrayEquals(bytes, ModelExport.toOnnx(lenet), "same model, same bytes");
    ModelProto m = ModelProto.parseFrom(bytes);
    assertEquals(8, m.getIrVersion());
    assertEquals(1, m.getOpsetImportCount());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals(17, m.getOpsetImport(0).getVersion());
    assertEquals("simdlearn", m.getProducerName());

    // Initialisers carry PyTorch's state-dict names and layouts, values bit for bit.
    List<String> names = m.getGraph().getInitializerList().stream().map(TensorProto::getName)
        .toList();
    assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"), names);
    TensorProto w = m.getGraph().getInitializer(2);
    assertEquals(List.of(4L, 3L, 2L, 3L), w.getDimsList(), "out x in x kh x kw");
    FloatMatrix want = lenet.network().parameter("3.weight").value();
    var floats = ByteBuffer.wrap(w.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer();
    for (int i = 0; i < 4 * 3 * 2 * 3; i++) {
      assertEquals(Float.floatToRawIntBits(want.get(i / 18, i % 18)),
          Float.floatToRawIntBits(floats.get(i)));
    }
    assertEquals(List.of("Conv", "Sigmoid", "AveragePool", "Conv", "Relu", "MaxPool", "Flatten",
        "Gemm", "Softmax"), m.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList());

    Map<String, String> meta = m.getMetadataPropsList().stream()
        .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue()));
    assertEquals("[\"class 0\",\"class 1\",\"class 2\",\"class 3\",\"class 4\",\"class 5\"]",
        meta.get("class_names"));
    assertEquals("classes", meta.get("simdlearn.output"));
    assertEquals("9", meta.get("image_height"));
    assertEquals("float32 [N, 1, 9, 11]: 9x11 image pixels as byte / 255, in [0, 1], row by row",
        meta.get("input"));

    try (OnnxRun run = new OnnxRun(bytes)) {
      Map<String, NodeInfo> in = run.session().getInputInfo();
      assertEquals(List.of(ModelExport.INPUT), List.copyOf(in.keySet()));
      TensorInfo t = (TensorInfo) in.get(ModelExport.INPUT).getInfo();
      assertArrayEquals(new long[] {-1, 1, 9, 11}, t.getShape(), "batch free");
      assertEquals(List.of("logits", "probabilities"),
          List.copyOf(run.session().getOutputInfo().keySet()));
      assertEquals(meta.get("class_names"),
          run.session().getMetadata().getCustomMetadata().get("class_names"));
    }
  }

  /** {@code y = x}: a user's layer, with no exporter until its program registers one. */
  record Echo(int width) implements LayerSpec {
    @Override
    public String type() {
      return "test-echo";
    }

    @Override
    public Layer build(Shape input, int position) {
      Echo spec = this;
      return new Layer() {
        @Override
        public LayerSpec spec() {
          return spec;
        }

        @Override
        public Shape inputShape() {
          return input;
        }

        @Override
        public Shape outputShape() {
          return input;
        }

        @Override
        public State newState(int capacity) {
          return State.NONE;
        }

        @Override
        public void forward(TrainingKernels k, State state, Rows in, int n, float[] out,
            Pass pass) {
          in.copyTo(k, n, out, 0);
        }

        @Override
        public void backward(TrainingKernels k, State state, Rows in, float[] out, float[] dOut,
            int n, float[] dIn) {
          if (dIn != null) {
            System.arraycopy(dOut, 0, dIn, 0, n * input.size());
          }
        }
      };
    }
  }

  @Test
  void aLayerWithoutAnExporterIsNamedAndNothingIsWritten() throws Exception {
    Model model = classes(Sequential.builder(5).linear(4).add(new Echo(4)).linear(3));
    Path file = dir.resolve("model.onnx");
    var e = assertThrows(IllegalArgumentException.class, () -> ModelExport.save(model, file, false));
    assertEquals("layer 1 (test-echo) has no ONNX export: a program that defines that layer"
        + " registers one with ModelExport.register", e.getMessage());
    assertFalse(Files.exists(file));
    try (var listing = Files.list(dir)) {
      assertEquals(0, listing.count(), "no temporary left behind");
    }

    ModelExport.register(Echo.class, (spec, layer, graph, input) -> graph.node("Identity", input));
    ModelExport.save(model, file, false);
    float[] x = {0.5f, -1, 2, 0.25f, 1};
    try (OnnxRun run = new OnnxRun(Files.readAllBytes(file))) {
      float[] logits = run.run(x, 1, List.of(5)).get(ModelExport.LOGITS);
      FloatMatrix ours = model.outputs(K, FloatMatrix.wrap(x, 1, 5));
      for (int j = 0; j < 3; j++) {
        assertEquals(ours.get(0, j), logits[j], 1e-6f);
      }
    }
  }

  @Test
  void anExistingFileIsReplacedOnlyWhenAsked() throws Exception {
    Model model = models().get(0).model();
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "keep me");
    var e = assertThrows(FileAlreadyExistsException.class,
        () -> ModelExport.save(model, file, false));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    assertEquals("keep me", Files.readString(file));

    ModelExport.save(model, file, true);
    assertArrayEquals(ModelExport.toOnnx(model), Files.readAllBytes(file));

    Path folder = Files.createDirectory(dir.resolve("folder.onnx"));
    var d = assertThrows(java.io.IOException.class, () -> ModelExport.save(model, folder, true));
    assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
  }
}
