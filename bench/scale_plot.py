#!/usr/bin/python3
"""Draws bench/scale_curve.sh's figures as an SVG and states how each grows.

    scale_plot.py SCALE.tsv OUT.svg

Each panel is one figure against the number of subjects, both axes
logarithmic, with the issue 22 target where there is one. Growth is the
exponent k of figure ~ subjects^k between the smallest and the largest
size: flat (|k| < 0.1), logarithmic-like (0.1-0.5), sub-linear (0.5-0.85),
linear (0.85-1.15), super-linear beyond. Prints a Markdown table of the
figures and the growth of each. Standard library only.
"""

import csv
import math
import sys

# (title, unit, [(column, label, scale)], target or None, lower is better)
PANELS = [
    ("Import rate", "events/s", [("import_per_s", "vigil import", 1),
                                  ("floor_per_s", "raw-line floor", 1)], None, False),
    ("Database on disk", "bytes/subject", [("db_bytes", "SQLite file + WAL", "per")], None, True),
    ("Resident memory", "MiB", [("rss_index_kb", "index (in process)", 1 / 1024),
                                ("rss_start_kb", "serve after start", 1 / 1024),
                                ("rss_after_kb", "serve after searches", 1 / 1024)],
     ("index ≤ 4 GiB", 4096), True),
    ("Start-up", "s", [("startup_s", "serve: to first answer", 1),
                       ("load_s", "index load (in process)", 1),
                       ("restart_s", "serve: restart from its snapshot", 1)], ("≤ 30 s", 30), True),
    ("Search in process", "µs", [("probe_p50_us", "p50", 1), ("probe_p99_us", "p99", 1)],
     ("p99 ≤ 2 ms", 2000), True),
    ("Search over HTTP, under load", "ms", [("http_p50_ms", "p50", 1), ("http_p99_ms", "p99", 1)],
     ("p99 ≤ 5 ms", 5), True),
    ("Throughput over HTTP", "requests/s", [("http_rps", "vigil search", 1),
                                             ("nginx_rps", "nginx, static file", 1)], None, False),
]
COLOURS = ["#0b6e99", "#c2410c", "#4d7c0f"]


def growth(k):
    if abs(k) < 0.1:
        return "flat"
    if k < 0:
        return "falling"
    if k < 0.5:
        return "logarithmic-like"
    if k < 0.85:
        return "sub-linear"
    if k <= 1.15:
        return "linear"
    return "super-linear"


def values(rows, column, scale):
    out = []
    for r in rows:
        v = float(r[column])
        out.append(v / float(r["subjects"]) if scale == "per" else v * scale)
    return out


def exponent(xs, ys):
    if len(xs) < 2 or ys[0] <= 0 or ys[-1] <= 0:
        return 0.0
    return math.log(ys[-1] / ys[0]) / math.log(xs[-1] / xs[0])


def human(v):
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= limit:
            return f"{v / limit:.3g}{suffix}"
    return f"{v:.3g}"


def panel(svg, x0, y0, w, h, title, unit, series, target, xs):
    left, right, top, bottom = 58, 12, 34, 40
    pw, ph = w - left - right, h - top - bottom
    all_y = [v for _, _, ys in series for v in ys if v > 0]
    if target:
        all_y.append(target[1])
    lo, hi = math.log10(min(all_y)) - 0.15, math.log10(max(all_y)) + 0.15
    if hi - lo < 1:
        mid = (hi + lo) / 2
        lo, hi = mid - 0.5, mid + 0.5
    xlo, xhi = math.log10(xs[0]) - 0.1, math.log10(xs[-1]) + 0.1

    def px(x):
        return x0 + left + (math.log10(x) - xlo) / (xhi - xlo) * pw

    def py(y):
        return y0 + top + (hi - math.log10(y)) / (hi - lo) * ph

    svg.append(f'<text x="{x0 + left}" y="{y0 + 16}" class="t">{title}</text>')
    svg.append(f'<text x="{x0 + left}" y="{y0 + 29}" class="u">{unit}, log scale</text>')
    svg.append(f'<rect x="{x0 + left}" y="{y0 + top}" width="{pw}" height="{ph}" class="f"/>')
    for e in range(math.ceil(lo), math.floor(hi) + 1):
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo <= math.log10(v) <= hi:
                y = py(v)
                svg.append(f'<line x1="{x0 + left}" x2="{x0 + left + pw}" y1="{y:.1f}" y2="{y:.1f}" class="g"/>')
                svg.append(f'<text x="{x0 + left - 4}" y="{y + 3:.1f}" class="a" text-anchor="end">{human(v)}</text>')
    for x in xs:
        svg.append(f'<text x="{px(x):.1f}" y="{y0 + top + ph + 14}" class="a" text-anchor="middle">{human(x)}</text>')
    svg.append(f'<text x="{x0 + left + pw / 2}" y="{y0 + top + ph + 28}" class="a" text-anchor="middle">subjects</text>')
    if target:
        y = py(target[1])
        svg.append(f'<line x1="{x0 + left}" x2="{x0 + left + pw}" y1="{y:.1f}" y2="{y:.1f}" class="tg"/>')
        svg.append(f'<text x="{x0 + left + pw - 2}" y="{y - 3:.1f}" class="a" text-anchor="end">target {target[0]}</text>')
    for i, (label, k, ys) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys) if y > 0)
        svg.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in zip(xs, ys):
            if y > 0:
                svg.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = y0 + top + 12 + 13 * i
        svg.append(f'<text x="{x0 + left + 6}" y="{ly}" class="l" fill="{colour}">{label} (k={k:.2f}, {growth(k)})</text>')


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scale_plot.py SCALE.tsv OUT.svg")
    with open(sys.argv[1]) as f:
        rows = sorted(csv.DictReader(f, delimiter="\t"), key=lambda r: int(r["subjects"]))
    if not rows:
        sys.exit(f"scale_plot: {sys.argv[1]} holds no row")
    xs = [int(r["subjects"]) for r in rows]
    cols, w, h = 2, 440, 250
    n_rows = math.ceil(len(PANELS) / cols)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{cols * w}" height="{n_rows * h + 30}" '
           f'viewBox="0 0 {cols * w} {n_rows * h + 30}" font-family="sans-serif">',
           "<title>vigil scale curve: bench/scale_curve.sh</title>",
           "<style>.t{font-size:13px;font-weight:bold}.u,.a{font-size:10px;fill:#444}"
           ".l{font-size:10px}.f{fill:#fafafa;stroke:#999}.g{stroke:#ddd}"
           ".tg{stroke:#b91c1c;stroke-dasharray:5 3}</style>",
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="{n_rows * h + 20}" class="a">bench/scale_curve.sh, sizes '
           f'{", ".join(human(x) for x in xs)}; k: figure ~ subjects^k from the smallest to the '
           f"largest size</text>"]
    growth_lines = []
    for i, (title, unit, columns, target, _) in enumerate(PANELS):
        series = []
        for column, label, scale in columns:
            if column not in rows[0]:
                continue  # a TSV from before the column existed
            ys = values(rows, column, scale)
            k = exponent(xs, ys)
            series.append((label, k, ys))
            growth_lines.append(f"| {title}: {label} | {unit} | "
                                + " | ".join(human(y) for y in ys) + f" | {k:.2f} {growth(k)} |")
        panel(svg, (i % cols) * w, (i // cols) * h, w, h, title, unit, series, target, xs)
    svg.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(svg) + "\n")
    print("| figure | unit | " + " | ".join(human(x) for x in xs) + " | growth (k) |")
    print("|---|---|" + "---|" * len(xs) + "---|")
    print("\n".join(growth_lines))
    ratio = [float(r["http_rps"]) / float(r["nginx_rps"]) for r in rows]
    floor = [float(r["import_per_s"]) / float(r["floor_per_s"]) for r in rows]
    print("| HTTP searches/s ÷ nginx (same answer size) | ratio | "
          + " | ".join(f"{v:.2f}" for v in ratio) + " | |")
    print("| import ÷ raw-line floor | ratio | " + " | ".join(f"{v:.2f}" for v in floor) + " | |")


if __name__ == "__main__":
    main()
