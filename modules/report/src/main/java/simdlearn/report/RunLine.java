package simdlearn.report;

import java.util.List;
import java.util.Map;

/**
 * Where a run came from: model and architecture, dataset, every setting, and the machine and JVM
 * it ran on.
 *
 * @param schemaVersion {@link ReportLine#SCHEMA_VERSION} of the writer
 * @param architecture the network, e.g.
 *     {@code 784-256-10 (linear(784->256), relu, linear(256->10))}
 * @param startedAt ISO-8601 instant
 * @param runningStatistics the network's running statistics (batch normalisation's
 *     {@code 1.running_mean}, ...), which evaluation and predictions use and model files and
 *     checkpoints keep; null when it has none
 * @param engine where the minibatches' partitions ran; null for the trainer's own shards
 */
public record RunLine(int schemaVersion, String model, String architecture, Dataset dataset,
    Settings settings, Environment environment, String startedAt,
    List<String> runningStatistics, Engine engine) implements ReportLine {

  /** A run line of a network without running statistics, on the trainer's own shards. */
  public RunLine(int schemaVersion, String model, String architecture, Dataset dataset,
      Settings settings, Environment environment, String startedAt) {
    this(schemaVersion, model, architecture, dataset, settings, environment, startedAt, null,
        null);
  }

  /**
   * A partitioned run's engine: {@code local} (the trainer's pool, {@code --shards}) or
   * {@code spark}, the Spark master URL it ran on (null for local), and its partitions.
   */
  public record Engine(String name, String master, int partitions) {
    /** The trainer's own pool running {@code partitions} partitions ({@code --shards}). */
    public static Engine local(int partitions) {
      return new Engine("local", null, partitions);
    }
  }

  /** The data trained on; {@code sha256} maps each source file to its checksum. */
  public record Dataset(String name, int trainSize, int testSize, int features, Integer classes,
      List<String> classNames, Map<String, String> sha256) {}

  /**
   * Every training setting, canonical (lower case; {@code momentum} is the one used). Network
   * settings ({@code hidden}, {@code dropout}, {@code activation}) are null for the linear models;
   * {@code degree} for all but polynomials; {@code resize} is null when images keep their size;
   * {@code initFrom} names the file the initial parameters came from (null: drawn by
   * {@code init} from the seed).
   */
  public record Settings(Integer degree, int epochs, int batchSize, double lr, String optimizer,
      double momentum, double weightDecay, String schedule, long seed, int threads,
      int shardSize, String init, Double initStd, List<Integer> hidden, List<Double> dropout,
      String activation, boolean shuffle, String backend, String loss, Integer resize,
      String initFrom, Integer shards) {

    /** Settings of a run on fixed-size shards (no {@code shards}). */
    public Settings(Integer degree, int epochs, int batchSize, double lr, String optimizer,
        double momentum, double weightDecay, String schedule, long seed, int threads,
        int shardSize, String init, Double initStd, List<Integer> hidden, List<Double> dropout,
        String activation, boolean shuffle, String backend, String loss, Integer resize,
        String initFrom) {
      this(degree, epochs, batchSize, lr, optimizer, momentum, weightDecay, schedule, seed,
          threads, shardSize, init, initStd, hidden, dropout, activation, shuffle, backend, loss,
          resize, initFrom, null);
    }

    /** The same settings run on {@code n} threads (a resumed run may use another count). */
    public Settings withThreads(int n) {
      return new Settings(degree, epochs, batchSize, lr, optimizer, momentum, weightDecay,
          schedule, seed, n, shardSize, init, initStd, hidden, dropout, activation, shuffle,
          backend, loss, resize, initFrom, shards);
    }
  }

  /** This run line with its settings' thread count replaced. */
  public RunLine withThreads(int n) {
    return new RunLine(schemaVersion, model, architecture, dataset, settings.withThreads(n),
        environment, startedAt, runningStatistics, engine);
  }

  /** This run line with its engine replaced (a resumed run may run on another one). */
  public RunLine withEngine(Engine e) {
    return new RunLine(schemaVersion, model, architecture, dataset, settings, environment,
        startedAt, runningStatistics, e);
  }

  /** The JVM, OS and vector hardware. */
  public record Environment(String javaVersion, String javaVendor, String vm, String os,
      String arch, int processors, String vectorSpecies, int vectorBits, String kernels,
      String simdlearnVersion) {}
}
