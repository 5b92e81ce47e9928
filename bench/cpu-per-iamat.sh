#!/usr/bin/env bash
# The quick, repeatable figure of issue 11: herd CPU time per IAMAT, Java against asyncio, in
# the same run. Prints replies/s, CPU us per IAMAT (user + system of all five server processes)
# and the Java / asyncio ratio; optionally profiles Goloman (async-profiler) and its allocation
# per IAMAT (JFR) in a separate, unmeasured load.
#
# For each herd in turn (Java first, then asyncio):
#   - the default five servers and six links, one process per server, on free ports of
#     127.0.0.1, event logs on (in a temporary folder), no Places key (offline provider):
#       java -jar launcher/target/launcher.jar NAME --config F        (no JVM options)
#       /usr/bin/python3 bench/asyncio-herd/server.py NAME --config F
#   - waits until every server's log shows every one of its links up (PEER_UP),
#   - runs `bench.jar throughput --server Goloman --clients 50 --depth 4 --duration D` once as
#     warm-up (not counted) and once measured,
#   - reads utime + stime of the five processes from /proc/PID/stat before and after the
#     measured bench command, and counts the client IAMATs Goloman logged in between
#     ("IN client/... IAMAT" lines). CPU per IAMAT = CPU time / those IAMATs, so the bench's
#     own 1 s of warm-up and its audit (50 WHATSATs) fall inside the window on both herds alike.
#     replies/s is the bench's own figure (measured seconds only).
# With PROFILE_DIR set, the Java herd then gets one more load of PROFILE_SECONDS (not
# measured): async-profiler (cpu, per thread) attached to Goloman with jcmd, and a JFR
# recording of jdk.ThreadAllocationStatistics only (also started with jcmd, no JVM flag), so
# it prints Goloman's CPU samples by thread, the event log's share of the samples outside the
# JIT compiler's threads and its CPU per IAMAT, and Goloman's bytes allocated per IAMAT.
# Collapsed stacks are left in PROFILE_DIR.
#
#   bench/cpu-per-iamat.sh                                  # build, then 20 s measured per herd
#   DURATION=10 SKIP_BUILD=1 bench/cpu-per-iamat.sh
#   PROFILE_DIR=/tmp/prof ASYNC_PROFILER=/path/libasyncProfiler.so bench/cpu-per-iamat.sh
#
# async-profiler: tools.profiler:async-profiler:3.0 from Maven Central holds
# linux-x64/libasyncProfiler.so (mvn dependency:get -Dartifact=tools.profiler:async-profiler:3.0,
# then unzip the jar from ~/.m2). The machine is shared: note `uptime` with any figure.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/herd-config.sh
DURATION=${DURATION:-20}
PROFILE_SECONDS=${PROFILE_SECONDS:-15}
HUB=Goloman
names=(Goloman Hands Holiday Welsh Wilkes)
declare -A neighbours=([Goloman]="Hands Holiday Wilkes" [Hands]="Goloman Wilkes"
  [Holiday]="Goloman Welsh Wilkes" [Welsh]="Holiday" [Wilkes]="Goloman Hands Holiday")

if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -o -DskipTests package
fi

work=$(mktemp -d /tmp/herd-cpu-per-iamat.XXXXXX)
pids=()
stop_herd() {
  if [ ${#pids[@]} -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  pids=()
}
trap 'stop_herd; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# utime + stime of the herd's processes, in clock ticks (USER_HZ = 100)
cpu_ticks() {
  local total=0 pid stat f
  for pid in "${pids[@]}"; do
    stat=$(<"/proc/$pid/stat")
    read -r -a f <<<"${stat##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

client_iamats() { grep -c -E '^[^ ]+ IN client/[^ ]+ IAMAT ' "$1" || true; }

# throughput at the hub: prints the bench's replies/s
bench_throughput() {
  local dir=$1 seconds=$2 out=$3
  java -jar bench/target/bench.jar throughput --config "$dir/herd.json" --server "$HUB" \
    --clients 50 --depth 4 --duration "$seconds" >"$out" 2>&1 || {
    echo "bench failed ($out):" >&2; cat "$out" >&2; exit 3; }
  # "replies/s: 31,608/s" or similar: the first figure on the line that names replies
  grep -m1 -i 'replies' "$out" | grep -o -E '[0-9][0-9,]*(\.[0-9]+)?' | head -1 | tr -d ,
}

declare -A rate cpu_us

run_herd() {
  local herd=$1 dir=$work/$1
  mkdir -p "$dir/logs"
  write_herd_config "$dir" "$dir/logs"
  for name in "${names[@]}"; do
    if [ "$herd" = java ]; then
      java -jar launcher/target/launcher.jar "$name" --config "$dir/herd.json" >"$dir/$name.out" 2>&1 &
    else
      /usr/bin/python3 bench/asyncio-herd/server.py "$name" --config "$dir/herd.json" >"$dir/$name.out" 2>&1 &
    fi
    pids+=($!)
  done
  local deadline=$((SECONDS + 60)) ready
  while :; do
    ready=1
    for name in "${names[@]}"; do
      for peer in ${neighbours[$name]}; do
        grep -q " PEER_UP peer/$peer" "$dir/logs/$name.log" 2>/dev/null || ready=0
      done
    done
    [ $ready = 1 ] && break
    [ $SECONDS -lt $deadline ] || { echo "$herd: links not up within 60 s (see $dir)" >&2; exit 3; }
    sleep 0.2
  done

  bench_throughput "$dir" "$DURATION" "$dir/warmup.txt" >/dev/null
  sleep 1 # logs are written within 10 ms (Java) / 100 ms (asyncio)
  local c0 n0 c1 n1 r
  n0=$(client_iamats "$dir/logs/$HUB.log")
  c0=$(cpu_ticks)
  r=$(bench_throughput "$dir" "$DURATION" "$dir/measured.txt")
  c1=$(cpu_ticks)
  sleep 1
  n1=$(client_iamats "$dir/logs/$HUB.log")
  rate[$herd]=$r
  cpu_us[$herd]=$(awk -v c=$((c1 - c0)) -v n=$((n1 - n0)) 'BEGIN { printf "%.1f", c * 10000 / n }')
  echo "$herd: $((n1 - n0)) IAMATs at $HUB, $((c1 - c0)) ticks of herd CPU; bench: $(grep -v '^$' "$dir/measured.txt" | tr '\n' ';')"

  if [ "$herd" = java ] && [ -n "${PROFILE_DIR:-}" ]; then
    profile_hub "$dir" "${pids[0]}"
  fi
  stop_herd
}

# (jcmd splits its arguments at '=': the agent's options need quotes of their own.)
# One more load on the Java herd: async-profiler and JFR allocation statistics on the hub.
profile_hub() {
  local dir=$1 pid=$2 lib=${ASYNC_PROFILER:-/tmp/ap/linux-x64/libasyncProfiler.so}
  mkdir -p "$PROFILE_DIR"
  cat >"$dir/alloc.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocation totals">
  <event name="jdk.ThreadAllocationStatistics">
    <setting name="enabled">true</setting>
    <setting name="period">everyChunk</setting>
  </event>
</configuration>
EOF
  jcmd "$pid" JFR.start name=alloc settings="$dir/alloc.jfc" >/dev/null
  jcmd "$pid" JVMTI.agent_load "$lib" '"start,event=cpu,interval=1ms,threads"' >/dev/null
  local n0 n1
  n0=$(client_iamats "$dir/logs/$HUB.log")
  bench_throughput "$dir" "$PROFILE_SECONDS" "$dir/profiled.txt" >/dev/null
  jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$PROFILE_DIR/$HUB.collapsed,collapsed\"" >/dev/null
  jcmd "$pid" JFR.stop name=alloc filename="$PROFILE_DIR/$HUB-alloc.jfr" >/dev/null
  sleep 1
  n1=$(client_iamats "$dir/logs/$HUB.log")
  jfr print --json --events jdk.ThreadAllocationStatistics "$PROFILE_DIR/$HUB-alloc.jfr" >"$dir/alloc.json"
  /usr/bin/python3 - "$dir/alloc.json" $((n1 - n0)) "$PROFILE_DIR/$HUB.collapsed" <<'EOF'
import json, re, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
iamats = int(sys.argv[2])
first, last = {}, {}
for e in sorted(events, key=lambda e: e["values"]["startTime"]):
    v = e["values"]
    tid = v["thread"]["javaThreadId"]
    first.setdefault(tid, v["allocated"])
    last[tid] = v["allocated"]
allocated = sum(last[t] - first[t] for t in last)  # a thread started meanwhile is not counted (no sample at the start)
print(f"Goloman allocated {allocated / 1e6:.1f} MB over {iamats} IAMATs: {allocated / max(1, iamats):,.0f} bytes per IAMAT")
# cpu samples, one per 1 ms of CPU; the first frame is the thread ("[NioProcessor-2 tid=123]")
INTERVAL_US = 1000
total = log = jit = 0
threads = {}
pattern = re.compile(r"herd/engine/eventlog/|herd/engine/node/NodeEvents|herd/engine/EventLogFormat|herd/engine/HerdEvent|herd/engine/Party\.toString")
for line in open(sys.argv[3]):
    stack, _, n = line.rstrip("\n").rpartition(" ")
    n = int(n)
    total += n
    thread = re.sub(r"[0-9]+", "N", re.sub(r" tid=[0-9]+\]", "]", stack.split(";", 1)[0]))
    threads[thread] = threads.get(thread, 0) + n
    if "CompilerThre" in thread:
        jit += n  # the JIT compiler still at work: not the herd's steady cost
    elif pattern.search(stack):
        log += n
work = max(1, total - jit)
print(f"Goloman CPU samples: {total} ({INTERVAL_US} us each); by thread: "
      + ", ".join(f"{t} {100 * c / total:.0f}%" for t, c in sorted(threads.items(), key=lambda x: -x[1])[:5]))
print(f"event log (eventlog, NodeEvents, EventLogFormat, HerdEvent, Party.toString): {log} samples, "
      f"{100 * log / work:.1f}% of the samples outside JIT compiler threads, "
      f"{log * INTERVAL_US / max(1, iamats):.2f} us of Goloman CPU per IAMAT")
EOF
}

echo "# herd CPU per IAMAT, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run_herd java
run_herd asyncio
echo
echo "| herd | replies/s | herd CPU us per IAMAT (5 processes) |"
echo "|---|---:|---:|"
echo "| Java/MINA | ${rate[java]} | ${cpu_us[java]} |"
echo "| asyncio | ${rate[asyncio]} | ${cpu_us[asyncio]} |"
awk -v j="${cpu_us[java]}" -v a="${cpu_us[asyncio]}" -v rj="${rate[java]}" -v ra="${rate[asyncio]}" \
  'BEGIN { printf "\nJava / asyncio: CPU per IAMAT %.2fx, replies/s %.2fx (load average after: %s)\n", j / a, rj / ra, "'"$(cut -d' ' -f1-3 /proc/loadavg)"'" }'
