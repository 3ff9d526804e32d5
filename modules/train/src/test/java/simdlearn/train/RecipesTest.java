package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import simdlearn.train.recipes.Recipes;

/** Each model's recipe: its name, the options it takes and refuses, its defaults. */
class RecipesTest {
  @Test
  void everyModelHasARecipeWithItsReportName() {
    assertEquals(List.of("softmax", "mlp", "linear", "polynomial", "highdim-linear", "logistic",
        "lenet", "lenet-bn", "resnet"), Recipes.names());
    assertEquals(List.of("softmax-regression", "mlp", "linear-regression",
        "polynomial-regression", "highdim-linear-regression", "logistic-regression", "lenet",
        "lenet-bn", "resnet-18"), Recipes.all().stream().map(Recipe::kind).toList());
    var e = assertThrows(InvalidSettingException.class, () -> Recipes.get("cnn"));
    assertEquals("model", e.setting());
    assertEquals("model must be one of softmax, mlp, linear, polynomial, highdim-linear,"
        + " logistic, lenet, lenet-bn, resnet; got 'cnn'", e.getMessage());
  }

  @Test
  void optionsAModelDoesNotTakeAreRefusedByName() {
    ModelOptions hidden = Runs.with().hidden(List.of(9)).build();
    var e = assertThrows(InvalidSettingException.class,
        () -> Recipes.get("softmax").resolve(hidden));
    assertEquals("hidden", e.setting());
    assertEquals("hidden does not apply to the softmax model (it takes dataset, limit, loss,"
        + " resize)", e.getMessage());
    for (String model : List.of("linear", "polynomial", "highdim-linear", "logistic")) {
      assertEquals("hidden", assertThrows(InvalidSettingException.class,
          () -> Recipes.get(model).resolve(hidden)).setting(), model);
    }
    ModelOptions slope = Runs.with().activationSetting("slope", 0.2).build();
    assertEquals("slope", assertThrows(InvalidSettingException.class,
        () -> Recipes.get("softmax").resolve(slope)).setting());
    e = assertThrows(InvalidSettingException.class, () -> Recipes.get("mlp").resolve(slope));
    assertEquals("slope is not a setting of the relu activation", e.getMessage());
    e = assertThrows(InvalidSettingException.class,
        () -> Recipes.get("linear").resolve(Runs.with().resize(14).build()));
    assertEquals("resize", e.setting());
    e = assertThrows(InvalidSettingException.class, () -> Recipes.get("logistic")
        .resolve(Runs.with().dataset("synthetic-2d").classes(List.of(1, 2)).build()));
    assertEquals("classes is for image datasets; synthetic-2d generates its points",
        e.getMessage());
    e = assertThrows(InvalidSettingException.class,
        () -> Recipes.get("mlp").resolve(Runs.with().loss("mse").build()));
    assertEquals("loss", e.setting());
    e = assertThrows(InvalidSettingException.class,
        () -> Recipes.get("polynomial").resolve(Runs.with().degree(20).build()));
    assertEquals("degree must be between 0 and 19, got 20", e.getMessage());
    e = assertThrows(InvalidSettingException.class,
        () -> Recipes.get("mlp").defaults(Runs.options("mlp", ModelOptions.NONE), "tuned"));
    assertEquals("preset must be book for mlp, got 'tuned'", e.getMessage());
  }

  @Test
  void resolvedOptionsCarryEveryDefault() {
    ModelOptions mlp = Runs.options("mlp", ModelOptions.NONE);
    assertEquals(List.of(256), mlp.hidden());
    assertEquals(List.of(), mlp.dropout());
    assertEquals("relu", mlp.activationDescription());
    assertEquals("softmax-cross-entropy", mlp.loss());
    assertEquals("fashion-mnist", mlp.dataset());
    ModelOptions leaky = Runs.options("mlp", Runs.with().activation("leaky-relu").build());
    assertEquals(Map.of("slope", 0.01), leaky.activationSettings());
    assertEquals("leaky-relu(slope=0.01)", leaky.activationDescription());
    ModelOptions softmax = Runs.options("softmax", ModelOptions.NONE);
    assertEquals(null, softmax.hidden(), "a linear model reports no hidden layers");
    assertEquals(List.of(7, 9), Runs.options("logistic", ModelOptions.NONE).classes());
    assertTrue(Recipes.get("logistic").readsImages(Runs.options("logistic", ModelOptions.NONE)));
    assertFalse(Recipes.get("logistic").readsImages(
        Runs.options("logistic", Runs.with().dataset("synthetic-2d").build())));
    assertEquals(1500, Runs.book("polynomial", Runs.with().degree(19).build()).build().epochs());
    assertEquals(400, Runs.book("polynomial", ModelOptions.NONE).build().epochs());
    assertEquals(3, Runs.options("polynomial", ModelOptions.NONE).degree());
    assertEquals(30, Recipes.get("softmax").defaults(ModelOptions.NONE, "tuned").build()
        .epochs());
    assertEquals(List.of(32, 16), Recipes.get("mlp").warmup(
        Runs.options("mlp", Runs.with().hidden(List.of(256, 16)).build())).hidden(),
        "the warm-up's hidden layers are capped, still wide");
    for (String conv : List.of("resnet", "lenet", "lenet-bn")) {
      TrainingConfig own = Runs.book(conv, ModelOptions.NONE).build();
      TrainingConfig small = Recipes.get(conv).warmup(own);
      assertEquals(List.of(32, 16, own.lr(), own.threads()), List.of(small.batchSize(),
          small.shardSize(), small.lr(), small.threads()),
          conv + " warms up on small minibatches, its settings otherwise");
    }
    TrainingConfig dense = Runs.book("mlp", ModelOptions.NONE).build();
    assertEquals(dense, Recipes.get("mlp").warmup(dense), "dense models warm up on their own");
  }

  @Test
  void leNetIsTheBooksNetworkAndTrainsOnImages() throws Exception {
    ModelOptions o = Runs.options("lenet", ModelOptions.NONE);
    assertEquals("sigmoid", o.activation());
    assertEquals("avg", o.pool());
    TrainingConfig cfg = Runs.book("lenet", ModelOptions.NONE).build();
    assertEquals(0.9f, cfg.lr());
    assertEquals("xavier", cfg.init());
    var images = simdlearn.testkit.TinyData.images(simdlearn.testkit.TinyData.SPEC, "t", 64, 28,
        3, 1);
    Experiment e = Runs.experiment(cfg, "lenet", ModelOptions.NONE, images, images);
    assertEquals("1x28x28-6x28x28-16x10x10-120-84-3 (conv2d(1->6, 5x5, pad 2), sigmoid,"
        + " avg-pool2d(2x2), conv2d(6->16, 5x5), sigmoid, avg-pool2d(2x2), flatten,"
        + " linear(400->120), sigmoid, linear(120->84), sigmoid, linear(84->3))",
        e.model().network().describe());
    ModelOptions modern = Runs.with().activation("relu").pool("max").build();
    assertTrue(Runs.experiment(cfg, "lenet", modern, images, images).model().network()
        .describe().contains("relu, max-pool2d(2x2)"));
    assertEquals("pool", assertThrows(InvalidSettingException.class,
        () -> Recipes.get("lenet").resolve(Runs.with().pool("min").build())).setting());
    assertEquals("pool", assertThrows(InvalidSettingException.class,
        () -> Recipes.get("mlp").resolve(Runs.with().pool("max").build())).setting());
  }

  @Test
  void leNetWithBatchNormIsTheBooksNetwork() {
    TrainingConfig cfg = Runs.book("lenet-bn", ModelOptions.NONE).build();
    assertEquals(1.0f, cfg.lr());
    assertEquals("xavier", cfg.init());
    var images = simdlearn.testkit.TinyData.images(simdlearn.testkit.TinyData.SPEC, "t", 64, 28,
        3, 1);
    Experiment e = Runs.experiment(cfg, "lenet-bn", ModelOptions.NONE, images, images);
    assertEquals("1x28x28-6x24x24-6x24x24-16x8x8-16x8x8-120-120-84-84-3 (conv2d(1->6, 5x5),"
        + " batch-norm(6), sigmoid, avg-pool2d(2x2), conv2d(6->16, 5x5), batch-norm(16), sigmoid,"
        + " avg-pool2d(2x2), flatten, linear(256->120), batch-norm(120), sigmoid,"
        + " linear(120->84), batch-norm(84), sigmoid, linear(84->3))",
        e.model().network().describe());
    assertEquals(4, e.model().network().meetings());
    assertEquals("pool", assertThrows(InvalidSettingException.class,
        () -> Recipes.get("lenet-bn").resolve(Runs.with().pool("max").build())).setting());
  }

  @Test
  void resNetIsTheBooksResNet18() {
    TrainingConfig cfg = Runs.book("resnet", ModelOptions.NONE).build();
    assertEquals(0.05f, cfg.lr());
    var images = simdlearn.testkit.TinyData.images(simdlearn.testkit.TinyData.SPEC, "t", 8, 28,
        3, 1);
    var net = Runs.experiment(cfg, "resnet", ModelOptions.NONE, images, images).model()
        .network();
    assertEquals("1x28x28-64x14x14-64x14x14-64x7x7-64x7x7-128x4x4-128x4x4-256x2x2-256x2x2"
        + "-512x1x1-512x1x1-3 (conv2d(1->64, 7x7, pad 3, stride 2), batch-norm(64), relu,"
        + " max-pool2d(3x3, stride 2, pad 1), residual(64->64), residual(64->64),"
        + " residual(64->128, stride 2, 1x1 shortcut), residual(128->128),"
        + " residual(128->256, stride 2, 1x1 shortcut), residual(256->256),"
        + " residual(256->512, stride 2, 1x1 shortcut), residual(512->512), global-avg-pool2d,"
        + " flatten, linear(512->3))", net.describe());
    // d2l 7.6's ResNet-18: 11.2 million parameters (10 classes), 17 batch norms meeting.
    assertEquals(17, net.meetings());
    assertEquals("4.conv1.weight", net.parameters().get(4).name());
    assertEquals("11.bn2.running_var", net.buffers().get(net.buffers().size() - 1).name());
  }
}
