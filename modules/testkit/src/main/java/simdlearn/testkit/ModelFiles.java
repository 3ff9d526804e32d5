package simdlearn.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** For tests that tamper with model files on purpose and keep them loadable. */
public final class ModelFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  /**
   * The model document with its checksum recomputed, as someone tampering on purpose would: the
   * SHA-256 of the document's canonical form (keys sorted at every level, nulls and the checksum
   * left out, compact), which is what the model-file format defines.
   */
  public static String resign(String json) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(json);
    node.remove("sha256");
    byte[] canonical = JSON.writeValueAsBytes(canonical(node));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    node.put("sha256", sha);
    return node.toString();
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isNull()) {
          sorted.put(e.getKey(), canonical(e.getValue()));
        }
      }
      ObjectNode out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(n -> out.add(canonical(n)));
      return out;
    }
    return node;
  }
}
