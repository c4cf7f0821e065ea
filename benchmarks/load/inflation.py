#!/usr/bin/env python3
"""The admission handler at the server against the same handler in a loop, by function.

Takes two `perf script -F ip,sym` outputs of stacks recorded with `perf record -g`: one of
`AirflowGuard.EngineLoop N --handler validate` (no Kestrel, TLS or wrk) and one of the AOT server under wrk,
each with the handler's µs per request (the loop's own figure; the server's from benchmarks/load/split.sh).
Only samples inside AdmissionHandler.Handle count; each side's samples are scaled to its µs per request, and
functions are listed by how much more they cost at the server (own time, or with what they call: --inclusive).

  perf record -F 2999 -g -o loop.data artifacts/engine-loop/AirflowGuard.EngineLoop 8 --handler validate   # from benchmarks/load
  perf record -F 1999 -g -p SERVER_PID -o server.data -- sleep 8                                        # while wrk runs
  perf script -i loop.data -F ip,sym > loop.stacks; perf script -i server.data -F ip,sym > server.stacks
  benchmarks/load/inflation.py loop.stacks 18.6 server.stacks 31.6 [--inclusive] [--top 40]
"""
import argparse
import collections

HANDLER = "AdmissionHandler__Handle"


def stacks(path):
    frames = []
    for line in open(path, errors="replace"):
        line = line.strip()
        if not line:
            if frames:
                yield frames
            frames = []
            continue
        parts = line.split(" ", 1)
        if len(parts) == 2:
            frames.append(parts[1])
    if frames:
        yield frames


def load(path, micros, inclusive):
    cost, samples = collections.Counter(), 0
    for frames in stacks(path):
        inside = next((i for i, f in enumerate(frames) if HANDLER in f), None)  # leaf first: the handler's frame and below
        if inside is None:
            continue
        samples += 1
        for frame in set(frames[:inside + 1]) if inclusive else frames[:1]:
            cost[frame] += 1
    if samples == 0:
        raise SystemExit(f"{path}: no sample inside {HANDLER}")
    return {f: n / samples * micros for f, n in cost.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("loop_stacks")
    parser.add_argument("loop_micros", type=float)
    parser.add_argument("server_stacks")
    parser.add_argument("server_micros", type=float)
    parser.add_argument("--inclusive", action="store_true", help="functions with what they call, not their own time")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    loop = load(args.loop_stacks, args.loop_micros, args.inclusive)
    server = load(args.server_stacks, args.server_micros, args.inclusive)
    print("| function | loop µs/request | server µs/request | difference |\n|---|---:|---:|---:|")
    for f in sorted(set(loop) | set(server), key=lambda f: -(server.get(f, 0) - loop.get(f, 0)))[:args.top]:
        print(f"| `{f[:110]}` | {loop.get(f, 0):.2f} | {server.get(f, 0):.2f} | {server.get(f, 0) - loop.get(f, 0):+.2f} |")


if __name__ == "__main__":
    main()
