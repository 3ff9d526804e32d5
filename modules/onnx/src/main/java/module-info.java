/**
 * Export of trained models as ONNX files, for ONNX Runtime, PyTorch, a Java service or a browser:
 * {@link simdlearn.onnx.ModelExport}. The protobuf messages are protoc's classes from ONNX's own
 * {@code onnx.proto}, generated at build time into a package that is not exported, so that
 * protobuf-java stays out of this module's API and out of the kernel.
 */
module simdlearn.onnx {
  requires transitive simdlearn.train;
  requires com.google.protobuf;
  requires com.fasterxml.jackson.databind; // class names as JSON in the metadata

  exports simdlearn.onnx;
}
