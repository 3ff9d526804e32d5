package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import simdlearn.testkit.TinyData;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.nn.Init;
import simdlearn.nn.Network;
import simdlearn.nn.Rows;
import simdlearn.nn.Sequential;

class ModelTest {
  @Test
  void forwardOnPixelBytesMatchesForwardOnTheirFloatCopy() {
    // The trainer reads pixels in place; prediction copies them to floats first. Both must give
    // the same logits up to float rounding, for both backends, for the narrow layer that reads
    // bytes and the MLP whose first layer converts them.
    ImageDataset images = TinyData.images(TinyData.SPEC, "t", 40, 28, 3, 3);
    int[] rows = {39, 0, 17, 5, 5, 22, 31};
    for (Sequential net : List.of(
        Sequential.builder(784).linear(3).build(new Init.Normal(0.01), 7),
        Sequential.builder(784).linear(64).relu().linear(3).build(new Init.Normal(0.05), 7))) {
      net.parameters().get(net.parameters().size() - 1).value().set(0, 1, 0.25f);
      Model model = new Model("test", net, Model.Output.CLASSES, List.of("a", "b", "c"),
          List.of(), 28, 28);
      for (TrainingKernels k : List.of(TrainingKernels.vector(), TrainingKernels.scalar())) {
        Network.Workspace ws = net.newWorkspace(rows.length);
        net.forward(k, ws, new Rows(784).gathered(images.pixelBytes(), rows, 0,
            images.pixelScale()), rows.length);
        float[] x = new float[784];
        float[] viaFloats = new float[3];
        Model.Predictor predictor = model.predictor(k);
        for (int r = 0; r < rows.length; r++) {
          images.copyFeatures(rows, r, 1, x, 0);
          predictor.outputs(x, viaFloats);
          for (int j = 0; j < 3; j++) {
            assertEquals(viaFloats[j], ws.output()[r * 3 + j], 1e-5f,
                k.description() + " " + net.describe() + " row " + r + " logit " + j);
          }
        }
        // Rows 3 and 4 are the same image: the same logits, bit for bit.
        for (int j = 0; j < 3; j++) {
          assertEquals(ws.output()[3 * 3 + j], ws.output()[4 * 3 + j]);
        }
      }
    }
  }

  @Test
  void modelsCheckTheirNamesAndImageSizes() {
    Sequential net = Sequential.builder(784).linear(10).build();
    var e = assertThrows(IllegalArgumentException.class, () -> new Model("x", net,
        Model.Output.CLASSES, List.of("a"), List.of(), 28, 28));
    assertTrue(e.getMessage().contains("1 class names for 10 outputs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Model("x", net,
        Model.Output.VALUES, List.of(), List.of(), 27, 28));
    assertTrue(e.getMessage().contains("do not give the 784 inputs"), e.getMessage());
  }

  @Test
  void aModelLargerThanJacksonsDefaultStringCapSavesAndLoads(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    // Hostile campaign 2: an MLP with 8192 hidden units trained, but its 34.7 MB model file was
    // refused on load (one base64 string over Jackson's default 20 M characters).
    Sequential net = Sequential.builder(784).linear(8192).relu().linear(10)
        .build(new Init.Normal(0.01), 3);
    Model model = new Model("mlp", net, Model.Output.CLASSES,
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), List.of(), 28, 28);
    java.nio.file.Path file = dir.resolve("model.json");
    ModelFile.save(model, file);
    assertTrue(java.nio.file.Files.size(file) > 30_000_000L);
    Model back = ModelFile.load(file);
    assertEquals(net.parameters().get(0).value().get(8191, 783),
        back.network().parameters().get(0).value().get(8191, 783));
    // The reader's limits cover the largest model a recipe lets train: its base64 and the file.
    long base64 = (ModelFile.MAX_PARAMETERS * Float.BYTES + 2) / 3 * 4;
    assertTrue(base64 < ModelFile.MAX_FILE_BYTES, "the largest model fits the file cap");
  }
}
