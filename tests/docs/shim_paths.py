#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fails on any absolute path to the shim in the docs that is not where
the build installs it (issue 20: the README once named a path where the
shim was not, and glibc then runs the program unsandboxed).

    shim_paths.py SOURCE_ROOT PREFIX LIBDIR SHIM_PATH

The docs are written for the two usual prefixes, /usr (the Debian
package) and /usr/local (a default `meson install`), so a path is right
when it is SHIM_PATH with its prefix replaced by either of those. A
libdir with a multiarch triplet (lib/x86_64-linux-gnu) may be written
for any triplet, so that the docs hold on every architecture. macOS
paths (.dylib) are taken with libdir "lib", as Meson has it there.
Paths relative to a build tree (build/shim/libnono_shim.so) and
"$PWD/..." are not install paths and are left alone.
"""
import pathlib
import re
import sys

DOC_GLOBS = ["README.md", "NEWS", "docs/*.md", "docs/*.in", "python/*.md",
             "examples/*", "debian/*.md", "debian/README*"]
# An absolute path: it starts with '/' that follows no path character.
PATH_RE = re.compile(r"(?<![\w.$}/>-])(/[\w.+/-]*?libnono_shim\.(?:so|dylib))\b")


def main():
    root, prefix, libdir, shim = sys.argv[1:5]
    root = pathlib.Path(root)
    if not shim.startswith(prefix.rstrip("/") + "/"):
        # A shim_dir outside the prefix: the docs can only name it as is.
        allowed_res = [re.escape(shim)]
    else:
        rel = shim[len(prefix.rstrip("/")) + 1:]
        if libdir.startswith("/"):
            libdir = libdir[len(prefix.rstrip("/")) + 1:]
        libdir_re = re.escape(libdir)
        if re.fullmatch(r"lib/[\w]+-linux-[\w]+", libdir):
            libdir_re = r"lib/[\w]+-linux-[\w]+"
        if rel.startswith(libdir + "/"):
            rel_re = libdir_re + re.escape(rel[len(libdir):])
        else:
            rel_re = re.escape(rel)
        allowed_res = [r"/usr/(?:local/)?" + rel_re, re.escape(shim)]
        # macOS: the same directory under libdir "lib", a .dylib.
        if rel.startswith(libdir + "/") and rel.endswith(".so"):
            allowed_res.append(r"/usr/(?:local/)?lib" +
                               re.escape(rel[len(libdir):-3]) + r"\.dylib")
    allowed = re.compile("|".join("(?:%s)" % r for r in allowed_res))

    bad = 0
    seen = 0
    for pattern in DOC_GLOBS:
        for path in sorted(root.glob(pattern)):
            if not path.is_file():
                continue
            text = path.read_text(errors="replace")
            for lineno, line in enumerate(text.splitlines(), 1):
                # Roff escapes hyphens; the path is the same.
                line = line.replace("\\-", "-")
                for m in PATH_RE.finditer(line):
                    seen += 1
                    if not allowed.fullmatch(m.group(1)):
                        bad += 1
                        print("%s:%d: %s is not where the shim is "
                              "installed (%s)" % (path.relative_to(root),
                                                  lineno, m.group(1), shim))
    print("checked %d shim paths" % seen)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
