package simdlearn.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simdlearn.data.ImageDataset;
import simdlearn.kernel.training.TrainingKernels;
import simdlearn.train.Model;
import simdlearn.train.ModelFile;

/** {@code simdlearn predict}: labels test images or the user's own PNG files with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class,
    sortOptions = false,
    description = {"Classifies images with a model saved by 'train'.",
        "With IMAGE files (PNG, JPEG, any size; converted to grayscale and resized): prints the top"
            + " labels and probabilities. Without: labels the first --n test images of --data and"
            + " compares with the truth."})
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "model.json from a run")
  Path modelFile;

  @Parameters(arity = "0..*", paramLabel = "IMAGE",
      description = "image files to label (PNG, JPEG, GIF, BMP; any size)")
  List<Path> images = new ArrayList<>();

  @Option(names = "--data", paramLabel = "DIR", description = "dataset for test images")
  Path data;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "fashion-mnist (default) or mnist")
  String dataset = "fashion-mnist";

  @Option(names = "--n", paramLabel = "N", description = "test images to label (default: 10)")
  int n = 10;

  @Option(names = "--top-k", paramLabel = "K",
      description = "labels to print per image (default: 1)")
  int topK = 1;

  @Option(names = "--invert", paramLabel = "auto|yes|no",
      description = "invert images (Fashion-MNIST is light on dark); auto inverts light"
          + " backgrounds")
  String invert = "auto";

  @Option(names = "--unverified",
      description = "load dataset files whose checksums differ from the published ones")
  boolean unverified;

  @Option(names = "--verbose", description = "stack traces on errors") boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (n <= 0 || topK <= 0) {
      throw new IllegalArgumentException("--n and --top-k must be > 0, got " + n + " and " + topK);
    }
    if (!List.of("auto", "yes", "no").contains(invert)) {
      throw new IllegalArgumentException("--invert must be auto, yes or no, got '" + invert + "'");
    }
    Model model = ModelFile.load(modelFile);
    if (!model.isClassifier() || model.imageHeight() == 0) {
      throw new IOException(modelFile + " is a " + model.kind()
          + " model; predict needs an image classifier");
    }
    PrintWriter out = spec.commandLine().getOut();
    TrainingKernels k = TrainingKernels.defaultKernels();
    Model.Predictor predictor = model.predictor(k);
    int k2 = Math.min(topK, model.classes());
    float[] x = new float[model.inputs()];
    float[] p = new float[model.classes()];
    if (!images.isEmpty()) {
      // Every readable image is labelled; each unreadable one gets its own line on stderr, and
      // the status says whether any failed.
      PrintWriter err = spec.commandLine().getErr();
      int failed = 0;
      for (Path img : images) {
        byte[] pixels;
        try {
          pixels = ImageFiles.read(img, model.imageHeight(), model.imageWidth(), invert);
        } catch (IOException | RuntimeException e) {
          failed++;
          String why = e.getMessage() == null ? e.toString() : e.getMessage();
          err.println("simdlearn predict: " + Printable.of(why.startsWith(img.toString())
              ? why : img + ": " + why));
          err.flush();
          continue;
        }
        k.bytesToFloats(pixels.length, pixels, 0, 1f / 255f, x, 0);
        probabilities(predictor, x, p, img.toString());
        out.println(Printable.of(img.toString()) + ": " + top(model, p, k2));
        out.flush();
      }
      if (failed > 0) {
        err.println("simdlearn predict: " + failed + " of " + images.size() + " images could not"
            + " be read");
        err.flush();
        return 1;
      }
      return 0;
    }
    ImageDataset test = Datasets.load(dataset, Datasets.directory(data, dataset), out,
        !unverified, false).test();
    if (test.classes() != model.classes() || !test.classNames().equals(model.classNames())) {
      test = subset(test, model);
    }
    if (test.height() != model.imageHeight() || test.width() != model.imageWidth()) {
      if (model.imageHeight() != model.imageWidth() || test.height() != test.width()) {
        // Resizing makes squares: a 2x392 model has the inputs of a 28x28 image, not its layout.
        throw new IOException(modelFile + " was trained on " + model.imageHeight() + "x"
            + model.imageWidth() + " images and " + dataset + "'s are " + test.height() + "x"
            + test.width() + ": its predictions would be meaningless; use the data it was"
            + " trained on");
      }
      test = test.resized(model.imageHeight());
    }
    int count = Math.min(n, test.size());
    int right = 0;
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = 0; i < count; i++) {
      test.copyFeatures(order, i, 1, x, 0);
      probabilities(predictor, x, p, "test image " + i);
      int pred = k.argmax(p.length, p, 0);
      right += pred == test.label(i) ? 1 : 0;
      out.printf(Locale.ROOT, "test image %d: %s  (true: %s)%n", i, top(model, p, k2),
          Printable.of(model.classNames().get(test.label(i))));
    }
    out.printf(Locale.ROOT, "%d of %d correct%n", right, count);
    out.flush();
    return 0;
  }

  /**
   * The test images of the model's classes when it tells apart only some of the dataset's (a
   * binary classifier of sneakers and ankle boots), relabelled as the model numbers them.
   */
  private ImageDataset subset(ImageDataset test, Model model) throws IOException {
    int[] classes = new int[model.classes()];
    for (int c = 0; c < classes.length; c++) {
      classes[c] = test.classNames().indexOf(model.classNames().get(c));
      if (classes[c] < 0) {
        throw new IOException(modelFile + " classifies " + model.classes() + " classes that "
            + dataset + " does not have (" + model.classNames() + "); use the dataset the model"
            + " was trained on");
      }
    }
    return test.withClasses(classes);
  }

  /** The model's probabilities for one input, refused when its arithmetic overflowed. */
  private void probabilities(Model.Predictor predictor, float[] x, float[] p, String input)
      throws IOException {
    predictor.probabilities(x, p);
    for (float v : p) {
      if (!Float.isFinite(v)) {
        throw new IOException(modelFile + ": the model's probabilities for " + input + " are not"
            + " finite (its weights overflow float32 arithmetic); retrain it");
      }
    }
  }

  /** {@code "label (中文) 0.934, ..."} for the k most probable classes. */
  private static String top(Model m, float[] p, int k) {
    boolean[] used = new boolean[p.length];
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < k; r++) {
      int best = -1;
      for (int j = 0; j < p.length; j++) {
        if (!used[j] && (best < 0 || p[j] > p[best])) {
          best = j;
        }
      }
      used[best] = true;
      String zh = m.classNamesZh().isEmpty() ? "" : " (" + m.classNamesZh().get(best) + ")";
      sb.append(r == 0 ? "" : ", ").append(Printable.of(m.classNames().get(best)))
          .append(Printable.of(zh))
          .append(String.format(Locale.ROOT, " %.3f", p[best]));
    }
    return sb.toString();
  }

}
