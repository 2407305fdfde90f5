# SPDX-License-Identifier: Apache-2.0
"""libnono's error codes as the Python exceptions nono-py raises."""
from __future__ import annotations

import os
from typing import Union

from . import _lib

PathArg = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

# What nono-py raises for each error, as its Rust binding maps nono's
# errors: a missing path is FileNotFoundError, a path of the wrong kind
# and anything unparsable ValueError, an unresolvable path OSError, and a
# sandbox that cannot be applied RuntimeError.
_EXCEPTIONS = {
    _lib.NONO_ENOENT: FileNotFoundError,
    _lib.NONO_ENOTDIR: ValueError,
    _lib.NONO_EISDIR: ValueError,
    _lib.NONO_ECANON: OSError,
    _lib.NONO_EINVAL: ValueError,
    _lib.NONO_EPARSE: ValueError,
    _lib.NONO_ERANGE: ValueError,
    _lib.NONO_ENOMEM: MemoryError,
}

# nono's own wording for the path errors, which libnono reports by code
# alone where a function takes no diag.
_PATH_MESSAGES = {
    _lib.NONO_ENOENT: "Path does not exist: {path}",
    _lib.NONO_ENOTDIR: "Expected a directory but got a file: {path}",
    _lib.NONO_EISDIR: "Expected a file but got a directory: {path}",
    _lib.NONO_ECANON: "Failed to canonicalize path {path}: {why}",
}


def error(code: int, message: str) -> Exception:
    """The exception for a libnono error `code`.

    Like nono-py's, it carries nono's message alone: str(exc) is the
    message, and an OSError's errno and filename stay None.
    """
    return _EXCEPTIONS.get(code, RuntimeError)(message)


def _why_unresolvable(path: str) -> str:
    # libnono says only that the path could not be resolved; the system
    # call that fails on it says why, as nono's message does.
    try:
        os.stat(path)
    except OSError as e:
        if e.strerror:
            return e.strerror
    return _lib.strerror(_lib.NONO_ECANON)


def path_error(code: int, path: str) -> Exception:
    """The exception for an error of allow_path or allow_file on `path`."""
    template = _PATH_MESSAGES.get(code)
    if template is None:
        return error(code, "%s: %s" % (path, _lib.strerror(code)))
    why = _why_unresolvable(path) if code == _lib.NONO_ECANON else ""
    return error(code, template.format(path=path, why=why))


def check(code: int, what: str) -> None:
    """Raises for a negative `code` of a call without diag or path."""
    if code < 0:
        raise error(code, "%s: %s" % (what, _lib.strerror(code)))


def encode_path(path: PathArg) -> bytes:
    """A path argument as the bytes libnono takes."""
    raw = os.fsencode(path)
    if b"\0" in raw:
        raise ValueError("embedded null byte")
    return raw


def encode_text(text: str, what: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError("%s must be str, not %s" % (what,
                                                     type(text).__name__))
    raw = text.encode("utf-8", "surrogateescape")
    if b"\0" in raw:
        raise ValueError("embedded null byte")
    return raw
