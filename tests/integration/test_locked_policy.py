"""A locked policy for shared deployments (``LGDA_SECURITY__LOCKED=true``), and the audit
of runtime security changes when unlocked.

Locked, the security and audit settings come from the environment (and the admin file
``LGDA_CONFIG_FILE``) only: no runtime change, no ``.env`` or ``lgda.toml`` in the
working directory, no audit user from a setting, and the audit is required.
"""

from __future__ import annotations

import getpass
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from lgda_nb import Engine
from lgda_nb._config import (
    ConfigWarning,
    describe_config,
    get_config,
    load_config,
    reset,
    set_config,
)
from lgda_nb.errors import AuditError, ConfigError, LockedPolicyError

EMAILS = "SELECT email FROM users ORDER BY id LIMIT 3"


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deployment's environment locks the policy."""
    monkeypatch.setenv("LGDA_SECURITY__LOCKED", "true")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    reset()


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _config_records(tmp_path: Path) -> list[dict[str, Any]]:
    return [r for r in _records(tmp_path / "audit.jsonl") if r["event"] == "config"]


@pytest.mark.usefixtures("locked")
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("security.pii_policy", '{"users.email": "allow"}'),
        ("security.max_rows", "1000000"),
        ("LGDA_SECURITY__AUDIT_FILE", "/tmp/elsewhere.jsonl"),
        ("security.audit_user", "someone-else"),
        ("audit.required", "false"),
    ],
)
def test_locked_settings_cannot_change_at_runtime(key: str, value: str) -> None:
    """set_config and load_config refuse a security or audit change with a sentence
    naming the lock, and the config stays as it was."""
    before = get_config()
    with pytest.raises(LockedPolicyError) as info:
        set_config(**{key: value})
    assert "cannot be changed: the security policy of this deployment is locked" in str(info.value)
    assert "administrator" in info.value.hint
    assert isinstance(info.value, ConfigError)
    assert get_config() is before
    with pytest.raises(LockedPolicyError):
        load_config(**{key: value})


@pytest.mark.usefixtures("locked")
def test_other_settings_still_change_when_locked() -> None:
    """The lock covers security and audit only: a timeout still changes."""
    assert set_config(**{"duckdb.timeout_seconds": 5}).duckdb.timeout_seconds == 5


@pytest.mark.usefixtures("locked")
def test_the_config_magic_says_the_policy_is_locked() -> None:
    """%lgda_config security.max_rows=... fails the cell with the locked sentence."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    ip = get_ipython() or start_ipython()
    ip.run_line_magic("load_ext", "lgda_nb")
    outcome = ip.run_cell("%lgda_config security.pii_policy={}")
    assert not outcome.success
    error = outcome.error_in_exec
    assert isinstance(error, LockedPolicyError)
    assert "locked" in "".join(error._render_traceback_())
    assert get_config().security.pii_policy["users.email"] == "mask"


def test_locked_itself_is_read_from_the_environment_only() -> None:
    """security.locked cannot be set (or unset) at runtime, locked or not."""
    with pytest.raises(ConfigError) as info:
        set_config(**{"security.locked": "false"})
    assert "read from the environment only" in info.value.message
    assert "LGDA_SECURITY__LOCKED=true" in info.value.hint


@pytest.mark.usefixtures("locked")
def test_a_working_directory_env_or_toml_cannot_loosen_a_locked_policy(
    tmp_path: Path,
) -> None:
    """.env and lgda.toml in the working directory asking for raw emails and no required
    audit are ignored with a warning; the emails come back masked."""
    (tmp_path / ".env").write_text(
        'LGDA_SECURITY__PII_POLICY={"users.email": "allow"}\nLGDA_SECURITY__LOCKED=false\n'
    )
    (tmp_path / "lgda.toml").write_text(
        "[security]\nmax_rows = 1000000\n[audit]\nrequired = false\n[duckdb]\ntimeout_seconds = 7\n"
    )
    reset()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = get_config()
    said = " ".join(str(w.message) for w in caught if w.category is ConfigWarning)
    assert "security.pii_policy in .env is ignored: the security policy is locked" in said
    assert "audit.required, security.max_rows in lgda.toml are ignored" in said
    assert config.security.locked
    assert config.security.max_rows == 10_000
    assert config.audit_required
    assert config.duckdb.timeout_seconds == 7  # other settings still come from the file
    sources = {row[0]: row[2] for row in describe_config()}
    assert sources["security.pii_policy"] == "default"
    assert sources["duckdb.timeout_seconds"].endswith("lgda.toml")
    with Engine() as engine:
        emails = engine.run_sql(EMAILS).df["email"].tolist()
    assert all(str(e).startswith("masked:") for e in emails)


def test_the_same_files_do_apply_when_unlocked(tmp_path: Path) -> None:
    """Unlocked, a working-directory .env may set security settings (the control case),
    but never security.locked."""
    (tmp_path / ".env").write_text(
        "LGDA_SECURITY__MAX_ROWS=50\nLGDA_SECURITY__LOCKED=true\n", encoding="utf-8"
    )
    reset()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        config = get_config()
    assert config.security.max_rows == 50
    assert not config.security.locked


#: An account other than the one running the tests, to own the admin's file.
NOBODY = 65534


def _admin_file(tmp_path: Path) -> Path:
    """An admin's lgda.toml: owned, with its folder, by another account, not writable by
    this one (changing owners needs root, as in CI; elsewhere the test is skipped)."""
    import os

    admin = tmp_path / "admin" / "lgda.toml"
    admin.parent.mkdir()
    admin.write_text("[security]\nmax_rows = 25\n", encoding="utf-8")
    admin.chmod(0o644)
    admin.parent.chmod(0o755)
    try:
        os.chown(admin, NOBODY, NOBODY)
        os.chown(admin.parent, NOBODY, NOBODY)
    except PermissionError:
        pytest.skip("changing a file's owner needs root")
    return admin


@pytest.mark.usefixtures("locked")
def test_the_admin_config_file_still_sets_a_locked_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """LGDA_CONFIG_FILE, set in the deployment's environment, is the admin's file: its
    security settings apply under the lock."""
    monkeypatch.setenv("LGDA_CONFIG_FILE", str(_admin_file(tmp_path)))
    reset()
    assert get_config().security.max_rows == 25


@pytest.mark.usefixtures("locked")
@pytest.mark.parametrize("how", ["own file", "writable file", "writable folder"])
def test_an_admin_file_the_user_can_change_does_not_set_a_locked_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str
) -> None:
    """An LGDA_CONFIG_FILE the notebook user owns or may write (or whose folder they may
    write, so could replace it) is no admin's file: under the lock its security settings
    are ignored, with a warning that says why and how to fix it."""
    import os

    admin = tmp_path / "admin" / "lgda.toml"
    admin.parent.mkdir()
    admin.write_text("[security]\nmax_rows = 25\n", encoding="utf-8")
    if how != "own file":
        admin.chmod(0o666 if how == "writable file" else 0o644)
        admin.parent.chmod(0o777 if how == "writable folder" else 0o755)
        try:
            os.chown(admin, NOBODY, NOBODY)
            os.chown(admin.parent, NOBODY, NOBODY)
        except PermissionError:
            pytest.skip("changing a file's owner needs root")
    monkeypatch.setenv("LGDA_CONFIG_FILE", str(admin))
    reset()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert get_config().security.max_rows != 25
    said = " ".join(str(w.message) for w in caught if w.category is ConfigWarning)
    assert "security.max_rows" in said
    assert "this user can change that file" in said


@pytest.mark.usefixtures("locked")
def test_locked_audit_user_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Locked, the audit user is JUPYTERHUB_USER, else the OS user; never the setting."""
    monkeypatch.setenv("LGDA_SECURITY__AUDIT_USER", "someone-else")
    reset()
    with Engine() as engine:
        engine.run_sql("SELECT COUNT(*) AS n FROM orders")
        monkeypatch.setenv("JUPYTERHUB_USER", "hub-analyst")
        engine.run_sql("SELECT COUNT(*) AS n FROM users")
    users = [r["user"] for r in _records(tmp_path / "audit.jsonl")]
    assert users == [getpass.getuser()] * 2 + ["hub-analyst"] * 2


def test_unlocked_audit_user_is_the_setting_then_the_hub_user(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Unlocked, security.audit_user wins; unset, JUPYTERHUB_USER names the user."""
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-analyst")
    with Engine() as engine:
        engine.run_sql("SELECT COUNT(*) AS n FROM orders")
    monkeypatch.setenv("LGDA_SECURITY__AUDIT_USER", "named")
    reset()
    with Engine() as engine:
        engine.run_sql("SELECT COUNT(*) AS n FROM orders")
    assert [r["user"] for r in _records(tmp_path / "audit.jsonl")] == ["hub-analyst"] * 2 + [
        "named"
    ] * 2


@pytest.mark.usefixtures("locked")
def test_a_locked_policy_requires_the_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locked, an unwritable audit file refuses every query, and the hint says who can
    fix it."""
    monkeypatch.setenv("LGDA_SECURITY__AUDIT_FILE", "/dev/full")
    reset()
    assert get_config().audit_required
    with Engine() as engine, pytest.raises(AuditError) as info:
        engine.run_sql("SELECT COUNT(*) AS n FROM orders")
    assert "requires one for every query" in info.value.message
    assert "administrator" in info.value.hint


def test_unlocked_runtime_security_changes_are_audited(tmp_path: Path) -> None:
    """Each runtime change to a security or audit setting is one config record with the
    old and new value; other settings are not recorded."""
    set_config(**{"security.max_rows": "50", "duckdb.timeout_seconds": "5"})
    set_config(**{"security.pii_policy": '{"users.email": "allow"}'})
    set_config(**{"audit.required": "true"})
    records = _config_records(tmp_path)
    assert [(r["setting"], r["old"], r["new"]) for r in records] == [
        ("security.max_rows", 10_000, 50),
        (
            "security.pii_policy",
            {
                "users.email": "mask",
                "users.first_name": "mask",
                "users.last_name": "mask",
                "users.street_address": "mask",
                "events.ip_address": "mask",
            },
            {"users.email": "allow"},
        ),
        ("audit.required", None, True),
    ]
    assert all(r["user"] and r["outcome"] == "changed" for r in records)


def test_redirecting_the_audit_is_recorded_in_the_old_file(tmp_path: Path) -> None:
    """Pointing the audit elsewhere is written where the audit was."""
    elsewhere = tmp_path / "elsewhere.jsonl"
    set_config(**{"security.audit_file": str(elsewhere)})
    (record,) = _config_records(tmp_path)
    assert record["setting"] == "security.audit_file"
    assert record["old"] == str(tmp_path / "audit.jsonl")
    assert record["new"] == str(elsewhere)


def test_the_config_magic_change_is_audited(tmp_path: Path) -> None:
    """%lgda_config security.max_rows=... is recorded like set_config."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output

    ip = get_ipython() or start_ipython()
    ip.run_line_magic("load_ext", "lgda_nb")
    with capture_output():
        ip.run_line_magic("lgda_config", "security.max_rows=77")
    (record,) = _config_records(tmp_path)
    assert (record["setting"], record["new"]) == ("security.max_rows", 77)


def test_a_required_audit_refuses_a_change_it_cannot_record(tmp_path: Path) -> None:
    """Unlocked with audit.required and an unwritable audit file, a security change is
    refused (AuditError) and leaves the config as it was."""
    set_config(**{"audit.required": "true", "security.audit_file": "/dev/full"})
    with pytest.raises(AuditError) as info:
        set_config(**{"security.max_rows": "5"})
    assert "the setting was not changed" in info.value.message
    assert get_config().security.max_rows == 10_000


@pytest.mark.parametrize("marker", ["VOILA_BASE_URL", "VOILA_PREHEAT"])
def test_a_voila_kernel_is_locked_by_default(monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """A kernel whose environment Voila set (fresh or pre-heated) is locked unless the
    deployment says LGDA_SECURITY__LOCKED=false."""
    monkeypatch.setenv(marker, "/")
    reset()
    assert get_config().security.locked
    assert get_config().audit_required
    with pytest.raises(LockedPolicyError):
        set_config(**{"security.pii_policy": '{"users.email": "allow"}'})
    monkeypatch.setenv("LGDA_SECURITY__LOCKED", "false")
    reset()
    assert not get_config().security.locked
