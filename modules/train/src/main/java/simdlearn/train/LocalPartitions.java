package simdlearn.train;

import simdlearn.data.Dataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Network;
import simdlearn.report.RunLine;

/**
 * The partitions of a {@code --shards P} run on this JVM: one {@link PartitionWorker} per
 * partition, all on the trainer's network (its parameters are theirs), run on a shard pool.
 */
final class LocalPartitions implements PartitionedGradients {
  private final int partitions;
  private final int threads;
  private PartitionWorker[] workers;
  private PartitionResult[] results;
  private ShardPool pool;
  private Dataset train;
  // Set before each pool.run; the pool's hand-off publishes them.
  private int epoch;
  private int batch;
  private int[][] shards;
  private int[] counts;
  private int[] offsets;
  private final ShardPool.Task task = this::runPartition;
  private final ShardPool.Task beginTask = this::beginPartition;
  private StagedPasses staged;
  private int meetings;
  private Network.Workspace[] meeting;

  LocalPartitions(int partitions, int threads) {
    this.partitions = partitions;
    this.threads = threads;
  }

  @Override
  public RunLine.Engine engine() {
    return RunLine.Engine.local(partitions);
  }

  @Override
  public void start(Model model, Objective objective, Dataset train, Partitions cut,
      TrainingConfig cfg) {
    this.train = train;
    TrainingKernels k = TrainingKernels.of(cfg.backend());
    Network network = model.network();
    this.meetings = network.meetings();
    this.staged = new StagedPasses(network, k, (p, stage) -> workers[p].forward(stage),
        (p, stage) -> workers[p].backward(stage));
    this.meeting = new Network.Workspace[partitions];
    boolean floats = Shard.pixels(train) == null;
    workers = new PartitionWorker[partitions];
    results = new PartitionResult[partitions];
    for (int p = 0; p < partitions; p++) {
      workers[p] = new PartitionWorker(network, objective, k, cfg.seed(),
          cfg.batchSize(), floats);
    }
    pool = new ShardPool(Math.min(threads, partitions));
  }

  @Override
  public PartitionResult[] compute(int epoch, int batch, int[][] shards, int[] counts,
      int[] offsets) {
    this.epoch = epoch;
    this.batch = batch;
    this.shards = shards;
    this.counts = counts;
    this.offsets = offsets;
    if (meetings == 0) {
      pool.run(partitions, task);
      return results;
    }
    // Shards that meet: stage by stage, those with rows meeting in partition order here.
    pool.run(partitions, beginTask);
    int used = 0;
    for (int p = 0; p < partitions; p++) {
      if (counts[p] > 0) {
        meeting[used++] = workers[p].workspace();
      }
    }
    staged.run(pool, partitions, meeting, used);
    for (int p = 0; p < partitions; p++) {
      results[p] = workers[p].result();
    }
    return results;
  }

  private void runPartition(int p, int worker) {
    results[p] = workers[p].run(train, shards[p], counts[p], epoch, batch, offsets[p]);
  }

  private void beginPartition(int p, int worker) {
    workers[p].begin(train, shards[p], counts[p], epoch, batch, offsets[p]);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
  }
}
