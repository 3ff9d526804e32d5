/**
 * What simdlearn's commands share on a console: whether output goes to a terminal, how wide it
 * is, and progress bars that fit it.
 */
module simdlearn.console {
  requires transitive me.tongfei.progressbar;

  exports simdlearn.console;
}
