package simdlearn.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import simdlearn.data.Dataset;
import simdlearn.train.PartitionWorker;

/**
 * An executor JVM's workers, one per partition it has run, kept between jobs so that a step
 * allocates nothing but its results, and a network whose shards meet keeps its activations
 * between a step's jobs. Only a cache: a worker is a function of the run's {@link Setup}, and a
 * task that finds none (a new executor, a retried task) builds it again and replays its step
 * ({@link Stages}).
 */
final class WorkerCache {
  private record Key(String run, int partition) {}

  /** A partition's worker and how far it has gone: job {@code done} of step {@code step}. */
  static final class Entry {
    final PartitionWorker worker;
    long step = -1;
    int done = -1;

    Entry(PartitionWorker worker) {
      this.worker = worker;
    }
  }

  private static final Map<Key, Entry> WORKERS = new ConcurrentHashMap<>();

  private WorkerCache() {}

  /** The worker of {@code partition} in {@code setup}'s run; workers of other runs are dropped. */
  static Entry worker(Setup setup, int partition, Dataset data) {
    Key key = new Key(setup.run(), partition);
    Entry e = WORKERS.get(key);
    if (e == null) {
      WORKERS.keySet().removeIf(k -> !k.run().equals(setup.run()));
      e = WORKERS.computeIfAbsent(key, k -> new Entry(setup.worker(data)));
    }
    return e;
  }

  /** Drops the worker of one partition (a test's lost executor). */
  static void forget(String run, int partition) {
    WORKERS.remove(new Key(run, partition));
  }

  /** Drops the workers of run {@code run} (the driver's JVM, at the end of a local run). */
  static void forget(String run) {
    WORKERS.keySet().removeIf(k -> k.run().equals(run));
  }
}
