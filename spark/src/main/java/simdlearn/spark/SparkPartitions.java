package simdlearn.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;
import simdlearn.data.Dataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Network;
import simdlearn.report.RunLine;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;
import simdlearn.train.Objective;
import simdlearn.train.PartitionResult;
import simdlearn.train.PartitionedGradients;
import simdlearn.train.Partitions;
import simdlearn.train.TrainingConfig;
import simdlearn.spark.Stages.Plan;
import simdlearn.spark.Stages.Reply;
import simdlearn.spark.Stages.ShardRows;

/**
 * A partitioned run's shards on Spark: the training set is cut into P partitions cached on the
 * executors; every minibatch is one Spark job (2M + 1 with M batch normalisations, see
 * {@link Stages}) whose task p trains shard p on its executor's cached rows with the state the
 * job carries, and whose results come back filed by partition number (the trainer adds them in
 * that order; Spark's {@code reduce} and {@code treeAggregate} would add them in the
 * order tasks finish). A task is a pure function of its partition, the state and the job's
 * plan, so a retried one gives the same bits.
 */
public final class SparkPartitions implements PartitionedGradients {
  private final int partitions;
  private final JavaSparkContext spark;
  private final boolean ownContext;
  private final String run = UUID.randomUUID().toString();
  /** A test's fault: the first attempt of this partition's task fails every step (-1: none). */
  private int failFirstAttempt = -1;
  private Model model;
  private Partitions cut;
  private Broadcast<Setup> setup;
  private JavaRDD<Slice> slices;
  private List<Broadcast<Slice>> rows;
  private final PartitionResult[] results;
  private static final ClassTag<Reply> REPLY = ClassTag$.MODULE$.apply(Reply.class);
  /** Every partition's number, as {@code runJob} takes them. */
  private final Seq<Object> everyPartition;
  /** Steps so far: a step's number tells a worker whether it is still in that step. */
  private long steps;
  /** The network's meetings per pass (batch normalisations), and their stand-in workspaces. */
  private int meetings;
  private Network.Workspace[] shadows;
  private Network.Workspace[] meeting;
  private TrainingKernels k;

  /**
   * Starts a Spark context on {@code master} ({@code local[2]}, {@code spark://host:7077},
   * {@code yarn}, {@code k8s://...}; null: spark-submit's {@code --master}, else
   * {@code local[*]}), or joins the one this JVM already runs.
   *
   * @throws IllegalArgumentException when the master URL is not one or cannot be reached
   */
  public SparkPartitions(String master, int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("--partitions must be > 0, got " + partitions);
    }
    // No master given: spark-submit's (its --master arrives as spark.master), else local[*].
    master = master != null ? master : new SparkConf().get("spark.master", "local[*]");
    this.partitions = partitions;
    this.results = new PartitionResult[partitions];
    List<Object> numbers = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      numbers.add(p);
    }
    this.everyPartition = CollectionConverters.asScala(numbers).toSeq();
    checkReachable(master);
    var existing = org.apache.spark.SparkContext$.MODULE$.getActive();
    this.ownContext = existing.isEmpty();
    try {
      this.spark = ownContext
          ? new JavaSparkContext(new SparkConf().setMaster(master).setAppName("simdlearn")
              .setIfMissing("spark.ui.enabled", "false")
              // Two attempts of one partition at once would share its executor's worker.
              .set("spark.speculation", "false"))
          : JavaSparkContext.fromSparkContext(existing.get());
    } catch (Exception e) { // Spark's own are checked in Java's eyes
      throw new IllegalArgumentException("cannot start Spark on master '" + master + "': "
          + firstLine(e), e);
    }
  }

  /** A master given as {@code spark://host:port} must accept a connection within 5 s. */
  private static void checkReachable(String master) {
    if (!master.startsWith("spark://")) {
      return;
    }
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      URI uri = URI.create("spark://" + hostPort);
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("the Spark master '" + master + "' is not"
            + " spark://HOST:PORT");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        return;
      } catch (IOException e) {
        // try the next master of a high-availability list
      }
    }
    throw new IllegalArgumentException("cannot reach the Spark master at " + master
        + " (no connection within 5 s); is it running, and is this the right host and port?");
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Makes the first attempt of partition {@code p}'s task fail at every step (fault tests). */
  SparkPartitions failingFirstAttemptOf(int p) {
    this.failFirstAttempt = p;
    return this;
  }

  @Override
  public RunLine.Engine engine() {
    return new RunLine.Engine("spark", spark.master(), partitions);
  }

  @Override
  public void start(Model model, Objective objective, Dataset train, Partitions cut,
      TrainingConfig cfg) {
    this.model = model;
    this.cut = cut;
    this.k = TrainingKernels.of(cfg.backend());
    this.meetings = model.network().meetings();
    this.shadows = new Network.Workspace[partitions];
    this.meeting = new Network.Workspace[partitions];
    for (int p = 0; p < partitions; p++) {
      shadows[p] = model.network().newWorkspace(1);
    }
    Objective portable;
    try {
      portable = Objective.named(objective.id(), k);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the objective " + objective.lossName() + " cannot"
          + " travel to Spark's executors: " + e.getMessage());
    }
    if (!portable.lossName().equals(objective.lossName())) {
      throw new IllegalArgumentException("the objective " + objective.id() + " is not one"
          + " Spark's executors can rebuild");
    }
    byte[] bytes;
    try {
      bytes = ModelFile.toBytes(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    setup = spark.broadcast(new Setup(run, bytes, objective.id(), cfg.backend().id(), cfg.seed(),
        cfg.batchSize()));
    // One broadcast per partition, read by the task that caches it: a step's tasks then carry
    // only a partition number (parallelize's partitions would carry their rows into every task
    // of every job), and an executor that is lost is rebuilt from the broadcast.
    List<Integer> numbers = new ArrayList<>(partitions);
    rows = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      numbers.add(p);
      rows.add(spark.broadcast(Slice.of(train, cut.start(p), cut.end(p))));
    }
    List<Broadcast<Slice>> source = rows;
    slices = spark.parallelize(numbers, partitions).map(p -> source.get(p).value())
        .persist(StorageLevel.MEMORY_ONLY());
    slices.count(); // cached before the first step's clock starts
  }

  @Override
  public PartitionResult[] compute(int epoch, int batch, int[][] shards, int[] counts,
      int[] offsets) {
    var state = model.network().state();
    float[][] values = new float[state.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = state.get(i).value().toArray();
    }
    ShardRows[] tasks = new ShardRows[partitions];
    int used = 0;
    for (int p = 0; p < partitions; p++) {
      int[] local = new int[counts[p]];
      for (int i = 0; i < counts[p]; i++) {
        local[i] = shards[p][i] - cut.start(p);
      }
      tasks[p] = new ShardRows(local, epoch, batch, offsets[p]);
      if (counts[p] > 0) {
        meeting[used++] = shadows[p];
      }
    }
    long step = ++steps;
    List<double[]> outcomes = new ArrayList<>();
    Broadcast<Setup> s = setup;
    int fail = failFirstAttempt;
    int m = meetings;
    // The state rides in the job's function, which Spark broadcasts once per executor with the
    // job's code (its task binary): a broadcast of its own per step cost twice the time.
    Reply[] replies = new Reply[partitions];
    for (int job = 0; job <= 2 * m; job++) {
      Plan plan = new Plan(step, job, m, List.copyOf(outcomes));
      // Results land by partition number, whatever order the tasks finish in.
      spark.sc().runJob(slices.rdd(), new StepJob(s, values, tasks, plan, fail), everyPartition,
          new AbstractFunction2<Object, Reply, BoxedUnit>() {
            @Override
            public BoxedUnit apply(Object p, Reply r) {
              replies[(Integer) p] = r;
              return BoxedUnit.UNIT;
            }
          }, REPLY);
      if (job == 2 * m) {
        for (int p = 0; p < partitions; p++) {
          results[p] = replies[p].result();
        }
      } else {
        outcomes.add(meet(job, replies, used));
      }
    }
    return results;
  }

  /**
   * The meeting after job {@code job}: the parts of the shards with rows, in partition order, in
   * this JVM's stand-in workspaces, met as on one machine (the running statistics updated here,
   * in the trainer's network); returns what every shard takes from it.
   */
  private double[] meet(int job, Reply[] replies, int used) {
    Network net = model.network();
    boolean forward = job < meetings;
    int index = forward ? job : job - meetings;
    int s = 0;
    for (Reply r : replies) {
      if (r.part() != null) {
        net.setMeetingPart(meeting[s++], index, forward, r.part());
      }
    }
    if (forward) {
      net.meetForward(k, index, meeting, used);
    } else {
      net.meetBackward(k, index, meeting, used);
    }
    return net.meetingOutcome(meeting[0], index, forward);
  }

  /** Hadoop's configuration of this context (spark.hadoop.* settings, s3a credentials...). */
  org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    return spark.hadoopConfiguration();
  }

  @Override
  public void close() {
    if (slices != null) {
      slices.unpersist(false);
      slices = null;
    }
    if (setup != null) {
      setup.destroy();
      setup = null;
    }
    if (rows != null) {
      rows.forEach(Broadcast::destroy);
      rows = null;
    }
    WorkerCache.forget(run);
    if (ownContext) {
      spark.stop(); // a second stop does nothing
    }
  }
}
