package simdlearn.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line of a {@code report.jsonl}: the {@link RunLine} first, one {@link EpochLine} per
 * completed epoch, and a closing {@link SummaryLine}. Each line is a JSON object whose
 * {@code "type"} says which; field names are snake_case. The schema is
 * {@code docs/report-schema.json}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunLine.class, name = "run"),
    @JsonSubTypes.Type(value = EpochLine.class, name = "epoch"),
    @JsonSubTypes.Type(value = SummaryLine.class, name = "summary")})
public sealed interface ReportLine permits RunLine, EpochLine, SummaryLine {
  /** Version of the report format; bumped when a field changes meaning or disappears. */
  int SCHEMA_VERSION = 1;
}
