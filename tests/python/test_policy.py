# SPDX-License-Identifier: Apache-2.0
"""load_policy_file, and load_policy, its deprecated old name: policy files
through libnono's C loader."""
import os

import pytest

from nono_py import AccessMode, CapabilitySet, load_policy_file


def _write(tmp_path, text, name="policy.ini"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_load_policy_gives_the_capability_set(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    f = tmp_path / "f"
    f.write_text("x")
    path = _write(tmp_path, (
        "[filesystem]\n"
        "read = %s\n"
        "read_write_file = %s\n"
        "[network]\n"
        "block = true\n"
        "[macos]\n"
        "seatbelt = (allow mach-lookup (global-name \"x\"))\n") % (d, f))
    caps = load_policy_file(path)
    assert isinstance(caps, CapabilitySet)
    assert [(c.original, c.resolved, c.access, c.is_file)
            for c in caps.fs_capabilities()] == [
        (str(d), os.path.realpath(d), AccessMode.READ, False),
        (str(f), os.path.realpath(f), AccessMode.READ_WRITE, True),
    ]
    assert caps.is_network_blocked is True
    assert caps.platform_rules() == ['(allow mach-lookup (global-name "x"))']


def test_load_policy_with_the_system_profile(tmp_path):
    caps = load_policy_file(_write(tmp_path, "[policy]\ninclude = system\n"))
    assert caps.path_covered("/usr/bin") is True
    assert caps.is_network_blocked is False


def test_load_policy_result_outlives_the_policy(tmp_path):
    # The set is a copy: the C policy it came from is already freed.
    caps = load_policy_file(_write(tmp_path, "[filesystem]\nread = /usr\n"))
    caps.allow_path(str(tmp_path), AccessMode.WRITE)
    assert len(caps.fs_capabilities()) == 2


def test_load_policy_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_policy_file(str(tmp_path / "missing.ini"))
    assert str(tmp_path / "missing.ini") in str(info.value)


def test_load_policy_parse_error_names_file_and_line(tmp_path):
    path = _write(tmp_path, "[filesystem]\n\nraed = /tmp\n")
    with pytest.raises(ValueError) as info:
        load_policy_file(path)
    assert str(info.value).startswith(path + ":3: ")
    assert "raed" in str(info.value)


def test_load_policy_missing_grant(tmp_path):
    path = _write(tmp_path, "[filesystem]\nread = %s/nope\n" % tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        load_policy_file(path)
    assert str(info.value).startswith(path + ":2: ")


def test_load_policy_grant_of_the_wrong_kind(tmp_path):
    path = _write(tmp_path, "[filesystem]\nread_file = %s\n" % tmp_path)
    with pytest.raises(ValueError):
        load_policy_file(path)


def test_load_policy_bad_state_json(tmp_path):
    with pytest.raises(ValueError):
        load_policy_file(_write(tmp_path, '{"fs": []}', "state.json"))


def test_load_policy_argument_errors(tmp_path):
    with pytest.raises(ValueError):
        load_policy_file(str(tmp_path) + "\0")
    with pytest.raises(TypeError):
        load_policy_file(None)


# ---- the old name ------------------------------------------------------------

def test_load_policy_file_gives_no_warning(tmp_path, recwarn):
    load_policy_file(_write(tmp_path, "[filesystem]\nread = /usr\n"))
    assert not [w for w in recwarn if w.category is DeprecationWarning]


def test_load_policy_still_works_with_a_deprecation_warning(tmp_path):
    # nono-py's load_policy(json) parses policy groups; ours read a file.
    # The old name keeps reading files for one release, and says so.
    import nono_py
    path = _write(tmp_path, "[filesystem]\nread = /usr\n")
    with pytest.warns(DeprecationWarning) as record:
        caps = nono_py.load_policy(path)
    assert [(c.original, c.access) for c in caps.fs_capabilities()] == \
        [("/usr", AccessMode.READ)]
    message = str(record[0].message)
    assert "load_policy_file(path)" in message
    assert "policy groups" in message
    # The warning points at the caller, not at nono_py.
    assert record[0].filename == __file__
