#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The man pages and docs hold what they promise (issue 20).

    man_pages.py SOURCE_ROOT BUILD_DOCS_DIR NONO

 - nono-policy(5) documents every key of docs/policy.md's list (both are
   printed from conf/keys.c: this catches a page built from a stale table
   or a marker lost from the template);
 - nono(1) has a section for every subcommand `nono --help` lists;
 - groff, where installed, reads every page without a warning;
 - the docs in the repository cite only files that are in it.
Prints one line per problem; exits 1 if there was any.
"""
import pathlib
import re
import shutil
import subprocess
import sys

PAGES = ["nono.1", "nono-policy.5", "libnono.3", "libnono_shim.7"]
# Repository paths as the docs cite them: a top-level directory, then a
# file name with an extension.
CITED_RE = re.compile(
    r"(?<![\w./-])((?:docs|spec|conf|core|cli|shim|tests|scripts|examples|"
    r"python|bench|compat|meson|debian)/[\w./-]*\.(?:md|c|h|ini|in|py|txt))\b")


def main():
    root = pathlib.Path(sys.argv[1])
    built = pathlib.Path(sys.argv[2])
    nono = sys.argv[3]
    problems = []

    policy_md = (root / "docs" / "policy.md").read_text()
    keys_md = policy_md.split("<!-- keys:begin -->")[1].split(
        "<!-- keys:end -->")[0]
    page5 = (built / "nono-policy.5").read_text()
    section = None
    for line in keys_md.splitlines():
        m = re.match(r"### `\[(\w+)\]`", line)
        if m:
            section = m.group(1)
            if ".SS \\fB[%s]\\fR" % section not in page5:
                problems.append("nono-policy.5: no section [%s]" % section)
        m = re.match(r"\| `(\w+)` \|", line)
        if m and "\\fB%s\\fR = " % m.group(1).replace("-", "\\-") \
                not in page5:
            problems.append("nono-policy.5: key %s in [%s] missing" %
                            (m.group(1), section))

    page1 = (built / "nono.1").read_text()
    helptext = subprocess.run([nono, "--help"], capture_output=True,
                              text=True, check=True).stdout
    commands = re.findall(r"^  (\w+) ", helptext.split("Commands:")[1],
                          re.M)
    if not commands:
        problems.append("nono --help lists no commands")
    for cmd in commands:
        if ".SS nono %s\n" % cmd not in page1:
            problems.append("nono.1: no section for nono %s" % cmd)

    groff = shutil.which("groff")
    for page in PAGES:
        path = built / page
        if not path.is_file():
            problems.append("%s was not built" % page)
            continue
        if groff:
            r = subprocess.run([groff, "-man", "-ww", "-z", "-Tutf8",
                                str(path)], capture_output=True, text=True)
            if r.returncode != 0 or r.stderr.strip():
                problems.append("%s: groff: %s" % (page, r.stderr.strip()))

    docs = [root / "README.md"] + sorted((root / "docs").glob("*.md")) + \
        sorted((root / "docs").glob("*.in"))
    for doc in docs:
        for lineno, line in enumerate(doc.read_text().splitlines(), 1):
            for m in CITED_RE.finditer(line):
                cited = m.group(1).rstrip(".")
                if not (root / cited).exists():
                    problems.append("%s:%d: cites %s, which is not in the "
                                    "repository" % (doc.relative_to(root),
                                                    lineno, cited))

    for p in problems:
        print(p)
    print("%d keys pages, %d commands checked" % (len(PAGES), len(commands)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
