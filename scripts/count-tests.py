#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Counts test cases in meson's testlog.json and prints 'N passed, N failed'.

A test run with the TAP protocol counts one per 'ok'/'not ok' line (a
skipped case counts as skipped); any other test counts once, by its result.
Exits 1 when anything failed or nothing ran.
"""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b(.*)$")

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
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
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
        if cases == 0:
            result = entry.get("result", "")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
        elif entry.get("result") not in ("OK", "EXPECTEDFAIL", "SKIP"):
            # The executable failed beyond its cases (crash, timeout).
            failed += 1

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
