# Shared shell logic for bin/simdlearn and .ci/run: find a JDK 25 and Maven.
# Sourced, not run. Sets JAVA_HOME and exports it; prints one clear line and returns 1 on failure.

SIMDLEARN_MIN_JAVA=25

# Prints the feature version (e.g. 25) of the JDK at $1, read from its release file (no JVM start,
# and only shell builtins: the launcher runs this on every command).
simdlearn_jdk_version() {
  local release="$1/release" line v=""
  [ -x "$1/bin/java" ] && [ -f "$release" ] || return 1
  while IFS= read -r line; do
    case "$line" in
      JAVA_VERSION=\"*)
        v=${line#JAVA_VERSION=\"}
        v=${v%%[!0-9]*}
        break
        ;;
    esac
  done <"$release"
  [ -n "$v" ] && printf '%s\n' "$v"
}

# Finds a JDK >= 25: $JAVA_HOME first, then the newest under /usr/lib/jvm.
simdlearn_find_jdk() {
  local v candidate best="" best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(simdlearn_jdk_version "$JAVA_HOME") || v=""
    if [ -n "$v" ] && [ "$v" -ge "$SIMDLEARN_MIN_JAVA" ]; then
      export JAVA_HOME
      return 0
    fi
    echo "simdlearn: JAVA_HOME=$JAVA_HOME is ${v:+JDK $v, }not a JDK $SIMDLEARN_MIN_JAVA or newer; looking under /usr/lib/jvm" >&2
  fi
  for candidate in /usr/lib/jvm/*; do
    v=$(simdlearn_jdk_version "$candidate") || continue
    if [ "$v" -ge "$SIMDLEARN_MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then
      best="$candidate"
      best_v="$v"
    fi
  done
  if [ -z "$best" ]; then
    echo "simdlearn: no JDK $SIMDLEARN_MIN_JAVA found (JAVA_HOME is ${JAVA_HOME:-unset}, none under /usr/lib/jvm). Install one, e.g. Temurin 25, and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}

# Finds Maven (mvn on PATH). Maven runs on $JAVA_HOME; its own Unsafe warnings are silenced.
simdlearn_find_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "simdlearn: Maven (mvn) is not on PATH. Install it (Debian: apt-get install maven) and try again." >&2
    return 1
  fi
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
}
