package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.data.ImageDataset;
import simdlearn.testkit.TinyData;
import simdlearn.kernel.Backend;
import simdlearn.nn.GradientBlock;
import simdlearn.nn.Init;
import simdlearn.nn.Sequential;
import simdlearn.report.EpochLine;
import simdlearn.report.ReportLine;
import simdlearn.report.ReportWriter;
import simdlearn.report.Reports;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;

class TrainerTest {
  @TempDir
  Path dir;

  static TrainingConfig tiny(int threads, Backend backend) {
    return new TrainingConfig.Builder().epochs(4).batchSize(64).lr(0.5f).seed(7).threads(threads)
        .shardSize(16).backend(backend).build();
  }

  /** Every parameter of a trained model, concatenated. */
  static float[] weights(TrainingResult r) {
    return weights(r.model());
  }

  static float[] weights(Model m) {
    int n = 0;
    for (var p : m.network().state()) {
      n += p.value().size();
    }
    float[] all = new float[n];
    int at = 0;
    for (var p : m.network().state()) {
      System.arraycopy(p.value().toArray(), 0, all, at, p.value().size());
      at += p.value().size();
    }
    return all;
  }

  /** Records every line a run reports, and writes them to a report file. */
  static final class Recorder implements TrainingListener {
    final List<ReportLine> lines = new ArrayList<>();
    final ReportWriter writer;
    final TrainingListener writing;

    Recorder(Path file) throws Exception {
      writer = new ReportWriter(file);
      writing = TrainingListener.writingTo(writer);
    }

    @Override
    public void runStarted(RunLine run) {
      lines.add(run);
      writing.runStarted(run);
    }

    @Override
    public void epochDone(EpochLine epoch) {
      lines.add(epoch);
      writing.epochDone(epoch);
    }

    @Override
    public void runEnded(SummaryLine summary) {
      lines.add(summary);
      writing.runEnded(summary);
    }
  }

  /** An epoch line without its timings, which are the only thing allowed to differ. */
  static List<Object> untimed(List<EpochLine> epochs) {
    List<Object> out = new ArrayList<>();
    for (EpochLine e : epochs) {
      out.add(List.of(e.epoch(), e.trainLoss(), e.trainAcc(), e.testAcc(), e.lr()));
    }
    return out;
  }

  @Test
  void sameBitsWithOneOrThreeThreads() throws Exception {
    for (Backend backend : Backend.values()) {
      ImageDataset train = TinyData.images("train", 1000, 1);
      ImageDataset test = TinyData.images("test", 300, 2);
      TrainingResult one = Runs.softmax(tiny(1, backend), TrainingListener.NONE, train, test);
      TrainingResult three = Runs.softmax(tiny(3, backend), TrainingListener.NONE, train, test);
      assertArrayEquals(weights(one), weights(three), 0f, backend + ": weights are bit-identical");
      assertEquals(untimed(one.epochs()), untimed(three.epochs()), backend + ": same reports");
      assertEquals(one.summary().confusionMatrix(), three.summary().confusionMatrix());
      assertEquals(List.of("top", "middle", "bottom"), one.summary().confusionLabels(),
          "the confusion matrix's rows and columns are named");
      assertTrue(one.summary().finalTestAcc() > 0.9, "learns: " + one.summary().finalTestAcc());
    }
  }

  @Test
  void seedChangesTheRunAndRepeatsIt() {
    ImageDataset train = TinyData.images("train", 500, 1);
    ImageDataset test = TinyData.images("test", 100, 2);
    TrainingResult a = Runs.softmax(tiny(2, Backend.VECTOR), TrainingListener.NONE, train, test);
    TrainingResult b = Runs.softmax(tiny(2, Backend.VECTOR), TrainingListener.NONE, train, test);
    assertArrayEquals(weights(a), weights(b), 0f);
    TrainingConfig other = tiny(2, Backend.VECTOR).toBuilder().seed(8).build();
    TrainingResult c = Runs.softmax(other, TrainingListener.NONE, train, test);
    assertTrue(weights(a)[0] != weights(c)[0]);
  }

  @Test
  void everyReportLineMatchesTheSchemaAndReadsBack() throws Exception {
    Path report = dir.resolve("report.jsonl");
    Recorder rec = new Recorder(report);
    Runs.softmax(tiny(2, Backend.VECTOR), rec, TinyData.images("train", 400, 1), TinyData.images("test", 100, 2));
    rec.writer.close();
    Path linearReport = dir.resolve("linear.jsonl");
    Recorder lin = new Recorder(linearReport);
    Runs.generated(Runs.book("linear", ModelOptions.NONE).build(), lin, "linear",
        ModelOptions.NONE);
    lin.writer.close();
    List<Path> more = new ArrayList<>();
    ModelOptions clouds = Runs.with().dataset("synthetic-2d").build();
    ModelOptions mlp = Runs.with().hidden(List.of(8, 8)).dropout(List.of(0.2, 0.5))
        .activation("leaky-relu").build();
    for (String model : List.of("polynomial", "highdim-linear", "logistic", "mlp")) {
      Path f = dir.resolve(model + ".jsonl");
      Recorder r = new Recorder(f);
      switch (model) {
        case "polynomial" -> Runs.generated(Runs.book(model, ModelOptions.NONE).epochs(3).build(),
            r, model, ModelOptions.NONE);
        case "highdim-linear" -> Runs.generated(Runs.book(model, ModelOptions.NONE).epochs(3)
            .weightDecay(3).build(), r, model, ModelOptions.NONE);
        case "logistic" -> Runs.generated(Runs.book(model, clouds).epochs(2).build(), r, model,
            clouds);
        default -> Runs.train(Runs.book(model, mlp).epochs(2).batchSize(64).shardSize(16)
            .build(), r, model, mlp, TinyData.images("train", 300, 1),
            TinyData.images("test", 60, 2));
      }
      r.writer.close();
      more.add(f);
    }

    JsonSchema schema;
    try (InputStream in = Files.newInputStream(Path.of("../../docs/report-schema.json"))) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
    ObjectMapper json = new ObjectMapper();
    List<Path> all = new ArrayList<>(List.of(report, linearReport));
    all.addAll(more);
    for (Path file : all) {
      List<String> lines = Files.readAllLines(file);
      assertTrue(lines.size() >= 3);
      for (String line : lines) {
        JsonNode node = json.readTree(line);
        Set<ValidationMessage> errors = schema.validate(node);
        assertTrue(errors.isEmpty(), file.getFileName() + ": " + errors + " in " + line);
      }
    }
    Reports.Report back = Reports.read(report);
    assertEquals(rec.lines.get(0), back.run());
    assertEquals(rec.lines.subList(1, rec.lines.size() - 1), back.epochs());
    assertEquals(rec.lines.get(rec.lines.size() - 1), back.summary().orElseThrow());
    assertEquals(4, back.epochs().size());
    assertEquals("softmax-regression", back.run().model());
  }

  @Test
  void linearRegressionRecoversTheParameters() {
    TrainingResult r = Runs.generated(Runs.book("linear", ModelOptions.NONE).build(),
        TrainingListener.NONE, "linear", ModelOptions.NONE);
    SummaryLine s = r.summary();
    for (double e : s.learnedError().w()) {
      assertTrue(Math.abs(e) < 0.01, "error in w " + e);
    }
    assertTrue(Math.abs(s.learnedError().b()) < 0.01, "error in b " + s.learnedError().b());
    for (double e : s.closedFormError().w()) {
      assertTrue(Math.abs(e) < 0.01, "closed form error " + e);
    }
    assertEquals(3, r.epochs().size());
    assertTrue(r.epochs().get(2).trainLoss() < 1e-3, "d2l reaches ~5e-5: " + r.epochs().get(2));
  }

  @Test
  void divergenceStopsTheRunAndIsReported() {
    List<ReportLine> lines = new ArrayList<>();
    TrainingListener l = new TrainingListener() {
      @Override
      public void runEnded(SummaryLine summary) {
        lines.add(summary);
      }
    };
    TrainingConfig huge = Runs.book("linear", ModelOptions.NONE).lr(1e6f).seed(1).threads(1)
        .shardSize(64).build();
    var e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
        () -> Runs.generated(huge, l, "linear", ModelOptions.NONE));
    assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    SummaryLine s = (SummaryLine) lines.get(0);
    assertEquals("diverged", s.status());
    assertEquals(e.getMessage(), s.message());
  }

  @Test
  void modelFileRoundTripsAndRejectsCorruption() throws Exception {
    TrainingResult r = Runs.softmax(tiny(1, Backend.VECTOR), TrainingListener.NONE, TinyData.images("train", 200, 1), TinyData.images("test", 50, 2));
    Path file = dir.resolve("model.json");
    ModelFile.save(r.model(), file);
    Model back = ModelFile.load(file);
    assertArrayEquals(weights(r), weights(back), 0f);
    assertEquals(List.of("top", "middle", "bottom"), back.classNames());
    assertEquals(6, back.imageHeight());
    assertEquals(r.model().network().describe(), back.network().describe());

    String text = Files.readString(file);
    int at = text.indexOf("\"data\" : \"") + 40; // a character inside the base64
    char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
    Files.writeString(file, text.substring(0, at) + flipped + text.substring(at + 1));
    var corrupt = org.junit.jupiter.api.Assertions.assertThrows(
        ModelFile.ModelFormatException.class, () -> ModelFile.load(file));
    assertTrue(corrupt.getMessage().contains("checksum")
        || corrupt.getMessage().contains("weights"), corrupt.getMessage());
    Files.writeString(file, "{\"hello\": 1}");
    var notModel = org.junit.jupiter.api.Assertions.assertThrows(
        ModelFile.ModelFormatException.class, () -> ModelFile.load(file));
    assertTrue(notModel.getMessage().contains("not a usable simdlearn model"),
        notModel.getMessage());
  }

  @Test
  void version1ModelFilesStillLoad() throws Exception {
    // A softmax-regression file as version 1 wrote it: weight and bias, checksum over both.
    float[] w = {0.5f, -1f, 2f, 0.25f, 0f, 1f};
    float[] b = {0.1f, -0.2f};
    var wb = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    wb.asFloatBuffer().put(w);
    var bb = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(b);
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update(wb.array());
    md.update(bb.array());
    String json = "{\"format\":\"simdlearn-model\",\"version\":1,\"kind\":\"softmax-regression\","
        + "\"inputs\":3,\"outputs\":2,\"image_height\":0,\"image_width\":0,"
        + "\"class_names\":[\"yes\",\"no\"],\"class_names_zh\":[],"
        + "\"weight\":\"" + java.util.Base64.getEncoder().encodeToString(wb.array()) + "\","
        + "\"bias\":\"" + java.util.Base64.getEncoder().encodeToString(bb.array()) + "\","
        + "\"sha256\":\"" + java.util.HexFormat.of().formatHex(md.digest()) + "\"}";
    Path file = dir.resolve("v1.json");
    Files.writeString(file, json);
    Model m = ModelFile.load(file);
    assertEquals("softmax-regression", m.kind());
    assertEquals("3-2 (linear(3->2))", m.network().describe());
    assertArrayEquals(new float[] {0.5f, -1f, 2f, 0.25f, 0f, 1f, 0.1f, -0.2f}, weights(m), 0f);
    float[] out = new float[2];
    m.predictor(simdlearn.kernel.training.TrainingKernels.scalar()).outputs(new float[] {1, 2, 3},
        out);
    assertArrayEquals(new float[] {0.5f - 2f + 6f + 0.1f, 0.25f + 0f + 3f - 0.2f}, out, 1e-6f);
    // Saved again, it is a current file with the same model.
    ModelFile.save(m, dir.resolve("v3.json"));
    assertArrayEquals(weights(m), weights(ModelFile.load(dir.resolve("v3.json"))), 0f);
  }

  @Test
  void version2ModelFilesAndVersion1CheckpointsStillLoad() throws Exception {
    // Written by the release before layer specs (train --model mlp --hidden 2 --dropout 0.5
    // --activation tanh --epochs 1 --limit 64).
    Path v2 = dir.resolve("v2.json");
    try (var in = TrainerTest.class.getResourceAsStream("v2/mlp-model.json")) {
      Files.copy(in, v2);
    }
    Model m = ModelFile.load(v2);
    assertEquals("784-2-10 (linear(784->2), tanh, dropout(0.5), linear(2->10))",
        m.network().describe());
    Path v3 = dir.resolve("v3.json");
    ModelFile.save(m, v3);
    assertTrue(Files.readString(v3).contains("\"version\" : 3"));
    Model again = ModelFile.load(v3);
    assertArrayEquals(weights(m), weights(again), 0f);
    assertEquals(m.network().architecture(), again.network().architecture());

    Path v1 = dir.resolve("checkpoint.json");
    try (var in = TrainerTest.class.getResourceAsStream("v2/mlp-checkpoint-v1.json")) {
      Files.copy(in, v1);
    }
    CheckpointFile.Loaded c = CheckpointFile.load(v1);
    assertEquals("mlp", c.spec().model());
    assertEquals(List.of(2), c.spec().options().hidden());
    assertEquals(List.of(0.5), c.spec().options().dropout());
    assertEquals("tanh", c.spec().options().activation());
    assertEquals(64, c.spec().options().limit());
    assertEquals(1, c.checkpoint().epochsCompleted());
    assertEquals(4, c.checkpoint().parameters().size());
  }

  @Test
  void modelFilesWithAnotherArchitectureAreRefused() throws Exception {
    ModelOptions five = Runs.with().hidden(List.of(5)).build();
    TrainingConfig mlp = Runs.book("mlp", five).epochs(1).batchSize(64).shardSize(16).build();
    TrainingResult r = Runs.train(mlp, TrainingListener.NONE, "mlp", five,
        TinyData.images("train", 100, 1), TinyData.images("test", 20, 2));
    Path file = dir.resolve("mlp.json");
    ModelFile.save(r.model(), file);
    String text = Files.readString(file);
    // The architecture says 7 hidden units, the parameters hold 5: refused even with a fixed-up
    // checksum, because the shapes do not fit.
    String edited = text.replace("\"outputs\" : 5", "\"outputs\" : 7")
        .replace("\"inputs\" : 5", "\"inputs\" : 7");
    Files.writeString(file, edited);
    var e = org.junit.jupiter.api.Assertions.assertThrows(ModelFile.ModelFormatException.class,
        () -> ModelFile.load(file));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    Files.writeString(file, ModelFileAccess.resign(edited));
    e = org.junit.jupiter.api.Assertions.assertThrows(ModelFile.ModelFormatException.class,
        () -> ModelFile.load(file));
    assertTrue(e.getMessage().contains("the architecture needs 0.weight 7x36"), e.getMessage());
    // A network that does not fit the data is refused before training.
    var wrongNet = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new Trainer(mlp, TrainingListener.NONE).fit(r.model(),
            TinyData.images(TinyData.SPEC, "big", 10, 8, 3, 1), null,
            Objective.classification(new simdlearn.optim.SoftmaxCrossEntropy(
                simdlearn.kernel.Kernels.vector())),
            mlp.optimizer(simdlearn.kernel.Kernels.vector())));
    assertTrue(wrongNet.getMessage().contains("has 64 features but the network takes 36"),
        wrongNet.getMessage());
  }

  @Test
  void typedSettingsAreTheNamedOnesAndATrainedModelPredictsInBatches() {
    TrainingConfig typed = new TrainingConfig.Builder()
        .optimizer(TrainingConfig.OptimizerKind.NESTEROV)
        .schedule(TrainingConfig.ScheduleKind.COSINE).init(new Init.Normal(0.05)).build();
    TrainingConfig named = new TrainingConfig.Builder().optimizer("nesterov").schedule("cosine")
        .init("normal").initStd(0.05).build();
    assertEquals(named, typed);
    assertEquals("xavier", new TrainingConfig.Builder().init(new Init.XavierUniform()).build()
        .init());

    ImageDataset train = TinyData.images("train", 300, 1);
    ImageDataset test = TinyData.images("test", 300, 2);
    TrainingResult r = Runs.softmax(tiny(2, Backend.VECTOR), TrainingListener.NONE, train, test);
    simdlearn.kernel.training.TrainingKernels k = simdlearn.kernel.training.TrainingKernels.vector();
    int[] all = java.util.stream.IntStream.range(0, test.size()).toArray();
    simdlearn.kernel.FloatMatrix x = simdlearn.kernel.FloatMatrix.zeros(test.size(),
        test.features());
    test.copyFeatures(all, 0, test.size(), x.data(), 0);
    int[] predicted = r.model().predict(k, x);
    assertEquals(test.size(), predicted.length);
    long right = java.util.stream.IntStream.range(0, test.size())
        .filter(i -> predicted[i] == test.label(i)).count();
    assertEquals(r.summary().finalTestAcc(), (double) right / test.size(), 1e-12,
        "batch predictions agree with the trainer's evaluation");
    assertEquals(r.summary().finalTestAcc(), r.model().accuracy(k, test), 1e-12);
    float[] one = new float[3];
    float[] first = new float[test.features()];
    test.copyFeatures(all, 0, 1, first, 0);
    r.model().predictor(k).outputs(first, one);
    assertArrayEquals(one, r.model().outputs(k, x).row(0).toArray(), 0f);
  }

  @Test
  void badSettingsAreRefusedByName() {
    TrainingConfig d = new TrainingConfig.Builder().build();
    var e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
        () -> d.toBuilder().batchSize(0).build().validate());
    assertEquals("batch size must be between 1 and 65536, got 0", e.getMessage());
    assertEquals("batchSize", e.setting());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> d.toBuilder().epochs(-1).build().validate());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> d.toBuilder().lr(-0.1f).build().validate());
    assertEquals(d, d.validate());
  }

  @Test
  void gradientBlocksMeetOnTheSmallOnesWhenClaimedFromBothEnds() {
    Sequential mlp = Sequential.builder(784).linear(256).relu().linear(10)
        .build(new Init.Normal(0.01), 42);
    List<GradientBlock> blocks = mlp.gradientBlocks();
    GradientBlock[] order = Trainer.spreadOrder(blocks);
    assertEquals(Set.copyOf(blocks), Set.of(order), "every block exactly once");
    assertEquals(blocks.size(), order.length);
    // 784 inputs: twelve 64-column blocks of the 256 x 784 weight, then a 16-column one, the
    // bias, the output layer's weight and bias. The twelve large blocks keep their order, six at
    // each end; the four small ones are claimed last, between them.
    List<GradientBlock> large = blocks.subList(0, 12);
    assertEquals(large.subList(0, 6), List.of(order).subList(0, 6));
    assertEquals(large.subList(6, 12), List.of(order).subList(10, 16));
    assertEquals(Set.copyOf(blocks.subList(12, 16)), Set.copyOf(List.of(order).subList(6, 10)));
  }
}
