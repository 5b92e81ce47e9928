#!/usr/bin/env bash
# Reruns the benchmarks: Herd (Java/MINA) against the asyncio herd, every scenario, both
# herds started in turn on free loopback ports, several runs; prints the Markdown table and
# writes bench/results/ (summary.md, summary.csv, runs.csv, *.png, and commit.txt: the commit
# measured).
#
#   bench/run.sh                  # 3 runs, 10 s per load, 10,000 idle clients, 1,000,000 clients
#                                 # in the table (about 40 minutes)
#   bench/run.sh --runs 5         # any option of `java -jar bench/target/bench.jar compare`
#   bench/run.sh --smoke          # seconds, tiny sizes: checks the tool, measures nothing
set -euo pipefail
cd "$(dirname "$0")/.."

# Build both jars (reactor build; never `mvn install`).
mvn -B -ntp -q -DskipTests package

# 10,000 idle clients need 10,000 descriptors in this tool and 10,000 in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 10512 ]; then
  echo "bench: the open-file limit is $(ulimit -n) (hard $(ulimit -Hn)); the capacity scenario needs" \
       "10,512 or more: raise the hard limit (as root: ulimit -Hn 65536) or pass --connections N" >&2
fi

# The commit measured, for the report (report/gen/figures.py reads it beside the results);
# "-dirty" when tracked files differ from it. Written where the results go (--out DIR).
out=bench/results
prev=
for a in "$@"; do
  [ "$prev" = --out ] && out=$a
  prev=$a
done
mkdir -p "$out"
commit=$(git rev-parse --short HEAD 2>/dev/null || true)
if [ -n "$commit" ]; then
  git diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
  echo "$commit" > "$out/commit.txt"
fi

exec java -jar bench/target/bench.jar compare "$@"
