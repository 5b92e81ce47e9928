#!/usr/bin/env bash
# herd-netns-test.sh [--jar JAR] [--listen ADDR] — the link-kill test across "hosts": the
# default herd, one server per network namespace (herd-netns.sh), the Holiday–Welsh link taken
# down with `ip link set ... down` and brought back, checking that the herd floods around the
# cut, that nothing crosses it, and that the herd heals once it is restored.
#
# With --listen 0.0.0.0 every server listens on all its interfaces while its neighbours dial
# its host address (the config's listen and host), and a client on Holiday's "host" reaches
# Welsh at Welsh's end of their link; without it, Welsh listens on its host address only and
# that address refuses.
#
# Prints one PASS / FAIL / KNOWN GAP line per check and a final "N passed, M failed" line;
# exits 0 only when nothing failed. Prints "SKIPPED: <reason>" and exits 0 when this machine
# cannot build network namespaces (not root, no iproute2, or `ip netns add` / veth /
# `ip netns exec` refused, as in an unprivileged container). Always tears down what it built.
#
# Environment: HERD_NETNS_PREFIX, HERD_NETNS_DIR, JAVA as for herd-netns.sh (the defaults here
# are a prefix and a temporary folder unique to this run);
#   HERD_NETNS_EXPECT_PEER_DOWN=0  report "Welsh notices the dead link" without counting it
#                                  (for builds older than the peer heartbeat)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NETNS="$HERE/herd-netns.sh"
JAR="$HERE/../../launcher/target/launcher.jar"
LISTEN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR=${2:?--jar needs a path}; shift 2 ;;
    --listen) LISTEN=${2:?--listen needs an address, such as 0.0.0.0}; shift 2 ;;
    *) echo "usage: $0 [--jar JAR] [--listen ADDR]" >&2; exit 2 ;;
  esac
done

# A prefix of its own, so this run neither meets nor deletes the namespaces of a hand-made
# experiment (herd-*) or of another run on the same machine.
export HERD_NETNS_PREFIX=${HERD_NETNS_PREFIX:-herd-t$$-}
OWN_DIR=""
OWNS_HERD=""

# Bounds, in seconds. Nothing sleeps longer than POLL; every wait has a deadline.
POLL=0.2
FLOOD_SECONDS=15     # a report crossing the herd over live links (takes well under 1 s)
HEAL_SECONDS=30      # a restored link carrying what it missed
# DEAD_LINK: how long Welsh may take to notice that the cut link is dead (PEER_DOWN). A link
# that drops packets without a FIN or RST is noticed by the peer heartbeat: a line every
# second, and a link silent for 5 s is dropped (TCP alone would take about 15 minutes, or
# forever for an end with nothing to send).
DEAD_LINK_SECONDS=8
EXPECT_PEER_DOWN=${HERD_NETNS_EXPECT_PEER_DOWN:-1}

passed=0
failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

skip() {
  echo "SKIPPED: $*"
  exit 0
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# A failed step that later checks depend on: stop here.
abort() {
  fail "$*"
  finish || exit 1
}

cleanup() {
  local rc=$?
  # Servers and namespaces go whatever happened; the event logs are shown first on failure.
  if [ "$rc" -ne 0 ] && [ -d "${LOGS:-}" ]; then
    for n in Welsh Holiday Hands; do
      echo "--- last lines of $n.log"
      tail -n 15 "$LOGS/$n.log" 2>/dev/null || true
    done
  fi
  if [ -n "$OWNS_HERD" ]; then
    "$NETNS" down >/dev/null 2>&1 || echo "warning: '$NETNS down' failed; check 'ip netns list'" >&2
  fi
  if [ -n "$OWN_DIR" ]; then rm -rf -- "$OWN_DIR"; fi
  exit "$rc"
}

# Runs "$@" every POLL seconds until it succeeds or `seconds` pass; the status says which.
poll_until() {
  local seconds=$1 deadline
  shift
  deadline=$(($(date +%s%N) + seconds * 1000000000))
  until "$@"; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep "$POLL"
  done
}

elapsed_since() { echo "$((($(date +%s%N) - $1) / 1000000)) ms"; }

# The AT line NAME answers WHATSAT for CLIENT with ("" when it does not know CLIENT).
known_at() {
  local reply
  reply=$("$NETNS" client "$1" "WHATSAT $2 1 1" 2>/dev/null) || true
  case "$reply" in AT\ *) echo "${reply%%$'\n'*}" ;; *) echo "" ;; esac
}
knows() { [ "$(known_at "$1" "$2")" = "$3" ]; }
log_has() { grep -q -- "$2" "$LOGS/$1.log" 2>/dev/null; }

# Reports LINE at server NAME and prints the AT line it answered.
report() {
  local reply
  reply=$("$NETNS" client "$1" "$2")
  case "$reply" in AT\ *) echo "${reply%%$'\n'*}" ;; *) echo "unexpected reply to '$2' at $1: $reply" >&2; return 1 ;; esac
}

# ---- can this machine do it at all? --------------------------------------------------------

[ "$(id -u)" -eq 0 ] || skip "not root (uid $(id -u)); network namespaces need root"
command -v ip >/dev/null 2>&1 || skip "iproute2 ('ip') is not installed"
probe="${HERD_NETNS_PREFIX}probe"
if ! err=$(ip netns add "$probe" 2>&1); then
  skip "'ip netns add' failed: $err"
fi
why=""
if ! err=$(ip -n "$probe" link add probe0 type veth peer name probe1 2>&1); then
  why="cannot create a veth pair: $err"
elif ! err=$(ip netns exec "$probe" true 2>&1); then
  why="'ip netns exec' failed: $err"
fi
ip netns del "$probe" 2>/dev/null || true
[ -z "$why" ] || skip "$why"

# Namespaces with this prefix that exist already belong to someone else: leave them alone.
existing=$(ip netns list | awk -v p="$HERD_NETNS_PREFIX" 'index($1, p) == 1 {printf "%s ", $1}')
if [ -n "$existing" ]; then
  echo "FAIL: namespaces named $HERD_NETNS_PREFIX* exist already (${existing% }); pick another HERD_NETNS_PREFIX"
  echo "0 passed, 1 failed"
  exit 1
fi
OWNS_HERD=1
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${HERD_NETNS_DIR:-}" ]; then
  OWN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/herd-netns-test.XXXXXX")
  export HERD_NETNS_DIR=$OWN_DIR
fi
LOGS="$HERD_NETNS_DIR/logs"

# ---- the herd, one server per namespace -----------------------------------------------------

t=$(date +%s%N)
out=$("$NETNS" up ${LISTEN:+--listen "$LISTEN"} 2>&1) || abort "herd-netns.sh up: $out"
out=$(JAVA=${JAVA:-java} "$NETNS" start --jar "$JAR" 2>&1) || abort "herd-netns.sh start: $out"
pass "five servers in five namespaces, all six links up ($(elapsed_since "$t"))"

# Where Welsh listens: its host address (10.77.0.4), where its neighbour dials it, or with
# --listen every address of its namespace, its end of the Holiday–Welsh link (10.77.5.2)
# included, which a client on Holiday's "host" reaches over the link itself.
if [ -n "$LISTEN" ]; then
  if log_has Welsh " SERVER_UP - listening on $LISTEN:12013, dialled at 10.77.0.4:12013"; then
    pass "Welsh listens on $LISTEN:12013 and is dialled at 10.77.0.4:12013 (its SERVER_UP line)"
  else
    fail "Welsh.log has no 'SERVER_UP - listening on $LISTEN:12013, dialled at 10.77.0.4:12013'"
  fi
  reply=$("$NETNS" client --from Holiday Welsh "IAMAT netns.$$.via +1+1 1700000000.05" 2>&1) || true
  case "$reply" in
    AT\ Welsh\ *) pass "a client on Holiday's host reaches Welsh at its link address 10.77.5.2" ;;
    *) fail "Welsh did not answer at its link address 10.77.5.2 from Holiday's host: $reply" ;;
  esac
else
  if reply=$("$NETNS" client --from Holiday Welsh "IAMAT netns.$$.via +1+1 1700000000.05" 2>&1); then
    fail "Welsh answered at its link address 10.77.5.2, but it should listen on 10.77.0.4 only: $reply"
  else
    pass "Welsh, listening on its host address only, refuses its link address 10.77.5.2"
  fi
fi

id="netns.$$.kiwi"
first=$(report Welsh "IAMAT $id +34.068930-118.445127 1700000000.1") || abort "IAMAT at Welsh"
t=$(date +%s%N)
if poll_until "$FLOOD_SECONDS" knows Hands "$id" "$first"; then
  pass "a report at Welsh reaches Hands, three links away ($(elapsed_since "$t"))"
else
  abort "Hands did not learn the report at Welsh within ${FLOOD_SECONDS}s (knows: '$(known_at Hands "$id")')"
fi

# ---- cut Holiday–Welsh: Welsh's only link ------------------------------------------------

out=$("$NETNS" cut Holiday Welsh 2>&1) || abort "herd-netns.sh cut Holiday Welsh: $out"
cut_at=$(date +%s%N)
newer=$(report Welsh "IAMAT $id +34.070000-118.440000 1700000000.2") || abort "IAMAT at Welsh while cut"
marker_id="netns.$$.marker"
marker=$(report Holiday "IAMAT $marker_id +1+1 1700000000.3") || abort "IAMAT at Holiday while cut"

# The marker, reported after the newer report, reaching Hands proves the rest of the herd
# still floods; so Hands still lacking the newer report means it could not cross the cut.
if poll_until "$FLOOD_SECONDS" knows Hands "$marker_id" "$marker"; then
  pass "with Holiday–Welsh cut, a report at Holiday still reaches Hands ($(elapsed_since "$cut_at"))"
else
  fail "with Holiday–Welsh cut, Hands did not learn a report at Holiday within ${FLOOD_SECONDS}s"
fi
if knows Hands "$id" "$first"; then
  pass "the newer report at Welsh does not cross the cut link (Hands still has the older one)"
else
  fail "Hands has '$(known_at Hands "$id")' while Welsh is cut off; expected the older '$first'"
fi

if poll_until "$DEAD_LINK_SECONDS" log_has Welsh " PEER_DOWN peer/Holiday "; then
  pass "Welsh notices the dead link: PEER_DOWN peer/Holiday ($(elapsed_since "$cut_at") after the cut)"
elif [ "$EXPECT_PEER_DOWN" = 1 ]; then
  fail "Welsh logged no PEER_DOWN peer/Holiday within ${DEAD_LINK_SECONDS}s of the cut"
else
  echo "KNOWN GAP: Welsh logged no PEER_DOWN peer/Holiday within ${DEAD_LINK_SECONDS}s of the cut" \
    "(not counted: HERD_NETNS_EXPECT_PEER_DOWN=0)"
fi
# Checked again at the end of the cut: nothing crossed in all that time.
if knows Hands "$id" "$first"; then
  pass "after $(elapsed_since "$cut_at") of cut, Hands still has only the older report"
else
  fail "Hands has '$(known_at Hands "$id")' before the link was restored; expected '$first'"
fi

# ---- restore: the herd heals --------------------------------------------------------------

out=$("$NETNS" restore Holiday Welsh 2>&1) || abort "herd-netns.sh restore Holiday Welsh: $out"
t=$(date +%s%N)
if poll_until "$HEAL_SECONDS" knows Hands "$id" "$newer"; then
  pass "after restore, Hands learns the newer report from Welsh ($(elapsed_since "$t"))"
else
  fail "Hands did not learn the newer report within ${HEAL_SECONDS}s of the restore (knows: '$(known_at Hands "$id")')"
fi
if poll_until "$HEAL_SECONDS" knows Welsh "$marker_id" "$marker"; then
  pass "after restore, Welsh learns the report it missed at Holiday ($(elapsed_since "$t"))"
else
  fail "Welsh did not learn the report at Holiday within ${HEAL_SECONDS}s of the restore"
fi
# How it healed, for whoever reads the output: a new connection (and table exchange), or the
# old one, whose kernel-queued bytes went through when the route came back.
ups=$(grep -c " PEER_UP peer/Holiday " "$LOGS/Welsh.log" || true)
if [ "$ups" -gt 1 ]; then
  echo "INFO: healed over a new connection (Welsh logged PEER_UP peer/Holiday $ups times)"
else
  echo "INFO: healed over the original connection: TCP retransmitted the queued updates once the route was back"
fi

finish
