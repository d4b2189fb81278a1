# Sourced by ./mvnw, ./vigil and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: JAVA_HOME if it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm.

vigil_java_major() {
  # prints the feature version of the JDK at $1 (e.g. 25), or nothing
  local release="$1/release"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  fi
}

vigil_find_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(vigil_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      return 0
    fi
  fi
  local best="" best_major=0 candidate
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    major=$(vigil_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "vigil: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
    echo "vigil: install one, e.g. 'apt-get install openjdk-21-jdk' or a Temurin 21+ JDK, or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
