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
import simdlearn.console.Terminal;
import simdlearn.data.ImageDataset;
import simdlearn.data.PointDataset;
import simdlearn.data.SyntheticClouds;
import simdlearn.data.SyntheticLinear;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;
import simdlearn.nn.Linear;
import simdlearn.train.Experiment;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;
import simdlearn.train.Warmup;
import simdlearn.train.plot.Curves;
import simdlearn.train.plot.DecisionBoundary;
import simdlearn.train.plot.ImageGrid;
import simdlearn.report.EpochLine;
import simdlearn.report.ReportLine;
import simdlearn.report.ReportWriter;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;
import simdlearn.train.Checkpoint;
import simdlearn.train.CheckpointFile;
import simdlearn.train.io.Outputs;
import simdlearn.train.io.RunDirectory;

/** {@code simdlearn train}: trains, writes report.jsonl, the model and pictures. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
    sortOptions = false,
    description = {"Trains softmax regression (default), a multilayer perceptron (--model mlp) on"
        + " Fashion-MNIST, or linear regression on synthetic data (--model linear), with d2l's"
        + " settings unless told otherwise.",
        "Writes report.jsonl (one JSON line per epoch, flushed live), model.json and pictures"
            + " into --out."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "MODEL",
      description = "softmax: softmax regression (d2l 3.6); mlp: multilayer perceptron (d2l 4.3);"
          + " linear: linear regression on synthetic data (d2l 3.2); polynomial: polynomial"
          + " fitting (d2l 4.4, --degree); highdim-linear: weight decay (d2l 4.5, --weight-decay);"
          + " logistic: a sigmoid linear classifier (--loss, --dataset, --classes)."
          + " Default: softmax")
  String model = "softmax";

  @Option(names = "--degree", paramLabel = "N",
      description = "polynomial: degree 0-19 (default: 3; 1 underfits, 19 overfits)")
  Integer degree;

  @Option(names = "--classes", paramLabel = "A,B", split = ",",
      description = "logistic on images: the two classes to tell apart (default: 7,9, sneaker"
          + " and ankle boot)")
  List<Integer> classes;

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

  @Option(names = "--init", paramLabel = "normal|zeros|uniform|xavier|xavier-normal|he",
      description = "weight initialisation (default: normal, N(0, std^2); logistic: zeros;"
          + " polynomial: uniform, PyTorch's nn.Linear default);"
          + " biases start at 0")
  String init;

  @Option(names = "--init-std", paramLabel = "STD",
      description = "standard deviation of --init normal (default: 0.01, as d2l;"
          + " highdim-linear: 1)")
  Double initStd;

  @Option(names = "--data", paramLabel = "DIR",
      description = "dataset directory (default: $SIMDLEARN_DATA, else data/DATASET; fetched if"
          + " missing)")
  Path data;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "fashion-mnist (default) or mnist; logistic also synthetic-2d (two Gaussian"
          + " clouds)")
  String dataset = "fashion-mnist";

  @Option(names = "--epochs", paramLabel = "N",
      description = "default: 10 (linear: 3; polynomial: 400, degree 19: 1500; highdim-linear:"
          + " 100)")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "default: 256 (linear, polynomial: 10; highdim-linear: 5)")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: 0.1;"
      + " linear: 0.03; polynomial: 0.01; highdim-linear: 0.003; tuned: 0.02)")
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

  @Option(names = "--shard-size", paramLabel = "ROWS",
      description = "rows per shard (default: 128)")
  Integer shardSize;

  @Option(names = "--no-shuffle", description = "visit examples in file order")
  boolean noShuffle;

  @Option(names = "--backend", paramLabel = "vector|scalar",
      description = "vector (default) or the plain-Java scalar reference")
  String backend;

  @Option(names = "--loss", paramLabel = "NAME",
      description = "regressions: squared (1/2 r^2, linear's default), mse (r^2, polynomial's and"
          + " highdim-linear's), l1 or huber; logistic: logistic (default) or squared"
          + " (1/2 (y - sigmoid(z))^2); softmax and mlp: softmax-cross-entropy")
  String loss;

  @Option(names = "--resize", paramLabel = "SIDE",
      description = "resize images (bilinear; default: 28)")
  Integer resize;

  @Option(names = "--limit", paramLabel = "N", description = "train on the first N images only")
  Integer limit;

  @Option(names = "--out", paramLabel = "DIR",
      description = "output directory, which must be empty (default: runs/TIMESTAMP)")
  Path out;

  @Option(names = "--overwrite",
      description = "allow a non-empty --out: the files of an earlier run there are replaced")
  boolean overwrite;

  @Option(names = "--resume", paramLabel = "RUN_DIR",
      description = "continue an interrupted run from its last checkpoint, to its configured"
          + " epochs, with the figures it would have had (only --threads and the display options"
          + " may be given with it)")
  Path resume;

  @Option(names = "--unverified",
      description = "load dataset files whose checksums differ from the published ones (your"
          + " own data in the same format)")
  boolean unverified;

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
        : model.equals("polynomial") && degree != null ? TrainingConfig.polynomialDefaults(degree)
        : TrainingConfig.defaults(model);
    TrainingConfig.Builder b = d.toBuilder();
    set(degree, b::degree);
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
    if (resume != null) {
      return resumeRun();
    }
    TrainingConfig cfg = config(); // bad values are refused before any work
    checkConflicts(cfg);
    PrintWriter console = spec.commandLine().getOut();
    try (RunDirectory dir = RunDirectory.forNewRun(outputDirectory(), overwrite)) {
      Experiment experiment = experiment(cfg, console);
      CheckpointFile.RunSpec runSpec = new CheckpointFile.RunSpec(cfg, dataset,
          imageData(cfg) ? Datasets.directory(data, dataset).toAbsolutePath().toString() : null,
          classes, limit, unverified);
      Trainer trainer = new Trainer(cfg, listener(cfg, console, dir, null));
      return run(trainer, runSpec, experiment, dir, console);
    }
  }

  /** {@code --resume}: the run's own settings and data, its checkpoint, its report so far. */
  private Integer resumeRun() throws IOException {
    var given = spec.commandLine().getParseResult().matchedOptions().stream()
        .map(o -> o.longestName()).filter(n -> !List.of("--resume", "--threads", "--no-plots",
            "--no-progress", "--verbose").contains(n)).toList();
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("--resume continues a run with its own settings; "
          + String.join(", ", given) + " cannot be changed (only --threads and the display"
          + " options)");
    }
    PrintWriter console = spec.commandLine().getOut();
    try (RunDirectory dir = RunDirectory.forResume(resume)) {
      CheckpointFile.Loaded loaded = CheckpointFile.load(dir.file("checkpoint.json"));
      CheckpointFile.RunSpec runSpec = loaded.spec();
      TrainingConfig cfg = runSpec.config().toBuilder()
          .threads(threads != null ? threads : runSpec.config().threads()).build().validate();
      model = cfg.model();
      dataset = runSpec.dataset();
      data = runSpec.dataDir() == null ? null : Path.of(runSpec.dataDir());
      classes = runSpec.classes();
      limit = runSpec.limit();
      resize = cfg.resize();
      unverified = runSpec.unverified();
      Experiment experiment = experiment(cfg, console);
      Checkpoint checkpoint = loaded.checkpoint();
      List<ReportLine> done = new ArrayList<>();
      done.add(checkpoint.run());
      done.addAll(checkpoint.epochs());
      ReportWriter report = ReportWriter.replacing(dir.file("report.jsonl"), done);
      console.println("simdlearn: resuming " + dir.dir() + " after epoch "
          + checkpoint.epochsCompleted() + " of " + cfg.epochs());
      Trainer trainer = new Trainer(cfg, listener(cfg, console, dir, report))
          .resumingFrom(checkpoint);
      return run(trainer, runSpec, experiment, dir, console);
    }
  }

  /** Trains with checkpoints and signal handling, then writes the model and pictures. */
  private int run(Trainer trainer, CheckpointFile.RunSpec runSpec, Experiment experiment,
      RunDirectory dir, PrintWriter console) throws IOException {
    if (Interrupts.received()) {
      throw new InterruptedRunException("interrupted by a signal before training started;"
          + " nothing was written");
    }
    var params = experiment.model().network().parameters();
    trainer.checkpointingTo(c -> CheckpointFile.save(dir.file("checkpoint.json"), runSpec,
        params, c));
    TrainingResult result;
    Interrupts.watch(trainer);
    try {
      result = trainer.train(experiment);
    } finally {
      Interrupts.watch(null);
      closeReport();
    }
    boolean interrupted = "interrupted".equals(result.summary().status());
    if (result.epochs().isEmpty()) {
      console.println("simdlearn: " + result.summary().message() + "; no epoch completed, no"
          + " model written");
      console.flush();
      return Interrupts.INTERRUPTED;
    }
    List<Outputs.Job> outputs = new ArrayList<>();
    outputs.add(() -> ModelFile.save(result.model(), dir.file("model.json")));
    if (!noPlots) {
      outputs.addAll(pictures(result, experiment, dir.dir()));
    }
    Outputs.writeAll(outputs);
    if (interrupted) {
      console.println("simdlearn: " + result.summary().message() + "; the model is epoch "
          + result.epochs().size() + "'s");
    }
    console.println("simdlearn: wrote " + dir.file("report.jsonl") + ", model.json"
        + (noPlots ? "" : " and pictures") + " in " + dir.dir());
    if (interrupted) {
      console.println("simdlearn: continue with: bin/simdlearn train --resume " + dir.dir());
    }
    console.flush();
    return interrupted ? Interrupts.INTERRUPTED : 0;
  }

  private ReportWriter report;

  /**
   * The report and the console. A new run's report is created when the run starts (a run cut
   * off while loading its data leaves none, rather than an empty one).
   */
  private TrainingListener listener(TrainingConfig cfg, PrintWriter console, RunDirectory dir,
      ReportWriter resumed) {
    report = resumed;
    TrainingListener toReport = new TrainingListener() {
      private TrainingListener writing;

      private TrainingListener writing() {
        if (writing == null) {
          try {
            if (report == null) {
              report = new ReportWriter(dir.file("report.jsonl"));
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          writing = TrainingListener.writingTo(report);
        }
        return writing;
      }

      @Override
      public void runStarted(RunLine run) {
        writing().runStarted(run);
      }

      @Override
      public void runResumed(RunLine run, List<EpochLine> done) {
        writing().runResumed(run, done);
      }

      @Override
      public void epochDone(EpochLine epoch) {
        writing().epochDone(epoch);
      }

      @Override
      public void runEnded(SummaryLine summary) {
        writing().runEnded(summary);
      }
    };
    TrainingConsole progress = new TrainingConsole(console,
        !noProgress && Terminal.isTerminal(), cfg.epochs());
    return TrainingListener.all(toReport, progress);
  }

  private void closeReport() throws IOException {
    if (report != null) {
      report.close();
      report = null;
    }
  }

  /** Whether {@code cfg}'s experiment reads an image dataset (rather than generating its data). */
  private boolean imageData(TrainingConfig cfg) {
    return switch (cfg.model()) {
      case "softmax", "mlp" -> true;
      case "logistic" -> !dataset.equals("synthetic-2d");
      default -> false;
    };
  }

  /** Options that the chosen model would silently ignore are refused. */
  private void checkConflicts(TrainingConfig cfg) {
    List<String> bad = new ArrayList<>();
    var matched = spec.commandLine().getParseResult();
    if (!imageData(cfg)) {
      for (String o : List.of("--data", "--resize", "--limit", "--unverified")) {
        if (matched.hasMatchedOption(o)) {
          bad.add(o);
        }
      }
      if (matched.hasMatchedOption("--dataset") && !cfg.model().equals("logistic")) {
        bad.add("--dataset");
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", bad) + (bad.size() == 1 ? " is" : " are")
          + " for image datasets; --model " + cfg.model() + " "
          + (cfg.model().equals("logistic") ? "on synthetic-2d" : "") + " generates its data");
    }
    if (matched.hasMatchedOption("--momentum") && !cfg.optimizer().equals("momentum")
        && !cfg.optimizer().equals("nesterov")) {
      throw new IllegalArgumentException("--momentum is for --optimizer momentum or nesterov, not "
          + cfg.optimizer());
    }
    if (matched.hasMatchedOption("--init-std") && !cfg.init().equals("normal")) {
      throw new IllegalArgumentException("--init-std is for --init normal, not " + cfg.init());
    }
    if (matched.hasMatchedOption("--activation") && !cfg.model().equals("mlp")) {
      throw new IllegalArgumentException("--activation is for --model mlp");
    }
    if (limit != null && limit <= 0) {
      throw new IllegalArgumentException("--limit must be > 0, got " + limit);
    }
    if (classes != null && !cfg.model().equals("logistic")) {
      throw new IllegalArgumentException("--classes is for --model logistic");
    }
    List<String> known = cfg.model().equals("logistic")
        ? List.of("fashion-mnist", "mnist", "synthetic-2d") : List.of("fashion-mnist", "mnist");
    if (!known.contains(dataset)) {
      throw new IllegalArgumentException("--dataset must be one of " + String.join(", ", known)
          + "; got '" + dataset + "'");
    }
    if (cfg.model().equals("logistic")) {
      if (dataset.equals("synthetic-2d") && classes != null) {
        throw new IllegalArgumentException("--classes is for image datasets, not synthetic-2d");
      }
      if (!dataset.equals("synthetic-2d")) {
        binaryClasses();
      }
    }
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
    return dir;
  }

  /** The experiment of {@code cfg}: generated data, or images loaded while the JIT warms up. */
  private Experiment experiment(TrainingConfig cfg, PrintWriter console) throws IOException {
    switch (cfg.model()) {
      case "linear" -> {
        return Experiment.linearRegression(cfg, SyntheticLinear.d2l(cfg.seed()),
            SyntheticLinear.D2L_W, SyntheticLinear.D2L_B);
      }
      case "polynomial" -> {
        return Experiment.polynomial(cfg);
      }
      case "highdim-linear" -> {
        return Experiment.highDimLinear(cfg);
      }
      default -> { }
    }
    boolean logistic = cfg.model().equals("logistic");
    if (logistic && dataset.equals("synthetic-2d")) {
      SyntheticClouds.Split clouds = SyntheticClouds.generate(cfg.seed());
      return Experiment.logistic(cfg, clouds.train(), clouds.test());
    }
    int[] pair = logistic ? binaryClasses() : null;
    Path dataDir = Datasets.directory(data, dataset);
    // Compile the hot code while the dataset is decompressed (see Warmup).
    Thread warmup = Warmup.start(cfg, resize == null ? 28 : resize);
    ImageDataset.Split split = Datasets.load(dataset, dataDir, console, !unverified);
    Warmup.await(warmup);
    ImageDataset train = split.train();
    ImageDataset test = split.test();
    if (resize != null) {
      long bytes = (long) train.size() * resize * resize;
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("--resize " + resize + " makes " + train.size()
            + " images of " + resize + "x" + resize + " (" + bytes / (1 << 20) + " MiB), more"
            + " than one Java array holds: use --resize "
            + (int) Math.sqrt((Integer.MAX_VALUE - 8.0) / train.size()) + " or less, or --limit");
      }
    }
    try {
      if (pair != null) {
        train = train.withClasses(pair);
        test = test.withClasses(pair);
      }
      if (limit != null) {
        train = train.head(limit);
      }
      if (resize != null) {
        train = train.resized(resize);
        test = test.resized(resize);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("--")) {
        throw e; // a bad option value: usage
      }
      throw new IOException(dataDir + ": " + e.getMessage(), e); // the data: exit status 1
    }
    return logistic ? Experiment.logistic(cfg, train, test)
        : Experiment.classifier(cfg, train, test);
  }

  /** The two classes of a logistic run on images: --classes, else 7 and 9. */
  private int[] binaryClasses() {
    List<Integer> c = classes == null ? List.of(7, 9) : classes;
    if (c.size() != 2) {
      throw new IllegalArgumentException("--classes takes two classes for a binary classifier,"
          + " got " + c.size());
    }
    for (int k : c) {
      if (k < 0 || k > 9) {
        throw new IllegalArgumentException("--classes must be between 0 and 9, got " + k);
      }
    }
    if (c.get(0).equals(c.get(1))) {
      throw new IllegalArgumentException("--classes needs two different classes, got " + c);
    }
    return new int[] {c.get(0), c.get(1)};
  }

  /** The run's pictures, each a job to write beside the others. */
  static List<Outputs.Job> pictures(TrainingResult result, Experiment experiment, Path dir) {
    String title = result.run().model() + " on " + result.run().dataset().name();
    List<Outputs.Job> jobs = new ArrayList<>();
    jobs.add(() -> Curves.writePng(title, result.epochs(), dir.resolve("training-curves.png")));
    jobs.add(() -> Curves.writeSvg(title, result.epochs(), dir.resolve("training-curves.svg")));
    if (experiment.train() instanceof PointDataset points && points.features() == 2) {
      Linear layer = (Linear) result.model().network().layers().get(0);
      jobs.add(() -> DecisionBoundary.write(title, (PointDataset) experiment.test(),
          layer.weight().get(0, 0), layer.weight().get(0, 1), layer.bias().get(0, 0),
          dir.resolve("decision-boundary.svg"), dir.resolve("decision-boundary.png")));
    }
    if (experiment.test() instanceof ImageDataset test && result.model().isClassifier()) {
      jobs.add(() -> writePredictions(result.model(), test, dir));
    }
    return jobs;
  }

  /** The first 18 test images with their labels and the model's guesses (wrong ones marked). */
  private static void writePredictions(Model m, ImageDataset test, Path dir) throws IOException {
    int n = Math.min(18, test.size());
    int[] idx = new int[n];
    List<String> titles = new ArrayList<>();
    float[] x = new float[test.features()];
    float[] p = new float[m.classes()];
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
