#!/usr/bin/env bash
# herd-netns.sh — the default five-server herd as five "hosts": one Linux network namespace
# per server, joined by one veth pair per configured link, so that a link can be killed at
# the network layer (`ip link set ... down`) instead of by the engine's own cutLink().
#
#   herd-netns.sh up [--config-out FILE] [--listen ADDR]
#                                          build namespaces, links, routes and the herd config; with
#                                          --listen, every server binds ADDR (0.0.0.0: all its
#                                          interfaces) and is still dialled at its host address
#   herd-netns.sh start [--jar JAR]        run `java -jar JAR NAME --config CFG` in each namespace
#   herd-netns.sh client [--from PEER] NAME LINE...
#                                          send lines to NAME from inside its namespace (or from
#                                          PEER's, to NAME's address on their link), print the reply
#   herd-netns.sh cut A B                  take the A–B link down at both ends
#   herd-netns.sh restore A B              bring it back up (and its routes)
#   herd-netns.sh status                   namespaces, servers, links, where the logs are
#   herd-netns.sh stop                     stop the servers
#   herd-netns.sh down                     stop the servers and delete the namespaces (idempotent)
#
# Needs root, iproute2 with `ip netns`, java, /usr/bin/python3. Everything it creates lives
# inside the namespaces it creates: addresses are 10.77.0.0/16 on interfaces that exist only
# there, no namespace has a default route, and nothing is attached to the host's own network,
# so no packet of an experiment can leave the machine.
#
# Environment:
#   HERD_NETNS_PREFIX  namespace names are PREFIX<Server> (default "herd-"); runs with
#                      different prefixes can coexist on one machine
#   HERD_NETNS_DIR     state folder: generated config, server pids, stdout/stderr, event logs
#                      (default ${TMPDIR:-/tmp}/<PREFIX>netns)
#   JAVA               java binary for `start` (default: java on PATH)
#   HERD_JAVA_OPTS     JVM options for each server (default "-Xmx256m")
#   HERD_COOKIE_FILE   the servers' cookie, for peer authentication (default $HERD_NETNS_DIR/cookie,
#                      made by the first server: the five "hosts" share it, as the machines of a
#                      real herd share a copied one)
set -euo pipefail

PREFIX=${HERD_NETNS_PREFIX:-herd-}
STATE=${HERD_NETNS_DIR:-${TMPDIR:-/tmp}/${PREFIX}netns}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEFAULT_JAR="$HERE/../../launcher/target/launcher.jar"

# The default herd (SPEC §1). Server n (1-based, in this order) listens on 10.77.0.n, port
# 12010 + n - 1 (as in the default config); link k (1-based, in this order) is the subnet 10.77.k.0/30: its first-named end is
# 10.77.k.1, the other 10.77.k.2.
NAMES=(Goloman Hands Holiday Welsh Wilkes)
LINKS=("Goloman Hands" "Goloman Holiday" "Goloman Wilkes" "Hands Wilkes" "Holiday Welsh" "Holiday Wilkes")
BASE_PORT=12010
READY_SECONDS=30

die() { echo "herd-netns: $*" >&2; exit 1; }
say() { echo "herd-netns: $*"; }

# Set while up/start build something: if they fail (a command, a die, or a signal), a
# half-built herd is worse than none, so everything is torn down.
TEARDOWN_ON_FAILURE=""
SUBCOMMAND=""
on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$TEARDOWN_ON_FAILURE" ]; then
    TEARDOWN_ON_FAILURE=""
    echo "herd-netns: $SUBCOMMAND failed; tearing down" >&2
    cmd_down >&2 || true
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ns() { echo "${PREFIX}$1"; }

index_of() {
  local i
  for i in "${!NAMES[@]}"; do
    [ "${NAMES[$i]}" = "$1" ] && { echo $((i + 1)); return; }
  done
  die "unknown server \"$1\"; valid names: ${NAMES[*]}"
}

service_ip() { echo "10.77.0.$(index_of "$1")"; }
port_of() { echo $((BASE_PORT + $(index_of "$1") - 1)); }

# The veth in A's namespace that leads to B. Interface names are limited to 15 characters.
veth() { local name="to-$2"; echo "${name:0:15}"; }

# "k first second" for the configured link between A and B, in either order.
link_of() {
  local k first second
  for k in "${!LINKS[@]}"; do
    read -r first second <<<"${LINKS[$k]}"
    if { [ "$first" = "$1" ] && [ "$second" = "$2" ]; } || { [ "$first" = "$2" ] && [ "$second" = "$1" ]; }; then
      echo "$((k + 1)) $first $second"
      return
    fi
  done
  die "no configured link between $1 and $2"
}

# A's address on its end of link k.
end_ip() {
  local k first second
  read -r k first second <<<"$(link_of "$1" "$2")"
  if [ "$1" = "$first" ]; then echo "10.77.$k.1"; else echo "10.77.$k.2"; fi
}

exists_ns() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF "$1"; }

require_ns() {
  local n
  for n in "$@"; do
    exists_ns "$(ns "$n")" || die "namespace $(ns "$n") is missing; run '$0 up' first"
  done
}

require_root() {
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces); run as root or skip"
  command -v ip >/dev/null || die "iproute2 (ip) is not installed"
}

# A route to B's service address through the veth to B, and only that: a server reaches
# exactly its neighbours, each over its own link, so a cut link isolates for real (no other
# path, and no forwarding in any namespace). Added again on restore, because taking a link
# down deletes the routes through it and bringing it up restores only the connected subnet.
add_route() {
  local a=$1 b=$2
  ip -n "$(ns "$a")" route replace "$(service_ip "$b")/32" via "$(end_ip "$b" "$a")" \
    dev "$(veth "$a" "$b")" src "$(service_ip "$a")"
}

# The herd's config: each server's host is its service address (where its neighbours dial
# it); with a listen address, every server binds that instead (0.0.0.0: the service address
# and its end of each link).
write_config() {
  local out=$1 listen=$2 i first second sep="" bind=""
  [ -n "$listen" ] && bind=", \"listen\": \"$listen\""
  {
    echo "{"
    echo '  "servers": {'
    for i in "${!NAMES[@]}"; do
      [ "$i" -gt 0 ] && echo ","
      printf '    "%s": {"host": "%s", "port": %d%s}' "${NAMES[$i]}" "$(service_ip "${NAMES[$i]}")" $((BASE_PORT + i)) "$bind"
    done
    echo
    echo "  },"
    printf '  "links": ['
    for i in "${!LINKS[@]}"; do
      read -r first second <<<"${LINKS[$i]}"
      printf '%s["%s", "%s"]' "$sep" "$first" "$second"
      sep=", "
    done
    echo "],"
    echo '  "places": {"provider": "offline"},'
    printf '  "logDir": "%s"\n' "$STATE/logs"
    echo "}"
  } >"$out"
}

cmd_up() {
  local config_out="" listen=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --config-out) config_out=${2:?--config-out needs a file}; shift 2 ;;
      --listen) listen=${2:?--listen needs an address, such as 0.0.0.0}; shift 2 ;;
      *) die "up: unknown option $1" ;;
    esac
  done
  require_root
  local n
  for n in "${NAMES[@]}"; do
    exists_ns "$(ns "$n")" && die "namespace $(ns "$n") already exists; run '$0 down' first"
  done
  TEARDOWN_ON_FAILURE=1

  mkdir -p "$STATE/logs" "$STATE/run"
  # a fresh experiment: drop the previous one's files (only the ones this script writes)
  rm -f "$STATE"/logs/*.log "$STATE"/run/*.pid "$STATE"/run/*.out "$STATE"/run/*.err

  for n in "${NAMES[@]}"; do
    ip netns add "$(ns "$n")"
    ip -n "$(ns "$n")" link set lo up
    # The service address sits on loopback: it belongs to the host, not to one link, so a
    # server with three links is reachable at one address over each of them.
    ip -n "$(ns "$n")" addr add "$(service_ip "$n")/32" dev lo
  done
  local k first second
  for k in "${!LINKS[@]}"; do
    read -r first second <<<"${LINKS[$k]}"
    ip link add "$(veth "$first" "$second")" netns "$(ns "$first")" type veth \
      peer name "$(veth "$second" "$first")" netns "$(ns "$second")"
    ip -n "$(ns "$first")" addr add "$(end_ip "$first" "$second")/30" dev "$(veth "$first" "$second")"
    ip -n "$(ns "$second")" addr add "$(end_ip "$second" "$first")/30" dev "$(veth "$second" "$first")"
    ip -n "$(ns "$first")" link set "$(veth "$first" "$second")" up
    ip -n "$(ns "$second")" link set "$(veth "$second" "$first")" up
    add_route "$first" "$second"
    add_route "$second" "$first"
  done

  write_config "$STATE/herd.json" "$listen"
  if [ -n "$config_out" ]; then cp "$STATE/herd.json" "$config_out"; fi
  TEARDOWN_ON_FAILURE=""
  say "up: ${#NAMES[@]} namespaces (${PREFIX}*), ${#LINKS[@]} links; config $STATE/herd.json${listen:+ (every server listens on $listen)}"
}

server_pid() {
  local f="$STATE/run/$1.pid"
  [ -f "$f" ] && cat "$f"
}

# True if pid is a live process (a server that exited while `start` waits is its zombie child).
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ "$stat" != Z* ]]
}

# True if pid runs inside server N's namespace: a pid file is trusted only that far, so a
# stale file can never make us signal someone else's process.
ours() {
  local pid=$1 n=$2
  [ -n "$pid" ] && alive "$pid" && ip netns identify "$pid" 2>/dev/null | grep -qxF "$(ns "$n")"
}

cmd_start() {
  local jar=$DEFAULT_JAR
  while [ $# -gt 0 ]; do
    case "$1" in
      --jar) jar=${2:?--jar needs a path}; shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  require_root
  [ -f "$jar" ] || die "no jar at $jar; build it with 'mvn -B -DskipTests package'"
  [ -f "$STATE/herd.json" ] || die "no config in $STATE; run '$0 up' first"
  local java=${JAVA:-java} n pid
  export HERD_COOKIE_FILE=${HERD_COOKIE_FILE:-$STATE/cookie}
  for n in "${NAMES[@]}"; do
    require_ns "$n"
    ours "$(server_pid "$n")" "$n" && die "$n is already running (pid $(server_pid "$n"))"
  done
  TEARDOWN_ON_FAILURE=1
  # Servers append to their logs: readiness is judged on what this start adds, not on the
  # lines of an earlier run.
  declare -A before
  for n in "${NAMES[@]}"; do
    before[$n]=$(stat -c %s "$STATE/logs/$n.log" 2>/dev/null || echo 0)
  done
  new_log() { tail -c +$((before[$1] + 1)) "$STATE/logs/$1.log" 2>/dev/null; }
  for n in "${NAMES[@]}"; do
    # `ip netns exec` execs the command, so $! is the server's own pid. setsid: the servers
    # outlive this script and ignore the terminal's Ctrl-C until `stop`.
    # shellcheck disable=SC2086 # HERD_JAVA_OPTS is a list of options
    setsid ip netns exec "$(ns "$n")" "$java" ${HERD_JAVA_OPTS:--Xmx256m} -jar "$jar" "$n" \
      --config "$STATE/herd.json" </dev/null >"$STATE/run/$n.out" 2>"$STATE/run/$n.err" &
    echo $! >"$STATE/run/$n.pid"
  done
  # Ready = every server listening and every link up at both ends, so that an experiment
  # starts from a settled herd. Bounded: a server that dies or a link that never comes up
  # fails start with the evidence.
  local deadline=$((SECONDS + READY_SECONDS)) missing k first second
  while :; do
    missing=""
    for n in "${NAMES[@]}"; do
      pid=$(server_pid "$n")
      if ! alive "$pid"; then
        echo "herd-netns: $n exited; its stderr:" >&2
        cat "$STATE/run/$n.err" >&2
        false
      fi
      new_log "$n" | grep -q " SERVER_UP " || missing+=" $n(listening)"
    done
    for k in "${!LINKS[@]}"; do
      read -r first second <<<"${LINKS[$k]}"
      new_log "$first" | grep -q " PEER_UP peer/$second " || missing+=" $first-$second"
      new_log "$second" | grep -q " PEER_UP peer/$first " || missing+=" $second-$first"
    done
    [ -z "$missing" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "herd-netns: not ready after ${READY_SECONDS}s; still waiting for:$missing" >&2
      false
    fi
    sleep 0.2
  done
  TEARDOWN_ON_FAILURE=""
  say "start: ${#NAMES[@]} servers up, all ${#LINKS[@]} links up; logs in $STATE/logs"
}

cmd_stop() {
  local n pid deadline
  for n in "${NAMES[@]}"; do
    pid=$(server_pid "$n" || true)
    ours "$pid" "$n" && kill -TERM "$pid" 2>/dev/null || true
  done
  # SIGTERM is a clean shutdown (the event logs are flushed); give it a few seconds, then KILL
  deadline=$((SECONDS + 5))
  for n in "${NAMES[@]}"; do
    pid=$(server_pid "$n" || true)
    while ours "$pid" "$n" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if ours "$pid" "$n"; then
      echo "herd-netns: $n (pid $pid) ignored SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/run/$n.pid"
  done
}

cmd_down() {
  cmd_stop
  local n pid left=""
  for n in "${NAMES[@]}"; do
    exists_ns "$(ns "$n")" || continue
    # Anything still inside one of our namespaces was started by this script (or by hand for
    # the experiment); it would keep the namespace alive after `ip netns del`.
    for pid in $(ip netns pids "$(ns "$n")" 2>/dev/null); do
      kill -KILL "$pid" 2>/dev/null || true
    done
    # deleting a namespace destroys its veth ends, and with them the peers' ends
    ip netns del "$(ns "$n")" || left+=" $(ns "$n")"
  done
  if [ -n "$left" ]; then
    echo "herd-netns: down: could not delete namespace(s)$left" >&2
    return 1
  fi
  say "down: no ${PREFIX}* namespaces of this herd left; logs kept in $STATE/logs"
}

# Takes the A–B link down or up at both ends, as a pulled or replugged cable would. Down: no
# carrier, and the routes through the link vanish, so packets are dropped locally and neither
# TCP end is told anything (no RST, no FIN). Up: the routes are added again, since the kernel
# restores only the connected subnet.
set_link() {
  local state=$1 a=$2 b=$3
  require_root
  link_of "$a" "$b" >/dev/null
  require_ns "$a" "$b"
  ip -n "$(ns "$a")" link set "$(veth "$a" "$b")" "$state"
  ip -n "$(ns "$b")" link set "$(veth "$b" "$a")" "$state"
  if [ "$state" = up ]; then
    add_route "$a" "$b"
    add_route "$b" "$a"
  fi
  say "$SUBCOMMAND: $a–$b is $state"
}

# A client as scripts are: connect, write the lines, half-close, read to end of input.
CLIENT_PY='
import socket, sys
host, port, lines = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
reply = bytearray()
try:
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall("".join(line + "\n" for line in lines).encode("utf-8"))
        s.shutdown(socket.SHUT_WR)
        while chunk := s.recv(65536):
            reply += chunk
except OSError as e:
    sys.exit(f"herd-netns: client: {host}:{port}: {e}")
sys.stdout.write(reply.decode("utf-8", "replace"))
'

# From NAME's own namespace to its service address; with --from PEER, from PEER's namespace
# to NAME's end of the PEER–NAME link, an address NAME answers only when it listens there
# (listen 0.0.0.0), as a client on the next machine would reach it over the wire between them.
cmd_client() {
  local from=""
  if [ "${1:-}" = --from ]; then
    from=${2:?--from needs a server name}
    shift 2
  fi
  [ $# -ge 2 ] || die "usage: $0 client [--from PEER] NAME LINE..."
  local n=$1
  shift
  if [ -z "$from" ]; then
    require_ns "$n"
    ip netns exec "$(ns "$n")" /usr/bin/python3 -c "$CLIENT_PY" "$(service_ip "$n")" "$(port_of "$n")" "$@"
  else
    require_ns "$from" "$n"
    ip netns exec "$(ns "$from")" /usr/bin/python3 -c "$CLIENT_PY" "$(end_ip "$n" "$from")" "$(port_of "$n")" "$@"
  fi
}

cmd_status() {
  local n pid k first second state listen
  echo "state folder: $STATE (config herd.json, event logs logs/, stdout/stderr run/)"
  listen=$(sed -n 's/.*"listen": "\([^"]*\)".*/\1/p' "$STATE/herd.json" 2>/dev/null | head -n 1 || true)
  [ -n "$listen" ] && echo "every server listens on $listen; neighbours dial the addresses below"
  for n in "${NAMES[@]}"; do
    pid=$(server_pid "$n" || true)
    if ! exists_ns "$(ns "$n")"; then state="no namespace"
    elif ours "$pid" "$n"; then state="running, pid $pid"
    else state="not running"; fi
    printf '  %-8s %-12s %s:%s  %s\n' "$n" "$(ns "$n")" "$(service_ip "$n")" "$(port_of "$n")" "$state"
  done
  for k in "${!LINKS[@]}"; do
    read -r first second <<<"${LINKS[$k]}"
    exists_ns "$(ns "$first")" || continue
    state=$(ip -n "$(ns "$first")" -br link show "$(veth "$first" "$second")" 2>/dev/null | awk '{print $2}')
    printf '  link %-8s – %-8s 10.77.%d.0/30  %s\n' "$first" "$second" $((k + 1)) "${state:-missing}"
  done
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

main() {
  [ $# -ge 1 ] || { usage >&2; exit 2; }
  SUBCOMMAND=$1
  shift
  case "$SUBCOMMAND" in
    up) cmd_up "$@" ;;
    start) cmd_start "$@" ;;
    stop) require_root; cmd_stop ;;
    down) cmd_down ;;
    cut) [ $# -eq 2 ] || die "usage: $0 cut A B"; set_link down "$@" ;;
    restore) [ $# -eq 2 ] || die "usage: $0 restore A B"; set_link up "$@" ;;
    client) cmd_client "$@" ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
