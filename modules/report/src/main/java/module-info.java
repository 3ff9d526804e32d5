/**
 * The {@code report.jsonl} format of simdlearn runs (schema: {@code docs/report-schema.json}):
 * the line records, a writer that flushes each line, and a reader that validates what it reads.
 * Depends on Jackson alone, so a program that reads reports needs no trainer, command line or
 * charting library.
 */
module simdlearn.report {
  requires transitive com.fasterxml.jackson.databind;

  exports simdlearn.report;

  opens simdlearn.report to com.fasterxml.jackson.databind;
}
