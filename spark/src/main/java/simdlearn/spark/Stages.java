package simdlearn.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.TaskContext;
import simdlearn.data.Dataset;
import simdlearn.train.PartitionResult;
import simdlearn.train.PartitionWorker;

/**
 * What a task does on its executor. A step of a network with M meetings (batch normalisations)
 * is 2M + 1 jobs: forward stages 0 .. M-1, each ending in the shard's part of a meeting; forward
 * stage M, the loss and backward stage 0; backward stages 1 .. M; the last job returns the
 * shard's gradients. Between jobs the driver meets the parts and sends the outcome with the next
 * job. Without meetings a step is one job.
 *
 * <p>A worker keeps its shard's activations between the jobs of a step. A task that finds its
 * worker elsewhere in the step (a new executor after a lost one, a retried task) replays the
 * step from its start with the outcomes the job carries: every job is a function of the
 * step's state, the partition and the plan, so a retry gives the same bits.
 */
final class Stages {
  private Stages() {}

  /** Partition p's rows of the minibatch (local row numbers) and their dropout key. */
  record ShardRows(int[] rows, int epoch, int batch, int offset) implements Serializable {}

  /**
   * Job {@code job} of step {@code step} (numbered by the driver), and the outcomes of the
   * meetings before it: forward meetings 0 .. M-1, then backward ones.
   */
  record Plan(long step, int job, int meetings, List<double[]> outcomes)
      implements Serializable {}

  /** A job's answer: the shard's part of the next meeting, or at the end its result. */
  record Reply(double[] part, PartitionResult result) implements Serializable {}

  /** Runs job {@code plan.job()} of partition {@code p}. */
  static Reply run(Setup setup, float[][] state, int p, Slice slice, ShardRows shard, Plan plan,
      int failFirstAttempt) {
    Dataset data = slice.dataset();
    WorkerCache.Entry e = WorkerCache.worker(setup, p, data);
    if (p == failFirstAttempt && TaskContext.get().attemptNumber() == 0) {
      // As a lost executor: the worker and what it held go, and the retry starts afresh.
      WorkerCache.forget(setup.run(), p);
      throw new IllegalStateException("simdlearn test fault: first attempt of partition " + p);
    }
    synchronized (e) {
      if (e.step != plan.step() || e.done != plan.job() - 1) {
        e.worker.load(state);
        e.worker.begin(data, shard.rows(), shard.rows().length, shard.epoch(), shard.batch(),
            shard.offset());
        for (int j = 0; j < plan.job(); j++) {
          advance(e.worker, j, plan);
        }
      }
      Reply reply = advance(e.worker, plan.job(), plan);
      e.step = plan.step();
      e.done = plan.job();
      return reply;
    }
  }

  /** Job {@code job} on a worker that has done the ones before it. */
  private static Reply advance(PartitionWorker w, int job, Plan plan) {
    int m = plan.meetings();
    if (job == 0 && m > 0) {
      w.forward(0);
      return part(w, 0, true);
    }
    if (job < m) {
      w.meetingOutcome(job - 1, true, plan.outcomes().get(job - 1));
      w.forward(job);
      return part(w, job, true);
    }
    if (job == m) {
      if (m > 0) {
        w.meetingOutcome(m - 1, true, plan.outcomes().get(m - 1));
      }
      w.forward(m);
      w.backward(0);
      return m > 0 ? part(w, 0, false) : result(w);
    }
    int b = job - m; // backward stage 1 .. m
    w.meetingOutcome(b - 1, false, plan.outcomes().get(m + b - 1));
    w.backward(b);
    return b < m ? part(w, b, false) : result(w);
  }

  private static Reply part(PartitionWorker w, int meeting, boolean forward) {
    return new Reply(w.rows() == 0 ? null : w.meetingPart(meeting, forward), null);
  }

  /** The shard's result, its gradients copied (the worker's buffers serve the next step). */
  private static Reply result(PartitionWorker w) {
    PartitionResult r = w.result();
    float[][] g = null;
    if (r.rows() > 0) {
      g = new float[w.parameters()][];
      for (int i = 0; i < g.length; i++) {
        g[i] = r.gradient(i).clone();
      }
    }
    return new Reply(null, new PartitionResult(r.rows(), r.lossSum(), r.correct(), g));
  }
}
