package simdlearn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An exported file run in ONNX Runtime (one thread), as a user's service would run it. */
final class OnnxRun implements AutoCloseable {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OnnxRun(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      this.session = ENV.createSession(model, options);
    }
  }

  OrtSession session() {
    return session;
  }

  /**
   * Every output of the graph for the {@code n} rows of {@code x} (row-major, each of
   * {@code dims}' size), flattened, by output name.
   */
  Map<String, float[]> run(float[] x, int n, List<Integer> dims) throws OrtException {
    long[] shape = new long[dims.size() + 1];
    shape[0] = n;
    for (int i = 0; i < dims.size(); i++) {
      shape[i + 1] = dims.get(i);
    }
    Map<String, float[]> outputs = new LinkedHashMap<>();
    try (OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), shape);
        OrtSession.Result result = session.run(Map.of(ModelExport.INPUT, input))) {
      for (var e : result) {
        FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
        float[] values = new float[b.remaining()];
        b.get(values);
        outputs.put(e.getKey(), values);
      }
    }
    return outputs;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
