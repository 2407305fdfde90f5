# SPDX-License-Identifier: Apache-2.0
"""QueryContext: the dictionaries of nono-py, and snapshot semantics."""
import os

import pytest

from nono_py import AccessMode, CapabilitySet, QueryContext


def test_query_path_allowed_denied_and_insufficient(tmp_path):
    d = os.path.realpath(tmp_path)
    caps = CapabilitySet()
    caps.allow_path(d, AccessMode.READ)
    ctx = QueryContext(caps)
    assert ctx.query_path(d + "/file.txt", AccessMode.READ) == {
        "status": "allowed", "reason": "granted_path",
        "granted_path": d, "access": "read"}
    assert ctx.query_path(d + "/file.txt", AccessMode.WRITE) == {
        "status": "denied", "reason": "insufficient_access",
        "granted": "read", "requested": "write"}
    assert ctx.query_path(d + "x/file.txt", AccessMode.READ) == {
        "status": "denied", "reason": "path_not_granted"}


def test_query_result_keys_are_in_nono_order(tmp_path):
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ)
    ctx = QueryContext(caps)
    allowed = ctx.query_path(str(tmp_path), AccessMode.READ)
    denied = ctx.query_path(str(tmp_path), AccessMode.READ_WRITE)
    assert list(allowed) == ["status", "reason", "granted_path", "access"]
    assert list(denied) == ["status", "reason", "granted", "requested"]


def test_most_specific_grant_answers(tmp_path):
    inner = tmp_path / "inner"
    inner.mkdir()
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ)
    caps.allow_path(str(inner), AccessMode.WRITE)
    ctx = QueryContext(caps)
    # The access of all covering grants adds up, as in the kernel, so
    # READ_WRITE is allowed beneath `inner`; the innermost grant answers.
    result = ctx.query_path(str(inner / "x"), AccessMode.READ_WRITE)
    assert result["status"] == "allowed"
    assert result["granted_path"] == os.path.realpath(inner)
    assert ctx.query_path(str(tmp_path / "x"), AccessMode.READ_WRITE) == {
        "status": "denied", "reason": "insufficient_access",
        "granted": "read", "requested": "read+write"}


def test_query_network():
    caps = CapabilitySet()
    assert QueryContext(caps).query_network() == {
        "status": "allowed", "reason": "network_allowed"}
    caps.block_network()
    assert QueryContext(caps).query_network() == {
        "status": "denied", "reason": "network_blocked"}


def test_context_is_a_snapshot(tmp_path):
    caps = CapabilitySet()
    ctx = QueryContext(caps)
    caps.allow_path(str(tmp_path), AccessMode.READ)
    caps.block_network()
    assert ctx.query_path(str(tmp_path), AccessMode.READ)["status"] == \
        "denied"
    assert ctx.query_network()["status"] == "allowed"
    # And it outlives the set it was made from.
    ctx2 = QueryContext(caps)
    del caps
    assert ctx2.query_path(str(tmp_path), AccessMode.READ)["status"] == \
        "allowed"


def test_query_path_with_a_missing_tail_and_dots(tmp_path):
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path / "."), AccessMode.READ)
    ctx = QueryContext(caps)
    outside = str(tmp_path / "missing" / ".." / ".." / "elsewhere")
    assert ctx.query_path(outside, AccessMode.READ)["status"] == "denied"
    inside = str(tmp_path / "missing" / ".." / "x")
    assert ctx.query_path(inside, AccessMode.READ)["status"] == "allowed"


def test_query_argument_errors(tmp_path):
    ctx = QueryContext(CapabilitySet())
    with pytest.raises(TypeError):
        ctx.query_path(str(tmp_path), "read")
    with pytest.raises(ValueError):
        ctx.query_path("/tmp\0", AccessMode.READ)
    with pytest.raises(TypeError):
        QueryContext(None)


def test_query_tcp():
    caps = CapabilitySet()
    ctx = QueryContext(caps)
    assert ctx.query_tcp_connect(443) == {
        "status": "allowed", "reason": "network_allowed",
        "op": "connect", "port": 443}
    caps.block_network()
    caps.allow_tcp_connect(443)
    caps.allow_tcp_bind(8080)
    ctx = QueryContext(caps)
    assert ctx.query_tcp_connect(443) == {
        "status": "allowed", "reason": "tcp_port_granted",
        "op": "connect", "port": 443}
    assert ctx.query_tcp_connect(8080) == {
        "status": "denied", "reason": "network_blocked",
        "op": "connect", "port": 8080}
    assert ctx.query_tcp_bind(8080) == {
        "status": "allowed", "reason": "tcp_port_granted",
        "op": "bind", "port": 8080}
    assert ctx.query_tcp_bind(443)["status"] == "denied"
    assert ctx.query_network() == {
        "status": "denied", "reason": "network_blocked_except_ports"}


@pytest.mark.parametrize("port", [0, 65536, -1, 2 ** 32 + 443])
def test_query_tcp_port_out_of_range(port):
    ctx = QueryContext(CapabilitySet())
    with pytest.raises(ValueError):
        ctx.query_tcp_connect(port)
    with pytest.raises(ValueError):
        ctx.query_tcp_bind(port)
    with pytest.raises(TypeError):
        ctx.query_tcp_bind(str(port))


def test_explain_path_names_the_policy_lines(tmp_path):
    from nono_py import load_policy_file
    d = tmp_path / "d"
    d.mkdir()
    (d / "f").write_text("x")
    (tmp_path / "link").symlink_to(d / "f")
    policy = tmp_path / "p.ini"
    policy.write_text("[filesystem]\nread = %s\nwrite = %s\n" % (d, d))
    ctx = QueryContext(load_policy_file(str(policy)))
    x = ctx.explain_path(str(tmp_path / "link"), AccessMode.READ_WRITE)
    assert x["status"] == "allowed"
    assert x["canonical_path"] == str((d / "f").resolve())
    assert [(g["file"], g["line"], g["access"]) for g in x["grants"]] == [
        (str(policy), 2, "read"), (str(policy), 3, "write")]
    assert x["deny"] is None
    denied = ctx.explain_path(str(tmp_path), AccessMode.READ)
    assert denied["reason"] == "path_not_granted"
    assert denied["grants"] == []


def test_explain_path_without_a_policy(tmp_path):
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ)
    x = QueryContext(caps).explain_path(str(tmp_path / "x"), AccessMode.READ)
    assert x["grants"] == [{
        "original": str(tmp_path), "resolved": str(tmp_path.resolve()),
        "access": "read", "is_file": False, "file": None, "line": None}]
