package simdlearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build stays publishable: the BOM lists every published module at the build's version, and
 * every module says what it is and is under the project's licence.
 */
class BuildMetadataTest {
  static final Path ROOT = Path.of("../..");

  static String first(String xml, String tag) {
    Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(xml);
    assertTrue(m.find(), "no <" + tag + ">");
    return m.group(1).strip();
  }

  /** The text after the parent block, so the project's own tags are found first. */
  static String own(String pom) {
    int end = pom.indexOf("</parent>");
    return end < 0 ? pom : pom.substring(end);
  }

  @Test
  void theBomListsEveryPublishedModuleAtTheBuildVersion() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    assertEquals(first(own(parent), "version"), first(bom, "version"), "BOM version");
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    List<String> published = new ArrayList<>();
    while (modules.find()) {
      String dir = modules.group(1);
      if (dir.equals("bom") || dir.equals("jmh") || dir.equals("modules/testkit")) {
        continue;
      }
      String pom = own(Files.readString(ROOT.resolve(dir).resolve("pom.xml")));
      String artifact = first(pom, "artifactId");
      published.add(artifact);
      assertTrue(bom.contains("<artifactId>" + artifact + "</artifactId>"),
          "bom/pom.xml must manage " + artifact);
      assertTrue(first(pom, "description").length() > 20, dir + " needs a description");
    }
    assertTrue(published.contains("simdlearn-kernel") && published.size() >= 8,
        published.toString());
  }

  @Test
  void theLicenceIsApacheTwoEverywhere() throws Exception {
    assertTrue(Files.readString(ROOT.resolve("LICENSE")).contains("Apache License"));
    for (String pom : List.of("pom.xml", "bom/pom.xml")) {
      String text = Files.readString(ROOT.resolve(pom));
      assertTrue(text.contains("<name>Apache-2.0</name>") && text.contains("<scm")
          && text.contains("<developers>"), pom);
    }
  }
}
