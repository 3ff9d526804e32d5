package simdlearn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simdlearn.nn.ConvolutionTest.gaussian;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.TrainingKernels;

/** The input gradient with the examples in the lanes against the planes' (same bits). */
class InputGradientInLanesTest {
  private static final List<TrainingKernels> BOTH =
      List.of(TrainingKernels.bestAvailable(), TrainingKernels.scalar());

  @Test
  void givesThePlanesBitsOnAwkwardShapes() {
    int[][] cases = { // c, h, w, out, kh, kw, ph, pw
        {6, 14, 14, 16, 5, 5, 0, 0}, // LeNet's second layer
        {6, 12, 12, 16, 5, 5, 0, 0}, // LeNet-BN's
        {1, 28, 28, 6, 5, 5, 2, 2}, // LeNet's first, had it an input gradient
        {3, 9, 7, 4, 3, 3, 1, 1}, // odd width: a single position ends each row
        {2, 5, 5, 3, 1, 1, 0, 0}, // a 1x1 kernel
        {2, 5, 5, 3, 5, 5, 0, 0}, // a kernel as large as the input
        {7, 8, 11, 5, 3, 5, 1, 2}, // 7 channels: a short block of rows in the kernel
        {1, 3, 2, 2, 2, 2, 1, 0}, // rows shorter than a vector
        {13, 6, 9, 9, 4, 2, 3, 1}};
    Random r = new Random(17);
    for (int[] c : cases) {
      for (int n : new int[] {1, 13, 37}) { // 37: full groups and a short one
        Shape.Planes input = new Shape.Planes(c[0], c[1], c[2]);
        Conv2d.Spec spec = new Conv2d.Spec(c[0], c[3], c[4], c[5], c[6], c[7], 1, 1, true);
        ShiftedConvolution planes = new ShiftedConvolution(input, spec, false);
        ShiftedConvolution lanes = new ShiftedConvolution(input, spec, true);
        int outH = c[1] + 2 * c[6] - c[4] + 1;
        int outW = c[2] + 2 * c[7] - c[5] + 1;
        float[] weight = gaussian(r, 3 + c[3] * c[0] * c[4] * c[5]);
        float[] dOut = gaussian(r, n * c[3] * outH * outW);
        String what = Arrays.toString(c) + ", " + n + " examples";
        float[] expected = inputGradient(TrainingKernels.scalar(), planes, weight, dOut, n, input);
        for (TrainingKernels k : BOTH) {
          assertArrayEquals(expected, inputGradient(k, lanes, weight, dOut, n, input),
              what + ", " + k.description());
          assertArrayEquals(expected, inputGradient(k, planes, weight, dOut, n, input),
              what + ", planes, " + k.description());
        }
      }
    }
  }

  @Test
  void aShardsLastShortGroupReadsNothingOfTheOthers() {
    // 13 examples after 16 others: the lanes past the 13th hold stale values, never copied out.
    Shape.Planes input = new Shape.Planes(6, 14, 14);
    Conv2d.Spec spec = new Conv2d.Spec(6, 16, 5, 5, 0, 0, 1, 1, true);
    ShiftedConvolution lanes = new ShiftedConvolution(input, spec, true);
    Random r = new Random(3);
    float[] weight = gaussian(r, 3 + 16 * 150);
    float[] big = gaussian(r, 16 * 1600);
    float[] small = Arrays.copyOf(gaussian(r, 13 * 1600), 16 * 1600);
    TrainingKernels k = TrainingKernels.bestAvailable();
    ShiftedConvolution.Buffers b = lanes.newBuffers(16);
    float[] dIn = new float[16 * input.size()];
    lanes.inputGradient(k, weight, 3, b, big, 16, dIn);
    lanes.inputGradient(k, weight, 3, b, small, 13, dIn);
    float[] fresh = new float[16 * input.size()];
    lanes.inputGradient(k, weight, 3, lanes.newBuffers(16), small, 13, fresh);
    assertArrayEquals(Arrays.copyOf(fresh, 13 * input.size()),
        Arrays.copyOf(dIn, 13 * input.size()));
  }

  @Test
  void takesTheLanesWhereTheyComputeLess() {
    InputGradientInLanes lenet = new InputGradientInLanes(6, 14, 14, 16, 5, 5, 0, 0);
    // 14 rows of kernel rows 1..5, 16 channels, pairs reading 2, 4, 5, 5, 5, 4, 2 columns.
    assertEquals(50L * 16 * 54 * 6, lenet.multiplyAdds());
    assertTrue(lanes(new Shape.Planes(6, 14, 14), new Conv2d.Spec(6, 16, 5, 5, 0, 0, 1, 1,
        true)), "LeNet's second layer");
    assertTrue(lanes(new Shape.Planes(6, 12, 12), new Conv2d.Spec(6, 16, 5, 5, 0, 0, 1, 1,
        true)), "LeNet-BN's second layer");
    assertFalse(lanes(new Shape.Planes(8, 28, 28), new Conv2d.Spec(8, 8, 3, 3, 1, 1, 1, 1,
        true)), "a 3x3 layer on 28x28 planes");
  }

  private static boolean lanes(Shape.Planes input, Conv2d.Spec spec) {
    return new ShiftedConvolution(input, spec).newBuffers(1).lanes() != null;
  }

  private static float[] inputGradient(TrainingKernels k, ShiftedConvolution conv, float[] weight,
      float[] dOut, int n, Shape.Planes input) {
    float[] dIn = new float[n * input.size()];
    Arrays.fill(dIn, Float.NaN); // every element must be written
    conv.inputGradient(k, weight, 3, conv.newBuffers(n), dOut, n, dIn);
    return dIn;
  }
}
