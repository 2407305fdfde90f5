#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Counts test cases in meson testlog.json files and prints one line:
'N passed, N failed' (', N skipped' when some were).

  count-tests.py [--failed N] TESTLOG.json...

Several logs (the plain run, the Valgrind run, the sanitizer run) add up to
one line. A test run with the TAP protocol counts one per 'ok'/'not ok'
line (a skipped case counts as skipped); any other test counts once, by its
result; an executable that failed beyond its cases (a crash, a timeout, a
sanitizer report at exit) counts one more failure. A log that is missing
counts as one failure (its run never happened), and so does each of the N
given with --failed (a build step that failed before any test ran).
Exits 1 when anything failed or nothing ran.
"""
import argparse
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b(.*)$")


def count(path, totals):
    with open(path, encoding="utf-8") as log:
        for line in log:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            cases = 0
            for out_line in (entry.get("stdout") or "").splitlines():
                m = TAP.match(out_line)
                if not m:
                    continue
                cases += 1
                directive = m.group(2).upper()
                if "# SKIP" in directive:
                    totals["skipped"] += 1
                elif m.group(1) == "ok":
                    totals["passed"] += 1
                else:
                    totals["failed"] += 1
            result = entry.get("result", "")
            if cases == 0:
                if result in ("OK", "EXPECTEDFAIL"):
                    totals["passed"] += 1
                elif result == "SKIP":
                    totals["skipped"] += 1
                else:
                    totals["failed"] += 1
            elif result not in ("OK", "EXPECTEDFAIL", "SKIP"):
                totals["failed"] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--failed", type=int, default=0,
                        help="failures to add (steps that failed to run)")
    parser.add_argument("logs", nargs="*")
    args = parser.parse_args()

    totals = {"passed": 0, "failed": args.failed, "skipped": 0}
    for path in args.logs:
        try:
            count(path, totals)
        except FileNotFoundError:
            print(f"count-tests: {path} is missing: counted as a failure",
                  file=sys.stderr)
            totals["failed"] += 1

    line = f"{totals['passed']} passed, {totals['failed']} failed"
    if totals["skipped"]:
        line += f", {totals['skipped']} skipped"
    print(line)
    return 1 if totals["failed"] or totals["passed"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
