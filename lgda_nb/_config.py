"""One ``UnifiedConfig``: the single source of every tunable value.

Sources, highest first: explicit arguments (and ``%lgda_config key=value`` in a
kernel) > environment (``LGDA_`` prefix, ``__`` nesting) > ``.env`` > a TOML file
(``lgda.toml`` in the working directory, or ``LGDA_CONFIG_FILE``) > defaults.

Nothing is read at import time: ``get_config()`` builds the settings on first use
and keeps them until ``reset()`` or ``set_config()``.

**Locked policy** (``LGDA_SECURITY__LOCKED=true``, read from the environment only; a
kernel started by Voila is locked unless it says ``false``): a shared deployment's
``security.*`` and ``audit.*`` settings come from the environment and the admin file
named by ``LGDA_CONFIG_FILE`` alone. A ``.env`` or ``lgda.toml`` in the working
directory cannot set them (they are ignored, with a warning), and runtime changes
(``set_config``, ``%lgda_config``) raise ``LockedPolicyError``. Unlocked, every
runtime change to one of them is written to the audit trail with its old and new
value.

**Nothing weakens silently.** A misspelt section or key in a file, a PII policy naming
a column thelook does not have, TOML or JSON that does not parse, and ``inf``/``nan``
for a number are each a ``ConfigError`` naming the closest valid name. An ``LGDA_*``
variable that sets nothing is a warning (once) naming the closest one: the environment
also holds other tools' variables.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
import os
import threading
import typing
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from lgda_nb.errors import ConfigError, LockedPolicyError


def _default_dataset() -> str:
    """The public dataset the sample copies (named in the sample's schema module)."""
    from lgda_nb.sample._schema import DATASET

    return DATASET


def _default_tables() -> list[str]:
    """The default dataset's tables, from the sample's schema (the one place that lists
    them); imported when a setting is built, not when ``%load_ext`` loads this module."""
    from lgda_nb.sample._schema import TABLES

    return sorted(TABLES)


ENV_PREFIX = "LGDA_"
CONFIG_FILE_ENV = "LGDA_CONFIG_FILE"
DEFAULT_CONFIG_FILE = "lgda.toml"


class _Section(BaseModel):
    # A misspelt key is an error, never a setting quietly left at its default; inf and
    # nan are no limit, a timeout or a price.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class DuckDBSettings(_Section):
    """The embedded backend: the generated thelook sample, or a user's own DuckDB file."""

    database: Path | None = Field(
        default=None,
        description="A DuckDB file to query; unset means the generated thelook sample.",
    )
    sample_scale: float = Field(default=0.1, gt=0, le=10, description="Size of the sample.")
    sample_seed: int = Field(default=42, description="Seed of the sample generator.")
    sample_dir: Path | None = Field(
        default=None, description="Where the sample is built; unset means the user cache dir."
    )
    threads: int | None = Field(default=None, ge=1, description="DuckDB worker threads.")
    memory_limit: str | None = Field(
        default="4GB",
        description="DuckDB memory limit (a query past it fails with a hint); unset: DuckDB's "
        "own (80% of RAM).",
    )
    max_temp_directory_size: str | None = Field(
        default="8GB", description="Disk DuckDB may spill to past the memory limit."
    )
    timeout_seconds: float = Field(default=60.0, gt=0, description="Per-query timeout.")
    files: list[str] = Field(
        default_factory=list,
        description="Parquet, CSV or JSON-lines files connected as tables: paths, folders or "
        "globs (one table per file, named from its stem), or name=path.",
    )


class BigQuerySettings(_Section):
    """Google BigQuery: billing project separate from the dataset that holds the data."""

    project: str | None = Field(default=None, description="Billing project for query jobs.")
    dataset: str = Field(
        default_factory=_default_dataset, description="project.dataset holding tables."
    )
    location: str | None = Field(default=None, description="Job location, e.g. US or EU.")
    api_endpoint: str | None = Field(default=None, description="Override, e.g. an emulator.")
    credentials_file: Path | None = Field(default=None, description="Service-account JSON.")
    maximum_bytes_billed: int = Field(
        default=10 * 1024**3,
        ge=0,
        description="Cost ceiling: jobs estimated above it are refused; every job carries it.",
    )
    price_per_tib: float = Field(default=6.25, ge=0, description="On-demand $ per TiB scanned.")
    schema_ttl_seconds: float = Field(
        default=600.0, ge=0, description="How long table and column lists are reused."
    )
    timeout_seconds: float = Field(default=120.0, gt=0)


class LLMSettings(_Section):
    """Language-model providers; ``offline`` needs no network at all.

    The key may also come from the SDK's own variable (``OPENAI_API_KEY``,
    ``GOOGLE_API_KEY`` or ``GEMINI_API_KEY``, ``ANTHROPIC_API_KEY``).
    """

    provider: Literal["offline", "gemini", "openai", "anthropic"] = "offline"
    model: str | None = Field(default=None, description="Unset: the provider's default model.")
    api_key: SecretStr | None = None
    base_url: str | None = Field(
        default=None,
        description="An OpenAI-compatible server (Ollama: http://localhost:11434/v1), "
        "or another endpoint for Gemini or Anthropic.",
    )
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_tokens: int = Field(default=2048, ge=1)
    timeout_seconds: float = Field(default=60.0, gt=0)
    fallback: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["offline"],
        description="Providers tried, in order, after the main one fails; 'offline' is "
        "the built-in planner. Comma-separated in the environment.",
    )
    send_data: Literal["none", "facts", "sample_rows"] = Field(
        default="none",
        description="What leaves the machine besides the schema and the question: "
        "none, facts (computed facts, for the narrative) or sample_rows (a few rows per "
        "table in the SQL prompt, and facts).",
    )
    examples_file: Path | None = Field(
        default=None,
        description="Worked examples added with Engine.add_example; unset: the user data "
        "directory.",
    )
    response_cache_entries: int = Field(default=256, ge=0)
    input_price_per_mtok: float | None = Field(
        default=None, ge=0, description="Dollars per million input tokens, for cost estimates."
    )
    output_price_per_mtok: float | None = Field(
        default=None, ge=0, description="Dollars per million output tokens."
    )

    @field_validator("fallback", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("fallback")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        known = ("offline", "gemini", "openai", "anthropic")
        for name in value:
            if name not in known:
                raise ValueError(f"unknown provider {name!r}; use one of {', '.join(known)}")
        return value


class PlannerSettings(_Section):
    """How questions become plans."""

    model_file: Path | None = Field(
        default=None, description="A semantic model TOML file; unset means the thelook model."
    )
    as_of: str | None = Field(
        default=None,
        description="Anchor of relative windows ('2025-06-30 00:00:00+00'); unset means the "
        "latest timestamp in the data.",
    )
    min_confidence: float = Field(default=0.6, ge=0, le=1)

    @field_validator("as_of")
    @classmethod
    def _iso_timestamp(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from datetime import datetime

        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                "expected an ISO timestamp such as 2025-06-30T00:00:00+00:00"
            ) from None
        return value


PIIAction = Literal["allow", "mask", "deny"]
_MASK: PIIAction = "mask"


def _default_masked() -> dict[str, PIIAction]:
    """The sample's personal columns (named in its schema module), masked by default."""
    from lgda_nb.sample._schema import PERSONAL_COLUMNS

    return dict.fromkeys(PERSONAL_COLUMNS, _MASK)


class SecuritySettings(_Section):
    """The SQL policy every statement passes before a backend sees it."""

    allowed_tables: list[str] = Field(default_factory=_default_tables)
    max_rows: int = Field(default=10_000, ge=1, description="Rows a query may return.")
    max_sql_length: int = Field(default=100_000, ge=1)
    max_depth: int = Field(default=12, ge=1, description="Deepest subquery nesting.")
    max_joins: int = Field(default=16, ge=0, description="Most joins in one query.")
    allow_time_travel: bool = Field(default=False, description="Allow FOR SYSTEM_TIME AS OF.")
    pii_policy: dict[str, PIIAction] = Field(
        default_factory=_default_masked,
        description="Per-column policy for personal data: allow, mask or deny.",
    )
    pii_default: PIIAction = Field(
        default="mask", description="What happens to other columns detected as personal data."
    )
    audit_file: Path | None = Field(
        default=None, description="Append-only JSON-lines audit log; unset: user log dir."
    )
    audit_user: str | None = Field(
        default=None,
        description="User name in audit records; unset: JUPYTERHUB_USER, else the OS user. "
        "Ignored when locked.",
    )
    locked: bool = Field(
        default=False,
        description="A shared deployment's policy: security.* and audit.* come only from the "
        "environment or LGDA_CONFIG_FILE and cannot change at runtime; audit required; audit "
        "user from the environment. Read from LGDA_SECURITY__LOCKED only; on by default in "
        "a kernel started by Voila.",
    )


class AuditSettings(_Section):
    """The audit trail as a control (the file and user are ``security.audit_*``)."""

    required: bool | None = Field(
        default=None,
        description="Refuse a query whose audit record cannot be written (fail closed); "
        "unset: on when security.locked.",
    )


class RetrySettings(_Section):
    """Retries of transient failures (stamina) and the circuit breakers.

    Backend requests and schema reads share them; LLM calls differ only in making at
    most ``llm_attempts`` tries (never more than ``attempts``), since the next provider
    in ``llm.fallback`` is waiting. The
    defaults ride out a flaky service (30% of requests failing gives every answer): up
    to 10 attempts, waits of 0.2, 0.4, 0.8 ... s capped at 5 s, all within a 30 s budget
    per request. A service that is down fails each call after about 30 s; three such
    calls in a row open the breaker, which then fails at once for 30 s.
    """

    attempts: int = Field(default=10, ge=1, le=20, description="Tries per request, at most.")
    llm_attempts: int = Field(
        default=3, ge=1, le=20, description="Tries per LLM call before the next provider, at most."
    )
    initial_backoff_seconds: float = Field(
        default=0.2, ge=0, description="First wait; each next one doubles."
    )
    max_backoff_seconds: float = Field(default=5.0, ge=0, description="Longest single wait.")
    jitter_seconds: float = Field(default=0.2, ge=0, description="Random extra per wait.")
    budget_seconds: float = Field(
        default=30.0, gt=0, description="Time a request may spend retrying; no wait runs past it."
    )
    breaker_failures: int = Field(
        default=3, ge=1, description="Calls failed after their retries that open a breaker."
    )
    breaker_window_seconds: float = Field(
        default=600.0,
        gt=0,
        description="Failures count within this long; a success clears them.",
    )
    breaker_cooldown_seconds: float = Field(
        default=30.0, ge=0, description="An open breaker fails at once this long, then probes."
    )
    repair_attempts: int = Field(
        default=2, ge=0, description="Re-plans after a generated query fails."
    )


class CacheSettings(_Section):
    """The in-kernel result cache."""

    enabled: bool = True
    max_bytes: int = Field(default=256 * 1024**2, ge=0)
    max_entries: int = Field(default=256, ge=0)
    ttl_seconds: float = Field(default=3600.0, gt=0)
    plan_entries: int = Field(default=1024, ge=0, description="Cached question -> plan.")


class ObservabilitySettings(_Section):
    """Structured logs (JSON lines to a file) and in-process metrics."""

    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_file: Path | None = Field(default=None, description="Unset: the user log directory.")


class UnifiedConfig(BaseSettings):
    """Every setting of the toolkit; see the module docstring for the sources."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_assignment=True,
    )

    backend: Literal["duckdb", "bigquery"] = "duckdb"
    debug: bool = Field(default=False, description="Show tracebacks with errors.")
    duckdb: DuckDBSettings = Field(default_factory=DuckDBSettings)
    bigquery: BigQuerySettings = Field(default_factory=BigQuerySettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    planner: PlannerSettings = Field(default_factory=PlannerSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    retry: RetrySettings = Field(default_factory=RetrySettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)

    @field_validator("backend", mode="before")
    @classmethod
    def _lower_backend(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _policy_names_real_columns(self) -> UnifiedConfig:
        """On thelook (the sample, or the public dataset) a policy naming a column that
        does not exist is an error: ``users.emial`` would leave ``users.email`` unmasked.
        Other data's columns are known only to its backend."""
        thelook = (self.backend == "duckdb" and self.duckdb.database is None) or (
            self.backend == "bigquery" and self.bigquery.dataset == _default_dataset()
        )
        if thelook:
            from lgda_nb.sample._schema import SCHEMA

            tables = {table: [name for name, _ in columns] for table, columns in SCHEMA.items()}
            check_pii_policy(_about_thelook(self.security.pii_policy, tables), tables)
        return self

    @model_validator(mode="after")
    def _remember_secrets(self) -> UnifiedConfig:
        """Whatever text leaves the toolkit from now on has these secrets scrubbed."""
        remember_secrets(self)
        return self

    @property
    def audit_required(self) -> bool:
        """Whether a query whose audit record cannot be written is refused."""
        required = self.audit.required
        return self.security.locked if required is None else required

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = config_file_path()
        toml = _toml_source(settings_cls, toml_path)
        # The working directory's lgda.toml is the user's; LGDA_CONFIG_FILE the admin's,
        # unless the user could change it (then it is theirs too, as far as a lock goes).
        admin = toml_path is not None and bool(os.environ.get(CONFIG_FILE_ENV))
        changeable = admin and policy_locked() and user_can_change(Path(str(toml_path)))
        return (
            _Lock(settings_cls),
            init_settings,
            _Checked(env_settings, "the environment"),
            _Guarded(_Checked(dotenv_settings, ".env"), ".env", user_file=True),
            _Guarded(
                toml,
                str(toml_path),
                user_file=toml_path is not None and (not admin or changeable),
                why=_CHANGEABLE if changeable else "",
            ),
        )


_CHANGEABLE = (
    "; this user can change that file (it is theirs, or they may write it or its folder), "
    "so it is not an admin's file: make it and its folder owned by another account and "
    "not writable by this one"
)


def user_can_change(path: Path) -> bool:
    """Whether the current user could rewrite or replace ``path``: they own it or its
    folder, or may write either through its group or other bits (a sticky folder keeps
    others from replacing a file they do not own)."""
    import stat

    uid = os.geteuid()
    groups = {os.getegid(), *os.getgroups()}
    for target in (path, path.parent):
        try:
            info = target.stat()
        except OSError:
            continue
        if info.st_uid == uid:
            return True
        sticky = target.is_dir() and bool(info.st_mode & stat.S_ISVTX)
        others = bool(info.st_mode & stat.S_IWOTH)
        group = bool(info.st_mode & stat.S_IWGRP) and info.st_gid in groups
        if (others or group) and not sticky:
            return True
    return False


#: Sections a locked policy takes from the environment and the admin file only.
LOCKED_SECTIONS = ("security", "audit")
LOCKED_ENV = "LGDA_SECURITY__LOCKED"
_FALSE = frozenset({"0", "false", "no", "off", "f", "n", ""})


#: Set in the environment of every kernel Voila starts (a pre-heated one too).
VOILA_MARKERS = ("VOILA_BASE_URL", "VOILA_PREHEAT")


def policy_locked() -> bool:
    """Whether the policy is locked: ``LGDA_SECURITY__LOCKED`` (an unreadable value
    locks it); unset, a kernel started by Voila is locked, since whoever uses a Voila
    app has no kernel of their own and the policy is the only control."""
    value = os.environ.get(LOCKED_ENV)
    if value is None:
        return any(marker in os.environ for marker in VOILA_MARKERS)
    return value.strip().lower() not in _FALSE


class _Lock(PydanticBaseSettingsSource):
    """``security.locked`` as ``policy_locked()`` says, above every other source."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # pragma: no cover - __call__ does the work

    def __call__(self) -> dict[str, Any]:
        return {"security": {"locked": True}} if policy_locked() else {}


class _Guarded(PydanticBaseSettingsSource):
    """A file source without what it may not set: ``security.locked`` ever (the
    environment's alone) and, when the policy is locked and the file is the user's
    (``.env``, the working directory's ``lgda.toml``), any ``security.*`` or ``audit.*``."""

    def __init__(
        self, source: PydanticBaseSettingsSource, name: str, *, user_file: bool, why: str = ""
    ):
        super().__init__(source.settings_cls)
        self._source = source
        self._name = name
        self._user_file = user_file
        self._why = why

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # pragma: no cover - __call__ does the work

    def __call__(self) -> dict[str, Any]:
        return _guarded(self._source(), self._name, user_file=self._user_file, why=self._why)


class _Checked(PydanticBaseSettingsSource):
    """An environment source (the process's, or ``.env``) whose ``LGDA_*`` names and
    JSON values are checked before pydantic-settings reads them: a name that matches no
    setting is a warning naming the closest one (the environment also holds other
    tools' variables); JSON that does not parse is a ``ConfigError`` naming the variable."""

    def __init__(self, source: PydanticBaseSettingsSource, name: str):
        super().__init__(source.settings_cls)
        self._source = source
        self._name = name

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # pragma: no cover - __call__ does the work

    def __call__(self) -> dict[str, Any]:
        variables = getattr(self._source, "env_vars", None)
        if variables is None:  # pragma: no cover - every env source has them
            variables = os.environ
        check_environment(variables, self._name)
        try:
            return self._source()
        except SettingsError as exc:  # a shape check_environment does not foresee
            raise ConfigError(
                f"A setting in {self._name} could not be read: {exc}.",
                hint=_JSON_HINT,
            ) from None


#: ``LGDA_*`` variables the project reads that are not settings (tests, tools).
OTHER_VARIABLES = frozenset(
    {
        CONFIG_FILE_ENV,
        "LGDA_BQEMULATOR_PORT",
        "LGDA_CHROMIUM",
        "LGDA_REQUIRE_BROWSER",
        "LGDA_SCREENSHOT_DIR",
    }
)
_JSON_HINT = (
    'Write mappings and lists as JSON, e.g. security.pii_policy={"users.email": "mask"} '
    "(LGDA_SECURITY__PII_POLICY in the environment)."
)


def check_environment(variables: Mapping[str, str | None], where: str) -> None:
    """Warn (once) about each ``LGDA_*`` name in ``variables`` that sets nothing, naming
    the closest setting; raise ``ConfigError`` for a mapping or list that is not JSON.

    A name inside a known section (``LGDA_SECURITY__MAX_ROWZ``) is left to the model,
    which refuses it: it can only have been meant for this toolkit.
    """
    settings = _setting_variables()
    for raw, value in variables.items():
        name = raw.upper()
        if not name.startswith(ENV_PREFIX) or name in OTHER_VARIABLES:
            continue
        if name.startswith(ENV_PREFIX + "TEST_"):
            continue
        section = name[len(ENV_PREFIX) :].partition("__")[0].lower()
        target = settings.get(name)
        if target is None:
            if "__" in name and section in _SECTIONS:
                continue
            close = difflib.get_close_matches(name, list(settings), n=1, cutoff=0.6)
            suggestion = f" (did you mean {close[0]}?)" if close else ""
            _warn_ignored(where, f"{name} in {where} sets nothing and is ignored{suggestion}")
            continue
        if target and value:
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                raise ConfigError(
                    f"{name} in {where} is not valid JSON ({_json_problem(exc)}).",
                    hint=_JSON_HINT,
                ) from None


def _json_problem(exc: json.JSONDecodeError) -> str:
    """Where the JSON went wrong, without the text (which may hold a secret)."""
    return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"


def _setting_variables() -> dict[str, bool]:
    """Every variable that sets something (a section as JSON too), and whether its
    value is read as JSON."""
    from typing import get_origin

    names: dict[str, bool] = {}
    for name, info in UnifiedConfig.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names[env_name((name,))] = True
            for sub, sub_info in annotation.model_fields.items():
                json_valued = get_origin(sub_info.annotation) in (dict, list) and not any(
                    meta is NoDecode or isinstance(meta, NoDecode) for meta in sub_info.metadata
                )
                names[env_name((name, sub))] = json_valued
        else:
            names[env_name((name,))] = False
    return names


def _toml_source(settings_cls: type[BaseSettings], path: Path | None) -> TomlConfigSettingsSource:
    """The TOML file as a source, once it has been read as TOML and every section and
    key in it names a setting (``[securty]`` is an error, not a section ignored)."""
    if path is not None:
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"{path} is not valid TOML: {exc}.",
                hint="Fix the file (https://toml.io); `lgda config` shows every setting.",
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"{path} could not be read: {exc.__class__.__name__}.",
                hint="Check the file's permissions and that it is UTF-8 text.",
            ) from None
        check_toml_names(data, str(path))
    return TomlConfigSettingsSource(settings_cls, toml_file=path)


def check_toml_names(data: Mapping[str, Any], where: str) -> None:
    """``ConfigError`` for the first section or key in a TOML document that is not a
    setting, naming the closest valid one."""
    top = list(UnifiedConfig.model_fields)
    for key, value in data.items():
        if key not in UnifiedConfig.model_fields:
            if isinstance(value, Mapping):
                suggestion = _closest(key, sorted(_SECTIONS), "[{}]")
                raise ConfigError(
                    f"[{key}] in {where} is not a section.{suggestion}",
                    hint="Rename the section; `lgda config` shows every setting.",
                )
            plain = [name for name in top if name not in _SECTIONS]
            raise ConfigError(
                f"{key} in {where} is not a setting.{_closest(key, plain, '{}')}",
                hint="Rename the key; `lgda config` shows every setting.",
            )
        if key in _SECTIONS and isinstance(value, Mapping):
            known = _field_names((key,))
            for sub in value:
                if sub not in known:
                    raise ConfigError(
                        f"{sub} in [{key}] of {where} is not a setting."
                        f"{_closest(sub, known, '{}')}",
                        hint="Rename the key; `lgda config` shows every setting.",
                    )


def _closest(name: str, known: list[str], shape: str) -> str:
    """`` Did you mean x?``, or the valid names when none is close."""
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    if close:
        return f" Did you mean {shape.format(close[0])}?"
    return " Valid names: " + ", ".join(shape.format(item) for item in known) + "."


def check_pii_policy(policy: Mapping[str, str], tables: Mapping[str, list[str]]) -> None:
    """``ConfigError`` for a policy key naming a column none of ``tables`` has
    (``users.emial``, or ``emial`` for every table), with the closest real one."""
    columns = {table.lower(): {c.lower() for c in names} for table, names in tables.items()}
    qualified = sorted(f"{t}.{c}" for t, names in columns.items() for c in names)
    bare = sorted({c for names in columns.values() for c in names})
    for key in policy:
        table, _, column = key.lower().rpartition(".")
        if table and column in columns.get(table, ()):
            continue
        if not table and column in bare:
            continue
        if not table:
            problem = f"no table has a column {column}"
        elif table in columns:
            problem = f"table {table} has no column {column}"
        else:
            problem = f"there is no table {table}"
        close = difflib.get_close_matches(key.lower(), qualified if table else bare, n=1)
        suggestion = f" Did you mean {close[0]}?" if close else ""
        raise ConfigError(
            f"security.pii_policy names {key}, but {problem}.{suggestion}",
            hint="A policy key is table.column (or a column, for every table that has it); "
            "a misspelt one protects nothing.",
        )


def _about_thelook(policy: Mapping[str, str], tables: Mapping[str, list[str]]) -> dict[str, str]:
    """The keys of ``policy`` that name thelook's tables or columns, or nearly do (a
    misspelling); any other may name a DataFrame or file connected later, and is checked
    when that is connected."""
    names = {table.lower() for table in tables}
    columns = {column.lower() for names_ in tables.values() for column in names_}
    kept = {}
    for key, action in policy.items():
        table, _, column = key.lower().rpartition(".")
        word, pool = (table, names) if table else (column, columns)
        if word in pool or difflib.get_close_matches(word, pool, n=1, cutoff=0.8):
            kept[key] = action
    return kept


_warned_ignored: set[str] = set()


def _guarded(
    data: Mapping[str, Any], name: str, *, user_file: bool, why: str = ""
) -> dict[str, Any]:
    kept = dict(data)
    security = kept.get("security")
    if isinstance(security, Mapping) and "locked" in security:
        kept["security"] = {k: v for k, v in security.items() if k != "locked"}
        _warn_ignored(name, f"security.locked in {name} is ignored: only {LOCKED_ENV} sets it")
    if user_file and policy_locked():
        dropped = [
            f"{section}.{key}"
            for section in LOCKED_SECTIONS
            if isinstance(kept.get(section), Mapping)
            for key in kept.pop(section)
        ]
        if dropped:
            _warn_ignored(
                name,
                f"{', '.join(sorted(dropped))} in {name} "
                f"{'is' if len(dropped) == 1 else 'are'} ignored: the security policy is "
                f"locked ({LOCKED_ENV}=true), so only the environment and {CONFIG_FILE_ENV} "
                f"set security and audit settings{why}",
            )
    return kept


def _warn_ignored(name: str, message: str) -> None:
    if message in _warned_ignored:
        return
    _warned_ignored.add(message)
    warnings.warn(message + ".", ConfigWarning, stacklevel=2)


class ConfigWarning(UserWarning):
    """A setting in a file was ignored (shown once per process)."""


#: The SDKs' own key variables, which providers read when ``llm.api_key`` is unset.
SDK_KEY_VARIABLES = ("OPENAI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY", "ANTHROPIC_API_KEY")


def _secret_values(config: BaseModel) -> list[str]:
    """Every ``SecretStr`` in ``config`` (any section), and the SDK key variables."""
    values = [os.environ.get(name) or "" for name in SDK_KEY_VARIABLES]
    for path in _secret_paths(type(config)):
        value: Any = config
        for name in path:
            value = getattr(value, name)
        if isinstance(value, SecretStr):
            values.append(value.get_secret_value())
    return values


@functools.cache
def _secret_paths(model: type[BaseModel]) -> tuple[tuple[str, ...], ...]:
    """Where a model of this class can hold a ``SecretStr``: field names, section first.
    Read from the annotations once per class, so planning does not walk every setting."""
    paths: list[tuple[str, ...]] = []
    for name, field in model.model_fields.items():
        kinds = typing.get_args(field.annotation) or (field.annotation,)
        for kind in kinds:
            if kind is SecretStr:
                paths.append((name,))
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                paths.extend((name, *inner) for inner in _secret_paths(kind))
    return tuple(paths)


def remember_secrets(config: UnifiedConfig) -> None:
    """Scrub ``config``'s secrets, and the SDK key variables as they are now, from every
    text from now on (called when a config is built and before planning)."""
    from lgda_nb._secrets import remember

    remember(_secret_values(config))


def config_file_path() -> Path | None:
    """The TOML file in force: ``LGDA_CONFIG_FILE`` or ``./lgda.toml`` if present."""
    explicit = os.environ.get(CONFIG_FILE_ENV)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"{CONFIG_FILE_ENV}={explicit!r} does not name a readable file.",
                hint=f"Point {CONFIG_FILE_ENV} at an existing TOML file, or unset it.",
            )
        return path
    local = Path(DEFAULT_CONFIG_FILE)
    return local if local.is_file() else None


def env_name(loc: tuple[str | int, ...]) -> str:
    """The environment variable that sets the field at ``loc``: ``LGDA_DUCKDB__DATABASE``."""
    return ENV_PREFIX + "__".join(str(part) for part in loc).upper()


def _config_error(exc: ValidationError) -> ConfigError:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        name = env_name(loc)
        if error["type"] == "extra_forbidden":
            section = loc[:-1]
            known = _field_names(section)
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            suggestion = f" Did you mean {env_name((*section, close[0]))}?" if close else ""
            problems.append(f"{name} is not a setting.{suggestion}")
            continue
        value = error.get("input")
        shown = "***" if "api_key" in name.lower() else repr(value)
        problems.append(f"{name}={shown} is not valid: {error['msg']}.")
    return ConfigError(
        " ".join(problems),
        hint="Fix the variable (or the lgda.toml / .env entry); `lgda config` shows every setting.",
    )


def _field_names(section: tuple[str | int, ...]) -> list[str]:
    model: type[BaseModel] = UnifiedConfig
    for part in section:
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def all_keys() -> list[str]:
    """Every dotted setting name: ``backend``, ``duckdb.database``, ..."""
    keys: list[str] = []
    for name, info in UnifiedConfig.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys.extend(f"{name}.{sub}" for sub in annotation.model_fields)
        else:
            keys.append(name)
    return keys


def normalize_key(key: str) -> str:
    """``LGDA_DUCKDB__DATABASE``, ``duckdb__database`` and ``duckdb.database`` are one key."""
    key = key.strip()
    if key.upper().startswith(ENV_PREFIX):
        key = key[len(ENV_PREFIX) :]
    return key.lower().replace("__", ".")


def _coerce_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check the keys exist and may change, and turn text values (from a magic or CLI)
    into field values."""
    known = all_keys()
    coerced: dict[str, Any] = {}
    for raw_key, value in changes.items():
        key = normalize_key(raw_key)
        if key not in known and key not in UnifiedConfig.model_fields:
            close = difflib.get_close_matches(key, known, n=1)
            suggestion = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{raw_key!r} is not a setting.{suggestion}",
                hint="`lgda config` or %lgda_config lists every setting.",
            )
        _check_may_change(key)
        coerced[key] = _from_text(key, value) if isinstance(value, str) else value
    return coerced


def _from_text(key: str, text: str) -> Any:
    """``none``/``null`` unsets; lists are comma-separated; pydantic parses the rest."""
    if text.strip().lower() in {"none", "null"}:
        return None
    if text.strip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{key} is not valid JSON ({_json_problem(exc)}).",
                hint=_JSON_HINT,
            ) from None
    section, _, field = key.partition(".")
    if field:
        default = getattr(UnifiedConfig.model_fields[section].annotation, "model_fields", {})
        info = default.get(field)
        if info is not None and "list" in str(info.annotation):
            return [item.strip() for item in text.split(",") if item.strip()]
    return text


def _check_may_change(key: str) -> None:
    """``security.locked`` comes from the environment only; a locked policy's security
    and audit settings do not change at runtime."""
    if key == "security.locked":
        raise ConfigError(
            "security.locked cannot be changed at runtime: it is read from the "
            f"environment only ({LOCKED_ENV}).",
            hint=f"Set {LOCKED_ENV}=true in the environment the kernel (or Voila) starts "
            "with, e.g. in the JupyterHub spawner's environment.",
        )
    section = key.partition(".")[0]
    if section in LOCKED_SECTIONS and policy_locked():
        raise LockedPolicyError(
            f"{key} cannot be changed: the security policy of this deployment is locked "
            f"({LOCKED_ENV}=true)."
        )


def _section_names() -> frozenset[str]:
    names = set()
    for name, info in UnifiedConfig.model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            names.add(name)
    return frozenset(names)


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Turn ``{"duckdb.database": x}`` into ``{"duckdb": {"database": x}}``."""
    nested: dict[str, Any] = {}
    for dotted, value in flat.items():
        section, _, field = dotted.replace("__", ".").partition(".")
        if not field:
            nested[section] = value
            continue
        node = nested.setdefault(section, {})
        if not isinstance(node, dict):
            raise ConfigError(f"{dotted} mixes a section and a value.")
        node[field] = value
    return nested


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Merge section by section; a setting's own value (even a mapping) is replaced whole."""
    merged = dict(base)
    for key, value in extra.items():
        if key in _SECTIONS and isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def load_config(**overrides: Any) -> UnifiedConfig:
    """Build a config from every source, with ``overrides`` (dotted or nested) on top."""
    try:
        return UnifiedConfig(**_nest(_coerce_changes(overrides)))
    except ValidationError as exc:
        raise _config_error(exc) from None


_SECTIONS = _section_names()
_lock = threading.RLock()
_current: UnifiedConfig | None = None
_runtime: dict[str, Any] = {}
_version = 0


def get_config() -> UnifiedConfig:
    """The process-wide config, built from the sources on first use."""
    global _current, _version
    with _lock:
        if _current is None:
            _current = load_config(**_runtime)
            _version += 1
        return _current


def config_version() -> int:
    """Increases whenever the process-wide config changes; engines rebuild on a change."""
    get_config()
    return _version


def set_config(**changes: Any) -> UnifiedConfig:
    """Change settings for this process (``set_config(**{"duckdb.timeout_seconds": 5})``).

    The change is validated first: an invalid value raises ``ConfigError`` and
    leaves the current config as it was.
    """
    global _current, _runtime, _version
    with _lock:
        candidate = _deep_merge(_nest(_runtime), _nest(_coerce_changes(changes)))
        try:
            new = UnifiedConfig(**candidate)
        except ValidationError as exc:
            raise _config_error(exc) from None
        _audit_changes(_current, new)  # before the change: a refused record stops it
        _runtime = _flatten(candidate)
        _current = new
        _version += 1
        return new


def _audit_changes(old: UnifiedConfig | None, new: UnifiedConfig) -> None:
    """Write each changed ``security.*`` / ``audit.*`` setting to the audit trail, with
    its old and new value, in the audit file in force before the change. When the
    audit is required and the record cannot be written, ``AuditError``: no change."""
    if old is None:
        old = load_config(**_runtime)
    before, after = _leaves(old), _leaves(new)
    changed = [
        key
        for key in after
        if key.partition(".")[0] in LOCKED_SECTIONS and before.get(key) != after[key]
    ]
    if not changed:
        return
    from lgda_nb.security._audit import audit_path, current_user, write_record

    security = old.security
    for key in changed:
        record = {
            "event": "config",
            "kind": "config",
            "user": current_user(security.audit_user, locked=security.locked),
            "setting": key,
            "old": _recorded(before.get(key)),
            "new": _recorded(after[key]),
            "outcome": "changed",
            "correlation_id": None,
        }
        write_record(
            audit_path(security.audit_file),
            record,
            required=old.audit_required,
            withheld="the setting was not changed",
        )


def _recorded(value: Any) -> Any:
    """A setting's value as JSON: paths as text, mappings and lists as they are."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def reset() -> None:
    """Forget runtime changes; the next ``get_config()`` reads the sources again."""
    global _current, _runtime, _version
    with _lock:
        if _current is not None and any(k.partition(".")[0] in LOCKED_SECTIONS for k in _runtime):
            # Dropping runtime security changes is a change too; recorded as best it can.
            with contextlib.suppress(Exception):
                _audit_changes(_current, load_config())
        _current = None
        _runtime = {}
        _version += 1


@contextlib.contextmanager
def override(**changes: Any) -> Iterator[UnifiedConfig]:
    """Apply ``changes`` for the duration of a ``with`` block, then restore (tests)."""
    global _current, _runtime, _version
    with _lock:
        saved = (_current, dict(_runtime))
    try:
        yield set_config(**changes)
    finally:
        with _lock:
            _current, _runtime = saved
            _version += 1


def _flatten(tree: Mapping[str, Any]) -> dict[str, Any]:
    """``{"duckdb": {"threads": 2}}`` -> ``{"duckdb.threads": 2}``; values that are
    themselves mappings (``security.pii_policy``) stay whole."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        if key in _SECTIONS and isinstance(value, Mapping):
            flat.update({f"{key}.{sub}": leaf for sub, leaf in value.items()})
        else:
            flat[key] = value
    return flat


def _leaves(config: UnifiedConfig) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name in UnifiedConfig.model_fields:
        value = getattr(config, name)
        if isinstance(value, BaseModel):
            for sub in type(value).model_fields:
                flat[f"{name}.{sub}"] = getattr(value, sub)
        else:
            flat[name] = value
    return flat


def describe_config(
    config: UnifiedConfig | None = None, *, explicit: Mapping[str, Any] | None = None
) -> list[tuple[str, str, str, str]]:
    """Rows of ``(key, value, source, env var)``; secrets are masked.

    The source is the highest-priority place that sets the value: ``runtime``
    (arguments or ``%lgda_config``), ``env``, ``.env``, the TOML file, or ``default``.
    """
    if config is None:
        config = get_config()
        explicit = _runtime if explicit is None else explicit
    toml_path = config_file_path()
    toml_is_local = toml_path is not None and not os.environ.get(CONFIG_FILE_ENV)
    dotenv = _guarded(DotEnvSettingsSource(UnifiedConfig)(), ".env", user_file=True)
    layers: list[tuple[str, dict[str, Any]]] = [
        ("runtime", _flatten(_nest(explicit or {}))),
        ("env", _flatten(EnvSettingsSource(UnifiedConfig)())),
        (".env", _flatten(dotenv)),
    ]
    if toml_path is not None:
        toml = _toml_source(UnifiedConfig, toml_path)()
        name = str(toml_path)
        layers.append((name, _flatten(_guarded(toml, name, user_file=toml_is_local))))
    rows = []
    for key, value in _leaves(config).items():
        source = next((name for name, flat in layers if key in flat), "default")
        shown = "***" if isinstance(value, SecretStr) and value else _show(value)
        rows.append((key, shown, source, env_name(tuple(key.split(".")))))
    return rows


def _show(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


__all__ = [
    "AuditSettings",
    "BigQuerySettings",
    "CacheSettings",
    "ConfigWarning",
    "DuckDBSettings",
    "LLMSettings",
    "ObservabilitySettings",
    "PlannerSettings",
    "RetrySettings",
    "SecuritySettings",
    "UnifiedConfig",
    "all_keys",
    "config_file_path",
    "config_version",
    "describe_config",
    "get_config",
    "load_config",
    "normalize_key",
    "override",
    "policy_locked",
    "reset",
    "set_config",
]
