package simdlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MinibatchesTest {
  final RegressionDataset data = SyntheticLinear.generate(new float[] {1f, 2f}, 0f, 10, 0f, 1);

  @Test
  void lastPartialBatchKeptOrDropped() {
    Minibatches keep = new Minibatches(data, 4, false, false, 0);
    assertEquals(3, keep.batchesPerEpoch());
    keep.startEpoch(0);
    assertEquals(2, keep.batchRows(2));
    assertEquals(10, keep.examplesPerEpoch());
    Minibatches drop = new Minibatches(data, 4, false, true, 0);
    assertEquals(2, drop.batchesPerEpoch());
    assertEquals(8, drop.examplesPerEpoch());
    assertThrows(IndexOutOfBoundsException.class, () -> drop.batchRows(2));
  }

  @Test
  void shufflingIsSeededPerEpochAndAPermutation() {
    Minibatches a = new Minibatches(data, 3, true, false, 42);
    Minibatches b = new Minibatches(data, 3, true, false, 42);
    a.startEpoch(0);
    int[] a0 = a.order().clone();
    a.startEpoch(1);
    int[] a1 = a.order().clone();
    b.startEpoch(1); // epoch 1 does not depend on having run epoch 0
    assertArrayEquals(a1, b.order());
    assertFalse(Arrays.equals(a0, a1), "epochs differ");
    int[] sorted = a1.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    Minibatches other = new Minibatches(data, 3, true, false, 43);
    other.startEpoch(1);
    assertFalse(Arrays.equals(a1, other.order()), "seeds differ");
    Minibatches plain = new Minibatches(data, 3, false, false, 42);
    plain.startEpoch(5);
    for (int i = 0; i < 10; i++) {
      assertEquals(i, plain.order()[i]);
    }
  }

  @Test
  void fillCopiesFeaturesTargetsAndIndices() {
    Minibatches mb = new Minibatches(data, 4, true, false, 7);
    mb.startEpoch(3);
    Batch batch = mb.newBatch();
    int seen = 0;
    boolean[] visited = new boolean[10];
    for (int b = 0; b < mb.batchesPerEpoch(); b++) {
      mb.fill(b, batch);
      for (int r = 0; r < batch.size(); r++) {
        int idx = batch.indices()[r];
        visited[idx] = true;
        assertEquals(data.feature(idx, 1), batch.features().get(r, 1));
        assertEquals(data.target(idx), batch.targets()[r]);
        seen++;
      }
    }
    assertEquals(10, seen);
    for (boolean v : visited) {
      assertEquals(true, v);
    }
    assertEquals(2, batch.size(), "last batch is partial");
  }

  @Test
  void badArguments() {
    assertThrows(IllegalArgumentException.class, () -> new Minibatches(data, 0, true, false, 0));
    Minibatches mb = new Minibatches(data, 4, true, false, 0);
    assertThrows(IllegalStateException.class, () -> mb.fill(0, mb.newBatch()));
    assertThrows(IllegalArgumentException.class, () -> mb.startEpoch(-1));
  }

  @Test
  void syntheticDataFollowsTheModel() {
    RegressionDataset d = SyntheticLinear.d2l(1);
    assertEquals(1000, d.size());
    assertEquals(2, d.features());
    double sse = 0;
    for (int i = 0; i < d.size(); i++) {
      double pred = 2 * d.feature(i, 0) - 3.4 * d.feature(i, 1) + 4.2;
      sse += (d.target(i) - pred) * (d.target(i) - pred);
    }
    double std = Math.sqrt(sse / d.size());
    assertEquals(0.01, std, 0.002, "residuals have the noise std");
    RegressionDataset again = SyntheticLinear.d2l(1);
    assertEquals(d.target(999), again.target(999), "seeded");
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticLinear.generate(new float[0], 0f, 10, 0.01f, 1));
  }
}
