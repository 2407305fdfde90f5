# SPDX-License-Identifier: Apache-2.0
"""The package as a whole: every public name is documented.

Public: each name in nono_py.__all__, and each attribute of those classes
whose name does not start with an underscore (enum members aside: each
has a #: comment, as a module's constants do). A name that is not a
class or a function (a type alias) carries its documentation in a #:
comment above its assignment, which Sphinx reads and help() cannot.
"""
import enum
import inspect
import pathlib

import nono_py


def _undocumented_members(cls):
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(cls, enum.EnumMeta) and name in cls.__members__:
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if not (getattr(value, "__doc__", None) or "").strip():
            yield "%s.%s" % (cls.__name__, name)


def _has_comment_doc(name):
    for source in pathlib.Path(nono_py.__file__).parent.glob("*.py"):
        lines = source.read_text().splitlines()
        for i, line in enumerate(lines):
            if line.startswith(name + " =") and i and \
                    lines[i - 1].startswith("#:"):
                return True
    return False


def test_every_public_name_has_a_docstring():
    missing = []
    for name in nono_py.__all__:
        obj = getattr(nono_py, name)
        if inspect.isclass(obj):
            if not (obj.__doc__ or "").strip():
                missing.append(name)
            missing.extend(_undocumented_members(obj))
        elif inspect.isfunction(obj):
            if not (obj.__doc__ or "").strip():
                missing.append(name)
        elif not _has_comment_doc(name):
            missing.append(name)
    assert missing == [], "undocumented: %s" % ", ".join(missing)


def test_the_package_has_a_docstring():
    assert (nono_py.__doc__ or "").strip()
