package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simdlearn.app.CliTest.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import simdlearn.report.EpochLine;
import simdlearn.report.Reports;
import simdlearn.train.CheckpointFile;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;
import simdlearn.testkit.ReportSchema;
import simdlearn.testkit.TinyData;
import simdlearn.app.io.RunDirectory;

/** Runs that survive users: output directories, divergence, options, data errors, signals. */
class RunSafetyTest {
  @TempDir
  static Path dir;
  static Path data;

  @BeforeAll
  static void fakeDataset() throws Exception {
    System.setProperty("java.awt.headless", "true");
    data = dir.resolve("fm");
    TinyData.writeFashionMnist(data, 600, 100);
  }

  static void assertOneLine(int status, CliTest.Result r, String expected) {
    assertEquals(status, r.status(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  static CliTest.Result train(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out",
        out.toString(), "--unverified", "--no-plots"));
    args.addAll(List.of(more));
    if (!args.contains("--epochs")) {
      args.addAll(List.of("--epochs", "2"));
    }
    return run(args.toArray(String[]::new));
  }

  @Test
  void aNonEmptyOutputDirectoryIsRefusedUnlessOverwriting() throws Exception {
    Path out = dir.resolve("reused");
    assertEquals(0, train(out).status());
    String firstReport = Files.readString(out.resolve("report.jsonl"));
    assertOneLine(2, train(out), "is not empty (checkpoint.json, model.json, report.jsonl)");
    assertEquals(firstReport, Files.readString(out.resolve("report.jsonl")), "left as it was");

    // --overwrite replaces the earlier run's files, never through a link, and keeps others.
    Path victim = dir.resolve("victim.txt");
    Files.writeString(victim, "precious");
    Files.delete(out.resolve("report.jsonl"));
    Files.createSymbolicLink(out.resolve("report.jsonl"), victim);
    Files.delete(out.resolve("model.json"));
    Files.createSymbolicLink(out.resolve("model.json"), victim);
    Files.writeString(out.resolve("notes.txt"), "mine");
    CliTest.Result r = train(out, "--overwrite", "--seed", "3");
    assertEquals(0, r.status(), r.err());
    assertEquals("precious", Files.readString(victim));
    for (String written : List.of("report.jsonl", "model.json")) {
      assertTrue(Files.isRegularFile(out.resolve(written), LinkOption.NOFOLLOW_LINKS), written);
    }
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    assertEquals(3L, Reports.read(out.resolve("report.jsonl")).run().settings().seed());
  }

  @Test
  void aDirectoryARunHoldsIsRefusedToAnother() throws Exception {
    Path out = dir.resolve("held");
    try (RunDirectory _ = RunDirectory.forNewRun(out, false)) {
      assertOneLine(1, train(out), "cannot lock " + out);
    }
    assertEquals(0, train(out).status(), "free again once released");
  }

  @Test
  void aFailedRunLeavesNoDirectoryItCreated() {
    Path out = dir.resolve("never");
    CliTest.Result r = run("train", "--data", dir.resolve("nothing-here").toString(), "--out",
        out.toString(), "--unverified", "--no-plots");
    assertEquals(1, r.status(), r.err());
    assertFalse(Files.exists(out), "no empty run directory left behind");
  }

  @Test
  void everyKindOfDivergenceStopsWithStatusOneAndNoModel() throws Exception {
    // Non-finite values, not large ones (softmax at lr 1e30 learns: RealDataTrainingTest).
    String[][] cases = {
        {"--model", "mlp", "--hidden", "8", "--lr", "1e30"},
        {"--lr", "3.4e38", "--limit", "256", "--epochs", "1"},
        {"--model", "mlp", "--hidden", "8", "--activation", "sigmoid", "--lr", "1e38"}};
    for (String[] c : cases) {
      Path out = dir.resolve("diverged" + String.join("", c).replace("-", "").replace(".", ""));
      CliTest.Result r = train(out, c);
      assertOneLine(1, r, "training diverged");
      List<String> lines = Files.readAllLines(out.resolve("report.jsonl"));
      assertTrue(lines.get(lines.size() - 1).contains("\"status\":\"diverged\""),
          String.join(" ", c) + ": " + lines.get(lines.size() - 1));
      assertFalse(Files.exists(out.resolve("model.json")), "no model from a diverged run");
      ReportSchema.assertValid(out.resolve("report.jsonl"));
    }
  }

  @Test
  void unboundedAndConflictingOptionsAreRefused() {
    CliTest.assertUsageError("--threads must be between 1 and 256, got 1000", "train",
        "--threads", "1000");
    CliTest.assertUsageError("--batch-size must be between 1 and 65536, got 100000", "train",
        "--batch-size", "100000");
    CliTest.assertUsageError("--data is for image datasets", "train", "--model", "linear",
        "--data", data.toString());
    CliTest.assertUsageError("--limit does not apply to the polynomial model (it takes degree,"
        + " loss)", "train", "--model", "polynomial", "--resize", "14", "--limit", "10");
    CliTest.assertUsageError("--momentum is for --optimizer momentum or nesterov, not sgd",
        "train", "--momentum", "0.5");
    CliTest.assertUsageError("--init-std is for --init normal, not he", "train", "--init", "he",
        "--init-std", "0.1");
    CliTest.assertUsageError("--activation does not apply to the softmax model", "train",
        "--activation", "tanh");
    CliTest.assertUsageError("--dataset must be one of fashion-mnist, mnist; got 'cifar'",
        "train", "--dataset", "cifar");
    CliTest.assertUsageError("--resume continues a run with its own settings; --lr cannot",
        "train", "--resume", dir.toString(), "--lr", "0.5");
  }

  @Test
  void everyCommandHasVersionAndEveryOptionHelp() {
    for (String command : List.of("train", "predict", "report", "show")) {
      CliTest.Result r = run(command, "--version");
      assertEquals(0, r.status(), command);
      assertTrue(r.out().startsWith("simdlearn "), command + ": " + r.out());
    }
    CommandLine cli = new CommandLine(new Main());
    for (CommandLine sub : cli.getSubcommands().values()) {
      for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
        assertTrue(o.description().length > 0 && !o.description()[0].isBlank(),
            sub.getCommandName() + " " + o.longestName() + " has no help text");
      }
      for (CommandLine.Model.PositionalParamSpec p : sub.getCommandSpec().positionalParameters()) {
        assertTrue(p.description().length > 0, sub.getCommandName() + " " + p.paramLabel());
      }
    }
  }

  @Test
  void dataErrorsExitOneAndNameTheFile() throws Exception {
    Path broken = dir.resolve("broken");
    TinyData.writeFashionMnist(broken, 50, 20);
    Path images = broken.resolve("train-images-idx3-ubyte.gz");
    byte[] gz = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(gz, gz.length / 2));
    CliTest.Result r = run("train", "--data", broken.toString(), "--out",
        dir.resolve("broken-run").toString(), "--unverified");
    assertOneLine(1, r, images.toString());
    // A known dataset's files are checked against its published checksums.
    r = run("train", "--data", data.toString(), "--out", dir.resolve("unverified").toString());
    assertOneLine(1, r, "is not fashion-mnist's train-images-idx3-ubyte.gz");
  }

  @Test
  void reportToleratesACutOffLastLineAndRefusesDamageElsewhere() throws Exception {
    Path out = dir.resolve("cut");
    assertEquals(0, train(out).status());
    Path report = out.resolve("report.jsonl");
    String text = Files.readString(report);
    Files.writeString(report, text.substring(0, text.length() - 20)); // killed mid-line
    CliTest.Result r = run("report", report.toString(), "--no-plots");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("the last line was cut off mid-write"), r.out());
    assertTrue(r.out().contains("no summary line"), r.out());
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    lines.set(1, lines.get(1).substring(0, 30));
    Files.writeString(report, String.join("\n", lines) + "\n");
    assertOneLine(1, run("report", report.toString(), "--no-plots"), "line 2 is not a report line");
  }

  /** Every launcher command answers --help, without building anything. */
  @Test
  void theLaunchersOwnCommandsAnswerHelp() throws Exception {
    for (String command : List.of("bench", "build")) {
      ProcessBuilder pb = new ProcessBuilder("bash", "../../bin/simdlearn", command, "--help")
          .redirectErrorStream(true);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), command);
      assertEquals(0, p.exitValue(), command + ": " + out);
      assertTrue(out.startsWith("usage: bin/simdlearn " + command), out);
      assertFalse(out.contains("building"), out);
    }
  }

  /** An error about a file says what is wrong with it and what to do, never only its path. */
  @Test
  void fileErrorsSayWhatIsWrongAndWhatToDo() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertOneLine(1, run("train", "--data", data.toString(), "--unverified", "--out",
        file.toString()), "--out " + file + " is a file, not a directory: give a new or empty");
    Path missing = dir.resolve("no-such-report.jsonl");
    assertOneLine(1, run("report", missing.toString()), missing + ": no such file; give the"
        + " report.jsonl of a run");
    assertOneLine(1, run("report", dir.toString()), dir + " is a directory: give its"
        + " report.jsonl");
    Path notReport = Files.writeString(dir.resolve("model.json"), "{\n  \"format\" : 1\n}\n");
    CliTest.Result r = run("report", notReport.toString());
    assertOneLine(1, r, "line 1 is not a report line; a report is a run's report.jsonl");
    assertFalse(r.err().contains("Jackson") || r.err().contains("Source:"), r.err());
    assertOneLine(2, run("show", "--data", data.toString(), "--unverified", "--out",
        dir.toString()), "--out " + dir + " is a directory: give the picture's file name");
    assertEquals("/x/y: no such file or directory",
        Errors.oneLine(new java.nio.file.NoSuchFileException("/x/y")));
    assertEquals("/x/y already exists",
        Errors.oneLine(new java.io.UncheckedIOException(
            new java.nio.file.FileAlreadyExistsException("/x/y"))));
    assertEquals("/a (to /b): Is a directory", Errors.oneLine(
        new java.nio.file.FileSystemException("/a", "/b", "Is a directory")));
  }

  /** A --data that is not there is an error that says how to get the data, not a download. */
  @Test
  void aMissingDatasetIsAnErrorNotADownload() throws Exception {
    Path typo = dir.resolve("fahsion-mnist");
    CliTest.Result r = run("train", "--data", typo.toString(), "--epochs", "1", "--no-plots",
        "--out", dir.resolve("typo-run").toString());
    assertOneLine(1, r, typo + ": no such directory; get fashion-mnist with 'bin/simdlearn"
        + " fetch fashion-mnist --dir " + typo + "'");
    assertTrue(r.err().contains("--fetch"), r.err());
    assertFalse(Files.exists(typo), "a mistyped --data is not created");
    assertFalse(r.out().contains("fetching"), r.out());

    Path half = Files.createDirectories(dir.resolve("half"));
    Files.copy(data.resolve("train-images-idx3-ubyte.gz"), half.resolve(
        "train-images-idx3-ubyte.gz"));
    Files.copy(data.resolve("t10k-labels-idx1-ubyte.gz"), half.resolve(
        "t10k-labels-idx1-ubyte.gz"));
    assertOneLine(1, run("train", "--data", half.toString(), "--epochs", "1", "--no-plots",
        "--out", dir.resolve("half-run").toString()), half + " lacks train-labels-idx1-ubyte.gz,"
        + " t10k-images-idx3-ubyte.gz; get fashion-mnist");
    Path gz = data.resolve("train-images-idx3-ubyte.gz");
    assertOneLine(1, run("train", "--data", gz.toString(), "--epochs", "1", "--no-plots",
        "--out", dir.resolve("gz-run").toString()), gz + " is a file: --data takes the directory");
    // predict without images reads the test set from --data: never downloads it either.
    Path model = dir.resolve("predict-model");
    assertEquals(0, run("train", "--data", data.toString(), "--unverified", "--epochs", "1",
        "--no-plots", "--out", model.toString()).status());
    CliTest.Result p = run("predict", "--model", model.resolve("model.json").toString(),
        "--data", typo.toString());
    assertOneLine(1, p, typo + ": no such directory");
    assertFalse(Files.exists(typo));
    assertOneLine(2, run("train", "--model", "linear", "--fetch"), "--fetch is for image"
        + " datasets");
  }

  /**
   * The commands that never run a kernel (report, show, help) work on the class path, where the
   * launcher starts them so that the JVM resolves no incubator module and prints no notice.
   */
  @Test
  void commandsWithoutKernelsRunWithoutTheVectorModule() throws Exception {
    Path run = dir.resolve("for-report");
    assertEquals(0, train(run).status());
    Path picture = dir.resolve("classpath-samples.png");
    List<List<String>> commands = List.of(List.of("report", run.resolve("report.jsonl")
        .toString(), "--no-plots"), List.of("train", "--help"), List.of("show", "--data",
        data.toString(), "--unverified", "--out", picture.toString()));
    for (List<String> args : commands) {
      List<String> cmd = new ArrayList<>(List.of(java(), "-cp",
          System.getProperty("jdk.module.path"), "simdlearn.app.Main"));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), args.toString());
      assertEquals(0, p.exitValue(), args + ": " + out + err);
      assertEquals("", err, args + " prints no warning");
    }
    assertTrue(Files.size(picture) > 0);
  }

  @Test
  void aBadBackendPropertyIsOneLineNotAStackTrace() throws Exception {
    Process p = new ProcessBuilder(java(), "-Dsimdlearn.backend=gpu", "--module-path",
        System.getProperty("jdk.module.path"), "--add-modules", "jdk.incubator.vector", "-m",
        "simdlearn.app/simdlearn.app.Main", "train", "--epochs", "1").start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), err);
    List<String> ours = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
    assertEquals(List.of("simdlearn: -Dsimdlearn.backend=gpu: unknown backend 'gpu': use 'vector'"
        + " or 'scalar'"), ours);
  }

  /**
   * SIGTERM mid-run, as a user's Ctrl-C or a scheduler's stop: a real process, killed after its
   * twentieth epoch (the first printed after epoch 1), exits with 143 and leaves a summary of
   * status interrupted, the model of its last completed epoch, its pictures and a checkpoint; {@code --resume} then completes the run, and its figures are
   * those of a run that was never stopped.
   */
  @Test
  void aSignalLeavesAResumableRunWithTheSameFigures() throws Exception {
    Path out = dir.resolve("signalled");
    // With pictures: an interrupted run writes every file a completed one writes.
    List<String> args = List.of("train", "--data", data.toString(), "--unverified",
        "--epochs", "400", "--batch-size", "32", "--shard-size", "16", "--limit", "160",
        "--model", "mlp", "--hidden", "16", "--dropout", "0.3", "--optimizer", "nesterov");
    List<String> cmd = new ArrayList<>(List.of(java(), "--module-path",
        System.getProperty("jdk.module.path"), "--add-modules", "jdk.incubator.vector", "-m",
        "simdlearn.app/simdlearn.app.Main"));
    cmd.addAll(args);
    cmd.addAll(List.of("--out", out.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    var stdout = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    for (String line; (line = stdout.readLine()) != null; ) {
      if (line.startsWith("epoch 20/400")) { // every 20th epoch is printed
        p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of stdout)
        break;
      }
    }
    java.io.StringWriter rest = new java.io.StringWriter();
    stdout.transferTo(rest);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
    assertEquals(143, p.exitValue(), "SIGTERM's exit status");
    Reports.Report interrupted = Reports.read(out.resolve("report.jsonl"));
    assertEquals("interrupted", interrupted.summary().orElseThrow().status());
    int done = interrupted.epochs().size();
    assertTrue(done >= 20 && done < 400, done + " epochs");
    assertTrue(interrupted.summary().get().message().startsWith("interrupted (signal) after "
        + done + " of 400 epochs"), interrupted.summary().get().message());
    assertTrue(rest.toString().contains("continue with: bin/simdlearn train --resume " + out),
        rest.toString());
    for (String picture : List.of("predictions.png", "training-curves.png",
        "training-curves.svg")) {
      assertTrue(Files.size(out.resolve(picture)) > 0, picture + " after a signal: " + rest);
    }
    assertFalse(rest.toString().contains("Shutdown in progress"), rest.toString());
    // The model is the last completed epoch's: the checkpoint's parameters, bit for bit.
    var checkpoint = CheckpointFile.load(out.resolve("checkpoint.json")).checkpoint();
    assertEquals(done, checkpoint.epochsCompleted());
    assertArrayEquals(concat(checkpoint.parameters()),
        weights(ModelFile.load(out.resolve("model.json"))), 0f);
    ReportSchema.assertValid(out.resolve("report.jsonl"));

    CliTest.Result resumed = run("train", "--resume", out.toString(), "--threads", "1");
    assertEquals(0, resumed.status(), resumed.err());
    assertTrue(resumed.out().contains("resuming " + out + " after epoch " + done), resumed.out());
    Reports.Report whole = Reports.read(out.resolve("report.jsonl"));
    assertEquals("completed", whole.summary().orElseThrow().status());
    assertEquals(1, whole.run().settings().threads(), "the resumed part's threads are recorded");
    assertTrue(resumed.out().contains(" 1 thread, "), resumed.out());

    Path straight = dir.resolve("straight");
    List<String> again = new ArrayList<>(args);
    again.addAll(List.of("--out", straight.toString()));
    assertEquals(0, run(again.toArray(String[]::new)).status());
    Reports.Report reference = Reports.read(straight.resolve("report.jsonl"));
    assertEquals(untimed(reference.epochs()), untimed(whole.epochs()),
        "a resumed run has the figures of one never stopped");
    assertArrayEquals(weights(ModelFile.load(straight.resolve("model.json"))),
        weights(ModelFile.load(out.resolve("model.json"))), 0f);
  }

  @Test
  void batchNormsRunningStatisticsComeBackFromTheCheckpoint() throws Exception {
    Path out = dir.resolve("lenet-bn-killed-at-the-end");
    CliTest.Result first = run("train", "--model", "lenet-bn", "--epochs", "2", "--limit", "96",
        "--batch-size", "32", "--data", dir.resolve("fm").toString(), "--unverified",
        "--no-plots", "--out", out.toString());
    assertEquals(0, first.status(), first.err());
    Model trained = ModelFile.load(out.resolve("model.json"));
    assertEquals(8, trained.network().buffers().size());
    assertEquals(List.of("1.running_mean", "1.running_var", "5.running_mean", "5.running_var",
        "10.running_mean", "10.running_var", "13.running_mean", "13.running_var"),
        Reports.read(out.resolve("report.jsonl")).run().runningStatistics());
    Files.delete(out.resolve("model.json"));
    List<String> report = Files.readAllLines(out.resolve("report.jsonl"));
    Files.write(out.resolve("report.jsonl"), report.subList(0, report.size() - 1));
    CliTest.Result resumed = run("train", "--resume", out.toString());
    assertEquals(0, resumed.status(), resumed.err());
    assertArrayEquals(weights(trained), weights(ModelFile.load(out.resolve("model.json"))), 0f,
        "parameters and running statistics");
    CliTest.Result p = run("predict", "--model", out.resolve("model.json").toString(), "--data",
        dir.resolve("fm").toString(), "--unverified", "--n", "3");
    assertEquals(0, p.status(), p.err());
    assertTrue(p.out().contains("of 3 correct"), p.out());
  }

  @Test
  void aRunKilledBeforeItsModelFileWritesItOnResume() throws Exception {
    // Hostile campaign 1: kill -9 between the last checkpoint and model.json left a run that
    // resume refused ("nothing to resume") and whose model was lost for good.
    Path out = dir.resolve("killed-at-the-end");
    CliTest.Result first = train(out);
    assertEquals(0, first.status(), first.err());
    float[] trained = weights(ModelFile.load(out.resolve("model.json")));
    List<String> report = Files.readAllLines(out.resolve("report.jsonl"));
    Files.delete(out.resolve("model.json"));
    Files.write(out.resolve("report.jsonl"), report.subList(0, report.size() - 1)); // no summary
    CliTest.Result resumed = run("train", "--resume", out.toString());
    assertEquals(0, resumed.status(), resumed.err());
    assertTrue(resumed.out().contains("trained all 2 epochs but was stopped before its closing"
        + " files; writing them from its checkpoint"), resumed.out());
    assertArrayEquals(trained, weights(ModelFile.load(out.resolve("model.json"))), 0f);
    Reports.Report whole = Reports.read(out.resolve("report.jsonl"));
    assertEquals(2, whole.epochs().size());
    assertEquals("completed", whole.summary().orElseThrow().status());
    ReportSchema.assertValid(out.resolve("report.jsonl"));
    // Once the closing files are there, there is nothing left to do.
    assertOneLine(2, run("train", "--resume", out.toString()),
        "the run already completed 2 of 2 epochs and wrote its model; nothing to resume");
  }

  @Test
  void aCheckpointWithImpossibleSettingsIsADataErrorNamingIt() throws Exception {
    // Hostile campaign 8: a re-signed checkpoint with lr -1 exited 2 blaming --lr, which the
    // user never gave; one without its config printed a NullPointerException's text.
    Path out = dir.resolve("edited-checkpoint");
    CliTest.Result first = train(out, "--epochs", "3");
    assertEquals(0, first.status(), first.err());
    Path checkpoint = out.resolve("checkpoint.json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        checkpoint.toFile());
    var config = (com.fasterxml.jackson.databind.node.ObjectNode) tree.path("spec").path("config");
    config.put("lr", -1.0);
    config.put("epochs", 5);
    Files.writeString(checkpoint, simdlearn.testkit.ModelFiles.resign(tree.toString()));
    assertOneLine(1, run("train", "--resume", out.toString()),
        checkpoint + ": its settings cannot run (lr must be a finite number > 0, got -1.0)");
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("spec")).remove("config");
    Files.writeString(checkpoint, simdlearn.testkit.ModelFiles.resign(tree.toString()));
    assertOneLine(1, run("train", "--resume", out.toString()),
        checkpoint + ": has no spec.config, so it cannot resume a run");
  }

  @Test
  void aRunRemovesTheTemporariesAKilledRunLeft() throws Exception {
    // Hostile campaign 17: SIGKILL while writing left .model.json.*.tmp behind for good.
    Path out = dir.resolve("stale-temporaries");
    Files.createDirectories(out);
    Path stale = out.resolve(".model.json.0123456789abcdef.tmp");
    Path picture = out.resolve(".training-curves.png.fedcba9876543210.tmp");
    Files.writeString(stale, "{\"format\": \"simdlearn-mo");
    Files.writeString(picture, "PNG");
    CliTest.Result r = train(out);
    assertEquals(0, r.status(), r.err()); // the directory held only our leftovers: not refused
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(picture));
    // Names that are not a run output's temporary are the user's, and stay.
    Path mine = out.resolve(".model.json.notes.tmp");
    Files.writeString(mine, "mine");
    Files.writeString(stale, "again");
    run("train", "--resume", out.toString()); // nothing to resume, but the run directory is locked
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(mine));
  }

  @Test
  void resumingOnDataThatChangedIsRefused() throws Exception {
    // Hostile campaign 9: --resume trained on whatever the data directory held by then.
    Path changing = dir.resolve("fm-changing");
    TinyData.writeFashionMnist(changing, 600, 100);
    Path out = dir.resolve("changed-data");
    CliTest.Result first = run("train", "--data", changing.toString(), "--out", out.toString(),
        "--unverified", "--no-plots", "--epochs", "2");
    assertEquals(0, first.status(), first.err());
    Files.delete(out.resolve("model.json")); // resumable: its closing files are missing
    TinyData.writeFashionMnist(changing, 600, 99);
    assertOneLine(1, run("train", "--resume", out.toString()),
        "the run's data changed since it started (t10k-images-idx3-ubyte.gz differs)");
    assertFalse(Files.exists(out.resolve("model.json")));
  }

  @Test
  @org.junit.jupiter.api.Timeout(600)
  void deletingTheOutputDirectoryMidRunStopsTheRun() throws Exception {
    // Hostile campaign 15: the run made --out again without its lock, exited 0 and said it
    // wrote report.jsonl, which was gone; a second run into the new directory ran as well.
    Path out = dir.resolve("deleted-mid-run");
    var result = new java.util.concurrent.CompletableFuture<CliTest.Result>();
    Thread run = Thread.ofPlatform().start(() -> result.complete(train(out, "--epochs", "2000")));
    while (!Files.exists(out.resolve("checkpoint.json")) && run.isAlive()) {
      Thread.sleep(5);
    }
    for (int tries = 0; Files.exists(out) && tries < 100; tries++) {
      try (var files = Files.walk(out)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (java.io.IOException e) {
        // a checkpoint's temporary appeared meanwhile: again
      }
    }
    run.join();
    CliTest.Result r = result.get();
    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.err().contains(out + " was removed or replaced while this run wrote into it"),
        r.err());
    assertFalse(r.out().contains("wrote report.jsonl"), r.out());
    // Deleted between the check and a checkpoint's write, the directory can come back with that
    // checkpoint in it (the write makes its parent); never with the run's closing files.
    assertFalse(Files.exists(out.resolve("model.json")));
    assertFalse(Files.exists(out.resolve("report.jsonl")));
  }

  @Test
  void badDataIsADataErrorNotAUsageError() throws Exception {
    // Hostile campaign 7: mismatched train and test image sizes exited 2 with "see --help".
    Path mismatched = dir.resolve("mismatched");
    Files.createDirectories(mismatched);
    idx(mismatched.resolve("train-images-idx3-ubyte.gz"), new int[] {50, 28, 28});
    idx(mismatched.resolve("train-labels-idx1-ubyte.gz"), new int[] {50});
    idx(mismatched.resolve("t10k-images-idx3-ubyte.gz"), new int[] {20, 14, 14});
    idx(mismatched.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {20});
    for (String model : List.of("softmax", "lenet")) {
      CliTest.Result r = run("train", "--model", model, "--data", mismatched.toString(),
          "--unverified", "--no-plots", "--epochs", "1", "--out",
          dir.resolve("mismatched-" + model).toString());
      assertOneLine(1, r, mismatched + ": train images are 28x28 but test images 14x14");
      assertFalse(r.err().contains("--help"), r.err());
    }
  }

  /** A gzipped unsigned-byte IDX file of {@code dims}, all zeros (valid labels too). */
  static void idx(Path file, int[] dims) throws java.io.IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
      out.writeInt(0x0800 | dims.length);
      long size = 1;
      for (int d : dims) {
        out.writeInt(d);
        size *= d;
      }
      out.write(new byte[(int) size]);
    }
    Files.write(file, bytes.toByteArray());
  }

  /** Every parameter and buffer (running statistics) of the model, in its state's order. */
  static float[] weights(Model m) {
    return concat(m.network().state().stream().map(p -> p.value().toArray()).toList());
  }

  static float[] concat(List<float[]> parts) {
    int n = parts.stream().mapToInt(a -> a.length).sum();
    float[] all = new float[n];
    int at = 0;
    for (float[] a : parts) {
      System.arraycopy(a, 0, all, at, a.length);
      at += a.length;
    }
    return all;
  }

  static List<List<Object>> untimed(List<EpochLine> epochs) {
    return epochs.stream().map(e -> List.<Object>of(e.epoch(), e.trainLoss(), e.trainAcc(),
        e.testAcc(), e.lr())).toList();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
