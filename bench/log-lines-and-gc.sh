#!/usr/bin/env bash
# Backs two README figures with a run anyone can repeat (bench/results/log-lines-and-gc.md):
# event-log lines per IAMAT for both herds, and the Java servers' G1 pauses under load.
#
# Starts each herd as the comparison does (one process per server, the default five servers
# and six links, free loopback ports, event logs on), runs two bench scenarios against it
#   roundtrip  one client, one IAMAT at a time on Goloman, each flooded alone   (--duration RT)
#   throughput 50 clients x 4 IAMATs in flight on Goloman                      (--duration TP)
# and counts the log lines each herd wrote during each scenario, per kind, divided by the
# IAMATs its clients sent (the client IAMAT "IN" lines). The Java servers run with
# -Xlog:gc (nothing else added), so their GC pauses are kept too. Not warmed up like the
# comparison's 20 s: the JIT is still at work in the first seconds.
#
#   bench/log-lines-and-gc.sh [OUT_DIR]     (after mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/herd-config.sh
out=${1:-$(mktemp -d /tmp/herd-log-lines.XXXXXX)}
RT=${RT:-5}
TP=${TP:-10}
names=(Goloman Hands Holiday Welsh Wilkes)
declare -A neighbours=([Goloman]="Hands Holiday Wilkes" [Hands]="Goloman Wilkes"
  [Holiday]="Goloman Welsh Wilkes" [Welsh]="Holiday" [Wilkes]="Goloman Hands Holiday")

now() { date -u +%Y-%m-%dT%H:%M:%S.%6NZ; }

# lines logged in [from, to) in every log of $1: total, then per kind
count() {
  local logs=$1 from=$2 to=$3
  cat "$logs"/*.log | awk -v f="$from" -v t="$to" '$1 >= f && $1 < t'
}

report() {
  local herd=$1 what=$2 logs=$3 from=$4 to=$5
  local lines iamats
  lines=$(count "$logs" "$from" "$to" | wc -l)
  iamats=$(count "$logs" "$from" "$to" | awk '$2 == "IN" && $3 ~ /^client\// && $4 == "IAMAT"' | wc -l)
  echo "### $herd, $what"
  echo
  echo "$lines lines for $iamats client IAMATs: $(awk -v l="$lines" -v i="$iamats" 'BEGIN { printf "%.1f", l / i }') lines per IAMAT"
  echo
  echo '```'
  count "$logs" "$from" "$to" | awk '{ n[$2]++ } END { for (k in n) printf "%8d %-10s %.2f per IAMAT\n", n[k], k, n[k] / '"$iamats"' }' | sort -k2
  echo '```'
  echo
}

run_herd() {
  local herd=$1
  local dir=$out/$herd
  mkdir -p "$dir/logs"
  write_herd_config "$dir" "$dir/logs"
  local pids=()
  for name in "${names[@]}"; do
    if [ "$herd" = java ]; then
      java "-Xlog:gc:file=$dir/gc-$name.log:utctime,uptime,level,tags" -jar launcher/target/launcher.jar "$name" \
        --config "$dir/herd.json" >"$dir/$name.out" 2>&1 &
    else
      /usr/bin/python3 bench/asyncio-herd/server.py "$name" --config "$dir/herd.json" >"$dir/$name.out" 2>&1 &
    fi
    pids+=($!)
  done
  # every server's log shows every one of its links up (30 s at most)
  local deadline=$((SECONDS + 30)) ready
  while :; do
    ready=1
    for name in "${names[@]}"; do
      for peer in ${neighbours[$name]}; do
        grep -q " PEER_UP peer/$peer" "$dir/logs/$name.log" 2>/dev/null || ready=0
      done
    done
    [ $ready = 1 ] && break
    [ $SECONDS -lt $deadline ] || { echo "$herd: links not up within 30 s (see $dir)" >&2; kill "${pids[@]}"; exit 3; }
    sleep 0.2
  done
  local t0 t1 t2
  t0=$(now)
  java -jar bench/target/bench.jar roundtrip --config "$dir/herd.json" --duration "$RT" >"$dir/roundtrip.txt"
  t1=$(now)
  java -jar bench/target/bench.jar throughput --config "$dir/herd.json" --duration "$TP" >"$dir/throughput.txt"
  t2=$(now)
  sleep 1 # the logs are flushed every 10 ms (Java) and 100 ms (asyncio); lines after t2 are not counted anyway
  kill "${pids[@]}"
  wait "${pids[@]}" 2>/dev/null || true
  report "$herd" "roundtrip ($RT s, bench.jar roundtrip)" "$dir/logs" "$t0" "$t1"
  echo "bench output: $(tr '\n' ';' <"$dir/roundtrip.txt")"
  echo
  report "$herd" "throughput ($TP s, bench.jar throughput, 50 x 4 on Goloman)" "$dir/logs" "$t1" "$t2"
  echo "bench output: $(tr '\n' ';' <"$dir/throughput.txt")"
  echo
  if [ "$herd" = java ]; then
    echo "### java, G1 pauses during the throughput scenario ($t1 to $t2), per server"
    echo
    echo '```'
    for name in "${names[@]}"; do
      # [2026-12-03T18:19:14.123+0000][3.456s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->8M(256M) 4.567ms
      awk -v f="${t1:0:19}" -v t="${t2:0:19}" -v n="$name" '
        /Pause/ { ts = substr($1, 2, 19); if (ts >= f && ts <= t) { ms = $NF; sub(/ms$/, "", ms); ms += 0; c++; s += ms;
                  if (c == 1 || ms < lo) lo = ms; if (ms > hi) hi = ms } }
        END { if (c) printf "%-8s %3d pauses, %6.1f ms to %6.1f ms, %7.1f ms in all\n", n, c, lo, hi, s;
              else printf "%-8s no pause\n", n }' "$dir/gc-$name.log"
    done
    echo
    for name in "${names[@]}"; do
      awk -v f="${t1:0:19}" -v t="${t2:0:19}" -v n="$name" \
        '/Pause/ { ts = substr($1, 2, 19); if (ts >= f && ts <= t) print n ": " $0 }' "$dir/gc-$name.log"
    done
    echo '```'
    echo
  fi
}

echo "# Event-log lines per IAMAT, and the Java servers' G1 pauses"
echo
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), $(/usr/bin/python3 --version)."
echo "Command: bench/log-lines-and-gc.sh (RT=$RT TP=$TP); files in $out"
echo
run_herd java
run_herd asyncio
