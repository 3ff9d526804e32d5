/** A small library built on simdlearn's kernel. */
module com.example.consumer {
  requires simdlearn.kernel;

  exports com.example.consumer;
}
