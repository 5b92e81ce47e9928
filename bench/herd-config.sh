# Sourced by the bench's shell scripts: writes DIR/herd.json, the default five servers on
# ports of 127.0.0.1 that were free a moment ago, offline Places, event logs in LOGDIR, never
# rotated (the scripts count lines in each <Name>.log: a rotation mid-run made a count go down).
# Needs the array `names` (the five server names, in config order).
write_herd_config() {
  local dir=$1 logdir=$2 ports
  read -r -a ports <<<"$(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(5)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')"
  {
    echo '{"servers": {'
    for i in 0 1 2 3 4; do
      echo "  \"${names[$i]}\": {\"host\": \"127.0.0.1\", \"port\": ${ports[$i]}}$([ $i -lt 4 ] && echo ,)"
    done
    echo '}, "places": {"provider": "offline"}, "logDir": "'"$logdir"'", "log": {"maxFileBytes": 0}}'
  } >"$dir/herd.json"
}
