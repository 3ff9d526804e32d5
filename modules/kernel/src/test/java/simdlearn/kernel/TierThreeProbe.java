package simdlearn.kernel;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Run in a child JVM by {@link TierThreeCompileTest}: calls every plain {@code @Test} method of
 * the test classes named in its arguments, so that each vector kernel they reach is compiled;
 * prints {@code FAILED} and the method for one that fails.
 */
public final class TierThreeProbe {
  private TierThreeProbe() {}

  public static void main(String[] args) throws Exception {
    for (String name : args) {
      Constructor<?> make = Class.forName(name).getDeclaredConstructor();
      make.setAccessible(true);
      Object tests = make.newInstance();
      for (Method m : tests.getClass().getDeclaredMethods()) {
        if (m.isAnnotationPresent(Test.class) && m.getParameterCount() == 0) {
          m.setAccessible(true);
          try {
            m.invoke(tests);
          } catch (InvocationTargetException e) {
            System.out.println("FAILED " + name + "." + m.getName() + ": " + e.getCause());
          }
        }
      }
    }
  }
}
