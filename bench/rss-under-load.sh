#!/usr/bin/env bash
# Issue 11's memory target: resident memory of each Java server under a minute of load with the
# default collector (plain `java -jar launcher/target/launcher.jar NAME --config F`, no JVM flags).
# Starts the default five servers (one process each, offline Places, event logs on, in a temporary
# folder), waits for every link, then runs `bench.jar throughput --server Goloman --clients 50
# --depth 4` for DURATION seconds (60), then `--spread` for as long again (loads 1 and 2), sampling VmRSS of every
# server each second. Prints, per server: RSS after start, the highest RSS seen, RSS at the end.
#
#   bench/rss-under-load.sh                 # build first
#   DURATION=30 SKIP_BUILD=1 bench/rss-under-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/herd-config.sh
DURATION=${DURATION:-60}
names=(Goloman Hands Holiday Welsh Wilkes)
[ -n "${SKIP_BUILD:-}" ] || mvn -B -ntp -q -o -DskipTests package

work=$(mktemp -d /tmp/herd-rss.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
write_herd_config "$work" "$work/logs"
for n in "${names[@]}"; do
  java -jar launcher/target/launcher.jar "$n" --config "$work/herd.json" >"$work/$n.out" 2>&1 &
  pids+=($!)
done
# Every server has every link: 12 PEER_UP lines in all (six links, both ends).
deadline=$((SECONDS + 60))
until [ "$(cat "$work"/logs/*.log 2>/dev/null | grep -c ' PEER_UP ')" -ge 12 ]; do
  [ $SECONDS -lt $deadline ] || { echo "links did not come up" >&2; exit 3; }
  sleep 0.2
done
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
declare -A start max
for i in "${!names[@]}"; do start[${names[$i]}]=$(rss "${pids[$i]}"); max[${names[$i]}]=0; done
sample() {
  while :; do
    for i in "${!names[@]}"; do
      r=$(rss "${pids[$i]}" 2>/dev/null || echo 0)
      echo "${names[$i]} $r $(cat "$work/phase")"
    done
    sleep 1
  done
}
echo 1 >"$work/phase"
sample >"$work/samples" &
sampler=$!
java -jar bench/target/bench.jar throughput --config "$work/herd.json" --server Goloman \
  --clients 50 --depth 4 --duration "$DURATION" | tail -3
echo 2 >"$work/phase"
java -jar bench/target/bench.jar throughput --config "$work/herd.json" --spread \
  --clients 50 --depth 4 --duration "$DURATION" | tail -3
kill "$sampler"; wait "$sampler" 2>/dev/null || true
# If memory is bounded, the second minute's highest is no higher than the first's.
printf '%-8s %12s %16s %16s %12s\n' server 'after start' 'highest, load 1' 'highest, load 2' 'at the end'
for i in "${!names[@]}"; do
  n=${names[$i]}
  hi1=$(awk -v n="$n" '$1 == n && $3 == 1 && $2 > m {m = $2} END {print m + 0}' "$work/samples")
  hi2=$(awk -v n="$n" '$1 == n && $3 == 2 && $2 > m {m = $2} END {print m + 0}' "$work/samples")
  printf '%-8s %9d MB %13d MB %13d MB %9d MB\n' "$n" $((start[$n] / 1024)) $((hi1 / 1024)) \
    $((hi2 / 1024)) $(($(rss "${pids[$i]}") / 1024))
done
