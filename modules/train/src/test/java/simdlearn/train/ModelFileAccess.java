package simdlearn.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reads a model document without checks, for tests that tamper with files on purpose. */
final class ModelFileAccess {
  private ModelFileAccess() {}

  static ModelFile.Document read(String json) throws Exception {
    return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build()
        .readValue(json, ModelFile.Document.class);
  }
}
