package simdlearn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** For tests that tamper with model files on purpose. */
public final class ModelFileAccess {
  private ModelFileAccess() {}

  static ModelFile.Document read(String json) throws Exception {
    return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build()
        .readValue(json, ModelFile.Document.class);
  }

  /** The model document with its checksum recomputed, as someone tampering on purpose would. */
  public static String resign(String json) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode node = (ObjectNode) m.readTree(json);
    node.remove("sha256");
    node.put("sha256", ModelFile.checksum(read(node.toString())));
    return node.toString();
  }
}
