package simdlearn.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simdlearn.optim.OptimizerState;
import simdlearn.nn.StateTensor;
import simdlearn.report.EpochLine;
import simdlearn.report.ReportLine;
import simdlearn.report.Reports;
import simdlearn.report.RunLine;
import simdlearn.train.io.AtomicFiles;

/**
 * {@code checkpoint.json}: a {@link Checkpoint} and the {@link RunSpec} that rebuilds the run's
 * data and network, written atomically after every epoch (a temporary file renamed over the last
 * one) and checksummed like a model file, so {@code train --resume} never continues from a torn
 * or edited checkpoint.
 */
public final class CheckpointFile {
  public static final String FORMAT = "simdlearn-checkpoint";
  public static final int VERSION = 2;

  /** The largest checkpoint read: the parameters and up to two optimizer buffers per one. */
  static final long MAX_FILE_BYTES = 3 * ModelFile.MAX_FILE_BYTES;

  private static final ObjectMapper MAPPER = ModelFile.boundedMapper(MAX_FILE_BYTES)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private CheckpointFile() {}

  /**
   * What a front end needs to rebuild a run's experiment: its model, options and settings, and
   * where its data came from.
   *
   * @param model the recipe's name
   * @param options the model's resolved options
   * @param dataDir the image dataset's directory (absolute), null for generated data
   * @param unverified whether the run accepted files that differ from the published ones
   */
  public record RunSpec(String model, ModelOptions options, TrainingConfig config,
      String dataDir, boolean unverified) {}

  /** Version 1's settings: every model's options in one record. */
  record V1Config(String model, Integer degree, List<Integer> hidden, List<Double> dropout,
      String activation, String init, double initStd, int epochs, int batchSize, float lr,
      String optimizer, float momentum, float weightDecay, String schedule, long seed,
      int threads, int shardSize, boolean shuffle, simdlearn.kernel.Backend backend, String loss,
      Integer resize) {
    RunSpec spec(String dataset, String dataDir, List<Integer> classes, Integer limit,
        boolean unverified) {
      boolean mlp = "mlp".equals(model);
      ModelOptions options = new ModelOptions(degree, mlp ? hidden : null, mlp ? dropout : null,
          mlp ? activation : null, Map.of(), loss, dataset, classes, limit, resize, null);
      return new RunSpec(model, options, new TrainingConfig(init, initStd, epochs, batchSize, lr,
          optimizer, momentum, weightDecay, schedule, seed, threads, shardSize, shuffle,
          backend, 0), dataDir, unverified);
    }
  }

  record V1Spec(V1Config config, String dataset, String dataDir, List<Integer> classes,
      Integer limit, boolean unverified) {}

  record V1Document(String format, int version, V1Spec spec, String run, List<String> epochs,
      List<Tensor> parameters, Optimizer optimizer, String sha256) {}

  record Tensor(String name, int rows, int cols, FloatCodec.Data data) {}

  record Optimizer(String name, long steps, Map<String, FloatCodec.Data> buffers) {}

  record Document(String format, int version, RunSpec spec, String run, List<String> epochs,
      List<Tensor> parameters, Optimizer optimizer, String sha256) {}

  /** A loaded checkpoint file. */
  public record Loaded(RunSpec spec, Checkpoint checkpoint) {}

  /**
   * Writes {@code c} to {@code file}: its tensors (every parameter, then every buffer) under the
   * names and shapes of {@code names}, the network's {@link simdlearn.nn.Network#state()}.
   */
  public static void save(Path file, RunSpec spec, List<StateTensor> names, Checkpoint c)
      throws IOException {
    List<String> epochs = new ArrayList<>();
    for (EpochLine e : c.epochs()) {
      epochs.add(Reports.toJson(e));
    }
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      var v = names.get(i).value();
      params.add(new Tensor(names.get(i).name(), v.rows(), v.cols(),
          FloatCodec.Data.of(c.parameters().get(i))));
    }
    Map<String, FloatCodec.Data> buffers = new LinkedHashMap<>();
    c.optimizer().buffers().forEach((k, v) -> buffers.put(k, FloatCodec.Data.of(v)));
    Document unsigned = new Document(FORMAT, VERSION, spec, Reports.toJson(c.run()), epochs,
        params, new Optimizer(c.optimizer().optimizer(), c.optimizer().steps(), buffers), null);
    Document doc = signed(unsigned, checksum(unsigned));
    AtomicFiles.write(file, out -> MAPPER.writeValue(out, doc));
  }

  /**
   * Reads and checks a checkpoint file.
   *
   * @throws IOException naming the file and what is wrong with it
   */
  public static Loaded load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no checkpoint (was the run started by a simdlearn that"
          + " writes them, and did it complete an epoch?)");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB, so not a"
          + " checkpoint of a model this simdlearn trains");
    }
    Document d;
    try {
      var tree = MAPPER.readTree(file.toFile());
      if (tree != null && tree.path("version").asInt() == 1) {
        d = fromV1(file, MAPPER.treeToValue(tree, V1Document.class));
      } else {
        d = MAPPER.treeToValue(tree, Document.class);
        if (d != null && (d.sha256() == null || !d.sha256().equals(checksum(d)))) {
          throw new IOException(file + ": checksum mismatch, the checkpoint was changed or is"
              + " corrupt");
        }
      }
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not a usable checkpoint (" + e.getOriginalMessage() + ")");
    }
    if (d == null || !FORMAT.equals(d.format()) || d.version() != VERSION) {
      throw new IOException(file + " is not a version " + VERSION + " simdlearn checkpoint");
    }
    String absent = d.spec() == null ? "spec" : d.spec().model() == null ? "spec.model"
        : d.spec().options() == null ? "spec.options" : d.spec().config() == null ? "spec.config"
        : d.run() == null ? "run" : d.epochs() == null ? "epochs"
        : d.parameters() == null ? "parameters" : d.optimizer() == null ? "optimizer" : null;
    if (absent != null) {
      throw new IOException(file + ": has no " + absent + ", so it cannot resume a run");
    }
    try {
      RunLine run = (RunLine) line(d.run());
      List<EpochLine> epochs = new ArrayList<>();
      for (String e : d.epochs()) {
        epochs.add((EpochLine) line(e));
      }
      List<float[]> params = new ArrayList<>();
      for (Tensor t : d.parameters()) {
        params.add(FloatCodec.decode(t.name(), FloatCodec.Data.textOf(t.data()),
            Math.multiplyExact(t.rows(), t.cols())));
      }
      Map<String, float[]> buffers = new LinkedHashMap<>();
      for (var b : d.optimizer().buffers().entrySet()) {
        buffers.put(b.getKey(), decodeAny(b.getKey(), FloatCodec.Data.textOf(b.getValue())));
      }
      OptimizerState state = new OptimizerState(d.optimizer().name(), d.optimizer().steps(),
          buffers);
      return new Loaded(d.spec(), new Checkpoint(run, epochs, params, state));
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a usable checkpoint (" + e.getMessage() + ")", e);
    }
  }

  /** A version 1 checkpoint, checked against its own checksum, as this version's document. */
  private static Document fromV1(Path file, V1Document d) throws IOException {
    if (d.sha256() == null || !d.sha256().equals(CanonicalJson.sha256(new V1Document(d.format(),
        d.version(), d.spec(), d.run(), d.epochs(), d.parameters(), d.optimizer(), null)))) {
      throw new IOException(file + ": checksum mismatch, the checkpoint was changed or is corrupt");
    }
    if (d.spec() == null || d.spec().config() == null) {
      throw new IOException(file + " is not a usable checkpoint (no run settings)");
    }
    V1Spec v1 = d.spec();
    RunSpec spec = v1.config().spec(v1.dataset(), v1.dataDir(), v1.classes(), v1.limit(),
        v1.unverified());
    return new Document(d.format(), VERSION, spec, d.run(), d.epochs(), d.parameters(),
        d.optimizer(), null);
  }

  private static ReportLine line(String json) throws IOException {
    return Reports.parseLine(json);
  }

  private static float[] decodeAny(String name, String base64) {
    int bytes = java.util.Base64.getDecoder().decode(base64).length;
    return FloatCodec.decode(name, base64, bytes / 4);
  }

  private static Document signed(Document d, String sha) {
    return new Document(d.format(), d.version(), d.spec(), d.run(), d.epochs(), d.parameters(),
        d.optimizer(), sha);
  }

  private static String checksum(Document d) throws IOException {
    return CanonicalJson.sha256(signed(d, null));
  }
}
