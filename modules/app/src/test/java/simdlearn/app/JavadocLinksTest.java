package simdlearn.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A module's API pages link the types of the modules it builds on (nn's Layer names the kernel's
 * TrainingKernels): read from the javadoc the reactor built before this module's tests, so a
 * build without javadoc (the launcher's) skips the check.
 */
class JavadocLinksTest {
  static void assertLinks(String page, String type) throws Exception {
    Path file = Path.of("..", page);
    Assumptions.assumeTrue(Files.exists(file), "no javadoc built: " + file);
    String html = Files.readString(file);
    assertTrue(html.contains("href=\"https://javadoc.io/doc/io.simdlearn/") && html.contains(
        type + ".html\""), page + " links " + type);
  }

  @Test
  void pagesLinkTheTypesOfOtherModules() throws Exception {
    assertLinks("nn/target/reports/apidocs/simdlearn.nn/simdlearn/nn/Layer.html",
        "TrainingKernels");
    assertLinks("train/target/reports/apidocs/simdlearn.train/simdlearn/train/Recipe.html",
        "ImageDataset.Split");
  }
}
