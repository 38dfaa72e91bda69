"""Build a provider from settings, and the pieces every provider shares.

Default models, used when ``LGDA_LLM__MODEL`` is unset:

- ``gemini``: ``gemini-2.5-flash``
- ``openai``: ``gpt-4.1-mini``
- ``anthropic``: ``claude-sonnet-4-6``

The helpers turn SDK failures into the error tree the same way for each SDK:
a 408, 429 or 5xx, a timeout or a lost connection is a ``TransientProviderError``
(with the server's ``Retry-After``), anything else a ``ProviderError``.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lgda_nb.errors import ConfigError, ProviderError, TransientProviderError

if TYPE_CHECKING:
    from lgda_nb._config import LLMSettings
    from lgda_nb.llm._provider import Provider

__all__ = ["DEFAULT_MODELS", "create_provider"]

DEFAULT_MODELS: Mapping[str, str] = {
    "gemini": "gemini-2.5-flash",
    "openai": "gpt-4.1-mini",
    "anthropic": "claude-sonnet-4-6",
}
#: provider name -> (module to import, pip extra that installs it)
_SDKS: Mapping[str, tuple[str, str]] = {
    "openai": ("openai", "openai"),
    "gemini": ("google.genai", "gemini"),
    "anthropic": ("anthropic", "anthropic"),
}


def create_provider(name: str, settings: LLMSettings) -> Provider:
    """The provider called ``name`` ("gemini", "openai", "anthropic"), configured by
    ``settings`` (model, key, base URL, temperature, max tokens, timeout).

    A missing SDK or API key raises ``ConfigError`` naming the fix.
    """
    key = name.strip().lower()
    if key not in DEFAULT_MODELS:
        import difflib

        close = difflib.get_close_matches(key, [*DEFAULT_MODELS, "offline"], n=1)
        hint = f"Did you mean {close[0]!r}? " if close else ""
        raise ConfigError(
            f"Unknown LLM provider {name!r}.",
            hint=f"{hint}Use one of: {', '.join(sorted(DEFAULT_MODELS))} (or offline).",
        )
    options: dict[str, Any] = {
        "model": settings.model or DEFAULT_MODELS[key],
        "api_key": settings.api_key.get_secret_value() if settings.api_key else None,
        "base_url": settings.base_url,
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "timeout_seconds": settings.timeout_seconds,
    }
    if key == "openai":
        from lgda_nb.llm._openai import OpenAIProvider

        return OpenAIProvider(**options)
    if key == "gemini":
        from lgda_nb.llm._gemini import GeminiProvider

        return GeminiProvider(**options)
    from lgda_nb.llm._anthropic import AnthropicProvider

    return AnthropicProvider(**options)


# -- shared by the provider modules ------------------------------------------------------


def missing_sdk(provider: str, exc: ImportError) -> ConfigError:
    """The error for a provider whose SDK is not installed, naming the extra."""
    module, extra = _SDKS[provider]
    return ConfigError(
        f"The {provider} provider needs the {module!r} package, which is not installed.",
        hint=f"pip install 'lgda-nb[{extra}]'  (or 'lgda-nb[llm]' for every provider)",
        detail=str(exc),
    )


def resolve_api_key(explicit: str | None, env_names: tuple[str, ...]) -> str | None:
    """The explicit key, else the first of the SDK's usual variables that is set."""
    if explicit:
        return explicit
    for env_name in env_names:
        value = os.environ.get(env_name)
        if value:
            return value
    return None


def missing_key(provider: str, env_names: tuple[str, ...]) -> ConfigError:
    names = " or ".join(env_names)
    return ConfigError(
        f"No API key for the {provider} provider.",
        hint=f"Set LGDA_LLM__API_KEY or {names}, or choose another LGDA_LLM__PROVIDER.",
    )


def is_loopback(url: str | None) -> bool:
    """True for a base URL on this machine (Ollama, LM Studio, a test server)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host in {"localhost", "0.0.0.0"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    if not headers:
        return None
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        from datetime import UTC, datetime

        when = parsedate_to_datetime(value)
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None


def is_transient_status(status: int | None) -> bool:
    return status is not None and (status in {408, 429} or status >= 500)


def status_error(
    provider: str,
    status: int,
    message: str,
    *,
    retry_after: float | None = None,
    detail: str | None = None,
) -> ProviderError:
    """The error for an HTTP status answered by the provider's API."""
    text = f"The {provider} API answered HTTP {status}"
    text = f"{text}: {message.rstrip('.')}." if message else f"{text}."
    if is_transient_status(status):
        return TransientProviderError(
            text,
            provider=provider,
            status_code=status,
            retry_after=retry_after,
            detail=detail,
        )
    hint = None
    if status in {401, 403}:
        hint = "Check the API key (LGDA_LLM__API_KEY) and its permissions."
    elif status == 404:
        hint = "Check LGDA_LLM__MODEL and LGDA_LLM__BASE_URL."
    return ProviderError(text, provider=provider, status_code=status, hint=hint, detail=detail)


def connection_error(provider: str, exc: BaseException, *, timeout: float) -> ProviderError:
    """A timeout or a connection that failed or dropped: worth another try."""
    if is_timeout(exc):
        text = f"The {provider} API did not answer within {timeout:g} s."
    else:
        text = f"Could not reach the {provider} API ({type(exc).__name__})."
    return TransientProviderError(text, provider=provider, detail=str(exc) or repr(exc))


@contextmanager
def sdk_errors(provider: str, sdk: Any, base: type[Exception], *, timeout: float) -> Iterator[None]:
    """Translate the exceptions of the openai and anthropic SDKs, which share one design
    (``APIStatusError``, ``APIConnectionError`` under a base error), into the error tree."""
    try:
        yield
    except sdk.APIStatusError as exc:
        raise status_error(
            provider,
            exc.status_code,
            body_message(exc.body) or exc.message,
            retry_after=parse_retry_after(exc.response.headers),
            detail=str(exc),
        ) from exc
    except sdk.APIConnectionError as exc:  # a timeout is one too
        raise connection_error(provider, exc, timeout=timeout) from exc
    except base as exc:
        raise ProviderError(
            f"The {provider} SDK failed: {exc}", provider=provider, detail=repr(exc)
        ) from exc


@contextmanager
def malformed_reply(provider: str) -> Iterator[None]:
    """A 200 whose body is not the API's shape (a proxy's page, a half-baked local
    server): the SDK hands back odd objects and reading them fails. Worth a retry."""
    try:
        yield
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        raise TransientProviderError(
            f"The {provider} API sent a reply that could not be read.",
            provider=provider,
            detail=repr(exc),
        ) from exc


def is_timeout(exc: BaseException) -> bool:
    """A read/connect timeout from the SDK or from httpx/httpx2 underneath it."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError) or "Timeout" in type(seen).__name__:
            return True
        seen = seen.__cause__
    return False


def transport_errors() -> tuple[type[BaseException], ...]:
    """The network error bases of the HTTP libraries the SDKs use (those loaded)."""
    classes: list[type[BaseException]] = []
    for module_name in ("httpx2", "httpx"):
        module = sys.modules.get(module_name)
        base = getattr(module, "TransportError", None) if module is not None else None
        if isinstance(base, type) and issubclass(base, BaseException):
            classes.append(base)
    return tuple(classes)


def body_message(body: object) -> str | None:
    """``message`` or ``error.message`` of a JSON error body."""
    if not isinstance(body, dict):
        return None
    message = body.get("message")
    error = body.get("error")
    if message is None and isinstance(error, dict):
        message = error.get("message")
    return str(message) if message else None
