package simdlearn.app;

/** Text from files (class names from a model) made safe to print on a terminal. */
final class Printable {
  private Printable() {}

  /**
   * {@code s} with control characters (terminal escapes among them) and invisible format
   * characters (bidirectional overrides) replaced by {@code ?}.
   */
  static String of(String s) {
    if (s == null) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT ? '?' : c));
    return sb.toString();
  }
}
