package simdlearn.train.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes report lines: one JSON object per line, snake_case, nulls left out. */
public final class Reports {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
          JsonInclude.Include.USE_DEFAULTS))
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // newer writers may add fields
      .build();
  private static final ObjectWriter WRITER = MAPPER.writerFor(ReportLine.class);
  private static final ObjectReader READER = MAPPER.readerFor(ReportLine.class);

  private Reports() {}

  /** A whole report: the run line, the epochs in order, and the summary if the run finished. */
  public record Report(RunLine run, List<EpochLine> epochs, Optional<SummaryLine> summary) {}

  /** One line of JSON (no newline). */
  public static String toJson(ReportLine line) {
    try {
      return WRITER.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report line cannot be written: " + e.getMessage(), e);
    }
  }

  /** Parses one line. */
  public static ReportLine parseLine(String json) throws IOException {
    return READER.readValue(json);
  }

  /**
   * Loads a report in one call. A report still being written (no summary yet) loads too.
   *
   * @throws IOException if the file is unreadable, not JSON Lines, or does not start with a run line
   */
  public static Report read(Path file) throws IOException {
    RunLine run = null;
    List<EpochLine> epochs = new ArrayList<>();
    SummaryLine summary = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line; (line = in.readLine()) != null; ) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        ReportLine parsed;
        try {
          parsed = parseLine(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IOException(file + ": line " + n + " is not a report line ("
              + e.getOriginalMessage() + ")", e);
        }
        switch (parsed) {
          case RunLine r -> run = r;
          case EpochLine e -> epochs.add(e);
          case SummaryLine s -> summary = s;
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IOException(file + ": not a UTF-8 text file, so not a report");
    }
    if (run == null) {
      throw new IOException(file + ": no {\"type\":\"run\"} line, so not a simdlearn report");
    }
    return new Report(run, List.copyOf(epochs), Optional.ofNullable(summary));
  }
}
