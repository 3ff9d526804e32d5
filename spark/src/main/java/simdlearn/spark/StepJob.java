package simdlearn.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;
import simdlearn.spark.Stages.Plan;
import simdlearn.spark.Stages.Reply;
import simdlearn.spark.Stages.ShardRows;

/**
 * One job's task function: partition p's stage of the step (see {@link Stages}). A named class,
 * not a lambda: Spark's closure cleaner reads the bytecode of every lambda a job is given (and of
 * the Java API's and {@code collect}'s wrappers around it), which took a tenth of the driver's
 * time at a job per step; a class that is not a closure it leaves alone.
 */
final class StepJob extends AbstractFunction2<TaskContext, Iterator<Slice>, Reply>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Setup> setup;
  /** The network's state: it travels in the job's task binary, broadcast once per executor. */
  private final float[][] state;
  private final ShardRows[] shards;
  private final Plan plan;
  private final int failFirstAttempt;

  StepJob(Broadcast<Setup> setup, float[][] state, ShardRows[] shards, Plan plan,
      int failFirstAttempt) {
    this.setup = setup;
    this.state = state;
    this.shards = shards;
    this.plan = plan;
    this.failFirstAttempt = failFirstAttempt;
  }

  @Override
  public Reply apply(TaskContext task, Iterator<Slice> rows) {
    int p = task.partitionId();
    return Stages.run(setup.value(), state, p, rows.next(), shards[p], plan, failFirstAttempt);
  }
}
