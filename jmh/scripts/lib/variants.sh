# Sourced by the scripts that alternate variants: "ROUNDS VARIANT... [-- TRAIN ARGS...]" into
# ROUNDS, the VARIANTS array and the EXTRA array (train arguments).
parse_variants() {
  ROUNDS=$1
  shift
  VARIANTS=()
  EXTRA=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; EXTRA=("$@"); break; fi
    VARIANTS+=("$1")
    shift
  done
}
