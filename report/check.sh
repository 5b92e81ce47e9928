#!/usr/bin/env bash
# The report's checks (CI runs this from .ci/run): builds the PDF afresh from the sources in
# a temporary folder, and fails when
#   - a committed fragment in report/generated/ is not what report/gen/figures.py makes from
#     bench/results/ now (compared by content: a checkout does not keep file times), i.e.
#     the figures are older than the results they come from;
#   - LaTeX fails, or reports an undefined reference or citation;
#   - the PDF has more than five pages (pdfinfo);
#   - the committed report/herd-report.pdf's text (pdftotext) differs from the fresh build's.
# Needs python3, latexmk, pdflatex with the packages of report/build.sh, and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")"
MAX_PAGES=5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
problem() { echo "report check: $*" >&2; fail=1; }

# 1. The generated fragments match the results.
mkdir -p "$work/report/generated"
python3 gen/figures.py --results ../bench/results --out "$work/report/generated"
if ! diff -r -u generated "$work/report/generated" > "$work/generated.diff"; then
  problem "report/generated/ does not match bench/results/ (run report/build.sh and commit report/generated/ and the PDF):"
  head -n 40 "$work/generated.diff" >&2
fi

# 2. A fresh build from the sources and the fresh fragments.
cp herd-report.tex herd-usenix.sty "$work/report/"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1764979200}" FORCE_SOURCE_DATE=1
if ! (cd "$work/report" && latexmk -pdf -interaction=nonstopmode -halt-on-error -quiet herd-report.tex >/dev/null 2>&1); then
  echo "report check: LaTeX failed; the end of its log:" >&2
  tail -n 40 "$work/report/herd-report.log" >&2 || true
  exit 1
fi
log="$work/report/herd-report.log"
if grep -E "Reference .* undefined|Citation .* undefined|There were undefined (references|citations)" "$log" >&2; then
  problem "LaTeX reports an undefined reference or citation (above)"
fi
pages=$(pdfinfo "$work/report/herd-report.pdf" | awk '/^Pages:/{print $2}')
if [ -z "$pages" ] || [ "$pages" -gt "$MAX_PAGES" ]; then
  problem "the report has ${pages:-no} pages; at most $MAX_PAGES are allowed"
fi

# 3. The committed PDF is the one the sources build.
if [ ! -f herd-report.pdf ]; then
  problem "report/herd-report.pdf is not committed"
else
  pdftotext -layout herd-report.pdf "$work/committed.txt"
  pdftotext -layout "$work/report/herd-report.pdf" "$work/fresh.txt"
  if ! diff -u "$work/committed.txt" "$work/fresh.txt" > "$work/text.diff"; then
    problem "report/herd-report.pdf's text differs from a fresh build's (run report/build.sh and commit the PDF):"
    head -n 40 "$work/text.diff" >&2
  fi
fi

if [ "$fail" -ne 0 ]; then
  exit 1
fi
echo "report check: ok ($pages pages, figures match bench/results/, committed PDF matches a fresh build)"
