package simdlearn.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import simdlearn.data.Dataset;
import simdlearn.kernel.Backend;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.train.ModelFile;
import simdlearn.train.Objective;
import simdlearn.train.PartitionWorker;

/**
 * What an executor needs to build a partition's worker, broadcast once per run: the model file
 * (architecture; its parameters are replaced every step), the objective's id, the kernels, the
 * seed (dropout masks) and the largest shard (the batch size).
 *
 * @param run this run's id, so that an executor's cached workers are never another run's
 */
record Setup(String run, byte[] model, String objective, String backend, long seed,
    int batchSize) implements Serializable {

  /** A worker for {@code data}'s rows, built from this setup. */
  PartitionWorker worker(Dataset data) {
    TrainingKernels k = TrainingKernels.of(Backend.parse(backend));
    try {
      return new PartitionWorker(ModelFile.fromBytes("the run's broadcast model", model).network(),
          Objective.named(objective, k), k, seed, batchSize,
          !(data instanceof simdlearn.data.ImageDataset));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
