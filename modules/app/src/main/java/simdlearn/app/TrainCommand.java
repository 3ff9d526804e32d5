package simdlearn.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simdlearn.console.Terminal;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.data.PointDataset;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;
import simdlearn.nn.LayerTypes;
import simdlearn.train.EngineProvider;
import simdlearn.train.Experiment;
import simdlearn.train.PartitionedGradients;
import simdlearn.train.ModelOptions;
import simdlearn.train.Recipe;
import simdlearn.train.recipes.Recipes;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.TrainingResult;

import simdlearn.app.plot.Curves;
import simdlearn.app.plot.DecisionBoundary;
import simdlearn.app.plot.ImageGrid;
import simdlearn.report.EpochLine;
import simdlearn.report.ReportLine;
import simdlearn.report.ReportWriter;
import simdlearn.report.Reports;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;
import simdlearn.train.Checkpoint;
import simdlearn.train.CheckpointFile;
import simdlearn.app.io.Outputs;
import simdlearn.app.io.RunDirectory;

/** {@code simdlearn train}: trains, writes report.jsonl, the model and pictures. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
    sortOptions = false,
    description = {"Trains a model (softmax regression on Fashion-MNIST by default) with d2l's"
        + " settings unless told otherwise; the models are listed below.",
        "Writes report.jsonl (one JSON line per epoch, flushed live), model.json and pictures"
            + " into --out."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "MODEL", completionCandidates = ModelNames.class,
      description = "${COMPLETION-CANDIDATES} (see Models below; default: softmax)")
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

  @Option(names = "--activation", paramLabel = "NAME", completionCandidates = Activations.class,
      description = "mlp: activation after each hidden layer: ${COMPLETION-CANDIDATES}"
          + " (default: relu)")
  String activation;

  @Option(names = "--pool", paramLabel = "avg|max",
      description = "lenet: the pooling layers (default: avg, the book's; max for the modern"
          + " variant)")
  String pool;

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
      description = "dataset directory (default: $SIMDLEARN_DATA, else data/DATASET; --fetch"
          + " fetches a missing one); with --engine spark also a URI Spark reads (hdfs://...,"
          + " s3a://..., file:/...)")
  String data;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "fashion-mnist (default) or mnist; logistic also synthetic-2d (two Gaussian"
          + " clouds)")
  String dataset;

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

  @Option(names = {"--shards", "--partitions"}, paramLabel = "P",
      description = "cut the training set into P partitions and each minibatch into their P"
          + " shards, whose gradients add in partition order: the same bits on any engine"
          + " (default: shards of --shard-size rows)")
  Integer shards;

  @Option(names = "--engine", paramLabel = "local|spark",
      description = "where the --partitions run: local (default, this JVM's threads) or spark"
          + " (docs/spark.md)")
  String engine;

  @Option(names = "--master", paramLabel = "URL",
      description = "--engine spark: the Spark master, e.g. local[2], spark://HOST:7077, yarn,"
          + " k8s://... (default: spark-submit's, else local[*])")
  String master;

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

  @Option(names = "--fetch",
      description = "fetch the dataset into --data (default: data/DATASET) if files are missing;"
          + " without it a missing dataset is an error")
  boolean fetch;

  @Option(names = "--init-from", paramLabel = "MODEL.json",
      description = "start from the parameters of a model file of the same architecture (e.g."
          + " PyTorch's initial weights, same names and layouts); with --epochs 0 it is written"
          + " back as the run's model")
  Path initFrom;

  @Option(names = "--no-plots", description = "skip the pictures") boolean noPlots;

  @Option(names = "--no-progress", description = "plain lines even on a terminal")
  boolean noProgress;

  @Option(names = "--verbose", description = "stack traces on errors") boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The model names, for --model's help. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Recipes.names().iterator();
    }
  }

  /** The registered activations, for --activation's help. */
  static final class Activations implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return LayerTypes.activations().iterator();
    }
  }

  /**
   * Offers each setting of the registered activations as an option of its own ({@code --slope}
   * for leaky-relu), and lists the models with what they are: a new activation or model needs no
   * change here.
   */
  static void describeRegistered(CommandLine train) {
    CommandLine.Model.CommandSpec spec = train.getCommandSpec();
    for (String setting : LayerTypes.activationSettings()) {
      List<String> users = new ArrayList<>();
      for (String a : LayerTypes.activations()) {
        Double d = LayerTypes.get(a).settings().get(setting);
        if (d != null) {
          users.add(a + " (default " + d + ")");
        }
      }
      spec.addOption(CommandLine.Model.OptionSpec.builder("--" + setting).type(Double.class)
          .paramLabel("X").description("mlp --activation " + String.join(", ", users) + ": its "
              + setting).build());
    }
    List<String> footer = new ArrayList<>();
    footer.add("%nModels:");
    for (Recipe r : Recipes.all()) {
      footer.add(String.format("  %-15s %s", r.name(), r.summary()));
    }
    spec.usageMessage().footer(footer.toArray(String[]::new));
  }

  /** The recipe --model names. */
  Recipe recipe() {
    return Recipes.get(model == null ? "" : model.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /** The model options as given on the command line (unset when not given). */
  ModelOptions givenOptions() {
    ModelOptions.Builder b = new ModelOptions.Builder().degree(degree).hidden(hidden)
        .dropout(dropout).activation(activation).loss(loss).dataset(dataset).classes(classes)
        .limit(limit).resize(resize).pool(pool);
    for (String setting : LayerTypes.activationSettings()) {
      CommandLine.Model.OptionSpec o = spec.findOption("--" + setting);
      if (o != null && o.getValue() != null) {
        b.activationSetting(setting, o.getValue());
      }
    }
    return b.build();
  }

  /** The run's settings: the recipe's defaults for the preset, then the options given. */
  TrainingConfig config(Recipe recipe, ModelOptions options) {
    TrainingConfig.Builder b = recipe.defaults(options, preset);
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
    set(shards, b::shards);
    if (backend != null) {
      b.backend(backend(backend));
    }
    if (noShuffle) {
      b.shuffle(false);
    }
    return b.build().validate();
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
    // Bad values are refused before any work.
    Recipe recipe = recipe();
    ModelOptions options = recipe.resolve(givenOptions());
    TrainingConfig cfg = config(recipe, options);
    checkConflicts(recipe, options, cfg);
    PrintWriter console = spec.commandLine().getOut();
    Model start = initFrom == null ? null : ModelFile.load(initFrom);
    // The engine first: a master that cannot be reached is refused before the data is read.
    try (RunDirectory dir = RunDirectory.forNewRun(outputDirectory(), overwrite);
        PartitionedGradients engine = openEngine(cfg)) {
      Experiment experiment = experiment(recipe, cfg, options, console);
      if (start != null) {
        try {
          experiment.model().network().copyParametersFrom(start.network());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--init-from " + initFrom + " does not fit --model "
              + recipe.name() + ": " + e.getMessage());
        }
        experiment = experiment.startingFrom(initFrom.toAbsolutePath().toString());
      }
      CheckpointFile.RunSpec runSpec = new CheckpointFile.RunSpec(recipe.name(), options, cfg,
          recipe.readsImages(options)
              ? dataLocation(options) : null,
          unverified);
      Trainer trainer = new Trainer(cfg, listener(cfg, console, dir, null));
      if (engine != null) {
        trainer.partitionedBy(engine);
      }
      return run(trainer, runSpec, experiment, dir, console);
    }
  }

  /** {@code --resume}: the run's own settings and data, its checkpoint, its report so far. */
  private Integer resumeRun() throws IOException {
    var given = spec.commandLine().getParseResult().matchedOptions().stream()
        .map(o -> o.longestName()).filter(n -> !List.of("--resume", "--threads", "--no-plots",
            "--no-progress", "--verbose", "--engine", "--master").contains(n)).toList();
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("--resume continues a run with its own settings; "
          + String.join(", ", given) + " cannot be changed (only --threads, --engine, --master"
          + " and the display options)");
    }
    PrintWriter console = spec.commandLine().getOut();
    try (RunDirectory dir = RunDirectory.forResume(resume)) {
      Path checkpointFile = dir.file("checkpoint.json");
      CheckpointFile.Loaded loaded = CheckpointFile.load(checkpointFile);
      CheckpointFile.RunSpec runSpec = loaded.spec();
      Recipe recipe;
      ModelOptions options;
      TrainingConfig cfg;
      try {
        recipe = Recipes.get(runSpec.model());
        options = recipe.resolve(runSpec.options());
        cfg = runSpec.config().toBuilder()
            .threads(threads != null ? threads : runSpec.config().threads()).build().validate();
      } catch (IllegalArgumentException e) {
        // The settings come from the file, not from flags: a data error that names the file.
        throw new IOException(checkpointFile + ": its settings cannot run (" + e.getMessage()
            + "); the checkpoint was edited or written by an incompatible simdlearn");
      }
      data = runSpec.dataDir();
      unverified = runSpec.unverified();
      return resumeOn(openEngine(cfg), dir, loaded, runSpec, recipe, options, cfg, console);
    }
  }

  /** The rest of {@link #resumeRun}, on its engine (closed at the end; null: local). */
  private Integer resumeOn(PartitionedGradients engine, RunDirectory dir,
      CheckpointFile.Loaded loaded, CheckpointFile.RunSpec runSpec, Recipe recipe,
      ModelOptions options, TrainingConfig cfg, PrintWriter console) throws IOException {
    Path checkpointFile = dir.file("checkpoint.json");
    try (engine) {
      Experiment experiment = experiment(recipe, cfg, options, console);
      // The report is rewritten from the checkpoint before training: its run line says how
      // this part runs (the trainer does the same for its listeners).
      Checkpoint checkpoint = loaded.checkpoint().onThreads(cfg.threads())
          .onEngine(engine != null ? engine.engine()
              : cfg.shards() > 0 ? RunLine.Engine.local(cfg.shards()) : null);
      sameData(checkpointFile, checkpoint.run().dataset().sha256(), experiment);
      boolean trained = checkpoint.epochsCompleted() >= cfg.epochs();
      if (trained && Files.isRegularFile(dir.file("model.json"))
          && summarised(dir.file("report.jsonl"))) {
        throw new IllegalArgumentException("the run already completed " + cfg.epochs() + " of "
            + cfg.epochs() + " epochs and wrote its model; nothing to resume");
      }
      List<ReportLine> done = new ArrayList<>();
      done.add(checkpoint.run());
      done.addAll(checkpoint.epochs());
      ReportWriter report = ReportWriter.replacing(dir.file("report.jsonl"), done);
      console.println(trained
          ? "simdlearn: " + dir.dir() + " trained all " + cfg.epochs() + " epochs but was stopped"
              + " before its closing files; writing them from its checkpoint"
          : "simdlearn: resuming " + dir.dir() + " after epoch " + checkpoint.epochsCompleted()
              + " of " + cfg.epochs());
      Trainer trainer = new Trainer(cfg, listener(cfg, console, dir, report))
          .resumingFrom(checkpoint);
      if (engine != null) {
        trainer.partitionedBy(engine);
      }
      return run(trainer, runSpec, experiment, dir, console);
    }
  }

  /**
   * Refuses to resume on data other than the run's: the checkpoint records each file's SHA-256,
   * and the same paths can hold other files by now (a dataset replaced, gunzipped, another one).
   */
  private static void sameData(Path checkpoint, Map<String, String> recorded,
      Experiment experiment) throws IOException {
    Map<String, String> now = new TreeMap<>(experiment.train().sha256());
    if (experiment.test() != null) {
      now.putAll(experiment.test().sha256());
    }
    Map<String, String> then = new TreeMap<>(recorded == null ? Map.of() : recorded);
    if (!then.equals(now)) {
      String file = then.keySet().stream().filter(f -> !then.get(f).equals(now.get(f)))
          .findFirst().orElseGet(() -> now.keySet().stream().filter(f -> !then.containsKey(f))
              .findFirst().orElse("?"));
      throw new IOException(checkpoint + ": the run's data changed since it started (" + file
          + " differs); resume it with the files it was trained on");
    }
  }

  /** Whether a run's report ends with its summary (false when it cannot be read). */
  private static boolean summarised(Path report) {
    try {
      return Reports.read(report).summary().isPresent();
    } catch (IOException e) {
      return false; // rewritten from the checkpoint, like any report of an unfinished run
    }
  }

  /** Trains with checkpoints and signal handling, then writes the model and pictures. */
  private int run(Trainer trainer, CheckpointFile.RunSpec runSpec, Experiment experiment,
      RunDirectory dir, PrintWriter console) throws IOException {
    if (Interrupts.received()) {
      throw new InterruptedRunException("interrupted by a signal before training started;"
          + " nothing was written");
    }
    var params = experiment.model().network().state();
    trainer.checkpointingTo(c -> {
      dir.checkIntact(); // a deleted --out stops the run instead of being made again unlocked
      try {
        CheckpointFile.save(dir.file("checkpoint.json"), runSpec, params, c);
      } catch (IOException e) {
        dir.checkIntact(); // deleted during the save: say so, not which temporary went missing
        throw e;
      }
    });
    TrainingResult result;
    Interrupts.watch(trainer);
    try {
      result = trainer.train(experiment);
    } finally {
      Interrupts.watch(null);
      closeReport();
    }
    boolean interrupted = "interrupted".equals(result.summary().status());
    if (result.epochs().isEmpty() && interrupted) {
      console.println("simdlearn: " + result.summary().message() + "; no epoch completed, no"
          + " model written");
      console.flush();
      return Interrupts.INTERRUPTED;
    }
    dir.checkIntact();
    List<Outputs.Job> outputs = new ArrayList<>();
    outputs.add(() -> ModelFile.save(result.model(), dir.file("model.json")));
    if (!noPlots && !result.epochs().isEmpty()) {
      outputs.addAll(pictures(result, experiment, dir.dir()));
    }
    Outputs.writeAll(outputs);
    if (interrupted) {
      console.println("simdlearn: " + result.summary().message() + "; the model is epoch "
          + result.epochs().size() + "'s");
    }
    console.println("simdlearn: wrote report.jsonl, model.json" + (noPlots ? "" : ", pictures")
        + " in " + dir.dir());
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

  /** The engine provider of an {@code --engine} run, once opened; null for local runs. */
  private EngineProvider provider;

  /**
   * The engine {@code --engine} names for a partitioned run, opened; null for the trainer's own
   * threads ({@code local}, the default).
   */
  private PartitionedGradients openEngine(TrainingConfig cfg) {
    String name = engine == null ? "local" : engine.trim().toLowerCase(Locale.ROOT);
    if (name.equals("local")) {
      if (master != null) {
        throw new IllegalArgumentException("--master is for --engine spark");
      }
      return null;
    }
    if (cfg.shards() == 0) {
      throw new IllegalArgumentException("--engine " + name + " needs --partitions P (the run's"
          + " figures depend on P; --shards P gives the same run on this machine)");
    }
    for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
      if (p.name().equals(name)) {
        PartitionedGradients opened = p.open(master, cfg.shards());
        provider = p;
        return opened;
      }
    }
    throw new IllegalArgumentException("--engine " + name + " is not available here: "
        + (name.equals("spark") ? "run it through bin/simdlearn, which brings the simdlearn-spark"
            + " module and Spark's jars" : "the engines are local and spark"));
  }

  /** Options of this command that the chosen model would silently ignore are refused. */
  private void checkConflicts(Recipe recipe, ModelOptions options, TrainingConfig cfg) {
    var matched = spec.commandLine().getParseResult();
    if (!recipe.readsImages(options)) {
      List<String> bad = new ArrayList<>();
      for (String o : List.of("--data", "--unverified", "--fetch")) {
        if (matched.hasMatchedOption(o)) {
          bad.add(o);
        }
      }
      if (!bad.isEmpty()) {
        throw new IllegalArgumentException(String.join(", ", bad) + (bad.size() == 1 ? " is"
            : " are") + " for image datasets; --model " + recipe.name()
            + (options.dataset() != null ? " on " + options.dataset() : "")
            + " generates its data");
      }
    }
    if (matched.hasMatchedOption("--momentum") && !cfg.optimizer().equals("momentum")
        && !cfg.optimizer().equals("nesterov")) {
      throw new IllegalArgumentException("--momentum is for --optimizer momentum or nesterov, not "
          + cfg.optimizer());
    }
    if (matched.hasMatchedOption("--init-std") && !cfg.init().equals("normal")) {
      throw new IllegalArgumentException("--init-std is for --init normal, not " + cfg.init());
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

  /** The recipe's experiment: generated data, or images loaded while the JIT warms up. */
  private Experiment experiment(Recipe recipe, TrainingConfig cfg, ModelOptions options,
      PrintWriter console) throws IOException {
    if (!recipe.readsImages(options)) {
      return recipe.experiment(cfg, options, null);
    }
    if (remote(data)) {
      return remoteExperiment(recipe, cfg, options, console);
    }
    Path dataDir = Datasets.directory(data == null ? null : Path.of(data), options.dataset());
    // Compile the hot code while the dataset is decompressed (see Warmup).
    Thread warmup = Warmup.start(recipe, cfg, options,
        options.resize() == null ? 28 : options.resize());
    ImageDataset.Split split = Datasets.load(options.dataset(), dataDir, console, !unverified,
        fetch);
    Warmup.await(warmup);
    try {
      return recipe.experiment(cfg, options, split);
    } catch (IOException e) {
      throw new IOException(dataDir + ": " + e.getMessage(), e); // the data: exit status 1
    }
  }

  /** Whether {@code --data} names a URI of a distributed engine's file system, not a path. */
  static boolean remote(String data) {
    return data != null && data.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
  }

  /** Where the run's images come from, as its checkpoint records it: an absolute path or a URI. */
  private String dataLocation(ModelOptions options) {
    return remote(data) ? data
        : Datasets.directory(data == null ? null : Path.of(data), options.dataset())
            .toAbsolutePath().toString();
  }

  /**
   * The experiment on images at a URI: the engine copies the four files into a temporary
   * directory, which is loaded and checked like any other and then deleted.
   */
  private Experiment remoteExperiment(Recipe recipe, TrainingConfig cfg, ModelOptions options,
      PrintWriter console) throws IOException {
    if (provider == null) {
      throw new IllegalArgumentException("--data " + data + " is a URI: give a local directory,"
          + " or read it with --engine spark");
    }
    if (fetch) {
      throw new IllegalArgumentException("--fetch fetches into a local directory, not " + data);
    }
    DatasetSpec spec = DatasetSpec.byName(options.dataset());
    Path copy = Files.createTempDirectory("simdlearn-data");
    try {
      provider.copyData(data, List.of(spec.trainImages(), spec.trainLabels(), spec.testImages(),
          spec.testLabels()), copy);
      ImageDataset.Split split = Datasets.load(options.dataset(), copy, console, !unverified,
          false);
      return recipe.experiment(cfg, options, split);
    } catch (IOException e) {
      throw new IOException(data + ": " + e.getMessage().replace(copy.toString(), data), e);
    } finally {
      try (var files = Files.list(copy)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(copy);
    }
  }

  /** The run's pictures, each a job to write beside the others. */
  static List<Outputs.Job> pictures(TrainingResult result, Experiment experiment, Path dir) {
    String title = Curves.title(result.run());
    List<Outputs.Job> jobs = new ArrayList<>();
    jobs.add(() -> Curves.writePng(title, result.epochs(), dir.resolve("training-curves.png")));
    jobs.add(() -> Curves.writeSvg(title, result.epochs(), dir.resolve("training-curves.svg")));
    if (experiment.train() instanceof PointDataset points && points.features() == 2
        && result.model().network().parameters().size() == 2) {
      // A line w.x + b = 0 between two classes of points: a binary linear classifier's.
      var w = result.model().network().parameters().get(0).value();
      var b = result.model().network().parameters().get(1).value();
      jobs.add(() -> DecisionBoundary.write(title, (PointDataset) experiment.test(),
          w.get(0, 0), w.get(0, 1), b.get(0, 0),
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
