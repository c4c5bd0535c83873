# Sourced by .ci/run and ./kiln: exports JAVA_HOME and PATH for a JDK 25, preferring Temurin under
# /usr/lib/jvm, then an existing JAVA_HOME or the java on the PATH when it is 25 or newer.
kiln_pick_jdk() {
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25*; do
    if [[ -x "$candidate/bin/javac" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" ]] \
        && "$candidate/bin/java" -version 2>&1 | head -1 | grep -Eq '"(2[5-9]|[3-9][0-9])'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

JAVA_HOME="$(kiln_pick_jdk)" || { echo "no JDK 25 found (looked under /usr/lib/jvm, JAVA_HOME and PATH): install Temurin 25" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
