#!/usr/bin/env python3
"""Scores an airflowguard build against tests/charts/expectations.yaml: the share of objects whose verdict
and rules are the expected ones, per render and in total. It reads the expectations as ChartRenderTests
does (an object not listed must be clean; a release-wide finding must be listed under `release:`), but
counts instead of failing, so that an older build can be scored on the same renders.

  tests/charts/score.py [--only PREFIX] [--users] -- COMMAND...
  (--users: only the real users' releases, whose values file starts with a "# source: https://github.com/" line)
  e.g. tests/charts/score.py --only users/ -- dotnet /tmp/old/src/AirflowGuard/bin/Release/net10.0/airflowguard.dll
       tests/charts/score.py -- artifacts/aot/airflowguard

Needs python3 with PyYAML. Prints one line per render with a miss and the totals.
"""
import json
import os
import subprocess
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
only = ""
users = False
while args[:1] in (["--only"], ["--users"]):
    if args[0] == "--users":
        users, args = True, args[1:]
    else:
        only, args = args[1], args[2:]
if args[:1] == ["--"]:
    args = args[1:]
if not args:
    sys.exit(__doc__)

with open(os.path.join(here, "expectations.yaml"), encoding="utf-8") as f:
    renders = [r for r in yaml.safe_load(f)["renders"] if r["file"].startswith(only)]


def from_a_user(render):
    """A real user's release: its values file names the public repository it came from."""
    values = os.path.join(here, render["file"][: -len(".yaml")] + ".values.yaml")
    if not os.path.exists(values):
        return False
    with open(values, encoding="utf-8") as f:
        return f.readline().startswith("# source: https://github.com/")


if users:
    renders = [r for r in renders if from_a_user(r)]

total = right = 0
for render in renders:
    run = subprocess.run(args + ["check", os.path.join(here, render["file"]), "--namespace", "airflow", "--output", "json", "--fail-on", "never"],
                         capture_output=True, text=True)
    expected = {o["object"]: (o["verdict"], sorted(o["rules"] or [])) for o in render["objects"]}
    release = {(r["claim"], r["rule"]) for r in render.get("release") or []}
    got = {}
    got_release = set()
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        report = {"objects": []}
    for obj in report.get("objects", []):
        rules = sorted({f["rule"] for f in obj["findings"] if f["kind"] == "violation"})
        name = obj["object"]
        if name.endswith("(across the release)"):
            claim = name[: name.index(" (")].replace(" ", "/")
            got_release.update((claim, r) for r in rules)
            continue
        oid = f'{obj["kind"]}/{obj.get("namespace") or "airflow"}/{obj["name"]}'
        got[oid] = ("deny" if not obj["allowed"] else "warn" if rules else "clean", rules)
    misses = []
    count = 0
    for oid in sorted(set(expected) | set(got)):
        want = expected.get(oid, ("clean", []))
        have = got.get(oid, ("not checked", []))
        count += 1
        if want != have:
            misses.append(f"  {oid}: expected {want[0]} {want[1]}, got {have[0]} {have[1]}")
    for pair in sorted(release | got_release):
        count += 1
        if (pair in release) != (pair in got_release):
            misses.append(f"  release {pair[1]} on {pair[0]}: {'expected, not reported' if pair in release else 'reported, not expected'}")
    if run.returncode != 0 or run.stderr.strip():
        misses.append(f"  exit {run.returncode}: {run.stderr.strip()[:300]}")
    total += count
    right += count - len([m for m in misses if not m.startswith('  exit')])
    if misses:
        print(f"{render['file']}: {count - len([m for m in misses if not m.startswith('  exit')])}/{count}")
        print("\n".join(misses))
print(f"{right}/{total} objects right ({100.0 * right / max(total, 1):.1f}%) over {len(renders)} renders")
