"""UnifiedConfig: sources and their order, validation, secrets, runtime changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from lgda_nb import _config
from lgda_nb._config import (
    describe_config,
    get_config,
    load_config,
    override,
    set_config,
)
from lgda_nb.errors import ConfigError


def _source_of(key: str) -> tuple[str, str]:
    row = next(row for row in describe_config() if row[0] == key)
    return row[1], row[2]


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing set, the backend is the embedded DuckDB and the LLM is offline."""
    monkeypatch.delenv("LGDA_DUCKDB__SAMPLE_SCALE")
    config = get_config()
    assert config.backend == "duckdb"
    assert config.llm.provider == "offline"
    assert config.duckdb.database is None
    assert config.bigquery.dataset == "bigquery-public-data.thelook_ecommerce"
    assert len(config.security.allowed_tables) == 7
    assert _source_of("backend") == ("duckdb", "default")


def test_precedence_explicit_env_dotenv_toml_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Explicit > environment > .env > lgda.toml > defaults, per setting."""
    (tmp_path / "lgda.toml").write_text(
        "[duckdb]\ntimeout_seconds = 11\nthreads = 3\nmemory_limit = '1GB'\n"
        "[security]\nmax_rows = 7\n"
    )
    (tmp_path / ".env").write_text("LGDA_DUCKDB__THREADS=2\nLGDA_SECURITY__MAX_ROWS=8\n")
    monkeypatch.setenv("LGDA_SECURITY__MAX_ROWS", "9")
    config = load_config(**{"duckdb.timeout_seconds": 12})
    assert config.duckdb.timeout_seconds == 12  # explicit beats the TOML file
    assert config.duckdb.threads == 2  # .env beats the TOML file
    assert config.security.max_rows == 9  # environment beats .env
    assert config.duckdb.memory_limit == "1GB"  # TOML beats the default
    assert config.retry.attempts == 10  # default

    _config.reset()
    assert _source_of("security.max_rows") == ("9", "env")
    assert _source_of("duckdb.threads") == ("2", ".env")
    assert _source_of("duckdb.memory_limit") == ("1GB", "lgda.toml")
    assert _source_of("retry.attempts") == ("10", "default")
    set_config(**{"duckdb.threads": 1})
    assert _source_of("duckdb.threads") == ("1", "runtime")


def test_config_file_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """LGDA_CONFIG_FILE points at a TOML file anywhere."""
    path = tmp_path / "elsewhere.toml"
    path.write_text('backend = "duckdb"\n[llm]\nmodel = "m1"\n')
    monkeypatch.setenv("LGDA_CONFIG_FILE", str(path))
    assert get_config().llm.model == "m1"


def test_missing_config_file_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A LGDA_CONFIG_FILE that does not exist names the variable."""
    monkeypatch.setenv("LGDA_CONFIG_FILE", "/nonexistent/lgda.toml")
    with pytest.raises(ConfigError, match="LGDA_CONFIG_FILE"):
        get_config()


def test_invalid_backend_names_variable_and_allowed_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LGDA_BACKEND=nonsense says which variable is wrong and what it accepts."""
    monkeypatch.setenv("LGDA_BACKEND", "nonsense")
    with pytest.raises(ConfigError) as info:
        get_config()
    assert "LGDA_BACKEND='nonsense'" in info.value.message
    assert "'duckdb' or 'bigquery'" in info.value.message
    assert info.value.hint


def test_invalid_nested_value_names_nested_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad nested value names the LGDA_SECTION__FIELD variable."""
    monkeypatch.setenv("LGDA_DUCKDB__TIMEOUT_SECONDS", "-1")
    with pytest.raises(ConfigError, match="LGDA_DUCKDB__TIMEOUT_SECONDS"):
        get_config()


def test_backend_value_is_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    """LGDA_BACKEND=DuckDB is accepted."""
    monkeypatch.setenv("LGDA_BACKEND", " DuckDB ")
    assert get_config().backend == "duckdb"


def test_secrets_are_masked_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """An API key never appears in the config's repr, description or error messages."""
    monkeypatch.setenv("LGDA_LLM__API_KEY", "sk-very-secret")
    config = get_config()
    assert config.llm.api_key is not None
    assert config.llm.api_key.get_secret_value() == "sk-very-secret"
    assert "sk-very-secret" not in repr(config)
    assert "sk-very-secret" not in str(describe_config())
    assert _source_of("llm.api_key") == ("***", "env")


def test_set_config_accepts_env_style_and_text_values() -> None:
    """%lgda_config passes text: keys in any spelling, lists split on commas, none unsets."""
    config = set_config(
        LGDA_DUCKDB__TIMEOUT_SECONDS="5",
        **{"security.allowed_tables": "orders, users", "duckdb__threads": "none", "debug": "true"},
    )
    assert config.duckdb.timeout_seconds == 5.0
    assert config.security.allowed_tables == ["orders", "users"]
    assert config.duckdb.threads is None
    assert config.debug is True
    assert get_config() is config


def test_set_config_rejects_unknown_key_with_suggestion() -> None:
    """A misspelt key is an error that suggests the right one, and changes nothing."""
    before = get_config()
    with pytest.raises(ConfigError, match=r"Did you mean 'duckdb\.timeout_seconds'"):
        set_config(**{"duckdb.timeout_secs": "5"})
    assert get_config() is before


def test_invalid_runtime_change_leaves_config_unchanged() -> None:
    """An invalid value raises ConfigError and the previous config stays in force."""
    set_config(backend="duckdb", **{"security.max_rows": 50})
    with pytest.raises(ConfigError, match="LGDA_SECURITY__MAX_ROWS"):
        set_config(**{"security.max_rows": "zero"})
    assert get_config().security.max_rows == 50


def test_override_restores_previous_state() -> None:
    """override() is a context manager for tests and notebooks."""
    before = get_config().security.max_rows
    with override(**{"security.max_rows": 3}) as config:
        assert config.security.max_rows == 3
        assert get_config().security.max_rows == 3
    assert get_config().security.max_rows == before


def test_config_version_changes_on_every_change() -> None:
    """Engines in a kernel notice a change through config_version()."""
    first = _config.config_version()
    set_config(debug="true")
    assert _config.config_version() > first


def test_default_sample_settings_match_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The config's default scale and seed are the generator's defaults."""
    from lgda_nb.sample import DEFAULT_SCALE, DEFAULT_SEED

    monkeypatch.delenv("LGDA_DUCKDB__SAMPLE_SCALE")
    config = get_config()
    assert config.duckdb.sample_scale == DEFAULT_SCALE
    assert config.duckdb.sample_seed == DEFAULT_SEED


def test_unlocked_with_an_unrequired_audit_by_default() -> None:
    """Out of the box the policy is unlocked and the audit not required."""
    config = get_config()
    assert config.security.locked is False
    assert config.audit.required is None
    assert config.audit_required is False
    assert _source_of("security.locked") == ("False", "default")


def test_audit_required_follows_the_lock_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """audit.required unset means 'as locked'; the environment may set it either way."""
    monkeypatch.setenv("LGDA_SECURITY__LOCKED", "true")
    _config.reset()
    assert get_config().audit_required is True
    monkeypatch.setenv("LGDA_AUDIT__REQUIRED", "false")
    _config.reset()
    assert get_config().audit_required is False


def test_an_unreadable_lock_value_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    """LGDA_SECURITY__LOCKED=maybe fails closed: locked."""
    monkeypatch.setenv("LGDA_SECURITY__LOCKED", "maybe")
    _config.reset()
    assert _config.policy_locked() is True
    assert get_config().security.locked is True


def test_every_built_config_registers_its_secrets() -> None:
    """Building a config is enough for its key to be scrubbed from any text."""
    from lgda_nb._secrets import scrub

    load_config(**{"llm.api_key": "sk-config-registered-1"})
    assert scrub("body: sk-config-registered-1") == "body: ***"


def test_parts_of_a_long_secret_are_scrubbed_but_ordinary_text_is_not() -> None:
    """A masked echo (first or last characters beside a mask), the first 12 characters or any
    8 consecutive characters of a key are scrubbed; text sharing only a few characters
    with it is left alone."""
    from lgda_nb._secrets import remember, scrub

    key = "sk-abc1DEF2ghi3JKL4mno5xyz9"
    remember([key])
    for echoed in (f"{key[:7]}...{key[-4:]}", f"{key[:7]}*****{key[-4:]}", f"…{key[-4:]}",
                   f"{key[:7]}...", key[:12], key[5:15], key[-9:]):  # fmt: skip
        text = scrub(f"server said: {echoed}!")
        assert text == "server said: ***!", echoed
    for ordinary in ("sk-abc", "xyz9 rows", "value ***", "see docs...", "mno5 and JKL4"):
        assert scrub(ordinary) == ordinary
