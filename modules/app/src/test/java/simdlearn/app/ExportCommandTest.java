package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdlearn.app.CliTest.Result;
import simdlearn.onnx.ModelExport;
import simdlearn.testkit.ModelFiles;
import simdlearn.testkit.TinyData;
import simdlearn.train.ModelFile;

/** {@code simdlearn export}: the file it writes, and one line and no file for each refusal. */
class ExportCommandTest {
  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void trainedModel() throws Exception {
    TinyData.writeFashionMnist(dir.resolve("fm"), 600, 100);
    Path run = dir.resolve("lenet");
    Result r = CliTest.run("train", "--model", "lenet", "--epochs", "0", "--data",
        dir.resolve("fm").toString(), "--unverified", "--no-plots", "--out", run.toString());
    assertEquals(0, r.status(), r.err());
    model = run.resolve("model.json");
  }

  private static void assertRefused(String expected, Path out, String... args) {
    Result r = CliTest.run(args);
    assertEquals(1, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(Files.exists(out), "nothing written at " + out);
  }

  @Test
  void writesTheModelsOnnxFileAndSaysWhatItTakesAndGives() throws Exception {
    Path out = dir.resolve("lenet.onnx");
    Result r = CliTest.run("export", "--model", model.toString(), "--format", "onnx", "--out",
        out.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("wrote " + out + " (lenet, ONNX opset 17, "), r.out());
    assertTrue(r.out().strip().endsWith("input 'input' float32 [N, 1, 28, 28]; outputs 'logits'"
        + " [N, 10], 'probabilities' [N, 10]"), r.out());
    assertArrayEquals(ModelExport.toOnnx(ModelFile.load(model)), Files.readAllBytes(out));

    // Again: refused, the file untouched; with --overwrite, replaced.
    Files.writeString(out, "an older export");
    Result again = CliTest.run("export", "--model", model.toString(), "--out", out.toString());
    assertEquals(1, again.status());
    assertEquals(out + " already exists: pass --overwrite to replace it",
        again.err().strip().replaceFirst("^simdlearn export: ", ""));
    assertEquals("an older export", Files.readString(out));
    assertEquals(0, CliTest.run("export", "--model", model.toString(), "--out", out.toString(),
        "--overwrite").status());
    assertArrayEquals(ModelExport.toOnnx(ModelFile.load(model)), Files.readAllBytes(out));
  }

  @Test
  void aModelThatFailsItsChecksumIsRefused() throws Exception {
    String json = Files.readString(model);
    // One weight changed, the checksum left alone: the file is not the one train wrote.
    int at = json.indexOf("\"data\" : \"") + 12;
    char c = json.charAt(at);
    Path bad = Files.writeString(dir.resolve("tampered.json"),
        json.substring(0, at) + (c == 'A' ? 'B' : 'A') + json.substring(at + 1));
    Path out = dir.resolve("tampered.onnx");
    assertRefused("is not a usable simdlearn model", out, "export", "--model", bad.toString(),
        "--out", out.toString());
  }

  @Test
  void anUnknownLayerIsRefused() throws Exception {
    String json = Files.readString(model).replace("\"type\" : \"flatten\"",
        "\"type\" : \"wormhole\"");
    Path bad = Files.writeString(dir.resolve("unknown.json"), ModelFiles.resign(json));
    Path out = dir.resolve("unknown.onnx");
    assertRefused("unknown layer type 'wormhole'", out, "export", "--model", bad.toString(),
        "--out", out.toString());
  }

  @Test
  void badFlagsAndPlacesAreOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path out = file.resolve("model.onnx");
    assertRefused("a-file", out, "export", "--model", model.toString(), "--out", out.toString());
    Path folder = Files.createDirectories(dir.resolve("folder.onnx"));
    Result r = CliTest.run("export", "--model", model.toString(), "--out", folder.toString(),
        "--overwrite");
    assertEquals(1, r.status());
    assertTrue(r.err().contains(folder + " is a directory"), r.err());
    CliTest.assertUsageError("--format", "export", "--model", model.toString(), "--format",
        "tflite", "--out", dir.resolve("x.onnx").toString());
    CliTest.assertUsageError("Missing required option: '--out=FILE'", "export", "--model",
        model.toString());
  }
}
