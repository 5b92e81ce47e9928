#!/usr/bin/env bash
# Takes docs/monitor.png: the monitor in a virtual display, after some traffic and with
# the Holiday–Welsh link cut, so the picture shows every panel at work; with "six",
# docs/monitor-six.png instead: a sixth server, Hilo, added with Add server... (linked with
# Goloman and Welsh), its column filled, and a trickle of its reports flooding the herd;
# with "small", docs/monitor-small.png: the first picture's scene in the smallest window the
# monitor keeps (1024x700), where every button, title and header must still show whole.
#
# Needs a built jar (mvn -B -DskipTests package) and, on Debian/Ubuntu:
#   apt-get install -y --no-install-recommends xvfb xauth libgtk-3-0 imagemagick xdotool
# Run from anywhere: docs/monitor-screenshot.sh [six|small]
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-cut}
case "$mode" in cut|six) screen=1600x1000;; small) screen=1024x700;; *) echo "usage: $0 [six|small]" >&2; exit 2;; esac
if [ -z "${HERD_SCREENSHOT_DISPLAY:-}" ]; then
  # the window takes the screen up to 1560x960, so the screen's size is the window's
  HERD_SCREENSHOT_DISPLAY=1 exec xvfb-run -a -s "-screen 0 ${screen}x24" "$0" "$mode"
fi

work=$(mktemp -d)
base=22010 # away from the default 12010-12014, so a running herd is no obstacle
cat > "$work/herd.json" <<JSON
{"servers": {"Goloman": {"port": $base}, "Hands": {"port": $((base + 1))}, "Holiday": {"port": $((base + 2))},
             "Welsh": {"port": $((base + 3))}, "Wilkes": {"port": $((base + 4))}},
 "logDir": "logs"}
JSON
port() { case "$1" in Goloman) echo $base;; Hands) echo $((base + 1));; Holiday) echo $((base + 2));;
                      Welsh) echo $((base + 3));; Wilkes) echo $((base + 4));; Hilo) echo $((base + 5));; esac; }

jar=$PWD/launcher/target/launcher.jar
(cd "$work" && exec java -Dprism.order=sw -jar "$jar" --gui --config herd.json 2> monitor.err) &
monitor=$!
trap 'kill $monitor 2>/dev/null || true; wait $monitor 2>/dev/null || true; rm -rf "$work"' EXIT
window=$(timeout 60 xdotool search --sync --name "Herd monitor" | head -1)

# A client as scripts are: send, half-close, read to the end.
say() { /usr/bin/python3 - "$(port "$1")" "$2" <<'PY'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as s:
    s.sendall((sys.argv[2] + "\n").encode()); s.shutdown(socket.SHUT_WR)
    while s.recv(65536): pass
PY
}
# Clicks at a point of the window (the layout is fixed at this screen size).
click() {
  eval "$(xdotool getwindowgeometry --shell "$window")"
  xdotool mousemove $((X + $1)) $((Y + $2)) click 1
  sleep 0.5
}

for s in Goloman Hands Holiday Welsh Wilkes; do
  until say "$s" "" 2>/dev/null; do sleep 0.1; done
done
sleep 2 # links up
now=$(date +%s)

if [ "$mode" = six ]; then
  say Goloman "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 $((now - 60)).5"
  say Hands   "IAMAT lime.cs.ucla.edu +34.070000-118.440000 $((now - 50)).25"
  say Wilkes  "IAMAT fig.cs.ucla.edu +34.060000-118.450000 $((now - 40))"
  say Welsh   "IAMAT date.cs.ucla.edu +34.050000-118.430000 $((now - 30))"
  sleep 1
  click 857 17                     # Add server...
  click 723 434 && xdotool type --delay 20 "Hilo"                               # its name
  click 588 466 && xdotool key ctrl+a && xdotool type --delay 20 "$(port Hilo)"  # its port
  click 551 495                    # link with Goloman
  click 809 495                    # and with Welsh
  click 1044 587                   # OK
  for _ in $(seq 1 100); do say Hilo "" 2>/dev/null && break; sleep 0.1; done
  say Hilo "" || { echo "Hilo was not added; the window is as the dialog left it" >&2; exit 1; }
  sleep 2                          # its links up, its table repaired
  click 1329 51                    # Hilo's log tab
  click 1201 618 && click 1180 764 # console: to Hilo
  click 1315 618                   # Sample IAMAT
  click 1527 649                   # Send
  ( for i in $(seq 1 400); do say Hilo "IAMAT walker.cs.ucla.edu +34.0$((60000 + i))-118.445127 $((now - 400 + i))"; sleep 0.02; done ) &
  trickle=$!
  sleep 2.5
  import -window "$window" "$work/shot.png"
  kill $trickle 2>/dev/null || true
  convert "$work/shot.png" -strip -define png:compression-level=9 docs/monitor-six.png
  ls -l docs/monitor-six.png
  exit 0
fi

say Goloman "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 $((now - 60)).5"
say Hands   "IAMAT lime.cs.ucla.edu +34.070000-118.440000 $((now - 50)).25"
say Wilkes  "IAMAT fig.cs.ucla.edu +34.060000-118.450000 $((now - 40))"
sleep 1
if [ "$mode" = small ]; then
  # the same scene by keyboard where it can be: the focus starts in the console's line
  xdotool type --delay 20 "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 $((now - 2)).125" && xdotool key Return
  sleep 0.5
  click 135 210                    # the Holiday–Welsh link: cut
  say Hands   "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 $((now - 1)).75"   # Welsh keeps the old one
  say Welsh   "IAMAT date.cs.ucla.edu +34.050000-118.430000 $((now - 3))"      # only Welsh learns this
  click 824 52                     # the Holiday log tab
  xdotool key ctrl+f && xdotool type --delay 20 "peer/Welsh"                   # its lines about Welsh
  click 820 200                    # a line, shown whole below the tabs
  ( for i in $(seq 1 400); do say Goloman "IAMAT walker.cs.ucla.edu +34.0$((60000 + i))-118.445127 $((now - 400 + i))"; sleep 0.02; done ) &
  trickle=$!
  sleep 2.5
  import -window "$window" "$work/shot.png"
  kill $trickle 2>/dev/null || true
  convert "$work/shot.png" -strip -define png:compression-level=9 docs/monitor-small.png
  ls -l docs/monitor-small.png
  exit 0
fi
click 175 297                      # the Holiday–Welsh link: cut
say Hands   "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 $((now - 5)).75"   # Welsh keeps the old one
say Welsh   "IAMAT date.cs.ucla.edu +34.050000-118.430000 $((now - 3))"      # only Welsh learns this
click 1167 51                      # the Holiday log tab
xdotool key ctrl+f && xdotool type --delay 20 "peer/Welsh"   # its lines about Welsh (Ctrl+F: the filter)
click 1315 618                     # console: Sample IAMAT (to Goloman)
click 1527 649                     # console: Send
# a steady trickle so links glow and dots travel
( for i in $(seq 1 400); do say Goloman "IAMAT walker.cs.ucla.edu +34.0$((60000 + i))-118.445127 $((now - 400 + i))"; sleep 0.02; done ) &
trickle=$!
sleep 2.5
import -window "$window" "$work/shot.png"
kill $trickle 2>/dev/null || true
convert "$work/shot.png" -strip -define png:compression-level=9 docs/monitor.png
ls -l docs/monitor.png
