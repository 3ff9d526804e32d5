package simdlearn.app;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for an error that reaches the command line: what is wrong, with the file it concerns.
 * The JDK's file-system exceptions carry only a path as their message
 * ({@code NoSuchFileException: /x}), which alone tells a user nothing; they are said in words.
 */
final class Errors {
  private Errors() {}

  /** The line to print for {@code e} (unwrapping an {@link UncheckedIOException}). */
  static String oneLine(Throwable e) {
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    if (t instanceof FileSystemException f) {
      return Printable.of(describe(f));
    }
    // Messages quote files' contents (class names, fields, paths): no escape reaches the terminal.
    return Printable.of(t.getMessage() == null ? t.toString() : t.getMessage());
  }

  static String describe(FileSystemException f) {
    String file = f.getFile();
    String other = f.getOtherFile() == null ? "" : " (to " + f.getOtherFile() + ")";
    return switch (f) {
      case NoSuchFileException e -> file + other + ": no such file or directory";
      case FileAlreadyExistsException e -> file + other + " already exists";
      case NotDirectoryException e -> file + " is not a directory";
      case DirectoryNotEmptyException e -> file + " is a directory that is not empty";
      case AccessDeniedException e -> file + other + ": permission denied";
      default -> file + other + ": "
          + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
    };
  }
}
