# SPDX-License-Identifier: Apache-2.0
"""What pyproject.toml leaves to setuptools: the version and the files.

The version is kept in one place, the project() call of ../meson.build,
and read from there when the package is built; an sdist carries it in
its PKG-INFO instead, as it has no meson.build beside it.
"""
import pathlib
import re

from setuptools import setup

HERE = pathlib.Path(__file__).resolve().parent


def version() -> str:
    meson_build = HERE.parent / "meson.build"
    if meson_build.is_file():
        found = re.search(r"^project\(.*?\bversion\s*:\s*'([^']+)'",
                          meson_build.read_text(), re.M | re.S)
        if not found:
            raise SystemExit("setup.py: no version in the project() "
                             "call of %s" % meson_build)
        return found.group(1)
    pkg_info = HERE / "PKG-INFO"
    if pkg_info.is_file():
        found = re.search(r"^Version: (\S+)$", pkg_info.read_text(), re.M)
        if found:
            return found.group(1)
    raise SystemExit("setup.py: cannot tell the version: %s is not there "
                     "(build from the libnono source tree)" % meson_build)


setup(
    version=version(),
    packages=["nono_py"],
    # Only what is listed: not _install.py.in, which `meson install` fills
    # in; a pip install finds libnono through the loader instead.
    include_package_data=False,
    package_data={"nono_py": ["py.typed"]},
)
