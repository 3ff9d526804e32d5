package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layer redesign's rules, checked on the main sources of every module: a concrete layer is
 * named (instanceof, cast) only in its own file, and the generic code (the container, the
 * trainer, the model file) names no layer type and no model.
 */
class ArchitectureRulesTest {
  static final Path MODULES = Path.of("..");
  static final List<String> LAYERS =
      List.of("Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Dropout", "Flatten", "Conv2d",
          "AvgPool2d", "MaxPool2d", "BatchNorm", "GlobalAvgPool2d", "Residual");
  static final List<String> MODELS = List.of("softmax", "mlp", "linear", "polynomial",
      "highdim-linear", "logistic", "lenet", "lenet-bn", "resnet");

  static List<Path> mainSources() throws IOException {
    try (Stream<Path> files = Files.walk(MODULES)) {
      return files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/")).sorted().toList();
    }
  }

  /** The file's code without comments and string literals' contents. */
  static String code(Path file) throws IOException {
    String s = Files.readString(file);
    s = s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    return s;
  }

  @Test
  void concreteLayersAreCastOrTestedOnlyInTheirOwnFile() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : mainSources()) {
      String code = code(file);
      for (String layer : LAYERS) {
        if (file.getFileName().toString().equals(layer + ".java")) {
          continue;
        }
        Pattern use = Pattern.compile("instanceof\\s+" + layer + "\\b|\\(\\s*" + layer
            + "\\s*\\)\\s*[\\w(]");
        if (use.matcher(code).find()) {
          found.add(file + ": " + layer);
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void theGenericCodeNamesNoLayerTypeAndNoModel() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : mainSources()) {
      String name = file.getFileName().toString();
      if (!List.of("Sequential.java", "Network.java", "Trainer.java", "ModelFile.java",
          "TrainingConfig.java", "CheckpointWriter.java").contains(name)) {
        continue;
      }
      String code = code(file);
      for (String layer : LAYERS) {
        if (Pattern.compile("\\b" + layer + "\\b").matcher(code).find()
            && !(name.equals("Sequential.java"))) {
          found.add(file + " names the layer " + layer);
        }
      }
      for (String model : MODELS) {
        if (code.contains("\"" + model + "\"")) {
          found.add(file + " names the model " + model);
        }
      }
      if (Pattern.compile("switch\\s*\\([^)]*(type|kind|model)\\(\\)").matcher(code).find()) {
        found.add(file + " switches over layer types or models");
      }
    }
    assertEquals(List.of(), found);
    // The container's builder offers shortcuts (linear(n), relu()) through their specs only.
    String sequential = code(Path.of("../nn/src/main/java/simdlearn/nn/Sequential.java"));
    assertTrue(!Pattern.compile("new (Linear|ReLU|Sigmoid|Tanh|Dropout|Flatten|LeakyReLU|Conv2d"
        + "|AvgPool2d|MaxPool2d)\\(")
        .matcher(sequential).find(), "Sequential constructs layers only from specs");
  }
}
