#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prints where `meson install` puts nono_py: a directory this Python imports from.

Run by Meson with the interpreter that runs it, under -E (PYTHONPATH is
no place to install to). Arguments: the prefix, and the directory Meson's
python module chose (absolute, or relative to the prefix).

Meson's choice is kept when this interpreter searches it. It is not on
Debian with the default prefix: Meson takes the prefix-relative path of
Debian's deb_system scheme (lib/python3/dist-packages), right under /usr
but not under /usr/local, where Debian's python3 searches
lib/python3.X/dist-packages instead. Then the first site directory on
sys.path under the prefix is used. With none (a prefix this Python knows
nothing of), Meson's choice stays, and a second line says so: the
package is then found only through PYTHONPATH.
"""
import os
import sys


def main() -> int:
    prefix, chosen = sys.argv[1], sys.argv[2]
    chosen = os.path.normpath(os.path.join(prefix, chosen))
    searched = [os.path.normpath(p) for p in sys.path if os.path.isabs(p)]
    if chosen in searched:
        print(chosen)
        return 0
    under = os.path.join(os.path.normpath(prefix), "")
    for path in searched:
        if path.startswith(under) and \
                os.path.basename(path) in ("site-packages", "dist-packages"):
            print(path)
            return 0
    print(chosen)
    print("nono_py goes to %s, which %s does not search: set PYTHONPATH "
          "to use it" % (chosen, sys.executable))
    return 0


if __name__ == "__main__":
    sys.exit(main())
