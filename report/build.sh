#!/usr/bin/env bash
# Builds report/herd-report.pdf: the figures from bench/results/ (report/gen/figures.py
# writes report/generated/), then the PDF with latexmk (pdflatex, as often as references need).
# Needs: python3, and the Debian packages texlive-latex-recommended texlive-fonts-recommended
# texlive-pictures (pgfplots) latexmk; report/check.sh also needs poppler-utils.
set -euo pipefail
cd "$(dirname "$0")"
python3 gen/figures.py --results ../bench/results --out generated
# SOURCE_DATE_EPOCH and FORCE_SOURCE_DATE keep the PDF's dates fixed, so that the same
# sources give the same file.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1764979200}" FORCE_SOURCE_DATE=1
latexmk -pdf -interaction=nonstopmode -halt-on-error -quiet herd-report.tex >/dev/null \
  || { echo "report: LaTeX failed; the end of herd-report.log:" >&2; tail -n 40 herd-report.log >&2; exit 1; }
echo "report: wrote report/herd-report.pdf ($(pdfinfo herd-report.pdf 2>/dev/null | awk '/^Pages:/{print $2}') pages)"
