# SPDX-License-Identifier: Apache-2.0
"""nono_py installed the way a user installs it, then imported and run.

- `meson install --destdir` of this build: the package lands in a directory
  the Python that runs Meson imports from, and records where the library
  went.
"""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Run with the installed package: what the package is, where it was
# imported from, which library it loaded, and that it works.
PROBE = r"""
import importlib.metadata, json, sys
import nono_py
from nono_py import AccessMode, CapabilitySet, QueryContext, sandboxed_exec
caps = CapabilitySet()
caps.allow_path("/tmp", AccessMode.READ)
out = {
    "file": nono_py.__file__,
    "library": nono_py._lib.LIB._name,
    "query": QueryContext(caps).query_path("/tmp/x", AccessMode.READ),
}
try:
    out["version"] = importlib.metadata.version("libnono-py")
except importlib.metadata.PackageNotFoundError:
    out["version"] = None
if nono_py.is_supported():
    caps.allow_path("/", AccessMode.READ)
    out["exec"] = sandboxed_exec(caps, ["echo", "hello"]).stdout.decode()
json.dump(out, sys.stdout)
"""

ALLOWED = {"status": "allowed", "reason": "granted_path",
           "granted_path": "/tmp", "access": "read"}


def _env(**extra):
    """This environment without what points into the tree or at an index."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "NONO_LIBRARY", "LD_LIBRARY_PATH")
           and not k.startswith("PIP_")}
    # No pip.conf either: what installs must come from the command line.
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    env.update(extra)
    return env


def _run(args, **kwargs):
    done = subprocess.run([str(a) for a in args], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kwargs)
    assert done.returncode == 0, "%s failed (%d):\n%s" % (
        " ".join(map(str, args)), done.returncode, done.stdout)
    return done.stdout


def _probe(python, cwd, **env):
    return json.loads(_run([python, "-c", PROBE], cwd=cwd, env=_env(**env)))


def test_meson_install_puts_it_where_the_meson_python_looks(tmp_path):
    meson = os.environ.get("NONO_MESON")
    python = os.environ.get("NONO_MESON_PYTHON")
    if not meson or not python:
        pytest.skip("NONO_MESON and NONO_MESON_PYTHON are not set "
                    "(meson test sets them)")
    prefix = os.environ["NONO_PREFIX"]
    destdir = tmp_path / "destdir"
    _run([meson, "install", "-C", os.environ["NONO_BUILD_ROOT"],
          "--no-rebuild", "--quiet", "--destdir", destdir,
          "--tags", "runtime,python-runtime"])
    inits = list(destdir.rglob("nono_py/__init__.py"))
    assert len(inits) == 1, inits
    package = inits[0].parent
    site = "/" + str(package.parent.relative_to(destdir))

    where = json.loads(_run([python, "-E", "-c",
        "import json, sys, sysconfig; json.dump({'path': sys.path, "
        "'paths': sysconfig.get_paths()}, sys.stdout)"]))
    assert site in where["path"], \
        "%s is not on the sys.path of %s: %s" % (site, python, where["path"])
    if os.path.normpath(prefix) == where["paths"]["data"]:
        assert site == where["paths"]["purelib"]

    # The library's path is recorded, and is where it was installed.
    record = (package / "_install.py").read_text()
    library = os.path.join(prefix, os.environ["NONO_LIBDIR"], "libnono.so.0")
    assert 'LIBRARY = "%s"\n' % library in record
    assert (destdir / library.lstrip("/")).exists()
    # The installed package loads the recorded library and nothing else:
    # pointed at the library's copy under destdir (it is not installed for
    # real), it runs with neither NONO_LIBRARY nor a loader path.
    staged = str(destdir / library.lstrip("/"))
    (package / "_install.py").write_text(record.replace(library, staged))
    found = json.loads(_run(
        [python, "-E", "-c",
         "import sys; sys.path.insert(0, %r)\n%s" % (str(package.parent),
                                                     PROBE)],
        cwd=tmp_path, env=_env()))
    assert found["file"] == str(package / "__init__.py")
    assert found["library"] == staged
    assert found["query"] == ALLOWED
