# SPDX-License-Identifier: Apache-2.0
"""nono_py installed the ways a user installs it, then imported and run.

- pip, offline, into a new virtual environment, both ways python/README.md
  gives: a plain environment building in isolation with Debian's wheels
  (python3-setuptools-whl, python3-wheel-whl), and one that sees the system's
  packages, building with its setuptools (--no-build-isolation). The
  installed package then runs against the library built in the tree, which
  it finds by its soname (LD_LIBRARY_PATH) with no NONO_LIBRARY.
- `meson install --destdir` of this build: the package lands in a directory
  the Python that runs Meson imports from, and records where the library
  went.

The sources are copied to a temporary directory first: setuptools writes
build/ and an .egg-info beside pyproject.toml, and the test run leaves
nothing behind in the tree.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
WHEELS = pathlib.Path("/usr/share/python-wheels")
# Debian's python3-venv (python3.X-venv) adds ensurepip to the stdlib.
ENSUREPIP = pathlib.Path(sysconfig.get_paths()["stdlib"]) / "ensurepip"

# Run inside the installed environment: what the package is, where it was
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


def _needs(*packages_and_paths):
    """Skips, naming the Debian packages, where a path is missing; fails in CI.

    scripts/deps --tests installs them, so CI (CI=true) must have them.
    """
    missing = [pkg for pkg, path in packages_and_paths
               if not pathlib.Path(path).exists()]
    if missing:
        why = "needs %s (scripts/deps --tests)" % ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


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


@pytest.fixture
def sources(tmp_path):
    """A copy of python/ and the meson.build its version comes from."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "python", src / "python",
                    ignore=shutil.ignore_patterns("__pycache__", "build",
                                                  "*.egg-info"))
    shutil.copy(ROOT / "meson.build", src / "meson.build")
    return src / "python"


def _probe(python, cwd, **env):
    return json.loads(_run([python, "-c", PROBE], cwd=cwd, env=_env(**env)))


def _check_venv_install(venv, tmp_path):
    library = os.environ.get("NONO_LIBRARY")
    if not library:
        pytest.skip("NONO_LIBRARY is not set (meson test sets it)")
    # The soname the package asks the loader for sits beside libnono.so.
    found = _probe(venv / "bin" / "python", tmp_path,
                   LD_LIBRARY_PATH=os.path.dirname(library))
    site = venv / "lib"
    assert pathlib.Path(found["file"]).is_relative_to(site), \
        "imported from %s, not from the environment" % found["file"]
    assert found["library"] == "libnono.so.0", found
    assert found["version"] == os.environ.get("NONO_VERSION", found[
        "version"]), "the version is meson.build's"
    assert found["query"] == ALLOWED
    if "exec" in found:
        assert found["exec"] == "hello\n"
    installed = {p.name for p in
                 next(site.glob("python3*/site-packages/nono_py")).iterdir()}
    assert "py.typed" in installed, "the package says it is typed"
    assert "_install.py.in" not in installed
    assert "_install.py" not in installed, "pip does not know the library"


def test_pip_installs_offline_into_a_plain_venv(sources, tmp_path):
    _needs(("python3-venv", ENSUREPIP),
           ("python3-setuptools-whl", WHEELS),
           ("python3-wheel-whl", WHEELS))
    if not list(WHEELS.glob("wheel-*.whl")):
        _needs(("python3-wheel-whl", WHEELS / "wheel.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], env=_env())
    _run([venv / "bin" / "pip", "install", "--no-index",
          "--find-links", WHEELS, sources], cwd=tmp_path, env=_env())
    _check_venv_install(venv, tmp_path)


def test_pip_installs_offline_with_the_system_setuptools(sources, tmp_path):
    _needs(("python3-venv", ENSUREPIP),
           ("python3-pip", "/usr/lib/python3/dist-packages/pip"),
           ("python3-setuptools", "/usr/lib/python3/dist-packages/setuptools"),
           ("python3-wheel", "/usr/lib/python3/dist-packages/wheel"))
    venv = tmp_path / "venv"
    # --without-pip: the system's pip, seen through the system's packages,
    # installs into the environment it runs in, and is much faster to set
    # up than a copy of its own.
    _run([sys.executable, "-m", "venv", "--system-site-packages",
          "--without-pip", venv], env=_env())
    _run([venv / "bin" / "python", "-m", "pip", "install", "--no-index",
          "--no-build-isolation", sources], cwd=tmp_path, env=_env())
    _check_venv_install(venv, tmp_path)


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
