/**
 * Test support shared by the test suites of {@code simdlearn.train} and {@code simdlearn.app}:
 * small learnable image data, the report schema's validator, model-file tampering. Not
 * published; nothing in main code depends on it.
 */
module simdlearn.testkit {
  requires transitive simdlearn.data;
  requires com.fasterxml.jackson.databind;
  requires com.networknt.schema;
  requires org.junit.jupiter.api;

  exports simdlearn.testkit;
}
