package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import simdlearn.kernel.Backend;
import simdlearn.kernel.FloatMatrix;
import simdlearn.kernel.Kernels;

class SimilarityTest {
  @Test
  void cosineOfRows() {
    FloatMatrix rows = FloatMatrix.of(new float[] {1, 0, 0}, new float[] {1, 1, 0},
        new float[] {0, 0, 2});
    FloatMatrix s = Similarity.cosine(rows);
    assertEquals(1f, s.get(0, 0), 1e-6f);
    assertEquals((float) Math.sqrt(0.5), s.get(0, 1), 1e-6f);
    assertEquals(0f, s.get(0, 2), 1e-6f);
    assertEquals(s, s.transpose());
  }

  @Test
  void theModulePathAloneGivesTheVectorKernels() {
    // No --add-modules here: 'requires simdlearn.kernel' resolved jdk.incubator.vector.
    assertEquals(Backend.VECTOR, Kernels.vector().backend());
    assertTrue(Kernels.class.getModule().isNamed(), "the kernel is a named module");
  }

  @Test
  void thePublishedKernelPomStandsAlone() throws Exception {
    String pom = Files.readString(Path.of("target/published/simdlearn-kernel.pom"));
    assertFalse(pom.contains("<parent>"), "no parent POM to install:\n" + pom);
    assertTrue(pom.contains("<name>Apache-2.0</name>") && pom.contains("<scm")
        && pom.contains("<developers>") && pom.contains("<url>"), pom);
  }
}
