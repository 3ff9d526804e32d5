package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.testkit.ReportSchema;
import simdlearn.testkit.TinyData;
import simdlearn.app.plot.Curves;
import simdlearn.report.Reports;

/** The command line as a user meets it: exit status, one-line errors, files written. */
class CliTest {
  @TempDir
  static Path dir;

  record Result(int status, String out, String err) {}

  /**
   * Runs a command; the report of every train run (if it wrote one) must match the schema, and
   * its console lines must fit an 80-column terminal (but for lines naming the user's paths).
   */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    List<String> a = List.of(args);
    for (String dirOption : List.of("--out", "--resume")) {
      int i = a.indexOf(dirOption);
      Path report = i >= 0 && i + 1 < a.size() ? Path.of(a.get(i + 1), "report.jsonl") : null;
      if (a.contains("train") && report != null && Files.exists(report)) {
        try {
          ReportSchema.assertValid(report);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
    if (a.contains("train")) {
      out.toString().lines().filter(l -> !l.contains(System.getProperty("java.io.tmpdir")))
          .forEach(l -> assertTrue(l.length() < 80, "wider than 80 columns: " + l));
    }
    return new Result(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void fakeDataset() throws Exception {
    System.setProperty("java.awt.headless", "true");
    TinyData.writeFashionMnist(dir.resolve("fm"), 600, 100);
  }

  static void assertUsageError(String expected, String... args) {
    Result r = run(args);
    assertEquals(2, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void onlyARunThatDidItsCommandsWorkMarksTheClassArchiveToKeep() {
    Path archive = dir.resolve("archive-test.jsa");
    Path mark = dir.resolve("archive-test.jsa.ok");
    System.setProperty(ClassArchive.PROPERTY, archive.toString());
    try {
      assertEquals(0, run("report", "--help").status());
      assertEquals(0, run("--version").status());
      assertEquals(2, run("train", "--bogus").status());
      assertEquals(1, run("report", dir.resolve("no-such-report.jsonl").toString()).status());
      assertFalse(Files.exists(mark), "help, a usage error and a failure keep no archive");
      Path out = dir.resolve("archive-run");
      Result r = run("train", "--data", dir.resolve("fm").toString(), "--epochs", "1",
          "--unverified", "--no-plots", "--out", out.toString());
      assertEquals(0, r.status(), r.err());
      assertTrue(Files.exists(mark), "a completed run keeps its archive");
      assertEquals(0, run("report", out.resolve("report.jsonl").toString()).status());
      assertTrue(Files.exists(mark), "marking again is harmless");
    } finally {
      System.clearProperty(ClassArchive.PROPERTY);
    }
  }

  @Test
  void anActivationFromTheRegistryTrainsWithItsSettingInTheModelAndReport() throws Exception {
    Path out = dir.resolve("leaky");
    Result r = run("train", "--model", "mlp", "--activation", "leaky-relu", "--slope", "0.05",
        "--hidden", "8", "--epochs", "1", "--data", dir.resolve("fm").toString(), "--unverified",
        "--no-plots", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    String model = Files.readString(out.resolve("model.json"));
    assertTrue(model.contains("\"type\" : \"leaky-relu\"") && model.contains("\"slope\" : 0.05"),
        model.substring(0, 1200));
    assertTrue(Files.readString(out.resolve("report.jsonl"))
        .contains("\"activation\":\"leaky-relu(slope=0.05)\""));
    Result p = run("predict", "--model", out.resolve("model.json").toString(), "--data",
        dir.resolve("fm").toString(), "--unverified", "--n", "2");
    assertEquals(0, p.status(), p.err());
    // train --help is wrapped at 80 columns by picocli, so it is read without run()'s width check.
    StringWriter help = new StringWriter();
    assertEquals(0, Main.run(new PrintWriter(help), new PrintWriter(new StringWriter()), "train",
        "--help"));
    assertTrue(help.toString().contains("--slope=X")
        && help.toString().contains("leaky-relu (default"), help.toString());
    assertTrue(help.toString().contains("Models:") && help.toString().contains("highdim-linear"),
        help.toString());
  }

  @Test
  void aLongRunPrintsASampleOfItsEpochsAndTheReportKeepsThemAll() throws Exception {
    Path out = dir.resolve("sampled-polynomial");
    Result r = run("train", "--model", "polynomial", "--no-plots", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    long lines = r.out().lines().filter(l -> l.startsWith("epoch ")).count();
    assertEquals(21, lines, "epochs 1, 20, 40, ..., 400: " + r.out());
    assertTrue(r.out().contains("(every 20th epoch shown; report.jsonl has all 400)"), r.out());
    assertEquals(400, simdlearn.report.Reports.read(out.resolve("report.jsonl")).epochs().size());
    assertTrue(r.out().contains("simdlearn: wrote report.jsonl, model.json in " + out), r.out());
  }

  @Test
  void aConvolutionalNetworkTrainsSavesAndPredicts() throws Exception {
    Path out = dir.resolve("lenet");
    Result r = run("train", "--model", "lenet", "--epochs", "1", "--limit", "128",
        "--batch-size", "64", "--data", dir.resolve("fm").toString(), "--unverified",
        "--no-plots", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    String model = Files.readString(out.resolve("model.json"));
    assertTrue(model.contains("\"input_shape\" : [ 1, 28, 28 ]")
        && model.contains("\"type\" : \"conv2d\"") && model.contains("\"avg-pool2d\""),
        model.substring(0, 900));
    Result p = run("predict", "--model", out.resolve("model.json").toString(), "--data",
        dir.resolve("fm").toString(), "--unverified", "--n", "3");
    assertEquals(0, p.status(), p.err());
    assertTrue(p.out().contains("3 of 3 correct") || p.out().contains("of 3 correct"), p.out());
  }

  @Test
  void runsStartFromAModelFilesWeightsAndZeroEpochsWriteTheInitialModel() throws Exception {
    String data = dir.resolve("fm").toString();
    Path initial = dir.resolve("lenet-initial");
    Result r = run("train", "--model", "lenet", "--epochs", "0", "--data", data, "--unverified",
        "--out", initial.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("done: no epoch to train; the model is the initial one"), r.out());
    Path file = initial.resolve("model.json");
    assertTrue(Files.exists(file));
    // Another seed, the same weights: they come from the file.
    Path again = dir.resolve("lenet-again");
    assertEquals(0, run("train", "--model", "lenet", "--epochs", "0", "--seed", "7", "--data",
        data, "--unverified", "--init-from", file.toString(), "--out", again.toString()).status());
    assertEquals(RunSafetyTest.concat(simdlearn.train.ModelFile.load(file).network().parameters()
        .stream().map(p -> p.value().toArray()).toList()).length, RunSafetyTest.weights(
        simdlearn.train.ModelFile.load(again.resolve("model.json"))).length);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        RunSafetyTest.weights(simdlearn.train.ModelFile.load(file)),
        RunSafetyTest.weights(simdlearn.train.ModelFile.load(again.resolve("model.json"))), 0f);
    assertEquals(file.toAbsolutePath().toString(), simdlearn.report.Reports.read(
        again.resolve("report.jsonl")).run().settings().initFrom(), "the report says so");
    assertUsageError("--init-from " + file + " does not fit --model mlp: the network takes 784"
        + " but the other takes 1x28x28", "train", "--model", "mlp", "--epochs", "0", "--data",
        data, "--unverified", "--init-from", file.toString(), "--out",
        dir.resolve("misfit").toString());
  }

  @Test
  void badValuesAreRefusedBeforeAnyWork() {
    assertUsageError("--batch-size must be between 1 and 65536, got 0", "train", "--batch-size",
        "0");
    assertUsageError("--lr must be a finite number > 0, got -1.0", "train", "--lr", "-1");
    assertUsageError("--epochs must be between 0 and 1000000, got -1", "train", "--epochs", "-1");
    assertUsageError("--optimizer must be sgd", "train", "--optimizer", "rmsprop");
    assertUsageError("Unknown option: '--bogus'", "train", "--bogus");
    assertUsageError("--backend", "train", "--backend", "gpu");
    assertUsageError("a command is required");
  }

  @Test
  void chapterFourExperimentsWriteTheirReportsAndPictures() throws Exception {
    Path poly = dir.resolve("poly");
    Result p = run("train", "--model", "polynomial", "--degree", "3", "--epochs", "20", "--out",
        poly.toString());
    assertEquals(0, p.status(), p.err());
    var epochs = Reports.read(poly.resolve("report.jsonl")).epochs();
    var plot = Curves.chart("poly", epochs).getXYPlot();
    assertTrue(plot.getRangeAxis() instanceof org.jfree.chart.axis.LogAxis, "a log loss axis");
    assertEquals(2, plot.getDataset().getSeriesCount(), "train and test loss");
    assertTrue(ImageIO.read(poly.resolve("training-curves.png").toFile()).getWidth() > 100);
    assertTrue(Files.readString(poly.resolve("report.jsonl"))
        .contains("\"true_weights\":[5.0,1.2,-3.4,5.6]"));

    Path decay = dir.resolve("decay");
    Result h = run("train", "--model", "highdim-linear", "--weight-decay", "3", "--epochs", "5",
        "--out", decay.toString(), "--no-plots");
    assertEquals(0, h.status(), h.err());
    assertTrue(Files.readString(decay.resolve("report.jsonl")).contains("\"weight_norm\""));

    Path clouds = dir.resolve("clouds");
    Result c = run("train", "--model", "logistic", "--dataset", "synthetic-2d", "--out",
        clouds.toString());
    assertEquals(0, c.status(), c.err());
    assertTrue(ImageIO.read(clouds.resolve("decision-boundary.png").toFile()).getWidth() > 100);
    assertTrue(Files.readString(clouds.resolve("decision-boundary.svg")).contains("<svg"));

    Path boots = dir.resolve("boots");
    Result b = run("train", "--model", "logistic", "--data", dir.resolve("fm").toString(),
        "--classes", "7,9", "--epochs", "2", "--out", boots.toString(), "--unverified");
    assertEquals(0, b.status(), b.err());
    assertTrue(b.out().contains("simdlearn: logistic-regression 784-1 on fashion-mnist[7,9]"),
        b.out());
    Result pred = run("predict", "--model", boots.resolve("model.json").toString(), "--data",
        dir.resolve("fm").toString(), "--n", "4", "--top-k", "2", "--unverified");
    assertEquals(0, pred.status(), pred.err());
    assertTrue(pred.out().contains("of 4 correct") && pred.out().contains("ankle boot"),
        pred.out());
  }

  @Test
  void badNetworksAreRefusedBeforeAnyWork() {
    assertUsageError("--hidden sizes must be between 1 and 65536, got 0", "train", "--model", "mlp",
        "--hidden", "256,0");
    assertUsageError("--dropout values must be in [0, 1), got 1.0", "train", "--model", "mlp",
        "--dropout", "1.0");
    assertUsageError("--dropout needs one value per hidden layer (2), got 1", "train", "--model",
        "mlp", "--hidden", "256,256", "--dropout", "0.5");
    assertUsageError("--activation must be one of relu, leaky-relu, sigmoid, tanh, got 'gelu'", "train", "--model",
        "mlp", "--activation", "gelu");
    assertUsageError(
        "--init must be normal, zeros, uniform, xavier, xavier-normal or he, got 'glorot'", "train",
        "--model", "mlp", "--init", "glorot");
    assertUsageError("--hidden does not apply to the softmax model (it takes dataset, limit, loss,"
        + " resize)", "train", "--hidden", "256");
    assertUsageError("--model must be one of softmax, mlp, linear, polynomial, highdim-linear,"
        + " logistic, lenet, lenet-bn, resnet; got 'cnn'", "train", "--model", "cnn");
    assertUsageError("--preset must be book for mlp, got 'tuned'", "train", "--model", "mlp",
        "--preset", "tuned");
    assertUsageError("--degree must be between 0 and 19, got 20", "train", "--model",
        "polynomial", "--degree", "20");
    assertUsageError("--degree does not apply to the softmax model", "train", "--degree", "3");
    assertUsageError("--loss for logistic must be logistic or squared, got 'huber'", "train",
        "--model", "logistic", "--loss", "huber");
    assertUsageError("--classes takes two classes for a binary classifier, got 3", "train",
        "--model", "logistic", "--classes", "1,2,3", "--data", dir.resolve("fm").toString());
    assertUsageError("--classes does not apply to the softmax model", "train", "--classes", "7,9");
    assertUsageError("--slope does not apply to the softmax model", "train", "--slope", "0.1");
    assertUsageError("--slope is not a setting of the relu activation", "train", "--model", "mlp",
        "--slope", "0.1");
    assertUsageError("--slope cannot be used: leaky-relu's slope must be finite and >= 0, got -1.0",
        "train", "--model", "mlp", "--activation", "leaky-relu", "--slope", "-1");
  }

  @Test
  void aFileThatIsNotAModelIsOneLineAndStatusOne() throws Exception {
    Path fake = Files.writeString(dir.resolve("fake.json"), "[1, 2, 3]");
    Result r = run("predict", "--model", fake.toString());
    assertEquals(1, r.status());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("is not a usable simdlearn model"), r.err());
  }

  @Test
  void divergenceExitsOneAndTheReportSaysSo() throws Exception {
    Path out = dir.resolve("diverged");
    Result r = run("train", "--model", "linear", "--lr", "1e6", "--out", out.toString(),
        "--no-plots");
    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.err().contains("training diverged"), r.err());
    List<String> lines = Files.readAllLines(out.resolve("report.jsonl"));
    assertTrue(lines.get(lines.size() - 1).contains("\"status\":\"diverged\""));
    assertTrue(!Files.exists(out.resolve("model.json")), "no model from a diverged run");
  }

  @Test
  void deepNetworksListTheirLayersOnShortLines() {
    Path out = dir.resolve("deep");
    Result t = run("train", "--model", "mlp", "--hidden", "256,256", "--dropout", "0.2,0.5",
        "--data", dir.resolve("fm").toString(), "--unverified", "--epochs", "1", "--limit", "256",
        "--no-plots", "--out", out.toString());
    assertEquals(0, t.status(), t.err());
    assertTrue(t.out().startsWith("simdlearn: mlp 784-256-256-10 on fashion-mnist, 256 train"
        + " / 100 test\n"), t.out());
    assertTrue(t.out().contains("  layers: linear(784->256), relu, dropout(0.2),"), t.out());
  }

  @Test
  void trainPredictReportShow() throws Exception {
    Path out = dir.resolve("run");
    Path data = dir.resolve("fm");
    Result t = run("train", "--data", data.toString(), "--epochs", "2", "--out", out.toString(),
        "--threads", "2", "--unverified");
    assertEquals(0, t.status(), t.err());
    assertTrue(t.out().contains("epoch  2/2"), t.out());
    for (String f : List.of("report.jsonl", "model.json", "training-curves.svg",
        "training-curves.png", "predictions.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertTrue(Files.readString(out.resolve("training-curves.svg")).contains("<svg"));

    Result p = run("predict", "--model", out.resolve("model.json").toString(), "--data",
        data.toString(), "--n", "5", "--top-k", "2", "--unverified");
    assertEquals(0, p.status(), p.err());
    assertTrue(p.out().contains("test image 4:") && p.out().contains("of 5 correct"), p.out());

    BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 40, 40);
    g.setColor(Color.BLACK);
    g.fillRect(10, 5, 20, 30);
    g.dispose();
    Path png = dir.resolve("mine.png");
    ImageIO.write(img, "png", png.toFile());
    Result own = run("predict", "--model", out.resolve("model.json").toString(), png.toString());
    assertEquals(0, own.status(), own.err());
    assertTrue(own.out().startsWith(png + ": "), own.out());

    Result rep = run("report", out.resolve("report.jsonl").toString());
    assertEquals(0, rep.status(), rep.err());
    assertTrue(rep.out().contains("train_loss") && rep.out().contains("completed after 2 epochs"),
        rep.out());

    Path samples = dir.resolve("samples.png");
    Result show = run("show", "--data", data.toString(), "--n", "12", "--out", samples.toString(),
        "--unverified");
    assertEquals(0, show.status(), show.err());
    assertTrue(ImageIO.read(samples.toFile()).getWidth() > 100);

    Result notReport = run("report", png.toString());
    assertEquals(1, notReport.status());
    assertEquals(1, notReport.err().strip().lines().count(), notReport.err());
  }

  @Test
  void reportPrintsNoEscapesAndNamesMissingFields() throws Exception {
    // Hostile campaign 3 and 8: ESC/OSC codes and newlines from a report's fields reached the
    // terminal; a line without its fields printed a NullPointerException's text.
    Path out = dir.resolve("escapes");
    Result trained = run("train", "--data", dir.resolve("fm").toString(), "--epochs", "1",
        "--unverified", "--no-plots", "--out", out.toString());
    assertEquals(0, trained.status(), trained.err());
    Path report = out.resolve("report.jsonl");
    List<String> lines = Files.readAllLines(report);
    Path hostile = dir.resolve("hostile.jsonl");
    Files.write(hostile, List.of(
        lines.get(0).replace("\"softmax-regression\"", "\"\\u001b]0;owned\\u0007x\\ny\""),
        lines.get(1),
        lines.get(2).replace("\"completed\"", "\"\\u001b[2Jdone\"")));
    Result r = run("report", "--no-plots", hostile.toString());
    assertEquals(0, r.status(), r.err());
    assertFalse(r.out().chars().anyMatch(c -> c == 0x1b || c == 0x07), r.out());
    assertTrue(r.out().contains("?]0;owned?x?y on"), r.out());
    assertTrue(r.out().contains("?[2Jdone after 1 epochs"), r.out());

    Path noModel = dir.resolve("no-model.jsonl");
    Files.write(noModel, List.of(lines.get(0).replace("\"model\":\"softmax-regression\",", ""),
        lines.get(1)));
    Result missing = run("report", "--no-plots", noModel.toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("line 1 has no model"), missing.err());
    assertFalse(missing.err().contains("Exception"), missing.err());
  }

  @Test
  void networksTooLargeForAModelFileAreRefusedBeforeTraining() {
    Result r = run("train", "--model", "mlp", "--hidden", "65536,65536", "--epochs", "1",
        "--data", dir.resolve("fm").toString(), "--unverified", "--no-plots", "--out",
        dir.resolve("too-large").toString());
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("[65536, 65536] gives "), r.err());
    assertTrue(r.err().contains(" parameters; a model holds at most 67108864 (256 MiB of"
        + " float32)"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
