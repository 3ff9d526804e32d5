package simdlearn.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Checks report files against docs/report-schema.json, line by line. */
public final class ReportSchema {
  private static final JsonSchema SCHEMA = load();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportSchema() {}

  private static JsonSchema load() {
    // Tests run in their module's directory: modules/NAME, or a top-level one such as spark/.
    Path schema = Path.of("../../docs/report-schema.json");
    if (!Files.isRegularFile(schema)) {
      schema = Path.of("../docs/report-schema.json");
    }
    try (InputStream in = Files.newInputStream(schema)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of {@code report} is valid. */
  public static void assertValid(Path report) throws IOException {
    for (String line : Files.readAllLines(report)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      Set<ValidationMessage> errors = SCHEMA.validate(node);
      assertTrue(errors.isEmpty(), report + ": " + errors + " in " + line);
    }
  }
}
