#!/usr/bin/env python3
"""Turns the raw samples of benchmarks/load/run.sh (raw.tsv: size, endpoint, metric, side, round,
value) into the markdown tables of docs/performance.md: for each figure the median and the
min–max over the rounds, for each side, and the ratio product / baseline taken per round (each
product run against the baseline run just before it), as median and min–max.

Usage: summarize.py RAW.tsv [--command C] [--commit C] [--machine M] [--tools T] [--settings S]
"""
import argparse
import csv
import os
import statistics
from collections import defaultdict

REVIEWS = {
    "small": ("small", "benchmarks/load/small-review.json", "task pod"),
    "medium": ("medium", "benchmarks/load/scheduler-review.json", "scheduler pod"),
    "large": ("large", "benchmarks/load/large-review.json", "45 containers"),
}
SIDES = ("baseline", "product")


def load(path):
    samples = defaultdict(dict)  # (size, endpoint, metric, side) -> {round: value}
    order = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            case = (row["size"], row["endpoint"])
            if case not in order:
                order.append(case)
            samples[case + (row["metric"], row["side"])][int(row["round"])] = float(row["value"])
    return samples, order


def review_label(size):
    name, path, what = REVIEWS.get(size, (size, None, ""))
    if path and os.path.exists(path):
        kb = os.path.getsize(path) / 1000
        return f"{name} ({kb:.1f} KB, {what})" if kb < 10 else f"{name} ({kb:.0f} KB, {what})"
    return name


def spread(values, fmt):
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))}–{fmt(max(values))})"


def thousands(v):
    return f"{v:,.0f}"


def micros(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def millis(v):
    return f"{v / 1000:.2f}"


def mib(v):
    return f"{v / 1024:.0f}"


def ratio_fmt(v):
    return f"{v:.2f}"


class Figures:
    def __init__(self, samples):
        self.samples = samples

    def values(self, case, metric, side):
        return list(self.samples.get(case + (metric, side), {}).values())

    def ratios(self, case, metric, against="baseline"):
        base = self.samples.get(case + (metric, against), {})
        prod = self.samples.get(case + (metric, "product"), {})
        return [prod[r] / base[r] for r in sorted(prod) if r in base and base[r] > 0]

    def median(self, case, metric, side=None, against="baseline"):
        values = self.ratios(case, metric, against) if side is None else self.values(case, metric, side)
        return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("raw")
    for option in ("command", "commit", "machine", "tools", "settings"):
        parser.add_argument(f"--{option}", default="")
    args = parser.parse_args()
    samples, order = load(args.raw)
    fig = Figures(samples)
    out = []
    w = out.append

    w("# Load benchmark: AirflowGuard against an empty Kestrel handler, both Native AOT")
    w("")
    w(f"- command: `{args.command}`" if args.command else "- command: `benchmarks/load/run.sh`")
    for label, value in (("commit", args.commit), ("machine", args.machine), ("tools", args.tools), ("runs", args.settings)):
        if value:
            w(f"- {label}: {value}")
    w("- method: alternating rounds (baseline, AirflowGuard, baseline, …), a fresh server per run; "
      "HTTP/1.1 keep-alive over TLS 1.3 on localhost, the load generator on the same cores; "
      "AirflowGuard is `serve --dev` with decision logging on (stdout to /dev/null). "
      "Each cell: median (min–max) over the rounds; ratios are AirflowGuard / the baseline run just before it, per round.")
    w("")

    w("## Saturation (wrk -t2 -c32)")
    w("")
    w("| review | endpoint | empty handler, req/s | tokenize-only, req/s | AirflowGuard, req/s | ratio to empty | ratio to tokenize-only |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for case in order:
        w(f"| {review_label(case[0])} | /{case[1]} | {spread(fig.values(case, 'rps', 'baseline'), thousands)} | "
          f"{spread(fig.values(case, 'rps', 'tokenize'), thousands)} | "
          f"{spread(fig.values(case, 'rps', 'product'), thousands)} | {spread(fig.ratios(case, 'rps'), ratio_fmt)} | "
          f"{spread(fig.ratios(case, 'rps', 'tokenize'), ratio_fmt)} |")
    w("")

    w("## Server CPU per request (utime + stime over the wrk run / requests completed)")
    w("")
    w("| review | endpoint | empty handler, µs | tokenize-only, µs | AirflowGuard, µs | ratio to empty | ratio to tokenize-only |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for case in order:
        w(f"| {review_label(case[0])} | /{case[1]} | {spread(fig.values(case, 'cpu_us', 'baseline'), micros)} | "
          f"{spread(fig.values(case, 'cpu_us', 'tokenize'), micros)} | "
          f"{spread(fig.values(case, 'cpu_us', 'product'), micros)} | {spread(fig.ratios(case, 'cpu_us'), lambda v: f'{v:.1f}×')} | "
          f"{spread(fig.ratios(case, 'cpu_us', 'tokenize'), lambda v: f'{v:.1f}×')} |")
    w("")

    w("## Latency at a constant rate (h2load --h1, 100 req/s per connection, one request in flight each)")
    w("")
    w("| review | endpoint | rate, req/s | empty handler p50 / p99, ms | AirflowGuard p50 / p99, ms | AirflowGuard achieved, req/s | p99 ratio |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for case in order:
        rates = sorted({int(m.split("_")[0][4:]) for (s, e, m, _) in samples if (s, e) == case and m.startswith("rate")})
        for rate in rates:
            cells = []
            for side in SIDES:
                p50 = fig.median(case, f"rate{rate}_p50_us", side)
                p99 = fig.values(case, f"rate{rate}_p99_us", side)
                cells.append(f"{millis(p50) if p50 is not None else '–'} / {spread(p99, millis)}")
            achieved = fig.values(case, f"rate{rate}_achieved", "product")
            w(f"| {review_label(case[0])} | /{case[1]} | {rate:,} | {cells[0]} | {cells[1]} | "
              f"{spread(achieved, thousands)} | {spread(fig.ratios(case, f'rate{rate}_p99_us'), ratio_fmt)} |")
    w("")

    w("## Latency at saturation (wrk, the same runs)")
    w("")
    w("| review | endpoint | empty handler p50 / p99, ms | AirflowGuard p50 / p99, ms |")
    w("|---|---|---:|---:|")
    for case in order:
        cells = []
        for side in SIDES:
            p50 = fig.median(case, "wrk_p50_us", side)
            cells.append(f"{millis(p50) if p50 is not None else '–'} / {spread(fig.values(case, 'wrk_p99_us', side), millis)}")
        w(f"| {review_label(case[0])} | /{case[1]} | {cells[0]} | {cells[1]} |")
    w("")

    w("## Memory under load (server process during the wrk run, MiB)")
    w("")
    w("| review | endpoint | empty handler peak (VmHWM) | AirflowGuard peak (VmHWM) | AirflowGuard after the run (VmRSS) |")
    w("|---|---|---:|---:|---:|")
    for case in order:
        w(f"| {review_label(case[0])} | /{case[1]} | {spread(fig.values(case, 'hwm_kib', 'baseline'), mib)} | "
          f"{spread(fig.values(case, 'hwm_kib', 'product'), mib)} | {spread(fig.values(case, 'rss_kib', 'product'), mib)} |")
    w("")

    errors = {side: sum(v for (s, e, m, sd), rounds in samples.items() if sd == side and m.endswith("errors") for v in rounds.values())
              for side in SIDES + ("tokenize",)}
    w(f"Errors (socket errors, timeouts, non-2xx answers) over all runs: empty handler {errors['baseline']:.0f}, "
      f"tokenize-only {errors['tokenize']:.0f}, AirflowGuard {errors['product']:.0f}.")
    w("")

    targets = []
    medium, large = ("medium", "validate"), ("large", "validate")

    def target(label, value, goal, met, fmt):
        if value is not None:
            targets.append(f"| {label} | {fmt(value)} | {goal} | {'met' if met(value) else '**not met**'} |")

    medium_mutate, large_mutate = ("medium", "mutate"), ("large", "mutate")
    for case, goal in ((medium, 0.80), (medium_mutate, 0.80), (large, 0.70), (large_mutate, 0.70)):
        target(f"saturation ratio to tokenize-only, {case[0]} review, /{case[1]}", fig.median(case, "rps", against="tokenize"),
               f"≥ {goal:.2f}", lambda v, g=goal: v >= g, ratio_fmt)
    target("CPU per request ratio to tokenize-only, medium review, /validate", fig.median(medium, "cpu_us", against="tokenize"), "≤ 1.3×", lambda v: v <= 1.3, lambda v: f"{v:.1f}×")
    target("p99 at 1,000 req/s, medium review, /validate", fig.median(medium, "rate1000_p99_us", "product"), "< 2 ms", lambda v: v < 2000, lambda v: f"{millis(v)} ms")
    target("p99 at 5,000 req/s, medium review, /validate", fig.median(medium, "rate5000_p99_us", "product"), "< 5 ms", lambda v: v < 5000, lambda v: f"{millis(v)} ms")
    target("peak RSS under load, large review, /validate", fig.median(large, "hwm_kib", "product"), "< 100 MB", lambda v: v * 1024 < 100e6, lambda v: f"{v * 1024 / 1e6:.0f} MB ({mib(v)} MiB)")
    if targets:
        w("## Against the targets of issue 27 (medians; throughput and CPU against the tokenize-only handler)")
        w("")
        w("| figure | measured | target | |")
        w("|---|---:|---|---|")
        out.extend(targets)
        w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
