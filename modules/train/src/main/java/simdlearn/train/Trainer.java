package simdlearn.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import simdlearn.data.Dataset;
import simdlearn.data.Minibatches;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.GradientBlock;
import simdlearn.nn.Network;
import simdlearn.nn.Rows;
import simdlearn.nn.StateTensor;
import simdlearn.optim.LearningRateSchedule;
import simdlearn.optim.Optimizer;
import simdlearn.optim.Parameter;
import simdlearn.report.EpochLine;
import simdlearn.report.ReportLine;
import simdlearn.report.RunLine;
import simdlearn.report.SummaryLine;

/**
 * Minibatch training of a {@link Model}'s network against an {@link Objective}. The trainer sees
 * only the {@link Network} interface: parameters, workspaces, forward and backward.
 *
 * <p>An epoch reads top to bottom: shuffle (seeded by seed and epoch), then for each minibatch:
 * split it into fixed-size shards; on the shard pool's virtual threads each shard runs forward,
 * loss and backward into its own gradient buffers (image pixels are read as bytes, in place, by
 * a network whose first layer can; other data is copied into a float buffer first); then, again
 * on the pool, the network's gradient blocks are gathered (the shards' gradients summed in shard
 * order, or a wide layer's weight gradient computed over the whole minibatch) and each block is
 * stepped by the optimizer with {@code gradScale = 1 / rows} (d2l's summed loss divided by the
 * batch size) while it is in cache. Shards and blocks are fixed by the batch and shard sizes and
 * the architecture, sums run in a fixed order, dropout masks are keyed by (seed, epoch, batch,
 * row) and the kernels are bit-stable, so a run is the same bits with any number of threads.
 * Nothing is allocated per minibatch.
 *
 * <p>A partitioned run ({@link TrainingConfig#shards} = P) splits each minibatch by the training
 * set's P {@link Partitions} instead; each shard computes its whole gradient (here, or on the
 * engine {@link #partitionedBy} gives, a Spark cluster), and the trainer adds the P gradients in
 * partition order and steps every parameter whole.
 */
public final class Trainer {
  private final TrainingConfig cfg;
  private final TrainingListener listener;
  private final TrainingKernels k;
  /** Why the run should stop (a signal's name), once someone asked; read between minibatches. */
  private volatile String stopReason;
  private Checkpoint.Sink checkpoints = Checkpoint.Sink.NONE;
  private Checkpoint resume;
  private PartitionedGradients engine;

  /**
   * Parameters from which the gather-and-step of a minibatch runs on the pool, or parameters
   * times minibatch rows ({@link #PARALLEL_STEP_MIN_WORK}): the gather computes the dense layers'
   * weight gradients over the whole minibatch, so its work grows with both. Below both, a hand-off
   * costs more than the work (softmax regression's 7,850 parameters at 256 rows take about 0.1
   * ms; LeNet's 61,706, under this count, about 0.7 ms).
   */
  static final long PARALLEL_STEP_MIN_ELEMENTS = 1 << 16;

  static final long PARALLEL_STEP_MIN_WORK = 1 << 23;

  public Trainer(TrainingConfig cfg, TrainingListener listener) {
    this.cfg = cfg.validate();
    this.listener = Objects.requireNonNull(listener, "listener");
    this.k = TrainingKernels.of(cfg.backend());
  }

  /**
   * Asks a running {@link #fit} to stop: it abandons the minibatch loop at the next minibatch,
   * puts back the parameters of the last completed epoch and returns a result whose summary has
   * status {@code interrupted}. Safe from any thread (a shutdown hook, say).
   */
  public void requestStop(String reason) {
    stopReason = reason;
  }

  /**
   * Hands a {@link Checkpoint} to {@code sink} after every completed epoch: a large model's on a
   * background virtual thread while the next epoch trains (one save at a time, in order; see
   * {@code CheckpointWriter}). The last save is done when {@link #train} returns; a failed
   * background save fails the run at the next epoch's end or at its end.
   */
  public Trainer checkpointingTo(Checkpoint.Sink sink) {
    this.checkpoints = java.util.Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * Continues from {@code checkpoint} (of a run with the same settings and data): its parameters
   * and optimizer state are restored, its epochs are kept, and training goes on to the configured
   * number of epochs with the same figures as if it had never stopped.
   */
  public Trainer resumingFrom(Checkpoint checkpoint) {
    // The run line says how this part runs: its thread count may differ from the first part's.
    this.resume = checkpoint.onThreads(cfg.threads());
    return this;
  }

  /**
   * Computes the partitions' gradients of a partitioned run ({@link TrainingConfig#shards} > 0)
   * on {@code engine} (a Spark cluster, say) instead of this JVM's threads; the trainer still
   * sums them in partition order and steps, so the figures are the same bits. The trainer
   * starts it and closes it.
   */
  public Trainer partitionedBy(PartitionedGradients engine) {
    if (cfg.shards() == 0) {
      throw new IllegalArgumentException("an engine of partitions needs a config with shards"
          + " (its number of partitions)");
    }
    if (engine.engine().partitions() != cfg.shards()) {
      throw new IllegalArgumentException("the engine has " + engine.engine().partitions()
          + " partitions, the config " + cfg.shards() + " shards");
    }
    this.engine = engine;
    return this;
  }

  /** Runs an experiment (a {@link Recipe}'s, or one of your own) with the config's optimizer. */
  public TrainingResult train(Experiment e) {
    return run(e, cfg.optimizer(k));
  }

  /**
   * Trains {@code model}'s network on {@code train} with {@code optimizer} (initialised here)
   * against {@code objective}, evaluating on {@code test} (may be null) after each epoch; every
   * other setting comes from the config.
   */
  public TrainingResult fit(Model model, Dataset train, Dataset test, Objective objective,
      Optimizer optimizer) {
    return run(new Experiment(model, train, test, objective, ModelOptions.NONE), optimizer);
  }

  private TrainingResult run(Experiment e, Optimizer optimizer) {
    check(e.model(), e.train(), e.objective(), "training");
    if (e.test() != null) {
      check(e.model(), e.test(), e.objective(), "test");
    }
    return onVirtualThread(() -> new Run(e, optimizer).train());
  }

  private static void check(Model model, Dataset data, Objective objective, String what) {
    if (data.features() != model.inputs()) {
      throw new IllegalArgumentException("the " + what + " data (" + data.name() + ") has "
          + data.features() + " features but the network takes " + model.inputs());
    }
    if (data.labelled() != objective.classifies()) {
      throw new IllegalArgumentException("the " + what + " data (" + data.name() + ") has "
          + (data.labelled() ? "class labels" : "real-valued targets") + " but the objective "
          + (objective.classifies() ? "classifies" : "regresses"));
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException("the " + what + " data (" + data.name() + ") is empty");
    }
  }

  /** Runs the whole training on a virtual thread, so every shard runs on one. */
  private static TrainingResult onVirtualThread(Callable<TrainingResult> body) {
    AtomicReference<Object> out = new AtomicReference<>();
    Thread t = Thread.ofVirtual().name("simdlearn-trainer").start(() -> {
      try {
        out.set(body.call());
      } catch (Throwable e) {
        out.set(e);
      }
    });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while training", e);
    }
    Object r = out.get();
    if (r instanceof RuntimeException e) {
      throw e;
    }
    if (r instanceof Error e) {
      throw e;
    }
    if (r instanceof Throwable e) {
      throw new IllegalStateException(e);
    }
    return (TrainingResult) r;
  }

  /**
   * The gradient blocks in the order {@link ShardPool#runSpread} claims them from both ends: the
   * large blocks in their own order, split in two halves, with the small ones (under half the
   * largest) between them. Each thread works through its own contiguous half of a wide layer's
   * weight (the same one every minibatch) and they meet on the small blocks, so the block one
   * thread is left waiting for at the end of a step is a short one, not a 64-column block of a
   * wide layer. Blocks are independent: their order changes no result.
   */
  static GradientBlock[] spreadOrder(List<GradientBlock> blocks) {
    long largest = 0;
    for (GradientBlock b : blocks) {
      largest = Math.max(largest, size(b));
    }
    List<GradientBlock> large = new ArrayList<>();
    List<GradientBlock> small = new ArrayList<>();
    for (GradientBlock b : blocks) {
      (2 * size(b) > largest ? large : small).add(b);
    }
    int half = (large.size() + 1) / 2;
    List<GradientBlock> order = new ArrayList<>(large.subList(0, half));
    order.addAll(small);
    order.addAll(large.subList(half, large.size()));
    return order.toArray(GradientBlock[]::new);
  }

  private static long size(GradientBlock b) {
    return (long) b.rows() * b.cols();
  }

  /** Something a run closes when it ends, without a checked exception. */
  private interface Closer extends AutoCloseable {
    @Override
    void close();
  }

  /** One training run: all buffers, allocated up front. */
  private final class Run {
    private final Model model;
    private final Network network;
    private final Dataset train;
    private final Dataset test;
    private final Objective objective;
    private final Optimizer optimizer;
    private final UnaryOperator<SummaryLine> finish;
    private final ModelOptions options;
    private final String initialWeights;
    private final boolean classifier;
    private final int outputs;
    /** Classes a classifier tells apart (its outputs, or 2 for one binary logit). */
    private final int classes;
    private final int shardSize;
    private final Minibatches batches;
    private final Shard[] shards;
    private final Shard[] perWorker;
    private final List<Parameter> parameters;
    /** Every parameter and buffer (running statistics): what a snapshot and a checkpoint keep. */
    private final List<StateTensor> state;
    /** The two sets of arrays {@link #snapshot} copies the state into in turn. */
    private final float[][][] snapshots;
    /** The elements of {@link #state} together: what a checkpoint holds (optimizer state aside). */
    private final long parameterFloats;
    private final LearningRateSchedule schedule;
    // Set by the coordinator before each pool.run; the pool's hand-off publishes them.
    private int[] order;
    private int epoch;
    private int batch;
    private int batchStart;
    private int batchRows;
    private Dataset evalData;
    private byte[] evalPixels;
    private final byte[] trainPixels;
    private final double[] chunkLoss;
    private final long[] correctByWorker;
    private final int[][][] confusionByWorker;
    private final boolean[] nonFiniteByWorker;
    private final Network.Workspace[] shardWorkspaces;
    private final GradientBlock[] blocks;
    /** Whether the step is worth a hand-off to the pool (else the coordinator runs it alone). */
    private final boolean parallelStep;
    // The step of the current minibatch: set by the coordinator before its pool.run.
    private int used;
    private float stepLr;
    private float stepScale;
    private final ShardPool.Task trainTask = this::trainShard;
    /** Networks whose shards meet (batch statistics): the passes' parts, one stage at a time. */
    private final int meetings;
    private final StagedPasses staged;
    private final ShardPool.Task stepTask = this::stepBlock;
    private final ShardPool.Task evalTask = this::evalChunk;
    /** Where and why training diverged, once it has. */
    private String divergence;
    /** A partitioned run's engine, partitions and a minibatch's shards of them; else null. */
    private final PartitionedGradients partitioned;
    private final Partitions cut;
    private final int[][] partRows;
    private final int[] partCounts;
    private final int[] partOffsets;
    private int partCorrect;
    /** The confusion matrix after the last completed epoch (classifiers). */
    private int[][] lastConfusion;

    Run(Experiment e, Optimizer optimizer) {
      this.model = e.model();
      this.network = model.network();
      this.train = e.train();
      this.test = e.test();
      this.objective = e.objective();
      this.optimizer = optimizer;
      this.finish = e.finish();
      this.options = e.options();
      this.initialWeights = e.initialWeights();
      this.classifier = objective.classifies();
      this.outputs = network.outputs();
      this.meetings = network.meetings();
      this.staged = new StagedPasses(network, k, this::forwardStage, this::backwardStage);
      this.classes = classifier ? model.classes() : 0;
      this.trainPixels = Shard.pixels(train);
      this.shardSize = Math.min(cfg.shardSize(), cfg.batchSize());
      this.batches = new Minibatches(train, cfg.batchSize(), cfg.shuffle(), false, cfg.seed());
      if (cfg.shards() > 0) {
        this.cut = new Partitions(train.size(), cfg.shards());
        this.partitioned = engine != null ? engine : new LocalPartitions(cfg.shards(),
            cfg.threads());
        this.partRows = new int[cfg.shards()][cfg.batchSize()];
        this.partCounts = new int[cfg.shards()];
        this.partOffsets = new int[cfg.shards()];
      } else {
        this.cut = null;
        this.partitioned = null;
        this.partRows = null;
        this.partCounts = null;
        this.partOffsets = null;
      }
      // A partitioned run's shards are its partitions': these are evaluation's alone.
      int shardCount = partitioned != null ? 0 : (cfg.batchSize() + shardSize - 1) / shardSize;
      boolean floats = trainPixels == null || (test != null && Shard.pixels(test) == null);
      this.shards = new Shard[shardCount];
      for (int s = 0; s < shardCount; s++) {
        shards[s] = new Shard(network, shardSize, floats);
      }
      this.shardWorkspaces = new Network.Workspace[shardCount];
      for (int s = 0; s < shardCount; s++) {
        shardWorkspaces[s] = shards[s].net;
      }
      this.blocks = spreadOrder(network.gradientBlocks());
      long elements = 0;
      for (Parameter p : network.parameters()) {
        elements += p.value().size();
      }
      this.parallelStep = elements >= PARALLEL_STEP_MIN_ELEMENTS
          || elements * cfg.batchSize() >= PARALLEL_STEP_MIN_WORK;
      this.state = network.state();
      this.snapshots = new float[2][state.size()][];
      long kept = 0;
      for (StateTensor t : state) {
        kept += t.value().size();
      }
      this.parameterFloats = kept;
      this.perWorker = new Shard[cfg.threads()];
      for (int w = 0; w < perWorker.length; w++) {
        // Evaluation runs between epochs, when the training shards' buffers hold nothing the
        // next minibatch needs: workers evaluate in them (a ResNet-18 shard's are 300 MB).
        perWorker[w] = w < shards.length ? shards[w] : new Shard(network, shardSize, floats);
      }
      this.parameters = network.parameters();
      optimizer.init(parameters);
      this.schedule = cfg.learningRateSchedule();
      int largest = Math.max(train.size(), test == null ? 0 : test.size());
      this.chunkLoss = new double[(largest + shardSize - 1) / shardSize];
      this.correctByWorker = new long[cfg.threads()];
      this.confusionByWorker = new int[cfg.threads()][classes][classes];
      this.nonFiniteByWorker = new boolean[cfg.threads()];
    }

    @SuppressWarnings("try") // the engine's resource is only closed
    TrainingResult train() {
      RunLine run;
      List<EpochLine> epochs = new ArrayList<>();
      RunLine.Engine where = partitioned == null ? null : partitioned.engine();
      if (resume != null) {
        restore(resume);
        run = resume.run().withEngine(where);
        epochs.addAll(resume.epochs());
        listener.runResumed(run, List.copyOf(epochs));
      } else {
        List<String> running = network.buffers().stream().map(StateTensor::name).toList();
        run = new RunLine(ReportLine.SCHEMA_VERSION, model.kind(), network.describe(),
            datasetInfo(), settings(), Environments.current(k), Instant.now().toString(),
            running.isEmpty() ? null : running, where);
        listener.runStarted(run);
      }
      network.packWeights(k);
      long start = System.nanoTime();
      try (ShardPool pool = new ShardPool(cfg.threads());
          CheckpointWriter saves = new CheckpointWriter(checkpoints, parameterFloats);
          Closer partitions = startPartitions()) {
        float[][] lastEpoch = snapshot(0);
        for (int e = epochs.size(); e < cfg.epochs(); e++) {
          EpochLine line = stopReason == null ? epoch(pool, e) : null;
          if (line == null && stopReason != null && divergence == null) {
            // Abandon the epoch in progress: the model is the last completed epoch's.
            putBack(lastEpoch);
            String message = "interrupted (" + stopReason + ") after " + epochs.size()
                + " of " + cfg.epochs() + " epochs";
            SummaryLine interrupted = summary(epochs, start, "interrupted", message);
            listener.runEnded(interrupted);
            return new TrainingResult(model, run, List.copyOf(epochs), interrupted);
          }
          if (line == null) {
            SummaryLine diverged = summary(epochs, start, "diverged", divergence);
            listener.runEnded(diverged);
            throw new TrainingDivergedException(divergence);
          }
          epochs.add(line);
          // Saved in the background, a checkpoint's arrays are read while the next epoch trains:
          // the epochs alternate two sets. Saved in line, one set serves every epoch.
          lastEpoch = snapshot(saves.inBackground() ? epochs.size() & 1 : 0);
          saves.submit(new Checkpoint(run, epochs, List.of(lastEpoch), optimizer.state()));
          listener.epochDone(line);
        }
        SummaryLine summary = finish.apply(summary(epochs, start, "completed", null));
        listener.runEnded(summary);
        return new TrainingResult(model, run, List.copyOf(epochs), summary);
      }
    }

    /** Starts a partitioned run's engine; what closes it (nothing for other runs). */
    private Closer startPartitions() {
      if (partitioned == null) {
        return () -> { };
      }
      partitioned.start(model, objective, train, cut, cfg);
      return partitioned::close;
    }

    /**
     * Copies of every parameter's and buffer's values in set {@code slot} (0 or 1) of the arrays
     * kept for them, rather than new arrays each epoch (ResNet-18's are 45 MB, and each epoch's
     * piled up in the old generation): the last epoch's model, if the next is abandoned, and the
     * checkpoint's values (lent to its sink, {@link Checkpoint.Sink}). A set is written again
     * only once the save that read it has returned.
     */
    private float[][] snapshot(int slot) {
      float[][] copy = snapshots[slot];
      for (int p = 0; p < copy.length; p++) {
        FloatMatrix v = state.get(p).value();
        if (copy[p] == null) {
          copy[p] = new float[v.size()];
        }
        System.arraycopy(v.data(), v.offset(), copy[p], 0, v.size());
      }
      return copy;
    }

    private void putBack(float[][] values) {
      for (int p = 0; p < values.length; p++) {
        var v = state.get(p).value();
        System.arraycopy(values[p], 0, v.data(), v.offset(), v.size());
      }
    }

    private void restore(Checkpoint c) {
      if (c.parameters().size() != state.size()) {
        throw new IllegalArgumentException("the checkpoint has " + c.parameters().size()
            + " tensors, the network " + state.size());
      }
      for (int p = 0; p < state.size(); p++) {
        if (c.parameters().get(p).length != state.get(p).value().size()) {
          throw new IllegalArgumentException("the checkpoint's " + state.get(p).name()
              + " has " + c.parameters().get(p).length + " values, the network's "
              + state.get(p).value().size());
        }
      }
      // A checkpoint of every epoch resumes too: the run was stopped before its closing files,
      // which the summary and the front end then write without training.
      if (c.epochsCompleted() > cfg.epochs()) {
        throw new IllegalArgumentException("the checkpoint has " + c.epochsCompleted()
            + " epochs of a run of " + cfg.epochs() + "; it does not belong to this run");
      }
      putBack(c.parameters().toArray(new float[0][]));
      optimizer.restore(c.optimizer());
    }

    private RunLine.Dataset datasetInfo() {
      Map<String, String> sums = new LinkedHashMap<>(train.sha256());
      if (test != null) {
        sums.putAll(test.sha256());
      }
      return new RunLine.Dataset(train.datasetName(), train.size(), test == null ? 0 : test.size(),
          train.features(), classifier ? classes : null,
          classifier ? model.classNames() : null, sums);
    }

    /** One epoch; null if training diverged (then {@link #divergence} says where). */
    private EpochLine epoch(ShardPool pool, int e) {
      batches.startEpoch(e);
      order = batches.order();
      epoch = e;
      int n = batches.batchesPerEpoch();
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      float lr = 0;
      long t0 = System.nanoTime();
      for (int b = 0; b < n; b++) {
        lr = schedule.lr(e + (double) b / n);
        batch = b;
        batchStart = batches.batchStart(b);
        batchRows = batches.batchRows(b);
        double batchLoss;
        if (partitioned != null) {
          batchLoss = trainPartitions();
        } else {
          used = (batchRows + shardSize - 1) / shardSize;
          if (meetings == 0) {
            pool.run(used, trainTask);
          } else {
            // The shards meet between stages wherever a layer needs the whole minibatch.
            staged.run(pool, used, shardWorkspaces, used);
          }
          batchLoss = batchLoss();
        }
        if (stopReason != null) {
          return null; // abandon this minibatch and the epoch: the caller puts back the last one
        }
        if (!Double.isFinite(batchLoss)) {
          divergence = "training diverged: the loss became " + batchLoss + " in epoch " + (e + 1)
              + ", minibatch " + (b + 1) + " of " + n + " (lr " + lr
              + "); lower the learning rate or use a cosine schedule";
          return null;
        }
        if (partitioned != null) {
          correct += partCorrect;
        } else {
          for (int s = 0; s < used; s++) {
            correct += shards[s].correct;
          }
        }
        lossSum += batchLoss;
        seen += batchRows;
        stepLr = lr;
        stepScale = 1f / batchRows;
        if (partitioned != null) {
          optimizer.step(lr, stepScale);
          network.packWeights(k);
        } else if (parallelStep) {
          optimizer.beginStep(lr);
          pool.runSpread(blocks.length, stepTask);
        } else {
          optimizer.beginStep(lr);
          for (int i = 0; i < blocks.length; i++) {
            stepBlock(i, 0);
          }
        }
        listener.batchDone(e + 1, b, n, lossSum / seen);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      String bad = firstNonFiniteParameter();
      if (bad != null) {
        divergence = "training diverged: " + bad + " stopped being finite in epoch " + (e + 1)
            + " (lr " + lr + "); lower the learning rate";
        return null;
      }
      long t1 = System.nanoTime();
      if (classifier) {
        Double testAcc = test == null ? null : evaluateClasses(pool, test);
        if (divergence != null) {
          return null;
        }
        double evalSeconds = (System.nanoTime() - t1) / 1e9;
        return new EpochLine(e + 1, lossSum / seen, (double) correct / seen, testAcc, null,
            decimal(lr), seconds, evalSeconds, rate(seen, seconds));
      }
      double trainLoss = evaluateLoss(pool, train);
      Double testLoss = test == null ? null : evaluateLoss(pool, test);
      double evalSeconds = (System.nanoTime() - t1) / 1e9;
      if (divergence != null || !Double.isFinite(trainLoss)
          || (testLoss != null && !Double.isFinite(testLoss))) {
        divergence = divergence != null ? divergence : "training diverged: the loss became "
            + (Double.isFinite(trainLoss) ? testLoss + " on the test set" : trainLoss)
            + " after epoch " + (e + 1) + " (lr " + lr + "); lower the learning rate";
        return null;
      }
      return new EpochLine(e + 1, trainLoss, null, null, testLoss, decimal(lr), seconds,
          evalSeconds, rate(seen, seconds));
    }

    /** Names the first parameter holding a NaN or an infinity, else null. */
    private String firstNonFiniteParameter() {
      for (Parameter p : parameters) {
        float[] v = p.value().data();
        for (int i = p.value().offset(), end = i + p.value().size(); i < end; i++) {
          if (!Float.isFinite(v[i])) {
            return "parameter " + p.name();
          }
        }
      }
      return null;
    }

    /**
     * A partitioned run's minibatch: its rows sorted into the partitions' shards, their results
     * from the engine, and their gradients added into the parameters' in partition order (the
     * first shard with rows copied, the others added). Returns the summed loss, in the same
     * order; sets {@link #partCorrect}.
     */
    private double trainPartitions() {
      cut.split(order, batchStart, batchRows, partRows, partCounts, partOffsets);
      PartitionResult[] parts = partitioned.compute(epoch, batch, partRows, partCounts,
          partOffsets);
      double loss = 0;
      int right = 0;
      boolean first = true;
      for (PartitionResult part : parts) {
        if (part.rows() == 0) {
          continue;
        }
        loss += part.lossSum();
        right += part.correct();
        for (int p = 0; p < parameters.size(); p++) {
          addGradient(parameters.get(p).grad(), part.gradient(p), first);
        }
        first = false;
      }
      partCorrect = right;
      return loss;
    }

    private static void addGradient(FloatMatrix into, float[] g, boolean first) {
      float[] d = into.data();
      int o = into.offset();
      if (first) {
        System.arraycopy(g, 0, d, o, into.size());
        return;
      }
      for (int i = 0, n = into.size(); i < n; i++) {
        d[o + i] += g[i];
      }
    }

    /** The minibatch's summed loss, added in shard order. */
    private double batchLoss() {
      double loss = shards[0].lossSum;
      for (int s = 1; s < used; s++) {
        loss += shards[s].lossSum;
      }
      return loss;
    }

    /** Gathers one gradient block of the minibatch and steps its parameter elements. */
    private void stepBlock(int b, int worker) {
      GradientBlock block = blocks[b];
      network.gatherGradient(k, block, shardWorkspaces, used);
      for (int r = 0; r < block.rows(); r++) {
        optimizer.stepRange(block.parameter(), block.rowStart(r), block.cols(), stepLr, stepScale);
      }
      network.repackWeights(k, block);
    }

    private void trainShard(int s, int worker) {
      Shard sh = shards[s];
      int offset = s * shardSize;
      int n = Math.min(shardSize, batchRows - offset);
      int from = batchStart + offset;
      train.copyTargets(order, from, n, sh.rows, 0);
      sh.net.pass().training(cfg.seed(), epoch, batch, offset);
      network.forward(k, sh.net, sh.input(train, trainPixels, order, from, n), n);
      sh.lossSum = objective.lossAndGradient(k, sh, n);
      network.backward(k, sh.net, n);
    }

    private void forwardStage(int s, int stage) {
      Shard sh = shards[s];
      int offset = s * shardSize;
      int n = Math.min(shardSize, batchRows - offset);
      int from = batchStart + offset;
      Rows in = null;
      if (stage == 0) {
        train.copyTargets(order, from, n, sh.rows, 0);
        sh.net.pass().training(cfg.seed(), epoch, batch, offset);
        in = sh.input(train, trainPixels, order, from, n);
      }
      network.forward(k, sh.net, in, n, stage);
      if (stage == meetings) {
        sh.lossSum = objective.lossAndGradient(k, sh, n);
      }
    }

    private void backwardStage(int s, int stage) {
      network.backward(k, shards[s].net, Math.min(shardSize, batchRows - s * shardSize), stage);
    }

    /** Test accuracy; fills {@link #lastConfusion}. Sets {@link #divergence} on NaN outputs. */
    private double evaluateClasses(ShardPool pool, Dataset data) {
      runEvaluation(pool, data);
      long correct = 0;
      int[][] confusion = new int[classes][classes];
      for (int w = 0; w < correctByWorker.length; w++) {
        correct += correctByWorker[w];
        for (int i = 0; i < classes; i++) {
          for (int j = 0; j < classes; j++) {
            confusion[i][j] += confusionByWorker[w][i][j];
          }
        }
      }
      lastConfusion = confusion;
      return (double) correct / data.size();
    }

    /** Mean loss over {@code data}, summed in chunk order whatever the threads. */
    private double evaluateLoss(ShardPool pool, Dataset data) {
      int chunks = runEvaluation(pool, data);
      double loss = 0;
      for (int c = 0; c < chunks; c++) {
        loss += chunkLoss[c];
      }
      return loss / data.size();
    }

    /** Evaluates {@code data} in shard-sized chunks on the pool; returns the chunk count. */
    private int runEvaluation(ShardPool pool, Dataset data) {
      evalData = data;
      evalPixels = Shard.pixels(data);
      order = identity(data.size());
      Arrays.fill(correctByWorker, 0);
      Arrays.fill(nonFiniteByWorker, false);
      for (int[][] m : confusionByWorker) {
        for (int[] row : m) {
          Arrays.fill(row, 0);
        }
      }
      int chunks = (data.size() + shardSize - 1) / shardSize;
      pool.run(chunks, evalTask);
      for (boolean bad : nonFiniteByWorker) {
        if (bad) {
          divergence = "training diverged: the network's outputs on " + data.name()
              + " stopped being finite after epoch " + (epoch + 1) + "; lower the learning rate";
        }
      }
      return chunks;
    }

    private int[] identityCache;

    private int[] identity(int n) {
      if (identityCache == null || identityCache.length < n) {
        identityCache = new int[n];
        for (int i = 0; i < n; i++) {
          identityCache[i] = i;
        }
      }
      return identityCache;
    }

    private void evalChunk(int c, int worker) {
      Shard sh = perWorker[worker];
      int from = c * shardSize;
      int n = Math.min(shardSize, evalData.size() - from);
      evalData.copyTargets(order, from, n, sh.rows, 0);
      sh.net.pass().evaluation();
      network.forward(k, sh.net, sh.input(evalData, evalPixels, order, from, n), n);
      if (!Float.isFinite(k.sum(n * outputs, sh.net.output(), 0))) {
        nonFiniteByWorker[worker] = true;
      }
      double loss = objective.evaluate(k, sh, n);
      if (!classifier) {
        chunkLoss[c] = loss;
        return;
      }
      int[] labels = sh.rows.labels();
      int[][] confusion = confusionByWorker[worker];
      long correct = 0;
      for (int i = 0; i < n; i++) {
        confusion[labels[i]][sh.predicted[i]]++;
        if (labels[i] == sh.predicted[i]) {
          correct++;
        }
      }
      correctByWorker[worker] += correct;
    }

    private RunLine.Settings settings() {
      return new RunLine.Settings(options.degree(), cfg.epochs(), cfg.batchSize(),
          decimal(cfg.lr()), optimizer.name(), decimal(cfg.effectiveMomentum()),
          decimal(cfg.weightDecay()), schedule.toString(), cfg.seed(), cfg.threads(), shardSize,
          cfg.init(), cfg.init().equals("normal") ? cfg.initStd() : null, options.hidden(),
          options.dropout(), options.activationDescription(), cfg.shuffle(), cfg.backend().id(),
          objective.lossName(), options.resize(), initialWeights,
          cfg.shards() == 0 ? null : cfg.shards());
    }

    private SummaryLine summary(List<EpochLine> epochs, long start, String status,
        String message) {
      double total = (System.nanoTime() - start) / 1e9;
      EpochLine last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
      Double finalLoss = last == null ? null : last.trainLoss();
      if (!classifier) {
        return SummaryLine.regression(status, message, epochs.size(), finalLoss,
            last == null ? null : last.testLoss(), total);
      }
      EpochLine best = null;
      for (EpochLine e : epochs) {
        if (e.testAcc() != null && (best == null || e.testAcc() > best.testAcc())) {
          best = e;
        }
      }
      Map<String, Double> perClass = null;
      List<List<Integer>> confusion = null;
      if (last != null && lastConfusion != null) {
        perClass = new LinkedHashMap<>();
        confusion = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
          int rowTotal = 0;
          List<Integer> row = new ArrayList<>();
          for (int j = 0; j < classes; j++) {
            rowTotal += lastConfusion[i][j];
            row.add(lastConfusion[i][j]);
          }
          confusion.add(row);
          perClass.put(model.classNames().get(i),
              rowTotal == 0 ? 0.0 : (double) lastConfusion[i][i] / rowTotal);
        }
      }
      return SummaryLine.classification(status, message, epochs.size(), finalLoss,
          last == null ? null : last.trainAcc(), last == null ? null : last.testAcc(),
          best == null ? null : best.testAcc(), best == null ? null : best.epoch(), total,
          perClass, confusion);
    }
  }

  /** Examples per second; 0 for an epoch too short for the clock to see. */
  private static double rate(long examples, double seconds) {
    return seconds > 0 ? examples / seconds : 0;
  }

  /** The float as its shortest decimal (0.1, not 0.10000000149011612), for reports. */
  static double decimal(float v) {
    return Double.parseDouble(Float.toString(v));
  }
}
