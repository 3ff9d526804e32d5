package simdlearn.app;

import picocli.CommandLine;

/** {@code --version} of every command: the module's version, Java's, and the vector kernels. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    Module m = Version.class.getModule();
    String v = m.getDescriptor() == null ? "dev" : m.getDescriptor().rawVersion().orElse("dev");
    return new String[] {"simdlearn " + v + " (Java " + Runtime.version() + ", "
        + System.getProperty("java.vm.name") + ")"};
  }
}
