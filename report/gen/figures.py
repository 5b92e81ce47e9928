#!/usr/bin/env python3
"""Writes the report's figures from the benchmark's results; nothing in the report is typed.

    python3 report/gen/figures.py [--results bench/results] [--out report/generated]

Reads (standard library only, deterministic: the same inputs give the same bytes):
  summary.csv      one row per metric: java, asyncio, ratio, and, when the bench ran the
                   Node.js herd too, node and node_ratio (java / node, as ratio is java / asyncio)
  runs.csv         every value of every run: the per-run range of a figure
  summary.md       its first line, written by bench.jar: date, runs, cores, CPU, Java, Python
  commit.txt       the commit the run measured (bench/run.sh writes it), when present
  link-kill/       the monitor's headless link-kill export (actions.csv, learned.csv,
                   links.csv), when present

Writes into --out:
  numbers.tex      \\figdef{METRIC}{HERD}{text} for every figure; the report prints one
                   with \\fig{METRIC}{HERD} (HERD: java, asyncio, node, ratio, noderatio,
                   javamin, javamax, asyncmin, asyncmax); provenance macros (\\BenchWhen, ...)
  table-main.tex   the comparison table (a Node.js column only when it was measured)
  ratios.dat       pgfplots data: Java/asyncio ratio per figure, for the bar chart
  node.tex         the Node.js paragraph's figures, or "not measured in this build"
  linkkill.tex     the link-kill experiment's figures, or "not measured in this build"

A source that is absent never breaks the build and never yields a number: its fragment
says in the PDF that it was not measured.
"""

import argparse
import csv
import os
import re
import statistics
import sys

# Figures the text and the table use. A metric missing from summary.csv is an error: the
# report would otherwise print a figure that no run measured.
TABLE = [
    ("RT_P50", "Round trip, p50"),
    ("RT_P99", "Round trip, p99"),
    ("ONE_RATE", "IAMAT/s, one server"),
    ("ONE_CPU", "CPU per IAMAT, herd"),
    ("ALL_RATE", "IAMAT/s, five servers"),
    ("ALL_P99", "five servers, p99"),
    ("PROP_IDLE_P50", "3 hops idle, p50"),
    ("PROP_IDLE_P99", "3 hops idle, p99"),
    ("PROP_LOAD_P50", "3 hops loaded, p50"),
    ("PROP_LOAD_P99", "3 hops loaded, p99"),
    ("CAP_PER_CONN_KB", "RSS per idle client"),
    ("TABLE_PER_CLIENT", "RSS per table entry"),
    ("WS_SAME_RATE", "WHATSAT/s, cached"),
    ("WS_NEW_RATE", "WHATSAT/s, upstream"),
    ("START_MS", "start to listening"),
    ("REST_MB", "RSS at rest"),
]
# The bar chart: ratios of figures where above 1 means Java is better (rates) and those
# where below 1 means Java is better (times, memory); the axis says which.
CHART = [
    ("ONE_RATE", "IAMAT/s (1 server)"),
    ("ALL_RATE", "IAMAT/s (5 servers)"),
    ("WS_SAME_RATE", "WHATSAT/s cached"),
    ("ONE_CPU", "CPU per IAMAT"),
    ("RT_P50", "round trip p50"),
    ("PROP_IDLE_P99", "3 hops idle p99"),
    ("PROP_LOAD_P99", "3 hops loaded p99"),
    ("CAP_PER_CONN_KB", "RSS per idle client"),
    ("TABLE_PER_CLIENT", "RSS per table entry"),
    ("START_MS", "start-up"),
    ("REST_MB", "RSS at rest"),
]

NOT_MEASURED = "not measured in this build"


TEX_FOR = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
           "µ": r"\textmu{}", "×": r"$\times$", "÷": r"$\div$", "→": r"$\rightarrow$",
           "≥": r"$\geq$", "≤": r"$\leq$"}


def tex_escape(s):
    out = []
    for c in s:
        if c in TEX_FOR:
            out.append(TEX_FOR[c])
        elif c in "&%$#_{}":
            out.append("\\" + c)
        elif ord(c) > 127:
            out.append("?")
        else:
            out.append(c)
    return "".join(out)


def grouped(n, decimals=0):
    text = f"{n:,.{decimals}f}"
    return text.replace(",", "{,}")


def quantity(value, unit):
    """A measured value as the report prints it (TeX), in the unit a reader expects."""
    if value is None:
        return "n/a"
    if unit == "µs":
        if value < 1000:
            return grouped(value) + r"\,\textmu{}s"
        if value < 100_000:
            return grouped(value / 1000, 1) + r"\,ms"
        return grouped(value / 1000) + r"\,ms"
    if unit == "ms":
        return grouped(value) + r"\,ms" if value < 10_000 else grouped(value / 1000, 1) + r"\,s"
    if unit == "/s":
        return grouped(value) + "/s"
    if unit == "B":
        return grouped(value) + r"\,B"
    if unit == "KB":
        return grouped(value, 2) + r"\,KB"
    if unit == "MB":
        return grouped(value, 1) + r"\,MB"
    if unit == "":
        return grouped(value) if value == int(value) else grouped(value, 2)
    return grouped(value, 2) + r"\," + tex_escape(unit)


def ratio_text(r):
    if r is None or r != r or r in (float("inf"), float("-inf")):
        return "---"
    if r < 0.1:
        return f"{r:.3f}" + r"$\times$"
    return f"{r:.2f}" + r"$\times$"


def number(cell):
    cell = (cell or "").strip()
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def read_summary(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    metrics = {}
    for r in rows:
        metrics[r["metric"]] = r
    has_node = bool(rows) and "node" in rows[0] and "node_ratio" in rows[0]
    return metrics, has_node


def read_runs(path):
    """{(metric, herd): [values per run]} from runs.csv; empty when the file is absent."""
    ranges = {}
    if not os.path.isfile(path):
        return ranges
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            v = number(r.get("value"))
            if v is not None:
                ranges.setdefault((r["metric"], r["herd"]), []).append(v)
    return ranges


HEADER_RE = re.compile(
    r"^Herd benchmarks, (?P<when>[0-9-]+ [0-9:]+ UTC): (?P<runs>\d+) runs?.*?, "
    r"(?P<cores>\d+) cores \((?P<cpu>[^)]*)\), Java (?P<java>[^,]+), (?P<python>Python [0-9.]+)")


def read_provenance(results):
    prov = {"when": None, "runs": None, "cores": None, "cpu": None, "java": None, "python": None,
            "node": None, "commit": None}
    md = os.path.join(results, "summary.md")
    if os.path.isfile(md):
        with open(md, encoding="utf-8") as f:
            first = f.readline().strip()
        m = HEADER_RE.match(first)
        if m:
            prov.update(m.groupdict())
        n = re.search(r"Node(?:\.js)? v?([0-9][0-9.]*)", first)
        if n:
            prov["node"] = n.group(1)
    commit = os.path.join(results, "commit.txt")
    if os.path.isfile(commit):
        with open(commit, encoding="utf-8") as f:
            text = f.read().strip()
        if re.fullmatch(r"[0-9a-f]{7,40}(-dirty)?", text):
            prov["commit"] = text
    return prov


def macro_name_ok(metric):
    return re.fullmatch(r"[A-Z0-9_]+", metric) is not None


def numbers_tex(metrics, has_node, ranges, prov):
    out = ["% Generated by report/gen/figures.py from bench/results/: do not edit.",
           r"\providecommand\figdef[3]{\expandafter\def\csname herdfig@#1@#2\endcsname{#3}}"]
    for key in sorted(metrics):
        if not macro_name_ok(key):
            continue
        r = metrics[key]
        unit = r["unit"]
        java, asyncio = number(r["java"]), number(r["asyncio"])
        out.append(rf"\figdef{{{key}}}{{java}}{{{quantity(java, unit)}}}")
        out.append(rf"\figdef{{{key}}}{{asyncio}}{{{quantity(asyncio, unit)}}}")
        out.append(rf"\figdef{{{key}}}{{ratio}}{{{ratio_text(number(r['ratio']))}}}")
        if has_node:
            out.append(rf"\figdef{{{key}}}{{node}}{{{quantity(number(r['node']), unit)}}}")
            out.append(rf"\figdef{{{key}}}{{noderatio}}{{{ratio_text(number(r['node_ratio']))}}}")
        for herd, short in (("java", "java"), ("asyncio", "async")):
            vals = ranges.get((key, herd))
            if vals:
                out.append(rf"\figdef{{{key}}}{{{short}min}}{{{quantity(min(vals), unit)}}}")
                out.append(rf"\figdef{{{key}}}{{{short}max}}{{{quantity(max(vals), unit)}}}")
    def prov_macro(name, value, missing):
        out.append(rf"\newcommand\{name}{{{tex_escape(value) if value else missing}}}")
    prov_macro("BenchWhen", prov["when"], "an unrecorded date")
    prov_macro("BenchRuns", prov["runs"], "?")
    prov_macro("BenchCores", prov["cores"], "?")
    prov_macro("BenchCPU", prov["cpu"], "an unrecorded CPU")
    prov_macro("BenchJava", prov["java"], "?")
    prov_macro("BenchPython", prov["python"], "Python (version not recorded)")
    if prov["commit"]:
        out.append(rf"\newcommand\BenchCommit{{commit \texttt{{{prov['commit']}}}}}")
    else:
        out.append(r"\newcommand\BenchCommit{a commit the results do not record"
                   r" (\texttt{bench/run.sh} records it in \texttt{commit.txt} from now on)}")
    return "\n".join(out) + "\n"


def table_tex(metrics, has_node):
    cols = "l r r" + (" r" if has_node else "") + " r" + (" r" if has_node else "")
    head = r"figure & Java & asyncio" + (r" & Node" if has_node else "") + r" & J/a" \
        + (r" & J/N" if has_node else "") + r" \\"
    out = ["% Generated by report/gen/figures.py from bench/results/summary.csv: do not edit."]
    if has_node:
        # Six columns: smaller and tighter, so that the table still fits one column.
        out.append(r"\footnotesize\setlength\tabcolsep{2.5pt}")
    out += [r"\begin{tabular}{@{}" + cols + r"@{}}", r"\toprule", head, r"\midrule"]
    for key, label in TABLE:
        r = metrics[key]
        unit = r["unit"]
        cells = [label, quantity(number(r["java"]), unit), quantity(number(r["asyncio"]), unit)]
        if has_node:
            cells.append(quantity(number(r["node"]), unit))
        cells.append(ratio_text(number(r["ratio"])))
        if has_node:
            cells.append(ratio_text(number(r["node_ratio"])))
        out.append(" & ".join(cells) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(out) + "\n"


def ratios_dat(metrics):
    out = ["label ratio"]
    for key, label in CHART:
        r = number(metrics[key]["ratio"])
        if r is None or r <= 0 or r == float("inf"):
            continue
        out.append("{%s} %.4f" % (label, r))
    return "\n".join(out) + "\n"


def node_tex(metrics, has_node, prov):
    if not has_node or all(number(metrics[k].get("node")) is None for k, _ in TABLE):
        return ("% Generated by report/gen/figures.py: summary.csv has no node column.\n"
                r"\newcommand\NodeMeasured{0}" "\n"
                r"\newcommand\NodeFigures{Node.js: \emph{" + NOT_MEASURED + r"} (the results in"
                r" \texttt{bench/results/summary.csv} have no \texttt{node} column).}" "\n")
    def f(key, col):
        r = metrics[key]
        return quantity(number(r[col]), r["unit"])
    version = f" (Node {tex_escape(prov['node'])})" if prov.get("node") else ""
    return ("% Generated by report/gen/figures.py from bench/results/summary.csv: do not edit.\n"
            r"\newcommand\NodeMeasured{1}" "\n"
            r"\newcommand\NodeFigures{Measured in the same run" + version + ": one server answered IAMATs at "
            + f("ONE_RATE", "node") + " (Java " + f("ONE_RATE", "java") + ", asyncio "
            + f("ONE_RATE", "asyncio") + "), at " + f("ONE_CPU", "node") + " of herd CPU each (Java "
            + f("ONE_CPU", "java") + ", asyncio " + f("ONE_CPU", "asyncio") + "); three hops under load took "
            + f("PROP_LOAD_P99", "node") + " at p99; an idle connection cost " + f("CAP_PER_CONN_KB", "node")
            + " and a process at rest " + f("REST_MB", "node") + ".}\n")


def read_csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def linkkill_tex(results):
    folder = os.path.join(results, "link-kill")
    need = ["actions.csv", "learned.csv", "links.csv"]
    if not all(os.path.isfile(os.path.join(folder, n)) for n in need):
        return ("% Generated by report/gen/figures.py: bench/results/link-kill/ is absent.\n"
                r"\newcommand\LinkKillMeasured{0}" "\n"
                r"\newcommand\LinkKillFigures{The link-kill experiment: \emph{" + NOT_MEASURED
                + r"} (no \texttt{bench/results/link-kill/} export).}" "\n")
    actions = read_csv_rows(os.path.join(folder, "actions.csv"))
    learned = read_csv_rows(os.path.join(folder, "learned.csv"))
    links = read_csv_rows(os.path.join(folder, "links.csv"))
    ups = sorted((number(r.get("at_us")), set(re.split(r"[^A-Za-z0-9]+", r.get("link", ""))) - {""})
                 for r in links if (r.get("state") or "").lower() == "up" and number(r.get("at_us")) is not None)
    rows = []  # (client, report_time, server, learned_us, first_us, from)
    for r in learned:
        at, after = number(r.get("learned_us")), number(r.get("after_first_us"))
        if at is not None and after is not None:
            rows.append((r.get("client"), r.get("report_time"), r.get("server"), at, at - after, r.get("from") or ""))
    # Healing (the README's definition): a link came up at its "up" row after a restore, a
    # bring-up or Heal all; the LEARNED lines it caused are those at or after that moment of
    # reports first learnt before it, up to the next action; the healing time runs from the
    # link's coming up to the last of them.
    action_times = sorted(number(a.get("at_us")) for a in actions if number(a.get("at_us")) is not None)
    redials, heals = [], []
    for a in actions:
        what = (a.get("action") or "").lower()
        t0 = number(a.get("at_us"))
        if what not in ("restore", "up", "heal") or t0 is None:
            continue
        names = set(re.split(r"[^A-Za-z0-9]+", a.get("target") or "")) - {""}
        if what == "restore":
            later = [u for u, link in ups if u >= t0 and names <= link]
        elif what == "up":
            later = [u for u, link in ups if u >= t0 and names & link]
        else:
            later = [u for u, link in ups if u >= t0]
        if not later:
            continue
        t_up = min(later)
        redials.append(t_up - t0)
        next_action = min((x for x in action_times if x > t0), default=None)
        caused = [at for _, _, _, at, first, _ in rows
                  if at >= t_up and first < t_up and (next_action is None or at < next_action)]
        if caused:
            heals.append(max(caused) - t_up)
    # Propagation per hop, for reports that spread through a whole herd: a learn's hop count
    # follows its "from" back to the origin (from a client); learns a heal caused (a link came
    # up between the report's first learn and this one) are left out.
    by_report = {}
    for row in rows:
        by_report.setdefault((row[0], row[1]), []).append(row)
    per_hop = {}
    for learns in by_report.values():
        hop = {}
        for client, rt, server, at, first, src in sorted(learns, key=lambda x: x[3]):
            if any(first < u <= at for u, _ in ups):
                continue
            if src.startswith("client/"):
                hop[server] = 0
            elif src.startswith("peer/") and src[5:] in hop:
                hop[server] = hop[src[5:]] + 1
                per_hop.setdefault(hop[server], []).append(at - first)
    parts = [f"{len(actions)} actions, {len(learned)} learns of {len(by_report)} reports"]
    if per_hop:
        parts.append("along the path it took, a report was learnt " + ", ".join(
            f"{h} hop{'' if h == 1 else 's'} on " + quantity(statistics.median(v), "µs")
            for h, v in sorted(per_hop.items())) + " after its first server at the median (heals left out)")
    else:
        parts.append("no propagation time could be read")
    if heals:
        parts.append("after a restore or a bring-up the link was up " + quantity(statistics.median(redials), "µs")
                     + " after the click at the median, and every server behind was up to date "
                     + quantity(statistics.median(heals), "µs") + " after that at the median ("
                     + str(len(heals)) + " heals, worst " + quantity(max(heals), "µs") + ")")
    else:
        parts.append("no healing time could be read")
    return ("% Generated by report/gen/figures.py from bench/results/link-kill/: do not edit.\n"
            r"\newcommand\LinkKillMeasured{1}" "\n"
            r"\newcommand\LinkKillFigures{The link-kill experiment (the monitor's headless export): "
            + "; ".join(parts) + ".}\n")


def generate(results, out):
    summary = os.path.join(results, "summary.csv")
    if not os.path.isfile(summary):
        sys.exit(f"figures: {summary} is missing: run bench/run.sh first")
    metrics, has_node = read_summary(summary)
    missing = [k for k, _ in TABLE + CHART if k not in metrics]
    if missing:
        sys.exit(f"figures: {summary} has no row for {', '.join(sorted(set(missing)))}")
    ranges = read_runs(os.path.join(results, "runs.csv"))
    prov = read_provenance(results)
    files = {
        "numbers.tex": numbers_tex(metrics, has_node, ranges, prov),
        "table-main.tex": table_tex(metrics, has_node),
        "ratios.dat": ratios_dat(metrics),
        "node.tex": node_tex(metrics, has_node, prov),
        "linkkill.tex": linkkill_tex(results),
    }
    os.makedirs(out, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description="Writes report/generated/ from bench/results/.")
    p.add_argument("--results", default=os.path.join(root, "bench", "results"))
    p.add_argument("--out", default=os.path.join(root, "report", "generated"))
    a = p.parse_args(argv)
    generate(a.results, a.out)


if __name__ == "__main__":
    main(sys.argv[1:])
