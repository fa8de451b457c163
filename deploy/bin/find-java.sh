#!/usr/bin/env bash
# Prints the home of a JDK >= $1 (default 21): JAVA_HOME first, then `java` on PATH, then the usual install places.
# With $2 = jre a Java runtime without javac is enough (the binary distribution only runs, it never compiles).
# Exits 1 with a message on stderr when none is found. Sourced by ./subnet and .ci/run; usable on its own.
set -u
want="${1:-21}"
kind="${2:-jdk}"

java_major() { # $1 = path to a java binary
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | sed 's/^1\.//'
}

candidates() {
  [ -n "${JAVA_HOME:-}" ] && echo "$JAVA_HOME"
  if command -v java >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
  fi
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && echo "$d"
  done
}

best=""; best_major=0
while IFS= read -r home; do
  [ -x "$home/bin/java" ] || continue
  [ "$kind" = jre ] || [ -x "$home/bin/javac" ] || continue
  major=$(java_major "$home/bin/java")
  case "$major" in ''|*[!0-9]*) continue ;; esac
  # Prefer the first JDK that qualifies in precedence order; JAVA_HOME wins when it is new enough.
  if [ "$major" -ge "$want" ] && [ "$best_major" -eq 0 ]; then best="$home"; best_major="$major"; fi
done < <(candidates)

if [ -z "$best" ]; then
  what=JDK; [ "$kind" = jre ] && what=Java
  echo "subnet needs a $what $want or newer, and none was found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm," >&2
  echo "/usr/java, /opt/java, ~/.sdkman, ~/.jdks). Install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME." >&2
  exit 1
fi
echo "$best"
