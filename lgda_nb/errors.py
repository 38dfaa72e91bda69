"""Every failure a user can meet, as one tree.

::

    LGDAError                       base: message, hint, detail, code, retryable
    ├── ConfigError                 invalid or missing configuration, missing extra
    │   └── LockedPolicyError       a locked deployment's security or audit setting changed
    ├── AuditError                  the audit record could not be written and one is required
    ├── UsageError                  empty cell, unknown option, bad CLI arguments
    ├── SQLError                    the SQL text itself is wrong
    │   ├── SQLSyntaxError          does not parse (line/column in the message)
    │   ├── UnknownTableError       table not in the configured dataset
    │   └── UnknownColumnError      column not in the referenced tables
    ├── PlanningError               the question could not be mapped to a plan
    ├── SecurityError               refused by the SQL policy (never retried)
    ├── SampleDataError             the embedded sample could not be built/opened
    ├── DataSourceError             a DataFrame or file cannot be connected as a table
    ├── CostLimitError              the warehouse estimate is above the cost ceiling
    ├── ExecutionError              the backend failed to run a valid query
    │   ├── QueryTimeoutError       the query ran past its timeout
    │   ├── QueryCancelledError     the user interrupted it (kernel interrupt)
    │   ├── BackendUnavailableError nothing answers (a local emulator not running), or a
    │   │                           circuit breaker is open: failing fast
    │   └── TransientBackendError   network, busy, rate limit: worth a retry
    ├── ProviderError               a language-model provider failed or answered nonsense
    │   └── TransientProviderError  429, 5xx, timeout, unparseable reply: worth a retry
    └── InternalError               a bug: an unexpected exception inside a stage

Each error carries a one-sentence ``message`` for the user, a ``hint`` saying what
to do next, an optional ``detail`` (the driver's own words) and a stable ``code``.
Whether an error may be retried follows from its class. Driver exceptions are
translated into this tree at the backend boundary, always ``raise ... from exc``.
Configured secrets (API keys) are scrubbed from the message, hint and detail
whenever they are set, and from every rendering, whoever wrote the text.

In IPython, ``_render_traceback_`` makes the cell fail with a compact message
instead of a traceback, so Run All and nbval still stop on the failure.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from lgda_nb._secrets import scrub, scrub_value

__all__ = [
    "AuditError",
    "BackendUnavailableError",
    "ConfigError",
    "CostLimitError",
    "DataSourceError",
    "ExecutionError",
    "InternalError",
    "LGDAError",
    "LockedPolicyError",
    "PlanningError",
    "ProviderError",
    "QueryCancelledError",
    "QueryTimeoutError",
    "SQLError",
    "SQLSyntaxError",
    "SampleDataError",
    "SecurityError",
    "TransientBackendError",
    "TransientProviderError",
    "UnknownColumnError",
    "UnknownTableError",
    "UsageError",
]


#: ANSI escape sequences (colour, underline) that terminal-minded drivers put in text.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class LGDAError(Exception):
    """Base of every error the toolkit raises on purpose."""

    code: ClassVar[str] = "lgda_error"
    retryable: ClassVar[bool] = False
    default_hint: ClassVar[str] = "Run with debug=true for the full detail."

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        detail: str | None = None,
        stage: str | None = None,
    ) -> None:
        super().__init__(scrub(message))
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        self.detail = detail
        self.stage = stage
        #: Ties the error card to its log lines; set by the engine.
        self.correlation_id: str | None = None
        #: Set by front-ends that want the traceback shown (``debug=true``).
        self.show_traceback = False
        #: Set when a front-end already showed the error as a card.
        self.card_shown = False
        self.attempts = []

    # The texts are scrubbed whenever they are set (a planner sets ``detail`` late).
    @property
    def message(self) -> str:
        """One sentence for the user."""
        return self._message

    @message.setter
    def message(self, value: str) -> None:
        self._message = scrub(value)
        if self.args and isinstance(self.args[0], str):
            self.args = (self._message, *self.args[1:])

    @property
    def hint(self) -> str:
        """What to do next."""
        return self._hint

    @hint.setter
    def hint(self, value: str) -> None:
        self._hint = scrub(value) if value else value

    @property
    def detail(self) -> str | None:
        """The driver's own words, a job id; shown under the message."""
        return self._detail

    @detail.setter
    def detail(self, value: str | None) -> None:
        # A driver may mark up its text for a terminal (sqlglot underlines the token
        # it stopped at): the escape codes would show as noise in a card or a log.
        self._detail = scrub(_TERMINAL_CODES.sub("", value)) if value else value

    @property
    def attempts(self) -> list[dict[str, Any]]:
        """Failed attempts before giving up (stage, attempt, sql, error), set by the engine."""
        return self._attempts

    @attempts.setter
    def attempts(self, value: list[dict[str, Any]]) -> None:
        self._attempts: list[dict[str, Any]] = [scrub_value(dict(a)) for a in value]

    def __str__(self) -> str:
        text = f"{self.message} Hint: {self.hint}" if self.hint else self.message
        return scrub(text)

    def as_text(self) -> str:
        """One paragraph for a terminal: title, message, hint, detail."""
        lines = [f"{type(self).__name__} [{self.code}]: {self.message}"]
        if self.hint:
            lines.append(f"Hint: {self.hint}")
        if self.detail:
            lines.append(f"Detail: {self.detail}")
        return scrub("\n".join(lines))

    def to_dict(self) -> dict[str, object]:
        """Machine-readable form, used by the CLI's JSON output and the audit log."""
        return {
            "error": type(self).__name__,
            "code": self.code,
            "message": self.message,  # scrubbed when set, like hint and detail
            "hint": self.hint,
            "detail": self.detail,
            "stage": self.stage,
            "retryable": self.retryable,
            "correlation_id": self.correlation_id,
            "rule": getattr(self, "rule", None),
        }

    def _repr_html_(self) -> str:
        from lgda_nb.jupyter._display import error_html

        return scrub(error_html(self))

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting a traceback; the cell still fails.
        if self.show_traceback:
            import traceback

            # The causes (an SDK's exception quoting a reply body) are scrubbed too.
            return [scrub(line) for line in traceback.format_exception(self)]
        if self.card_shown:
            return [f"\x1b[31m{type(self).__name__}: {self.message}\x1b[0m"]
        return ["\x1b[31m" + self.as_text().replace("\n", "\x1b[0m\n", 1) + "\x1b[0m"]


class ConfigError(LGDAError):
    """The configuration is invalid, incomplete, or needs an extra that is not installed."""

    code = "config"
    default_hint = "Run `lgda config` (or %lgda_config) to see the effective settings."


class LockedPolicyError(ConfigError):
    """A ``security.*`` or ``audit.*`` setting was changed while the policy is locked
    (``LGDA_SECURITY__LOCKED=true``, a shared deployment): only the administrator's
    environment or admin config file sets them."""

    code = "locked"
    default_hint = (
        "Ask the administrator of this deployment; the security and audit settings come "
        "from the environment the kernel starts with."
    )


class AuditError(LGDAError):
    """The audit record of a query could not be written and the deployment requires one
    (``audit.required``, on when the policy is locked): the query is refused, nothing
    is shown."""

    code = "audit"
    default_hint = (
        "Make the audit file writable (free space, permissions) or point "
        "LGDA_SECURITY__AUDIT_FILE at a file that is."
    )


class UsageError(LGDAError):
    """The toolkit was called the wrong way: empty input, unknown option."""

    code = "usage"
    default_hint = "Run `%%lgda?` or `lgda --help` for the accepted options."


class SQLError(LGDAError):
    """The SQL text is wrong in a way the user can fix."""

    code = "sql"
    default_hint = "Fix the SQL and run it again."


class SQLSyntaxError(SQLError):
    """The SQL does not parse as BigQuery Standard SQL."""

    code = "sql_syntax"


class UnknownTableError(SQLError):
    """A table that is not part of the configured dataset."""

    code = "unknown_table"

    def __init__(self, message: str, *, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        #: The table name as the user wrote it.
        self.name = name


class UnknownColumnError(SQLError):
    """A column that none of the referenced tables has."""

    code = "unknown_column"

    def __init__(self, message: str, *, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        #: The column name as the user wrote it.
        self.name = name


class PlanningError(LGDAError):
    """The planner could not map the question; the hint suggests questions it can answer."""

    code = "planning"
    default_hint = "Rephrase the question with a measure (revenue, orders, customers...)."
    #: The question's words the planner read as nothing, when that is why it refused.
    unread: tuple[str, ...] = ()
    #: A superlative and the one thing after it with no number ("top", "customer"), when
    #: that is why it refused: the planner may read it as the top 1.
    top_one: tuple[str, str] | None = None


class SecurityError(LGDAError):
    """The SQL policy refused the statement. Never retried, never repaired around."""

    code = "security"
    default_hint = "Only a single read-only SELECT over the configured tables is allowed."
    #: The policy rule that refused the statement ("read-only", "tables", ...).
    rule: str | None = None


class SampleDataError(LGDAError):
    """The embedded sample database could not be built or opened."""

    code = "sample_data"
    default_hint = "Run `lgda sample` to rebuild it, or set LGDA_DUCKDB__DATABASE."


class DataSourceError(LGDAError):
    """A DataFrame or file given to ``connect`` cannot become a table: a missing file, a
    glob matching nothing, a format that is not read, a malformed row, unusable column
    names, a name already taken. Nothing is connected when it is raised."""

    code = "data_source"
    default_hint = "Fix the data or the name and connect it again; nothing was connected."


class ExecutionError(LGDAError):
    """The backend failed to run a query that passed validation."""

    code = "execution"
    default_hint = "Check the SQL against the table's columns and types."


class QueryTimeoutError(ExecutionError):
    """The query ran past its configured timeout and was interrupted."""

    code = "timeout"
    default_hint = "Narrow the query (filters, LIMIT) or raise the timeout in the config."


class TransientBackendError(ExecutionError):
    """A failure that may go away on its own: network, busy backend, rate limit."""

    code = "transient"
    retryable = True
    default_hint = "Try again in a moment."


class QueryCancelledError(ExecutionError):
    """The user interrupted the query; it was cancelled and the kernel is usable."""

    code = "cancelled"
    default_hint = "Run the cell again when you are ready."


class BackendUnavailableError(ExecutionError):
    """The backend cannot be reached: nothing listens at a local endpoint, or recent
    calls kept failing, so a circuit breaker pauses calls for a cool-down."""

    code = "unavailable"
    default_hint = "Wait a little and try again."


class InternalError(LGDAError):
    """Something the toolkit did not expect; nothing partial is returned."""

    code = "internal"
    default_hint = "Run with --debug for the traceback, and please report it."

    @classmethod
    def caught(cls, exc: BaseException, where: str, *, stage: str | None = None) -> InternalError:
        """The error for a bug caught in ``where`` ("the plan stage"): one sentence, the
        exception's type and text as the detail, the exception as its cause."""
        error = cls(
            f"An unexpected error stopped {where}.",
            detail=f"{type(exc).__name__}: {exc}",
            stage=stage,
        )
        error.__cause__ = exc
        return error


class CostLimitError(LGDAError):
    """The dry-run estimate is above the configured cost ceiling; nothing ran."""

    code = "cost"
    default_hint = "Filter the query down, or raise LGDA_BIGQUERY__MAXIMUM_BYTES_BILLED."


class ProviderError(LGDAError):
    """A language-model provider refused the call or answered something unusable.

    ``provider`` names it ("openai", "gemini", "anthropic"); ``status_code`` is the
    HTTP status when there was one. Permanent: bad key, unknown model, bad request.
    """

    code = "provider"
    default_hint = (
        "Check LGDA_LLM__PROVIDER, LGDA_LLM__MODEL and the API key, or run `lgda config`."
    )

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        status_code: int | None = None,
        retry_after: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.provider = provider
        self.status_code = status_code
        #: Seconds the server asked us to wait (``Retry-After``), if it said.
        self.retry_after = retry_after


class TransientProviderError(ProviderError):
    """Rate limited, a 5xx, a timeout, a dropped connection or an unparseable reply."""

    code = "provider_transient"
    retryable = True
    default_hint = (
        "Try again in a moment; meanwhile the next provider in LGDA_LLM__FALLBACK answers."
    )
