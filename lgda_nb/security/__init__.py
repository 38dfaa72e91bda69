"""SQL policy, PII masking and the audit trail."""

from typing import Any

from lgda_nb.security._audit import AuditLog, audit_path, current_user, sql_hash
from lgda_nb.security._pii import (
    PII_KINDS,
    PIIFinding,
    apply_policy,
    detect_column,
    detect_value,
    mask_value,
)
from lgda_nb.security._validator import (
    ALLOWED_ANONYMOUS,
    SecurityPolicy,
    SecurityValidator,
    ValidatedSQL,
    policy_from_config,
)

__all__ = [
    "ALLOWED_ANONYMOUS",
    "DEFAULT_POLICY",
    "PII_KINDS",
    "AuditLog",
    "PIIFinding",
    "SecurityPolicy",
    "SecurityValidator",
    "ValidatedSQL",
    "apply_policy",
    "audit_path",
    "current_user",
    "detect_column",
    "detect_value",
    "mask_value",
    "policy_from_config",
    "sql_hash",
]


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_POLICY":  # the sample's personal columns, read when asked for
        from lgda_nb.security._pii import default_policy

        return default_policy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
