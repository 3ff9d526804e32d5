package simdlearn.optim;

import java.util.List;

/**
 * Updates parameters in place from their gradients.
 *
 * <p>Life cycle: {@link #init} once with the parameters (allocates the state: momentum buffers,
 * Adam moments), then {@link #step} once per minibatch, {@link #reset} to forget the state (step
 * count back to 0). {@link #state} and {@link #restore} save and load the state; {@link #copy}
 * gives a new optimizer with the same settings and no state. Not thread-safe: one trainer steps it.
 *
 * <p>The effective gradient of a step is {@code gradScale * grad}: pass {@code 1 / batchSize} when
 * the loss was summed (d2l's {@code sgd}: {@code param -= lr * grad / batch_size}), and 1 when it
 * was averaged (PyTorch's optimizers on a mean loss). Weight decay is decoupled (SGDW, AdamW):
 * {@code param *= 1 - lr * weightDecay} before the gradient step, for the parameters that
 * {@linkplain Parameter#decays() decay} (weights, not biases); for plain SGD this equals an L2
 * penalty {@code weightDecay / 2 * ||w||^2} in the loss, which is how d2l 4.5 introduces it.
 */
public interface Optimizer {
  /** Short name, e.g. {@code sgd}, {@code momentum}, {@code adam}. */
  String name();

  void init(List<Parameter> parameters);

  /** One step of every parameter: {@link #beginStep}, then {@link #stepRange} over each whole. */
  void step(float lr, float gradScale);

  /**
   * Starts a step taken in ranges (a trainer updating parts of its parameters in parallel, each
   * where its gradient was just summed): checks {@code lr} and counts the step. Then
   * {@link #stepRange} must cover every element of every parameter once before the next step.
   */
  void beginStep(float lr);

  /**
   * Updates elements {@code [from, from + n)} of parameter {@code parameter} (index in the list
   * given to {@link #init}) as {@link #step} does, weight decay included. Ranges of one step may
   * run on different threads at once when they do not overlap. An element's result does not
   * depend on the range it came in when ranges start at multiples of the vector length and end
   * at one or at the parameter's end (the kernels' scalar tails round some updates differently).
   */
  void stepRange(int parameter, int from, int n, float lr, float gradScale);

  void reset();

  /** Steps taken since init or reset. */
  long steps();

  OptimizerState state();

  void restore(OptimizerState state);

  Optimizer copy();

  /** Every hyperparameter, e.g. {@code sgd(momentum=0.9, nesterov=false, weightDecay=0.0)}. */
  @Override
  String toString();
}
