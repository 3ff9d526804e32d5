package simdlearn.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import simdlearn.train.Trainer;

/**
 * SIGINT (Ctrl-C) and SIGTERM during {@code train}, through a shutdown hook: the hook asks the
 * running trainer to stop after its current minibatch and waits (at most {@value #GRACE_SECONDS}
 * s) while the command writes the summary with status {@code interrupted}, the model of the last
 * completed epoch and the checkpoint; then the JVM exits with the signal's status (130 or 143).
 */
final class Interrupts {
  static final int GRACE_SECONDS = 30;
  /** The conventional status of a run stopped by a signal (SIGINT's); the JVM sets the real one. */
  static final int INTERRUPTED = 130;

  private static volatile boolean received;
  private static volatile Trainer trainer;
  private static final CountDownLatch FINISHED = new CountDownLatch(1);

  private Interrupts() {}

  /** Installs the hook (once per process, for {@code train}). */
  static void install() {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("simdlearn-interrupt")
        .unstarted(Interrupts::onShutdown));
  }

  private static void onShutdown() {
    if (FINISHED.getCount() == 0) {
      return; // an ordinary exit: the command is done
    }
    received = true;
    Trainer t = trainer;
    if (t != null) {
      t.requestStop("signal");
    }
    try {
      FINISHED.await(GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command has written what it will write: the hook may let the JVM exit. */
  static void finished() {
    FINISHED.countDown();
  }

  /** The trainer to stop on a signal (null when none runs). */
  static void watch(Trainer t) {
    trainer = t;
    if (t != null && received) {
      t.requestStop("signal");
    }
  }

  /** Whether a signal arrived. */
  static boolean received() {
    return received;
  }
}
