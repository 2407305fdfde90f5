# SPDX-License-Identifier: Apache-2.0
"""QueryContext over nono_query: what would be allowed, without applying."""
from __future__ import annotations

import ctypes
import json
import weakref
from typing import Any, Dict, List, Optional, Union

from . import _lib
from ._caps import AccessMode, CapabilitySet, _check_mode, _check_port, \
    _check_type
from ._errors import PathArg, check, encode_path, error
from ._lib import LIB

#: A query's answer, the dictionary nono-py returns, e.g.
#: {'status': 'allowed', 'reason': 'granted_path', 'granted_path': '/tmp',
#: 'access': 'read'}. Only a TCP query's "port" is not a string.
QueryResult = Dict[str, Union[str, int]]

#: One rule an explanation rests on: {'original': ..., 'resolved': ...,
#: 'access': 'read', 'is_file': False, 'file': 'p.ini', 'line': 3}, with
#: file and line None where the rule was given without them.
QueryRule = Dict[str, Any]


def _text(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def _rule(rule: _lib.QueryRule) -> QueryRule:
    access = LIB.nono_access_str(rule.access) if rule.access else None
    return {
        "original": _text(rule.original),
        "resolved": _text(rule.resolved),
        "access": None if access is None else access.decode(),
        "is_file": bool(rule.is_file),
        "file": _text(rule.origin_file),
        "line": rule.origin_line or None,
    }


def _as_dict(result: _lib.QueryResult) -> QueryResult:
    # libnono writes the dictionary itself (keys in nono's order), so that
    # the C library stays the one place that decides what a result says.
    text = _lib.take_string(LIB.nono_query_result_json(ctypes.byref(result)))
    if text is None:
        raise MemoryError("query result")
    answer: QueryResult = json.loads(text)
    return answer


class QueryContext:
    """Asks what a capability set allows without applying it.

    The context is a snapshot: later changes to the set do not show.
    """

    __slots__ = ("_ptr", "_finalizer", "__weakref__")

    def __init__(self, caps: CapabilitySet) -> None:
        _check_type(caps, CapabilitySet, "caps")
        out = ctypes.c_void_p()
        check(LIB.nono_query_new(caps._ptr, ctypes.byref(out)),
              "QueryContext")
        self._ptr = out.value
        self._finalizer = weakref.finalize(self, LIB.nono_query_free,
                                           self._ptr)

    def query_path(self, path: PathArg, mode: AccessMode) -> QueryResult:
        """Would `mode` on `path` be allowed?

        Returns one of:
            {'status': 'allowed', 'reason': 'granted_path',
             'granted_path': P, 'access': A}
            {'status': 'denied', 'reason': 'path_not_granted'}
            {'status': 'denied', 'reason': 'insufficient_access',
             'granted': A, 'requested': A}
        Where several grants cover the path the most specific answers.
        """
        value = _check_mode(mode)
        result = _lib.QueryResult()
        check(LIB.nono_query_path(self._ptr, encode_path(path), value,
                                  ctypes.byref(result)), "query_path")
        return _as_dict(result)

    def explain_path(self, path: PathArg,
                     mode: AccessMode) -> Dict[str, Any]:
        """query_path's answer, and what it rests on (libnono addition).

        The dictionary query_path returns, with three more keys:
        'canonical_path', the path judged (symlinks followed as far as
        the path exists); 'grants', the grants the answer rests on, the
        most specific first (QueryRule dictionaries, one per policy line,
        each with its 'file' and 'line'); and 'deny', the deny rule that
        decides, or None.
        """
        value = _check_mode(mode)
        out = ctypes.c_void_p()
        check(LIB.nono_query_path_explain(self._ptr, encode_path(path),
                                          value, ctypes.byref(out)),
              "explain_path")
        try:
            x = ctypes.cast(out, ctypes.POINTER(_lib.QueryExplanation))[0]
            answer: Dict[str, Any] = dict(_as_dict(x.result))
            answer["canonical_path"] = _text(x.canonical_path)
            grants: List[QueryRule] = [
                _rule(x.grants[i]) for i in range(x.grant_count)]
            answer["grants"] = grants
            answer["deny"] = _rule(x.deny[0]) if x.deny else None
        finally:
            LIB.nono_query_explanation_free(out)
        return answer

    def query_network(self) -> QueryResult:
        """Would outbound network access be allowed?

        {'status': 'allowed', 'reason': 'network_allowed'} or
        {'status': 'denied', 'reason': 'network_blocked'}; with TCP port
        exceptions, denied with 'network_blocked_except_ports' (libnono).
        """
        result = _lib.QueryResult()
        check(LIB.nono_query_network(self._ptr, ctypes.byref(result)),
              "query_network")
        return _as_dict(result)

    def _query_tcp(self, op: int, port: int) -> QueryResult:
        result = _lib.QueryResult()
        rc = LIB.nono_query_tcp(self._ptr, op, _check_port(port),
                                ctypes.byref(result))
        if rc == _lib.NONO_ERANGE:
            raise error(rc, "port %d out of range 1..65535" % port)
        check(rc, "query_tcp")
        return _as_dict(result)

    def query_tcp_connect(self, port: int) -> QueryResult:
        """Would a TCP connect to `port` be allowed? (libnono addition)

        {'status': 'allowed', 'reason': 'network_allowed', 'op': 'connect',
        'port': 443}; with the network blocked, 'tcp_port_granted' for a
        port exception, else denied with 'network_blocked'.

        Raises:
            ValueError: the port is not in 1..65535.
        """
        return self._query_tcp(_lib.NONO_TCP_CONNECT, port)

    def query_tcp_bind(self, port: int) -> QueryResult:
        """Would listening on TCP `port` be allowed? (libnono addition)"""
        return self._query_tcp(_lib.NONO_TCP_BIND, port)
