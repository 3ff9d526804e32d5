package simdlearn.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes report lines: one JSON object per line, snake_case, nulls left out. Lines are
 * checked on the way out and on the way in: numbers finite, epochs numbered 1, 2, 3, ..., one run
 * line first, at most one summary and nothing after it.
 */
public final class Reports {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
          JsonInclude.Include.USE_DEFAULTS))
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // newer writers may add fields
      .build();
  private static final ObjectWriter WRITER = MAPPER.writerFor(ReportLine.class);
  private static final ObjectReader READER = MAPPER.readerFor(ReportLine.class);

  /** The largest report read: 64 MiB, some hundred thousand epochs' lines. */
  static final long MAX_REPORT_BYTES = 64L << 20;

  private Reports() {}

  /**
   * A whole report: the run line, the epochs in order, the summary if the run finished, and
   * whether the last line was cut off mid-write (a run killed while writing it) and skipped.
   */
  public record Report(RunLine run, List<EpochLine> epochs, Optional<SummaryLine> summary,
      boolean truncatedLastLine) {}

  /**
   * One line of JSON (no newline).
   *
   * @throws IllegalStateException if the line holds a NaN or an infinity (a bug: the trainer
   *     reports divergence instead of non-finite figures)
   */
  public static String toJson(ReportLine line) {
    String problem = problem(line);
    if (problem != null) {
      throw new IllegalStateException("refusing to write a report line with " + problem);
    }
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
   * Loads and checks a report. A report still being written (no summary yet) loads; so does one
   * whose last line was cut off mid-write (then {@link Report#truncatedLastLine()} says so).
   *
   * @throws IOException naming the file and line if it is unreadable, not JSON Lines, or not a
   *     consistent report
   */
  public static Report read(Path file) throws IOException {
    // A FIFO would block the read for ever and a link to a device would fill the heap.
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": not a regular file, so not a report");
    }
    if (Files.size(file) > MAX_REPORT_BYTES) {
      throw new IOException(file + ": larger than " + (MAX_REPORT_BYTES >> 20) + " MiB, so not a"
          + " report (a run writes a few hundred bytes per epoch)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not a UTF-8 text file, so not a report");
    }
    String[] lines = text.split("\n", -1);
    boolean endsWithNewline = text.endsWith("\n");
    RunLine run = null;
    List<EpochLine> epochs = new ArrayList<>();
    SummaryLine summary = null;
    boolean truncated = false;
    int last = lines.length - 1;
    while (last >= 0 && lines[last].isBlank()) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      String line = lines[i];
      int n = i + 1;
      if (line.isBlank()) {
        continue;
      }
      ReportLine parsed;
      try {
        parsed = parseLine(line);
      } catch (JsonProcessingException e) {
        if (i == last && !endsWithNewline) {
          truncated = true; // the writer died mid-line: everything before it stands
          break;
        }
        throw new IOException(file + ": line " + n + " is not a report line"
            + (n == 1 ? "; a report is a run's report.jsonl, one JSON record per line" : ""), e);
      }
      if (summary != null) {
        throw new IOException(file + ": line " + n + " comes after the summary line");
      }
      String problem = problem(parsed);
      if (problem != null) {
        throw new IOException(file + ": line " + n + " has " + problem);
      }
      String absent = missing(parsed);
      if (absent != null) {
        throw new IOException(file + ": line " + n + " has no " + absent);
      }
      switch (parsed) {
        case RunLine r -> {
          if (run != null) {
            throw new IOException(file + ": line " + n + " is a second run line");
          }
          run = r;
        }
        case EpochLine e -> {
          if (run == null) {
            throw new IOException(file + ": line " + n + " comes before the run line");
          }
          if (e.epoch() != epochs.size() + 1) {
            throw new IOException(file + ": line " + n + " is epoch " + e.epoch() + " where epoch "
                + (epochs.size() + 1) + " was due");
          }
          epochs.add(e);
        }
        case SummaryLine s -> {
          if (run == null) {
            throw new IOException(file + ": line " + n + " comes before the run line");
          }
          if (s.epochsCompleted() != epochs.size()) {
            throw new IOException(file + ": line " + n + " summarises " + s.epochsCompleted()
                + " epochs but the report has " + epochs.size());
          }
          summary = s;
        }
      }
    }
    if (run == null) {
      throw new IOException(file + ": no {\"type\":\"run\"} line, so not a simdlearn report");
    }
    return new Report(run, List.copyOf(epochs), Optional.ofNullable(summary), truncated);
  }

  /** What is wrong with a line's figures (a NaN, an infinity), or null. */
  static String problem(ReportLine line) {
    return switch (line) {
      case RunLine r -> r.settings() != null && !Double.isFinite(r.settings().lr())
          ? "a non-finite learning rate" : null;
      case EpochLine e -> firstNonFinite("train_loss", e.trainLoss(), "train_acc", e.trainAcc(),
          "test_acc", e.testAcc(), "test_loss", e.testLoss(), "lr", e.lr(), "seconds",
          e.seconds(), "eval_seconds", e.evalSeconds(), "examples_per_second",
          e.examplesPerSecond());
      case SummaryLine s -> firstNonFinite("final_train_loss", s.finalTrainLoss(),
          "final_train_acc", s.finalTrainAcc(), "final_test_acc", s.finalTestAcc(),
          "final_test_loss", s.finalTestLoss(), "best_test_acc", s.bestTestAcc(),
          "total_seconds", s.totalSeconds(), "weight_norm", s.weightNorm());
    };
  }

  /** The first field a reader relies on that a line leaves out (or null), by its JSON name. */
  static String missing(ReportLine line) {
    return switch (line) {
      case RunLine r -> firstNull("model", r.model(), "architecture", r.architecture(), "dataset",
          r.dataset(), "settings", r.settings(), "environment", r.environment(), "started_at",
          r.startedAt(), "dataset.name", r.dataset() == null ? "" : r.dataset().name(),
          "environment.kernels", r.environment() == null ? "" : r.environment().kernels());
      case EpochLine e -> null;
      case SummaryLine s -> firstNull("status", s.status(), "true_weights",
          s.weights() == null ? "" : s.trueWeights(), "closed_form",
          s.learned() == null ? "" : s.closedForm());
    };
  }

  private static String firstNull(Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        return (String) namesAndValues[i];
      }
    }
    return null;
  }

  private static String firstNonFinite(Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] instanceof Double d && !Double.isFinite(d)) {
        return "a non-finite " + namesAndValues[i] + " (" + d + ")";
      }
    }
    return null;
  }
}
