"""A config cannot silently weaken: a misspelt name, a policy naming a column that does
not exist, a file that does not parse or a number that is no number is a ``ConfigError``
naming the closest valid name; an unknown ``LGDA_*`` variable is a warning."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any, get_args

import pytest

from lgda_nb import _config
from lgda_nb._config import ConfigWarning, UnifiedConfig, get_config, load_config, set_config
from lgda_nb.errors import ConfigError


def _numeric_keys() -> list[str]:
    """Every setting whose value is a number (``int`` or ``float``, maybe unset)."""
    keys = []
    for section, info in UnifiedConfig.model_fields.items():
        fields = getattr(info.annotation, "model_fields", None)
        for name, field in (fields or {}).items():
            kinds = set(get_args(field.annotation)) or {field.annotation}
            if kinds & {int, float}:
                keys.append(f"{section}.{name}")
    return keys


NUMERIC = _numeric_keys()


def _error(**changes: Any) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(**changes) if changes else get_config()
    return info.value


@pytest.fixture
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warnings shown once per process are shown again in this test."""
    monkeypatch.setattr(_config, "_warned_ignored", set())


def _warnings_while_loading() -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        get_config()
    return [str(w.message) for w in caught if w.category is ConfigWarning]


def test_the_numeric_settings_are_found() -> None:
    """The inf/nan tests below cover every numeric setting, not a hand-kept list."""
    assert {"duckdb.timeout_seconds", "security.max_rows", "llm.temperature"} <= set(NUMERIC)
    assert len(NUMERIC) >= 25


def test_a_misspelt_section_names_the_section_meant(tmp_path: Path) -> None:
    """[securty] in lgda.toml is an error naming [security], not a section ignored."""
    (tmp_path / "lgda.toml").write_text("[securty]\nmax_rows = 5\n")
    error = _error()
    assert error.message == "[securty] in lgda.toml is not a section. Did you mean [security]?"
    assert "lgda config" in error.hint


def test_a_section_like_nothing_lists_the_sections(tmp_path: Path) -> None:
    """With no close name, the valid sections are listed."""
    (tmp_path / "lgda.toml").write_text("[xyzzy]\nmax_rows = 5\n")
    error = _error()
    assert "[xyzzy] in lgda.toml is not a section. Valid names: [audit]" in error.message
    assert "[security]" in error.message


def test_a_misspelt_key_in_the_admin_file_names_file_section_and_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A key in LGDA_CONFIG_FILE that is not a setting names the file and the right key."""
    path = tmp_path / "admin.toml"
    path.write_text("[security]\nmax_rowz = 5\n")
    monkeypatch.setenv("LGDA_CONFIG_FILE", str(path))
    error = _error()
    assert error.message == (
        f"max_rowz in [security] of {path} is not a setting. Did you mean max_rows?"
    )


def test_a_misspelt_top_level_key_names_the_key_meant(tmp_path: Path) -> None:
    """backnd = "bigquery" is an error naming backend."""
    (tmp_path / "lgda.toml").write_text('backnd = "bigquery"\n')
    assert _error().message == "backnd in lgda.toml is not a setting. Did you mean backend?"


def test_malformed_toml_is_a_config_error_with_its_position(tmp_path: Path) -> None:
    """A file that does not parse is a ConfigError with the line and column."""
    (tmp_path / "lgda.toml").write_text("[duckdb]\nthreads = 2\n[security\nmax_rows = 5\n")
    error = _error()
    assert error.message.startswith("lgda.toml is not valid TOML:")
    assert "line 3" in error.message
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_a_misspelt_nested_variable_is_an_error_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LGDA_SECURITY__MAX_ROWZ is inside a known section, so it was meant for lgda: error."""
    monkeypatch.setenv("LGDA_SECURITY__MAX_ROWZ", "5")
    error = _error()
    assert "LGDA_SECURITY__MAX_ROWZ is not a setting" in error.message
    assert "Did you mean LGDA_SECURITY__MAX_ROWS?" in error.message


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("users.emial", "table users has no column emial. Did you mean users.email?"),
        ("emial", "no table has a column emial. Did you mean email?"),
        ("user.email", "there is no table user. Did you mean users.email?"),
    ],
)
def test_a_policy_naming_a_missing_column_names_the_column_meant(key: str, said: str) -> None:
    """On the sample, a PII policy key that names no column is an error, not a policy
    that masks nothing."""
    error = _error(**{"security.pii_policy": {key: "mask"}})
    assert error.message == f"security.pii_policy names {key}, but {said}"
    assert "misspelt" in error.hint


def test_a_policy_from_the_toml_file_or_the_environment_is_checked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check holds whichever source the policy comes from, and at runtime."""
    (tmp_path / "lgda.toml").write_text('[security]\npii_policy = {"users.emial" = "mask"}\n')
    assert "Did you mean users.email?" in _error().message
    (tmp_path / "lgda.toml").unlink()
    monkeypatch.setenv("LGDA_SECURITY__PII_POLICY", '{"users.emial": "deny"}')
    _config.reset()
    assert "Did you mean users.email?" in _error().message
    monkeypatch.delenv("LGDA_SECURITY__PII_POLICY")
    _config.reset()
    before = get_config()
    with pytest.raises(ConfigError, match=r"Did you mean users\.email\?"):
        set_config(**{"security.pii_policy": '{"users.emial": "allow"}'})
    assert get_config() is before


def test_a_policy_in_any_case_or_for_every_table_is_accepted() -> None:
    """Keys match columns case-insensitively; a bare column covers every table."""
    policy = {"USERS.Email": "mask", "first_name": "deny", "events.ip_address": "allow"}
    assert load_config(**{"security.pii_policy": policy}).security.pii_policy == policy


def test_a_policy_over_other_data_is_left_to_its_backend(tmp_path: Path) -> None:
    """Another database's columns are not thelook's: the config does not judge them."""
    database = tmp_path / "own.duckdb"
    database.touch()
    config = load_config(
        **{"duckdb.database": str(database), "security.pii_policy": {"people.mail": "mask"}}
    )
    assert config.security.pii_policy == {"people.mail": "mask"}


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_malformed_json_policy_names_the_variable_and_position(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    """JSON that does not parse is a ConfigError naming the variable, not a SettingsError
    from pydantic-settings; the value itself is not repeated (it may hold a secret)."""
    value = '{"users.email": "allow", secretish'
    if where == "environment":
        monkeypatch.setenv("LGDA_SECURITY__PII_POLICY", value)
    else:
        (tmp_path / ".env").write_text(f"LGDA_SECURITY__PII_POLICY='{value}'\n")
    error = _error()
    assert error.message.startswith("LGDA_SECURITY__PII_POLICY in ")
    assert "is not valid JSON (Expecting property name" in error.message
    assert "line 1, column 26" in error.message
    assert "secretish" not in str(error)
    assert "pii_policy" in error.hint


def test_a_malformed_json_policy_at_runtime_is_a_config_error() -> None:
    """%lgda_config security.pii_policy={... that does not parse says so."""
    with pytest.raises(ConfigError) as info:
        set_config(**{"security.pii_policy": '{"users.email": "allow",'})
    assert info.value.message.startswith("security.pii_policy is not valid JSON (")


def test_a_json_policy_of_the_wrong_shape_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Valid JSON that is not a mapping of column to action is refused too."""
    monkeypatch.setenv("LGDA_SECURITY__PII_POLICY", '["users.email"]')
    assert "LGDA_SECURITY__PII_POLICY" in _error().message
    monkeypatch.setenv("LGDA_SECURITY__PII_POLICY", '{"users.email": "hide"}')
    _config.reset()
    assert "'allow', 'mask' or 'deny'" in _error().message


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "Infinity", "NaN"])
@pytest.mark.parametrize("key", NUMERIC)
def test_inf_and_nan_are_refused_for_every_numeric_setting(
    monkeypatch: pytest.MonkeyPatch, key: str, text: str
) -> None:
    """No numeric setting takes inf or nan (an infinite timeout, ceiling or price)."""
    variable = _config.env_name(tuple(key.split(".")))
    monkeypatch.setenv(variable, text)
    assert variable in _error().message


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("key", NUMERIC)
def test_inf_and_nan_numbers_are_refused_at_runtime(key: str, value: float) -> None:
    """set_config with a float inf or nan leaves the config as it was."""
    before = get_config()
    with pytest.raises(ConfigError):
        set_config(**{key: value})
    assert get_config() is before


@pytest.mark.parametrize("literal", ["inf", "+inf", "-inf", "nan"])
def test_inf_and_nan_in_the_toml_file_are_refused(tmp_path: Path, literal: str) -> None:
    """TOML's own inf and nan literals are refused with the setting's name."""
    (tmp_path / "lgda.toml").write_text(f"[bigquery]\nmaximum_bytes_billed = {literal}\n")
    assert "LGDA_BIGQUERY__MAXIMUM_BYTES_BILLED" in _error().message
    (tmp_path / "lgda.toml").write_text(f"[duckdb]\ntimeout_seconds = {literal}\n")
    _config.reset()
    error = _error()
    assert "LGDA_DUCKDB__TIMEOUT_SECONDS" in error.message
    assert "finite number" in error.message


@pytest.mark.usefixtures("fresh_warnings")
def test_an_unknown_variable_warns_once_naming_the_closest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LGDA_BACKEN is a warning naming LGDA_BACKEND, shown once; the config still loads."""
    monkeypatch.setenv("LGDA_BACKEN", "bigquery")
    said = _warnings_while_loading()
    assert said == [
        "LGDA_BACKEN in the environment sets nothing and is ignored (did you mean LGDA_BACKEND?)."
    ]
    assert get_config().backend == "duckdb"
    _config.reset()
    assert _warnings_while_loading() == []


@pytest.mark.usefixtures("fresh_warnings")
def test_a_single_underscore_names_the_nested_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """LGDA_DUCKDB_THREADS (one underscore, any case) points at LGDA_DUCKDB__THREADS."""
    monkeypatch.setenv("lgda_duckdb_threads", "2")
    assert _warnings_while_loading() == [
        "LGDA_DUCKDB_THREADS in the environment sets nothing and is ignored "
        "(did you mean LGDA_DUCKDB__THREADS?)."
    ]


@pytest.mark.usefixtures("fresh_warnings")
def test_an_unknown_variable_in_dotenv_warns_too(tmp_path: Path) -> None:
    """A .env entry that sets nothing is a warning naming .env."""
    (tmp_path / ".env").write_text("LGDA_DEBUGG=true\nOTHER_TOOL=1\n")
    assert _warnings_while_loading() == [
        "LGDA_DEBUGG in .env sets nothing and is ignored (did you mean LGDA_DEBUG?)."
    ]


@pytest.mark.usefixtures("fresh_warnings")
def test_the_projects_other_variables_and_unlike_names_are_quiet_or_plain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LGDA_CONFIG_FILE, the test and tool variables are not settings and not warned
    about; a name like no setting warns without a guess."""
    for name in ("LGDA_CHROMIUM", "LGDA_REQUIRE_BROWSER", "LGDA_TEST_BIGQUERY_ENDPOINT"):
        monkeypatch.setenv(name, "1")
    assert _warnings_while_loading() == []
    monkeypatch.setenv("LGDA_ZZZZZZZZZZZZZZ", "1")
    _config.reset()
    assert _warnings_while_loading() == [
        "LGDA_ZZZZZZZZZZZZZZ in the environment sets nothing and is ignored."
    ]


def test_a_config_error_fails_a_cell_without_a_traceback(tmp_path: Path) -> None:
    """In a notebook, a broken lgda.toml fails the cell with the sentence, no traceback."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    ip = get_ipython() or start_ipython()
    ip.run_line_magic("load_ext", "lgda_nb")
    (tmp_path / "lgda.toml").write_text("[securty]\nmax_rows = 5\n")
    _config.reset()
    outcome = ip.run_cell("%lgda_config")
    assert not outcome.success
    assert isinstance(outcome.error_in_exec, ConfigError)
    shown = "".join(outcome.error_in_exec._render_traceback_())
    assert "Did you mean [security]?" in shown
    assert "Traceback" not in shown


def test_a_config_error_in_the_cli_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lgda config` with malformed TOML exits 2 with the sentence and no traceback."""
    from lgda_nb.cli import main

    (tmp_path / "lgda.toml").write_text("backend = \n")
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert "lgda.toml is not valid TOML" in err
    assert "Traceback" not in err


def test_defaults_still_load_quietly(fresh_warnings: None) -> None:
    """The checks cost nothing when nothing is wrong."""
    assert _warnings_while_loading() == []
    assert isinstance(get_config(), UnifiedConfig)


def test_a_comma_list_variable_is_not_taken_for_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """LGDA_LLM__FALLBACK=offline is a comma list, not malformed JSON."""
    monkeypatch.setenv("LGDA_LLM__FALLBACK", "offline")
    assert get_config().llm.fallback == ["offline"]
