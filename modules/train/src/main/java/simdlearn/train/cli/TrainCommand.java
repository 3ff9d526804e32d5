package simdlearn.train.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdlearn.data.ImageDataset;
import simdlearn.data.RegressionDataset;
import simdlearn.data.SyntheticLinear;
import simdlearn.kernel.Backend;
import simdlearn.kernel.Kernels;
import simdlearn.train.LinearModel;
import simdlearn.train.ModelFile;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;
import simdlearn.train.Warmup;
import simdlearn.train.plot.Curves;
import simdlearn.train.plot.ImageGrid;
import simdlearn.train.report.ReportWriter;

/** {@code simdlearn train}: trains, writes report.jsonl, the model and pictures. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains softmax regression on Fashion-MNIST (default) or linear regression on"
        + " synthetic data (--model linear), with d2l's settings unless told otherwise.",
        "Writes report.jsonl (one JSON line per epoch, flushed live), model.json and pictures"
            + " into --out."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "softmax|linear", description = "default: softmax")
  String model = "softmax";

  @Option(names = "--preset", paramLabel = "book|tuned",
      description = "book: d2l's settings (default); tuned: a softmax run that beats them")
  String preset = "book";

  @Option(names = "--data", paramLabel = "DIR",
      description = "dataset directory (default: $SIMDLEARN_DATA, else data/DATASET; fetched if"
          + " missing)")
  Path data;

  @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist (default) or mnist")
  String dataset = "fashion-mnist";

  @Option(names = "--epochs", paramLabel = "N") Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N") Integer batchSize;

  @Option(names = "--lr", paramLabel = "RATE") Float lr;

  @Option(names = "--optimizer", paramLabel = "sgd|momentum|nesterov|adam") String optimizer;

  @Option(names = "--momentum", paramLabel = "M") Float momentum;

  @Option(names = "--weight-decay", paramLabel = "WD") Float weightDecay;

  @Option(names = "--schedule", paramLabel = "constant|step|cosine") String schedule;

  @Option(names = "--seed", paramLabel = "N") Long seed;

  @Option(names = "--threads", paramLabel = "N", description = "default: the number of processors")
  Integer threads;

  @Option(names = "--shard-size", paramLabel = "ROWS", description = "rows per shard (default 128)")
  Integer shardSize;

  @Option(names = "--init", paramLabel = "normal|zeros") String init;

  @Option(names = "--no-shuffle", description = "visit examples in file order")
  boolean noShuffle;

  @Option(names = "--backend", paramLabel = "vector|scalar") String backend;

  @Option(names = "--loss", paramLabel = "NAME", description = "linear: squared (default), l1, huber")
  String loss;

  @Option(names = "--resize", paramLabel = "SIDE", description = "resize images (bilinear)")
  Integer resize;

  @Option(names = "--limit", paramLabel = "N", description = "train on the first N images only")
  Integer limit;

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: runs/TIMESTAMP)")
  Path out;

  @Option(names = "--no-plots", description = "skip the pictures") boolean noPlots;

  @Option(names = "--no-progress", description = "plain lines even on a terminal")
  boolean noProgress;

  @Option(names = "--verbose", description = "stack traces on errors") boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  TrainingConfig config() {
    TrainingConfig d = switch (model) {
      case "softmax" -> switch (preset) {
        case "book" -> TrainingConfig.softmaxDefaults();
        case "tuned" -> TrainingConfig.softmaxTuned();
        default -> throw new IllegalArgumentException(
            "--preset must be book or tuned, got '" + preset + "'");
      };
      case "linear" -> TrainingConfig.linearDefaults();
      default -> throw new IllegalArgumentException(
          "--model must be softmax or linear, got '" + model + "'");
    };
    return new TrainingConfig(d.model(), or(epochs, d.epochs()), or(batchSize, d.batchSize()),
        or(lr, d.lr()), or(optimizer, d.optimizer()), or(momentum, d.momentum()),
        or(weightDecay, d.weightDecay()), or(schedule, d.schedule()), or(seed, d.seed()),
        or(threads, d.threads()), or(shardSize, d.shardSize()), or(init, d.init()),
        !noShuffle && d.shuffle(), backend == null ? d.backend() : backend(backend),
        or(loss, d.loss()), resize).validate();
  }

  private static Backend backend(String name) {
    try {
      return Backend.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--backend: " + e.getMessage(), e);
    }
  }

  private static <T> T or(T given, T fallback) {
    return given != null ? given : fallback;
  }

  @Override
  public Integer call() throws IOException {
    TrainingConfig cfg = config(); // bad values are refused before any work
    if (limit != null && limit <= 0) {
      throw new IllegalArgumentException("--limit must be > 0, got " + limit);
    }
    PrintWriter console = spec.commandLine().getOut();
    Path dir = outputDirectory();
    ConsoleProgress progress = new ConsoleProgress(console,
        !noProgress && ConsoleProgress.isTerminal(), cfg.epochs());
    TrainingResult result;
    ImageDataset test = null;
    try (ReportWriter report = new ReportWriter(dir.resolve("report.jsonl"))) {
      TrainingListener listener = TrainingListener.all(TrainingListener.writingTo(report), progress);
      Trainer trainer = new Trainer(cfg, listener);
      if (cfg.model().equals("linear")) {
        RegressionDataset synthetic = SyntheticLinear.d2l(cfg.seed());
        result = trainer.trainRegression(synthetic, SyntheticLinear.D2L_W, SyntheticLinear.D2L_B);
      } else {
        Path dataDir = Datasets.directory(data, dataset);
        // Compile the hot code while the dataset is decompressed (see Warmup).
        Thread warmup = Warmup.start(cfg, resize == null ? 28 : resize);
        ImageDataset.Split split = Datasets.load(dataset, dataDir, console);
        Warmup.await(warmup);
        ImageDataset train = split.train();
        test = split.test();
        if (limit != null) {
          train = train.head(limit);
        }
        if (resize != null) {
          train = train.resized(resize);
          test = test.resized(resize);
        }
        result = trainer.trainClassifier(train, test);
      }
    }
    ModelFile.save(result.model(), dir.resolve("model.json"));
    if (!noPlots) {
      writePictures(result, test, dir);
    }
    console.println("simdlearn: wrote " + dir.resolve("report.jsonl") + ", model.json"
        + (noPlots ? "" : " and pictures") + " in " + dir);
    console.flush();
    return 0;
  }

  private Path outputDirectory() throws IOException {
    Path dir = out;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      dir = Path.of("runs", stamp);
      for (int i = 2; Files.exists(dir); i++) {
        dir = Path.of("runs", stamp + "-" + i);
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  static void writePictures(TrainingResult result, ImageDataset test, Path dir) throws IOException {
    String title = result.run().model() + " on " + result.run().dataset().name();
    Curves.write(title, result.epochs(), dir.resolve("training-curves.svg"),
        dir.resolve("training-curves.png"));
    if (test != null) {
      LinearModel m = result.model();
      int n = Math.min(18, test.size());
      int[] idx = new int[n];
      List<String> titles = new ArrayList<>();
      float[] x = new float[test.features()];
      float[] p = new float[m.outputs()];
      Kernels k = Kernels.defaultKernels();
      for (int i = 0; i < n; i++) {
        idx[i] = i;
        test.copyFeatures(idx, i, 1, x, 0);
        m.predictProbabilities(k, x, p);
        int pred = k.argmax(p.length, p, 0);
        String truth = m.classNames().get(test.label(i));
        String guess = m.classNames().get(pred);
        titles.add(truth + "\n" + (pred == test.label(i) ? guess : "!" + guess));
      }
      ImageGrid.write(test, idx, titles, 9, dir.resolve("predictions.png"));
    }
  }
}
