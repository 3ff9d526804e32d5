package simdlearn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.training.TrainingKernels;

/** Shapes between layers, Flatten, the layer registry and LeakyReLU, through the contract. */
class LayerContractTest {
  static final TrainingKernels V = TrainingKernels.vector();

  @Test
  void shapesFlowAndMismatchesNameTheLayerAndDimension() {
    Sequential net = Sequential.builder(Shape.planes(2, 3, 4)).relu().flatten().linear(5)
        .build();
    assertEquals(Shape.planes(2, 3, 4), net.inputShape());
    assertEquals(Shape.planes(2, 3, 4), net.layers().get(0).outputShape(), "relu keeps planes");
    assertEquals(Shape.features(24), net.layers().get(1).outputShape());
    assertEquals("2x3x4-5 (relu, flatten, linear(24->5))", net.describe());

    var e = assertThrows(IllegalArgumentException.class,
        () -> Sequential.builder(Shape.planes(2, 3, 4)).linear(5).build());
    assertEquals("layer 0 (linear(24->5)) takes 24 features but gets 2x3x4 planes: add a flatten"
        + " first from the input", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(
        new ReLU(Shape.planes(1, 28, 28)), new Tanh(Shape.planes(6, 28, 28)))));
    assertEquals("layer 1 (tanh) takes channels 6 but gets 1 (6x28x28 against 1x28x28) from layer"
        + " 0 (relu)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(
        new ReLU(Shape.planes(1, 28, 28)), new Tanh(Shape.planes(1, 28, 14)))));
    assertTrue(e.getMessage().contains("takes width 14 but gets 28"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Shape.of(List.of(1, 2)));
    assertThrows(IllegalArgumentException.class, () -> Shape.planes(0, 2, 2));
  }

  @Test
  void flattenCopiesForwardAndBackward() {
    Flatten f = new Flatten(Shape.planes(2, 1, 3));
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    float[] out = new float[12];
    f.forward(V, Layer.State.NONE, new Rows(6).floats(x, 0), 2, out, new Pass());
    assertArrayEquals(x, out);
    float[] dIn = new float[12];
    f.backward(V, Layer.State.NONE, null, out, x, 2, dIn);
    assertArrayEquals(x, dIn);
    assertEquals(List.of(), f.parameters());
  }

  @Test
  void leakyReluScalesTheNegativeSideAndKeepsItsSlopeInItsSpec() {
    LeakyReLU l = new LeakyReLU(Shape.features(4), 0.1);
    float[] out = new float[4];
    l.forward(V, Layer.State.NONE, new Rows(4).floats(new float[] {-2, -0.5f, 0, 3}, 0), 1, out,
        new Pass());
    assertArrayEquals(new float[] {-0.2f, -0.05f, 0, 3}, out, 1e-7f);
    float[] dIn = new float[4];
    l.backward(V, Layer.State.NONE, null, out, new float[] {1, 1, 1, 1}, 1, dIn);
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 1}, dIn, 0f, "slope at and below 0");
    assertEquals(new LeakyReLU.Spec(0.1), l.spec());
    assertEquals("leaky-relu(0.1)", l.toString());
    assertThrows(IllegalArgumentException.class, () -> new LeakyReLU.Spec(-0.5));
    assertThrows(IllegalArgumentException.class, () -> new LeakyReLU.Spec(Double.NaN));
  }

  @Test
  void theRegistryNamesEveryLayerAndMakesActivationsFromSettings() {
    for (String name : List.of("linear", "relu", "leaky-relu", "sigmoid", "tanh", "dropout",
        "flatten")) {
      assertEquals(name, LayerTypes.get(name).name());
    }
    assertEquals(List.of("relu", "leaky-relu", "sigmoid", "tanh"), LayerTypes.activations());
    assertEquals(List.of("slope"), LayerTypes.activationSettings());
    assertEquals(new LeakyReLU.Spec(0.01), LayerTypes.activation("leaky-relu", Map.of()));
    assertEquals(new LeakyReLU.Spec(0.3), LayerTypes.activation("leaky-relu",
        Map.of("slope", 0.3)));
    assertEquals(new ReLU.Spec(), LayerTypes.activation("relu", Map.of()));
    var e = assertThrows(IllegalArgumentException.class,
        () -> LayerTypes.activation("relu", Map.of("slope", 0.3)));
    assertEquals("slope is not a setting of relu, which has none", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerTypes.activation("linear", Map.of()));
    assertTrue(e.getMessage().startsWith("activation must be one of relu, leaky-relu"),
        e.getMessage());
    // Each type's spec names the type it is registered as.
    for (LayerType t : List.of(ReLU.TYPE, LeakyReLU.TYPE, Sigmoid.TYPE, Tanh.TYPE)) {
      assertEquals(t.name(), t.activation().apply(t.settings()).type());
    }
    assertEquals("linear", new Linear.Spec(2, 3, true).type());
    assertEquals("dropout", new Dropout.Spec(0.5).type());
    assertEquals("flatten", new Flatten.Spec().type());
  }

  @Test
  void specsRebuildTheNetworkTheyDescribe() {
    Sequential net = Sequential.builder(Shape.planes(1, 4, 4)).flatten().linear(8)
        .add(new LeakyReLU.Spec(0.2)).dropout(0.25).linear(3).build(new Init.He(), 3);
    Sequential again = Sequential.fromSpecs(net.inputShape(), net.architecture());
    assertEquals(net.architecture(), again.architecture());
    assertEquals(net.describe(), again.describe());
    assertEquals("1x4x4-8-3 (flatten, linear(16->8), leaky-relu(0.2), dropout(0.25),"
        + " linear(8->3))", net.describe());
    assertEquals(16 * 8 + 8, new Linear.Spec(16, 8, true).parameterCount(Shape.features(16)));
    assertEquals(0, new Flatten.Spec().parameterCount(Shape.planes(1, 4, 4)));
  }
}
