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
import simdlearn.data.Dataset;
import simdlearn.data.ImageDataset;
import simdlearn.data.Minibatches;
import simdlearn.data.RegressionDataset;
import simdlearn.kernel.Kernels;
import simdlearn.optim.LearningRateSchedule;
import simdlearn.optim.Optimizer;
import simdlearn.optim.Parameter;
import simdlearn.optim.RegressionLoss;
import simdlearn.optim.SoftmaxCrossEntropy;
import simdlearn.train.report.EpochLine;
import simdlearn.train.report.RunLine;
import simdlearn.train.report.SummaryLine;

/**
 * Minibatch training of a {@link LinearModel}.
 *
 * <p>An epoch reads top to bottom: shuffle (seeded by seed and epoch), then for each minibatch:
 * split it into fixed-size shards; on the shard pool's virtual threads each shard runs forward,
 * loss and backward into its own gradient buffers (image pixels are read as bytes inside the GEMM
 * kernels; other data is first copied into a float buffer); then the shard gradients are summed in shard order, and the optimizer steps with
 * {@code gradScale = 1 / rows} (d2l's summed loss divided by the batch size). Because shards are
 * fixed by the batch and shard sizes and summed in a fixed order, and the kernels are bit-stable,
 * the run is the same bits with any number of threads. Nothing is allocated per minibatch.
 */
public final class Trainer {
  private final TrainingConfig cfg;
  private final TrainingListener listener;
  private final Kernels k;

  public Trainer(TrainingConfig cfg, TrainingListener listener) {
    this.cfg = cfg.validate();
    this.listener = Objects.requireNonNull(listener, "listener");
    this.k = Kernels.of(cfg.backend());
  }

  /**
   * Softmax regression on images: trains on {@code train}, measures accuracy on {@code test} after
   * each epoch.
   *
   * @throws TrainingDivergedException if the loss becomes NaN or infinite (after reporting it)
   */
  public TrainingResult trainClassifier(ImageDataset train, ImageDataset test) {
    if (train.features() != test.features()) {
      throw new IllegalArgumentException("train images have " + train.features()
          + " pixels but test images " + test.features());
    }
    LinearModel model = LinearModel.initialised(LinearModel.Kind.SOFTMAX_REGRESSION,
        train.classes(), train.features(), std(), cfg.seed(), train.classNames(),
        train.spec().classNamesZh(), train.height(), train.width());
    RunLine.Dataset info = new RunLine.Dataset(train.spec().name(), train.size(), test.size(),
        train.features(), train.classes(), train.classNames(), mergedChecksums(train, test));
    SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(k);
    Head head = (ws, n) -> {
      k.argmaxRows(n, ws.outView(n).cols(), ws.out, 0, ws.predicted, 0);
      int[] labels = ws.rows.labels();
      int correct = 0;
      for (int i = 0; i < n; i++) {
        if (ws.predicted[i] == labels[i]) {
          correct++;
        }
      }
      ws.correct = correct;
      return ce.lossAndGradient(ws.outView(n), labels, ws.loss, ws.gradView(n), 1f);
    };
    return onVirtualThread(() -> new Run(model, train, test, head, info, null).train());
  }

  /**
   * Linear regression: trains on {@code data} and reports, after each epoch, the mean loss over
   * the whole training set (d2l 3.2). {@code trueW}/{@code trueB} (may be null) are the
   * generating parameters, reported with the errors of the learned and closed-form solutions.
   */
  public TrainingResult trainRegression(RegressionDataset data, float[] trueW, Float trueB) {
    LinearModel model = LinearModel.initialised(LinearModel.Kind.LINEAR_REGRESSION, 1,
        data.features(), std(), cfg.seed(), List.of(), List.of(), 0, 0);
    RunLine.Dataset info = new RunLine.Dataset(data.name(), data.size(), 0, data.features(), null,
        null, Map.of());
    RegressionLoss loss = RegressionLoss.byName(cfg.loss());
    Head head = (ws, n) -> loss.lossAndGradient(ws.outView(n), ws.rows.targets(), 0, ws.loss,
        ws.gradView(n), 1f);
    Truth truth = trueW == null ? null : new Truth(trueW, trueB == null ? 0f : trueB);
    return onVirtualThread(() -> new Run(model, data, null, head, info, truth).train());
  }

  private double std() {
    return cfg.init().equals("zeros") ? 0 : 0.01;
  }

  private static Map<String, String> mergedChecksums(ImageDataset train, ImageDataset test) {
    Map<String, String> all = new LinkedHashMap<>(train.sha256());
    all.putAll(test.sha256());
    return all;
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

  /** Loss and gradient of a shard's first n rows; sets {@code correct} for classifiers. */
  private interface Head {
    double lossAndGradient(Workspace ws, int n);
  }

  private record Truth(float[] w, float b) {}

  /** One training run: all buffers, allocated up front. */
  private final class Run {
    private final LinearModel model;
    private final Dataset train;
    private final ImageDataset test;
    private final Head head;
    private final RunLine.Dataset info;
    private final Truth truth;
    /** The pixels of image datasets, read by the kernels in place of a float copy; else null. */
    private final byte[] trainPixels;
    private final byte[] testPixels;
    private final float pixelScale;
    private final boolean classifier;
    private final int inputs;
    private final int outputs;
    private final int shardSize;
    private final Minibatches batches;
    private final Workspace[] shards;
    private final Workspace[] perWorker;
    private final Parameter weight;
    private final Parameter bias;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    // Set by the coordinator before each pool.run; the pool's hand-off publishes them.
    private int[] order;
    private int batchStart;
    private int batchRows;
    private Dataset evalData;
    private final double[] chunkLoss;
    private final long[] correctByWorker;
    private final int[][][] confusionByWorker;
    private final ShardPool.Task trainTask = this::trainShard;
    /** Where and why the loss diverged, once it has. */
    private String divergence;
    /** The evaluation after the last completed epoch; the summary reports its confusion matrix. */
    private Evaluation lastEvaluation;
    private final ShardPool.Task evalTask = this::evalChunk;

    Run(LinearModel model, Dataset train, ImageDataset test, Head head, RunLine.Dataset info,
        Truth truth) {
      this.model = model;
      this.train = train;
      this.test = test;
      this.head = head;
      this.info = info;
      this.truth = truth;
      this.trainPixels = train instanceof ImageDataset images ? images.pixelBytes() : null;
      this.testPixels = test == null ? null : test.pixelBytes();
      // Both sets are images of one dataset spec: one pixel scale (1/255) for both.
      this.pixelScale = train instanceof ImageDataset images ? images.pixelScale() : 1f;
      this.classifier = test != null;
      this.inputs = model.inputs();
      this.outputs = model.outputs();
      this.shardSize = Math.min(cfg.shardSize(), cfg.batchSize());
      this.batches = new Minibatches(train, cfg.batchSize(), cfg.shuffle(), false, cfg.seed());
      int shardCount = (cfg.batchSize() + shardSize - 1) / shardSize;
      this.shards = new Workspace[shardCount];
      for (int s = 0; s < shardCount; s++) {
        shards[s] = new Workspace(shardSize, inputs, outputs);
      }
      this.perWorker = new Workspace[cfg.threads()];
      for (int w = 0; w < perWorker.length; w++) {
        perWorker[w] = new Workspace(shardSize, inputs, outputs);
      }
      this.weight = Parameter.of("weight", model.weight());
      this.bias = Parameter.of("bias", model.bias());
      this.optimizer = cfg.optimizer(k);
      optimizer.init(List.of(weight, bias));
      this.schedule = cfg.learningRateSchedule();
      Dataset evaluated = classifier ? test : train;
      this.chunkLoss = new double[(evaluated.size() + shardSize - 1) / shardSize];
      this.correctByWorker = new long[cfg.threads()];
      this.confusionByWorker = new int[cfg.threads()][outputs][outputs];
    }

    TrainingResult train() {
      RunLine run = new RunLine(simdlearn.train.report.ReportLine.SCHEMA_VERSION,
          model.kind().id(), info, settings(), Environments.current(k), Instant.now().toString());
      listener.runStarted(run);
      List<EpochLine> epochs = new ArrayList<>();
      long start = System.nanoTime();
      try (ShardPool pool = new ShardPool(cfg.threads())) {
        for (int e = 0; e < cfg.epochs(); e++) {
          EpochLine line = epoch(pool, e);
          if (line == null) {
            SummaryLine diverged = summary(epochs, start, "diverged", divergence);
            listener.runEnded(diverged);
            throw new TrainingDivergedException(divergence);
          }
          epochs.add(line);
          listener.epochDone(line);
        }
        SummaryLine summary = summary(epochs, start, "completed", null);
        listener.runEnded(summary);
        return new TrainingResult(model, run, List.copyOf(epochs), summary);
      }
    }

    /** One epoch; null if the loss diverged (then {@link #divergence} says where). */
    private EpochLine epoch(ShardPool pool, int e) {
      batches.startEpoch(e);
      order = batches.order();
      int n = batches.batchesPerEpoch();
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      float lr = 0;
      long t0 = System.nanoTime();
      for (int b = 0; b < n; b++) {
        lr = schedule.lr(e + (double) b / n);
        batchStart = batches.batchStart(b);
        batchRows = batches.batchRows(b);
        int used = (batchRows + shardSize - 1) / shardSize;
        pool.run(used, trainTask);
        double batchLoss = reduceGradients(used);
        if (!Double.isFinite(batchLoss)) {
          divergence = "training diverged: the loss became " + batchLoss + " in epoch " + (e + 1)
              + ", minibatch " + (b + 1) + " of " + n + " (lr " + lr
              + "); lower --lr or use --schedule cosine";
          return null;
        }
        for (int s = 0; s < used; s++) {
          correct += shards[s].correct;
        }
        lossSum += batchLoss;
        seen += batchRows;
        optimizer.step(lr, 1f / batchRows);
        listener.batchDone(e + 1, b, n, lossSum / seen);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      Evaluation eval = evaluate(pool);
      lastEvaluation = eval;
      double evalSeconds = (System.nanoTime() - t1) / 1e9;
      if (classifier) {
        return new EpochLine(e + 1, lossSum / seen, (double) correct / seen, eval.accuracy, decimal(lr),
            seconds, evalSeconds, seen / seconds);
      }
      if (!Double.isFinite(eval.meanLoss)) {
        divergence = "training diverged: the loss became " + eval.meanLoss + " after epoch "
            + (e + 1) + "; lower --lr";
        return null;
      }
      return new EpochLine(e + 1, eval.meanLoss, null, null, decimal(lr), seconds, evalSeconds,
          seen / seconds);
    }

    /** Sums shard gradients into the parameters' gradients in shard order; returns the loss. */
    private double reduceGradients(int used) {
      float[] gw = weight.grad().data();
      float[] gb = bias.grad().data();
      System.arraycopy(shards[0].dW, 0, gw, 0, gw.length);
      System.arraycopy(shards[0].dB, 0, gb, 0, gb.length);
      double loss = shards[0].lossSum;
      for (int s = 1; s < used; s++) {
        k.add(gw.length, gw, 0, shards[s].dW, 0, gw, 0);
        k.add(gb.length, gb, 0, shards[s].dB, 0, gb, 0);
        loss += shards[s].lossSum;
      }
      return loss;
    }

    private void trainShard(int s, int worker) {
      Workspace ws = shards[s];
      int offset = s * shardSize;
      int n = Math.min(shardSize, batchRows - offset);
      int from = batchStart + offset;
      train.copyTargets(order, from, n, ws.rows, 0);
      // dW = G^T X lands directly in the weight's outputs x inputs layout.
      if (trainPixels != null) {
        // Pixels are read as bytes inside the kernels: no float copy of the shard.
        model.forwardGathered(k, n, trainPixels, order, from, pixelScale, ws.out, 0);
        ws.lossSum = head.lossAndGradient(ws, n);
        k.gemmTNGathered(n, outputs, inputs, ws.grad, 0, outputs, trainPixels, order, from,
            pixelScale, ws.dW, 0, inputs);
      } else {
        float[] x = ws.x();
        train.copyFeatures(order, from, n, x, 0);
        model.forward(k, n, x, 0, ws.out, 0);
        ws.lossSum = head.lossAndGradient(ws, n);
        k.gemm(true, false, outputs, inputs, n, 1f, ws.grad, 0, outputs, x, 0, inputs, 0f, ws.dW,
            0, inputs);
      }
      Arrays.fill(ws.dB, 0f);
      k.addColumnSums(n, outputs, ws.grad, 0, ws.dB, 0);
    }

    private record Evaluation(double accuracy, double meanLoss, int[][] confusion) {}

    /** Test accuracy and confusion (classifier), or mean training loss (regression). */
    private Evaluation evaluate(ShardPool pool) {
      evalData = classifier ? test : train;
      order = identity(evalData.size());
      Arrays.fill(correctByWorker, 0);
      for (int[][] m : confusionByWorker) {
        for (int[] row : m) {
          Arrays.fill(row, 0);
        }
      }
      pool.run(chunkLoss.length, evalTask);
      if (classifier) {
        long correct = 0;
        int[][] confusion = new int[outputs][outputs];
        for (int w = 0; w < correctByWorker.length; w++) {
          correct += correctByWorker[w];
          for (int i = 0; i < outputs; i++) {
            for (int j = 0; j < outputs; j++) {
              confusion[i][j] += confusionByWorker[w][i][j];
            }
          }
        }
        return new Evaluation((double) correct / evalData.size(), Double.NaN, confusion);
      }
      double loss = 0;
      for (double c : chunkLoss) {
        loss += c; // chunk order, whatever the threads
      }
      return new Evaluation(Double.NaN, loss / evalData.size(), null);
    }

    private int[] identityCache;

    private int[] identity(int n) {
      if (identityCache == null || identityCache.length != n) {
        identityCache = new int[n];
        for (int i = 0; i < n; i++) {
          identityCache[i] = i;
        }
      }
      return identityCache;
    }

    private void evalChunk(int c, int worker) {
      Workspace ws = perWorker[worker];
      int from = c * shardSize;
      int n = Math.min(shardSize, evalData.size() - from);
      evalData.copyTargets(order, from, n, ws.rows, 0);
      if (classifier) {
        model.forwardGathered(k, n, testPixels, order, from, pixelScale, ws.out, 0);
        k.argmaxRows(n, outputs, ws.out, 0, ws.predicted, 0);
        int[] labels = ws.rows.labels();
        int[][] confusion = confusionByWorker[worker];
        long correct = 0;
        for (int i = 0; i < n; i++) {
          confusion[labels[i]][ws.predicted[i]]++;
          if (labels[i] == ws.predicted[i]) {
            correct++;
          }
        }
        correctByWorker[worker] += correct;
      } else {
        evalData.copyFeatures(order, from, n, ws.x(), 0);
        model.forward(k, n, ws.x(), 0, ws.out, 0);
        chunkLoss[c] = head.lossAndGradient(ws, n);
      }
    }

    private RunLine.Settings settings() {
      return new RunLine.Settings(cfg.epochs(), cfg.batchSize(), decimal(cfg.lr()), cfg.optimizer(),
          decimal(cfg.effectiveMomentum()), decimal(cfg.weightDecay()), schedule.toString(), cfg.seed(),
          cfg.threads(), shardSize, cfg.init(), cfg.shuffle(), cfg.backend().id(), cfg.loss(),
          cfg.resize());
    }

    private SummaryLine summary(List<EpochLine> epochs, long start, String status,
        String message) {
      double total = (System.nanoTime() - start) / 1e9;
      EpochLine last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
      if (classifier) {
        EpochLine best = null;
        for (EpochLine e : epochs) {
          if (best == null || e.testAcc() > best.testAcc()) {
            best = e;
          }
        }
        Map<String, Double> perClass = null;
        List<List<Integer>> confusion = null;
        if (last != null) {
          int[][] m = lastEvaluation.confusion;
          perClass = new LinkedHashMap<>();
          confusion = new ArrayList<>();
          for (int i = 0; i < outputs; i++) {
            int rowTotal = 0;
            List<Integer> row = new ArrayList<>();
            for (int j = 0; j < outputs; j++) {
              rowTotal += m[i][j];
              row.add(m[i][j]);
            }
            confusion.add(row);
            perClass.put(model.classNames().get(i), rowTotal == 0 ? 0.0 : (double) m[i][i] / rowTotal);
          }
        }
        return new SummaryLine(status, message, epochs.size(), last == null ? null : last.trainLoss(),
            last == null ? null : last.trainAcc(), last == null ? null : last.testAcc(),
            best == null ? null : best.testAcc(), best == null ? null : best.epoch(), total,
            perClass, confusion, null, null, null, null, null);
      }
      SummaryLine.LinearFit learned = fit(model.weight().toArray(), model.bias().get(0, 0));
      double[] ls = LeastSquares.solve((RegressionDataset) train);
      float[] lsW = new float[ls.length - 1];
      for (int i = 0; i < lsW.length; i++) {
        lsW[i] = (float) ls[i];
      }
      SummaryLine.LinearFit closed = fit(lsW, (float) ls[ls.length - 1]);
      SummaryLine.LinearFit trueFit = truth == null ? null : fit(truth.w(), truth.b());
      return new SummaryLine(status, message, epochs.size(), last == null ? null : last.trainLoss(),
          null, null, null, null, total, null, null, learned, closed, trueFit,
          truth == null ? null : error(learned, trueFit), truth == null ? null : error(closed, trueFit));
    }
  }

  /** The float as its shortest decimal (0.1, not 0.10000000149011612), for reports. */
  private static double decimal(float v) {
    return Double.parseDouble(Float.toString(v));
  }

  private static SummaryLine.LinearFit fit(float[] w, float b) {
    List<Double> ws = new ArrayList<>();
    for (float v : w) {
      ws.add(decimal(v));
    }
    return new SummaryLine.LinearFit(ws, decimal(b));
  }

  /** Learned minus true, per parameter. */
  private static SummaryLine.LinearFit error(SummaryLine.LinearFit got, SummaryLine.LinearFit truth) {
    List<Double> w = new ArrayList<>();
    for (int i = 0; i < got.w().size(); i++) {
      w.add(got.w().get(i) - truth.w().get(i));
    }
    return new SummaryLine.LinearFit(w, got.b() - truth.b());
  }
}
