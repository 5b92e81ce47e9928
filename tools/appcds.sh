#!/usr/bin/env bash
# Builds launcher/target/launcher.jsa, an AppCDS archive of the classes launcher.jar loads
# to start a server, answer a report and stop. A later start that names it,
#   java -XX:SharedArchiveFile=launcher/target/launcher.jsa -jar launcher/target/launcher.jar Welsh
# maps those classes from the archive instead of loading and verifying them (README,
# "Start-up"). Rebuild it after every build of the jar: the JVM ignores an archive made
# for another jar, with a warning, and starts as without it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/launcher/target/launcher.jar
jsa=$root/launcher/target/launcher.jsa
[ -f "$jar" ] || { echo "appcds: $jar not found; run mvn -B -DskipTests package first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  printf '{"servers": {"Welsh": {"host": "127.0.0.1", "port": %d}}, "places": {"provider": "offline"}, "logDir": "logs"}\n' \
    "$port" > "$work/herd.json"
  (cd "$work" && exec java -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=error -jar "$jar" Welsh --config herd.json) 2> "$work/err" &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q '^herd: running' "$work/err" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if grep -q '^herd: running' "$work/err"; then
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'IAMAT appcds.training +34.068930-118.445127 1520023934.918963997\n' >&3
    read -r reply <&3 || true
    exec 3<&-
    kill -TERM "$pid"
    wait "$pid" || true
    [ -f "$jsa" ] || { echo "appcds: the JVM wrote no archive; its output:" >&2; cat "$work/err" >&2; exit 1; }
    echo "appcds: wrote $jsa ($(du -h "$jsa" | cut -f1)); start with java -XX:SharedArchiveFile=$jsa -jar $jar NAME"
    exit 0
  fi
  wait "$pid" 2>/dev/null || true
  grep -q 'address already in use' "$work/err" || { echo "appcds: the training server did not start:" >&2; cat "$work/err" >&2; exit 1; }
done
echo "appcds: no free port found in 5 tries" >&2
exit 1
