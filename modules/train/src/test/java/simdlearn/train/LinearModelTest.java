package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.Kernels;

class LinearModelTest {
  @Test
  void forwardOnPixelBytesMatchesForwardOnTheirFloatCopy() {
    // The trainer reads pixels in place (forwardGathered); prediction copies them to floats first
    // (forward). Both must give the same logits up to float rounding, for both backends.
    ImageDataset images = TinyData.images(TinyData.SPEC, "t", 40, 28, 3, 3);
    LinearModel model = LinearModel.initialised(LinearModel.Kind.SOFTMAX_REGRESSION, 3,
        images.features(), 0.01, 7, List.of("a", "b", "c"), List.of("a", "b", "c"), 28, 28);
    model.bias().set(0, 1, 0.25f);
    int[] rows = {39, 0, 17, 5, 5, 22, 31};
    for (Kernels k : List.of(Kernels.vector(), Kernels.scalar())) {
      float[] x = new float[rows.length * images.features()];
      images.copyFeatures(rows, 0, rows.length, x, 0);
      float[] viaFloats = new float[rows.length * 3];
      model.forward(k, rows.length, x, 0, viaFloats, 0);
      float[] viaBytes = new float[rows.length * 3];
      model.forwardGathered(k, rows.length, images.pixelBytes(), rows, 0, images.pixelScale(),
          viaBytes, 0);
      for (int i = 0; i < viaFloats.length; i++) {
        assertEquals(viaFloats[i], viaBytes[i], 1e-5f, k.description() + " logit " + i);
      }
      // Rows 3 and 4 are the same image: the same logits, bit for bit.
      for (int j = 0; j < 3; j++) {
        assertEquals(viaBytes[3 * 3 + j], viaBytes[4 * 3 + j]);
      }
      assertTrue(viaBytes[1] > 0.2f, "the bias is added");
    }
  }
}
