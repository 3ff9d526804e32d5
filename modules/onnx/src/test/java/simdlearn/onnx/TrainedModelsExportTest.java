package simdlearn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import simdlearn.data.DataDirectory;
import simdlearn.data.Dataset;
import simdlearn.data.DatasetSpec;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.train.Experiment;
import simdlearn.train.Model;
import simdlearn.train.ModelOptions;
import simdlearn.train.Recipe;
import simdlearn.train.Trainer;
import simdlearn.train.TrainingConfig;
import simdlearn.train.TrainingListener;
import simdlearn.train.recipes.Recipes;

/**
 * Every kind of model this engine trains, trained by its recipe as {@code train} would, exported
 * and run in ONNX Runtime over its whole test set (all 10,000 Fashion-MNIST test images for the
 * image classifiers): the same predicted class for every example, and no logit or value more than
 * 1e-4 away from this engine's (linear regression, which has no test set: its training set). Mandatory in CI (the data directory is set there).
 */
class TrainedModelsExportTest {
  private static final TrainingKernels K = TrainingKernels.vector();
  private static ImageDataset.Split fashion;

  @BeforeAll
  static void data() throws Exception {
    var dir = DataDirectory.configured();
    if (dir.isEmpty()) {
      assertTrue(!"true".equals(System.getenv("CI")),
          "CI=true but no data directory: set " + DataDirectory.ENV);
      Assumptions.abort("no data directory configured (" + DataDirectory.ENV + ")");
    }
    fashion = ImageDataset.load(DatasetSpec.FASHION_MNIST, dir.get());
  }

  /**
   * A recipe's run, shortened where the book's would take long: epochs enough that its classes
   * are told apart (a network that has not learnt yet gives near-equal logits, whose order is
   * then rounding noise in any two engines).
   */
  record Run(String label, String model, ModelOptions options, int epochs, float lr) {
    Run(String label, String model, ModelOptions options, int epochs) {
      this(label, model, options, epochs, Float.NaN);
    }

    @Override
    public String toString() {
      return label + ", " + epochs + " epoch(s)";
    }
  }

  static List<Run> runs() {
    return List.of(
        new Run("softmax regression", "softmax", ModelOptions.NONE, 2),
        new Run("mlp relu", "mlp", ModelOptions.NONE, 2),
        new Run("mlp sigmoid", "mlp", with().activation("sigmoid").hidden(List.of(64)).build(), 2),
        new Run("mlp tanh with dropout", "mlp", with().activation("tanh")
            .hidden(List.of(128, 64)).dropout(List.of(0.2, 0.5)).build(), 2),
        new Run("logistic sneaker/ankle boot", "logistic", ModelOptions.NONE, 2),
        new Run("lenet", "lenet", ModelOptions.NONE, 2),
        // The modern variant at its working rate (the book's 0.9 kills ReLUs).
        new Run("lenet relu max-pool", "lenet", with().activation("relu").pool("max").build(), 1,
            0.1f),
        new Run("lenet with batch normalisation", "lenet-bn", ModelOptions.NONE, 1),
        new Run("linear regression", "linear", ModelOptions.NONE, 3),
        new Run("polynomial regression", "polynomial", with().degree(3).build(), 20),
        new Run("high-dimensional linear regression", "highdim-linear", ModelOptions.NONE, 5));
  }

  private static ModelOptions.Builder with() {
    return new ModelOptions.Builder();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  @Timeout(600)
  void onnxRuntimeAgreesOnTheWholeTestSet(Run run) throws Exception {
    Recipe recipe = Recipes.get(run.model());
    ModelOptions options = recipe.resolve(run.options());
    TrainingConfig.Builder settings = recipe.defaults(options, "book").epochs(run.epochs())
        .threads(2);
    TrainingConfig cfg = (Float.isNaN(run.lr()) ? settings : settings.lr(run.lr())).build();
    Experiment e = recipe.experiment(cfg, options, recipe.readsImages(options) ? fashion : null);
    Model model = new Trainer(cfg, TrainingListener.NONE).train(e).model();

    // Linear regression (d2l 3.2) has no test set: its training examples then.
    Dataset test = e.test() != null ? e.test() : e.train();
    int n = test.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    float[] x = new float[n * model.inputs()];
    test.copyFeatures(order, 0, n, x, 0);
    FloatMatrix ours = model.outputs(K, FloatMatrix.wrap(x, n, model.inputs()));
    Map<String, float[]> theirs;
    try (OnnxRun onnx = new OnnxRun(ModelExport.toOnnx(model))) {
      theirs = onnx.run(x, n, model.network().inputShape().dims());
    }
    float[] got = theirs.get(model.isClassifier() ? ModelExport.LOGITS : ModelExport.VALUES);
    int outputs = model.outputs();
    double worst = 0;
    for (int i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - ours.get(i / outputs, i % outputs)));
    }
    assertTrue(worst <= 1e-4, run + ": largest difference " + worst);
    System.out.printf("%s: %d examples, largest difference %.3g%n", run, n, worst);
    if (model.isClassifier()) {
      assertEquals(n, model.output() == Model.Output.BINARY ? 2_000 : 10_000, run.toString());
      int[] predicted = model.predict(K, FloatMatrix.wrap(x, n, model.inputs()));
      // ONNX Runtime's prediction, read as a user reads the logits (the first largest).
      int classes = outputs;
      int differ = 0;
      for (int r = 0; r < n; r++) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
          best = got[r * classes + j] > got[r * classes + best] ? j : best;
        }
        int theirClass = model.output() == Model.Output.BINARY ? (got[r] > 0 ? 1 : 0) : best;
        differ += theirClass == predicted[r] ? 0 : 1;
      }
      assertEquals(0, differ, run + ": examples whose predicted class differs");
      // A network that has learnt something, not near-equal logits everywhere: it predicts
      // both classes, or all but at most two of ten.
      long told = Arrays.stream(predicted).distinct().count();
      assertTrue(told >= (model.classes() == 2 ? 2 : model.classes() - 2),
          run + ": predicts " + told + " classes");
    }
  }
}
