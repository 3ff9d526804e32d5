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
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.train.Model;
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
    version = "simdlearn 0.1.0",
    description = {"Trains softmax regression (default), a multilayer perceptron (--model mlp) on"
        + " Fashion-MNIST, or linear regression on synthetic data (--model linear), with d2l's"
        + " settings unless told otherwise.",
        "Writes report.jsonl (one JSON line per epoch, flushed live), model.json and pictures"
            + " into --out."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "softmax|mlp|linear",
      description = "softmax: softmax regression (d2l 3.6); mlp: multilayer perceptron (d2l 4.3);"
          + " linear: linear regression on synthetic data (d2l 3.2). Default: softmax")
  String model = "softmax";

  @Option(names = "--preset", paramLabel = "book|tuned",
      description = "book: d2l's settings (default); tuned: a softmax run that beats them")
  String preset = "book";

  @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",",
      description = "mlp: hidden layer sizes, e.g. 256,256 (default: 256)")
  List<Integer> hidden;

  @Option(names = "--dropout", paramLabel = "P[,P...]", split = ",",
      description = "mlp: dropout after each hidden layer, one value per layer, e.g. 0.2,0.5"
          + " (d2l 4.6; default: none)")
  List<Double> dropout;

  @Option(names = "--activation", paramLabel = "relu|sigmoid|tanh",
      description = "mlp: activation after each hidden layer (default: relu)")
  String activation;

  @Option(names = "--init", paramLabel = "normal|zeros|xavier|xavier-normal|he",
      description = "weight initialisation (default: normal, N(0, std^2)); biases start at 0")
  String init;

  @Option(names = "--init-std", paramLabel = "STD",
      description = "standard deviation of --init normal (default: 0.01, as d2l)")
  Double initStd;

  @Option(names = "--data", paramLabel = "DIR",
      description = "dataset directory (default: $SIMDLEARN_DATA, else data/DATASET; fetched if"
          + " missing)")
  Path data;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "fashion-mnist (default) or mnist")
  String dataset = "fashion-mnist";

  @Option(names = "--epochs", paramLabel = "N", description = "default: 10 (linear: 3)")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "default: 256 (linear: 10)")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "RATE",
      description = "learning rate (default: 0.1; linear: 0.03; tuned: 0.02)")
  Float lr;

  @Option(names = "--optimizer", paramLabel = "sgd|momentum|nesterov|adam",
      description = "default: sgd (tuned: nesterov)")
  String optimizer;

  @Option(names = "--momentum", paramLabel = "M",
      description = "momentum of momentum and nesterov (default: 0.9)")
  Float momentum;

  @Option(names = "--weight-decay", paramLabel = "WD",
      description = "decoupled weight decay on weights, never biases (default: 0; tuned: 1e-4)")
  Float weightDecay;

  @Option(names = "--schedule", paramLabel = "constant|step|cosine",
      description = "learning-rate schedule (default: constant; tuned: cosine)")
  String schedule;

  @Option(names = "--seed", paramLabel = "N",
      description = "the whole run (init, shuffling, dropout) follows from it (default: 42)")
  Long seed;

  @Option(names = "--threads", paramLabel = "N",
      description = "parallelism; results do not depend on it (default: the number of processors)")
  Integer threads;

  @Option(names = "--shard-size", paramLabel = "ROWS", description = "rows per shard (default: 128)")
  Integer shardSize;

  @Option(names = "--no-shuffle", description = "visit examples in file order")
  boolean noShuffle;

  @Option(names = "--backend", paramLabel = "vector|scalar",
      description = "vector (default) or the plain-Java scalar reference")
  String backend;

  @Option(names = "--loss", paramLabel = "NAME",
      description = "linear: squared (default), l1 or huber; classifiers: softmax-cross-entropy")
  String loss;

  @Option(names = "--resize", paramLabel = "SIDE", description = "resize images (bilinear; default: 28)")
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
    if (!preset.equals("book") && !preset.equals("tuned")) {
      throw new IllegalArgumentException("--preset must be book or tuned, got '" + preset + "'");
    }
    if (preset.equals("tuned") && !model.equals("softmax")) {
      throw new IllegalArgumentException("--preset tuned is for --model softmax");
    }
    TrainingConfig d = preset.equals("tuned") ? TrainingConfig.softmaxTuned()
        : TrainingConfig.defaults(model);
    TrainingConfig.Builder b = d.toBuilder();
    set(hidden, b::hidden);
    set(dropout, b::dropout);
    set(activation, b::activation);
    set(init, b::init);
    set(initStd, b::initStd);
    set(epochs, b::epochs);
    set(batchSize, b::batchSize);
    set(lr, b::lr);
    set(optimizer, b::optimizer);
    set(momentum, b::momentum);
    set(weightDecay, b::weightDecay);
    set(schedule, b::schedule);
    set(seed, b::seed);
    set(threads, b::threads);
    set(shardSize, b::shardSize);
    set(loss, b::loss);
    set(resize, b::resize);
    if (backend != null) {
      b.backend(backend(backend));
    }
    return b.shuffle(!noShuffle && d.shuffle()).build().validate();
  }

  private static <T> void set(T given, java.util.function.Consumer<T> setter) {
    if (given != null) {
      setter.accept(given);
    }
  }

  private static Backend backend(String name) {
    try {
      return Backend.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--backend: " + e.getMessage(), e);
    }
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
    if (test != null && result.model().isClassifier()) {
      Model m = result.model();
      int n = Math.min(18, test.size());
      int[] idx = new int[n];
      List<String> titles = new ArrayList<>();
      float[] x = new float[test.features()];
      float[] p = new float[m.outputs()];
      TrainingKernels k = TrainingKernels.defaultKernels();
      Model.Predictor predictor = m.predictor(k);
      for (int i = 0; i < n; i++) {
        idx[i] = i;
        test.copyFeatures(idx, i, 1, x, 0);
        predictor.probabilities(x, p);
        int pred = k.argmax(p.length, p, 0);
        String truth = m.classNames().get(test.label(i));
        String guess = m.classNames().get(pred);
        titles.add(truth + "\n" + (pred == test.label(i) ? guess : "!" + guess));
      }
      ImageGrid.write(test, idx, titles, 9, dir.resolve("predictions.png"));
    }
  }
}
