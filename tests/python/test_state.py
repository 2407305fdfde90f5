# SPDX-License-Identifier: Apache-2.0
"""SandboxState: nono's JSON, and its interchange with libnono's C API."""
import ctypes
import json
import os
import pathlib

import pytest

from nono_py import AccessMode, CapabilitySet, SandboxState, load_policy_file
from nono_py import _lib

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "state"


def _grants(caps):
    return [(c.original, c.resolved, c.access, c.is_file)
            for c in caps.fs_capabilities()]


def _sample(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ_WRITE)
    caps.allow_file(str(f), AccessMode.READ)
    caps.block_network()
    return caps


def test_round_trip(tmp_path):
    caps = _sample(tmp_path)
    state = SandboxState.from_caps(caps)
    restored = SandboxState.from_json(state.to_json())
    assert restored.net_blocked is True
    again = restored.to_caps()
    assert _grants(again) == _grants(caps)
    assert again.is_network_blocked is True


def test_to_json_is_nono_json_with_two_space_indent(tmp_path):
    caps = _sample(tmp_path)
    text = SandboxState.from_caps(caps).to_json()
    doc = json.loads(text)
    d = os.path.realpath(tmp_path)
    assert doc == {
        "fs": [
            {"original": str(tmp_path), "resolved": d,
             "access": "read+write", "is_file": False},
            {"original": str(tmp_path / "f"), "resolved": d + "/f",
             "access": "read", "is_file": True},
        ],
        "net_blocked": True,
    }
    assert text == json.dumps(doc, indent=2)


def test_from_caps_is_a_snapshot(tmp_path):
    caps = CapabilitySet()
    state = SandboxState.from_caps(caps)
    caps.allow_path(str(tmp_path), AccessMode.READ)
    caps.block_network()
    assert state.net_blocked is False
    assert json.loads(state.to_json())["fs"] == []


def test_repr_as_nono_py(tmp_path):
    state = SandboxState.from_caps(_sample(tmp_path))
    assert repr(state) == "SandboxState(fs=2, net_blocked=true)"
    assert repr(SandboxState.from_caps(CapabilitySet())) == \
        "SandboxState(fs=0, net_blocked=false)"


@pytest.mark.parametrize("text", [
    "{}",
    "",
    "not json",
    '{"fs": []}',
    '{"net_blocked": true}',
    '{"fs": 1, "net_blocked": true}',
    '{"fs": [], "net_blocked": "yes"}',
    '{"fs": [{"original": "/tmp"}], "net_blocked": true}',
    '{"fs": [], "net_blocked": true',
    '[]',
])
def test_from_json_rejects_bad_json(text):
    with pytest.raises(ValueError) as info:
        SandboxState.from_json(text)
    assert str(info.value).startswith("Invalid JSON: ")


def test_from_json_argument_type():
    with pytest.raises(TypeError):
        SandboxState.from_json(None)
    with pytest.raises(TypeError):
        SandboxState()


def test_from_json_ignores_unknown_keys_and_takes_bytes():
    text = (DATA / "extra-keys.json").read_bytes()
    state = SandboxState.from_json(text)
    assert isinstance(state.net_blocked, bool)
    known = ("original", "resolved", "access", "is_file")
    assert json.loads(state.to_json())["fs"] == [
        {k: entry[k] for k in known} for entry in json.loads(text)["fs"]]


def test_to_caps_rechecks_deleted_paths(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    caps = CapabilitySet()
    caps.allow_path(str(gone), AccessMode.READ)
    state = SandboxState.from_caps(caps)
    gone.rmdir()
    with pytest.raises(FileNotFoundError) as info:
        state.to_caps()
    # libnono names the entry (and the path, shortened where long).
    assert "fs[0]" in str(info.value)


def test_to_caps_rechecks_the_kind(tmp_path):
    p = tmp_path / "p"
    p.mkdir()
    caps = CapabilitySet()
    caps.allow_path(str(p), AccessMode.READ)
    state = SandboxState.from_caps(caps)
    p.rmdir()
    p.write_text("now a file")
    with pytest.raises(ValueError):
        state.to_caps()


# ---- interchange with the C library ----------------------------------------

def test_python_json_loads_in_libnono(tmp_path):
    caps = _sample(tmp_path)
    raw = SandboxState.from_caps(caps).to_json().encode()
    state = ctypes.c_void_p()
    diag = _lib.Diag()
    rc = _lib.LIB.nono_state_from_json(raw, len(raw), ctypes.byref(state),
                                       ctypes.byref(diag))
    assert rc == 0, diag.message
    try:
        assert _lib.LIB.nono_state_is_network_blocked(state) is True
        # libnono writes back exactly what it read.
        again = _lib.take_string(_lib.LIB.nono_state_to_json(state))
        assert again == raw.decode()
    finally:
        _lib.LIB.nono_state_free(state)
    # And libnono's policy loader takes it as a policy file.
    path = tmp_path / "state.json"
    path.write_bytes(raw)
    assert _grants(load_policy_file(str(path))) == _grants(caps)


def test_libnono_json_loads_in_python():
    text = (DATA / "nono-py.json").read_text()
    state = SandboxState.from_json(text)
    assert state.net_blocked is True
    assert json.loads(state.to_json()) == json.loads(text)
    caps = state.to_caps()
    assert [(c.original, c.access, c.is_file)
            for c in caps.fs_capabilities()] == [
        ("/tmp", AccessMode.READ_WRITE, False),
        ("/usr", AccessMode.READ, False),
        ("/dev/null", AccessMode.WRITE, True),
    ]
    # The same file through the C loader gives the same set.
    c_caps = load_policy_file(str(DATA / "nono-py.json"))
    assert _grants(c_caps) == _grants(caps)
    assert c_caps.is_network_blocked is True
