"""The LLM planner: a chain of providers that ends, by default, in the offline planner.

A model answers with a typed query over the semantic model when the question fits
it, or with SQL when it does not. A typed query is checked name by name and compiled
by the toolkit, exactly like the offline reader's; SQL is validated with the same
``SecurityValidator`` as every other statement. A refusal is final. Each provider
is tried under its own circuit breaker and the toolkit's ``llm`` retry strategy; a
provider that is open or fails after its retries hands over to the next one, and
the plan records why.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import structlog

from lgda_nb.errors import LGDAError, PlanningError, ProviderError
from lgda_nb.llm._parse import ParsedReply, parse_reply
from lgda_nb.llm._prompt import (
    REPLY_SCHEMA,
    ExampleStore,
    repair_prompt,
    reply_schema,
    typed_query_prompt,
    user_prompt,
)

if TYPE_CHECKING:
    from lgda_nb._cache import BoundedCache
    from lgda_nb._config import LLMSettings
    from lgda_nb._retry import CircuitBreaker, RetryStrategy
    from lgda_nb.llm._provider import Completion, Provider
    from lgda_nb.planner import OfflinePlanner, Plan

logger = structlog.get_logger("lgda_nb.llm")
T = TypeVar("T")


@dataclass(frozen=True)
class ProviderCall:
    """What one provider did for one question: answered, was skipped, or failed."""

    provider: str
    outcome: str  # answered | cached | skipped | failed
    reason: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    seconds: float = 0.0

    def describe(self) -> str:
        """One line for the details block."""
        text = f"{self.provider}: {self.outcome}"
        if self.reason:
            text += f" ({self.reason})"
        if self.input_tokens or self.output_tokens:
            text += f", {self.input_tokens:,} in / {self.output_tokens:,} out tokens"
        if self.cost is not None:
            text += f", about ${self.cost:.4f}"
        return text


def cost_of(settings: LLMSettings, input_tokens: int, output_tokens: int) -> float | None:
    """Estimated dollars of these tokens at the configured prices, or ``None`` without them.

    Prices change too often to ship: set ``LGDA_LLM__INPUT_PRICE_PER_MTOK`` and
    ``LGDA_LLM__OUTPUT_PRICE_PER_MTOK`` (dollars per million tokens) to see costs.
    """
    price_in, price_out = settings.input_price_per_mtok, settings.output_price_per_mtok
    if price_in is None or price_out is None:
        return None
    return (input_tokens * price_in + output_tokens * price_out) / 1e6


class LLMPlanner:
    """Plans a question by asking providers in order; ``offline`` in the chain ends it.

    When ``offline`` is in the chain, the offline reader is tried first: it answers
    when it accounts for every word of the question, and only what it refuses goes to
    the language models. A chain without ``offline`` (``lgda eval --provider X``)
    asks the models alone.

    ``plan`` and ``repair`` have the offline planner's signatures, so the engine
    treats both alike. ``system`` builds the standing prompt (schema, metrics,
    rules) once; ``examples`` supplies worked examples per question.
    """

    def __init__(
        self,
        chain: Sequence[str],
        settings: LLMSettings,
        *,
        system: Callable[[], str],
        tables: Callable[[], Sequence[str]],
        examples: ExampleStore,
        offline: Callable[[], OfflinePlanner],
        retry: RetryStrategy,
        breaker: Callable[[str], CircuitBreaker],
        cache: BoundedCache[str, Completion],
        provider_factory: Callable[[str, LLMSettings], Provider] | None = None,
        sample_rows: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self.chain = list(dict.fromkeys(chain))
        self.settings = settings
        self._system = system
        self._system_text: str | None = None
        self._tables = tables
        self.examples = examples
        self._offline = offline
        self._retry = retry
        self._breaker = breaker
        self._cache = cache
        self._sample_rows = sample_rows
        if provider_factory is None:
            from lgda_nb.llm._providers import create_provider

            provider_factory = create_provider
        self._factory = provider_factory
        self._providers: dict[str, Provider] = {}

    @property
    def system(self) -> str:
        """The standing instructions, with how to write a typed query; built on first use."""
        if self._system_text is None:
            reader = self._offline()
            typed = typed_query_prompt(reader.model, reader.values)
            self._system_text = f"{self._system()}\n\n{typed}"
        return self._system_text

    @functools.cached_property
    def _schema(self) -> dict[str, Any]:
        from lgda_nb.planner._query import query_schema

        return reply_schema(query_schema(self._offline().model))

    def _typed(self, question: str, query: dict[str, Any]) -> Plan:
        """The plan of a model's typed query, checked against the model and compiled once
        (``PlanningError`` when it names what does not exist or cannot be compiled)."""
        from lgda_nb.planner import compile_plan
        from lgda_nb.planner._query import plan_from_query

        reader = self._offline()
        planned = plan_from_query(question, query, reader.model, reader.values)
        compile_plan(planned, reader.model)
        return planned

    def provider(self, name: str) -> Provider:
        """The provider called ``name``, created (and its SDK imported) on first use."""
        if name not in self._providers:
            settings = self.settings
            if name != settings.provider:
                # Model, key and address are the main provider's; a fallback provider
                # uses its defaults and its SDK's own variables (OPENAI_BASE_URL, ...).
                settings = settings.model_copy(
                    update={"model": None, "api_key": None, "base_url": None}
                )
            self._providers[name] = self._factory(name, settings)
        return self._providers[name]

    # --- planning -------------------------------------------------------------------

    def plan(self, question: str) -> Plan:
        """The first plan a provider in the chain produces; see the class docstring.

        Raises ``PlanningError`` when a model says the data cannot answer and no
        later step can either, and ``ProviderError`` when every provider failed
        and ``offline`` is not in the chain.
        """
        calls: list[ProviderCall] = []
        refusal: PlanningError | None = None
        reader_refusal: PlanningError | None = None
        if "offline" in self.chain:
            # The reader answers first when it accounts for every word: it is exact,
            # free and offline. A model is asked only for what the reader refuses.
            try:
                planned = self._offline().plan(question)
            except PlanningError as exc:
                reader_refusal = exc
            else:
                calls.append(ProviderCall("offline", "answered"))
                return replace(planned, source="offline", calls=tuple(calls))
        for name in self.chain:
            if name == "offline":
                assert reader_refusal is not None
                final = refusal or reader_refusal
                if calls:  # say why no model answered: failed, skipped, refused
                    tried = "; ".join(call.describe() for call in calls)
                    final.detail = f"Language models tried: {tried}."
                raise final
            try:
                provider = self.provider(name)
            except LGDAError as exc:  # no SDK, no key: say so and move on
                calls.append(ProviderCall(name, "skipped", exc.message))
                continue
            label = f"{name}/{provider.model}"
            read = functools.partial(parse_reply, provider=name)
            user = user_prompt(
                question,
                self.examples.select(question, tables=self._tables()),
                sample_rows=self._sample_rows() if self._sample_rows else None,
            )
            try:
                planned, answered = self._ask(provider, question, user, read)
            except PlanningError as exc:
                calls.append(ProviderCall(label, "failed", exc.message))
                refusal = refusal or exc
                continue
            except LGDAError as exc:
                calls.append(_failed(label, exc))
                continue
            calls += answered
            return replace(planned, source=label, calls=tuple(calls))
        if refusal is not None:
            raise refusal
        reasons = "; ".join(c.describe() for c in calls) or "no provider is configured"
        raise ProviderError(
            f"No language-model provider could answer: {reasons}.",
            hint="Add 'offline' to LGDA_LLM__FALLBACK to fall back to the built-in planner, "
            "or check the provider's key, model and address with `lgda config`.",
        )

    def _typed_or_none(self, question: str, query: dict[str, Any] | None) -> Plan | None:
        if query is None:
            return None
        try:
            return self._typed(question, query)
        except PlanningError:
            return None

    def _ask(
        self, provider: Provider, question: str, user: str, read: Callable[[str], ParsedReply]
    ) -> tuple[Plan, list[ProviderCall]]:
        """The plan of one provider's answer: its typed query, else its SQL.

        A typed query that does not fit the model, with no SQL beside it, is sent back
        once with the reason; a second misfit is the provider's failure.
        """
        parsed, call = self._complete(provider, self.system, user, read, schema=self._schema)
        calls = [call]
        try:
            return self._plan_of(question, parsed), calls
        except PlanningError as exc:  # a typed query that does not fit, and no SQL beside it
            assert parsed.query is not None
            retry = repair_prompt(question, json.dumps(parsed.query), exc.message)
            parsed, call = self._complete(provider, self.system, retry, read, schema=self._schema)
            calls.append(call)
            return self._plan_of(question, parsed), calls

    def _plan_of(self, question: str, parsed: ParsedReply) -> Plan:
        """The reply's typed query as a plan, else its SQL; ``PlanningError`` when the
        query does not fit the model and there is no SQL to fall back on."""
        from lgda_nb.planner import Plan

        notes = (parsed.rationale,) if parsed.rationale else ()
        if parsed.query is not None:
            try:
                return replace(self._typed(question, parsed.query), notes=notes)
            except PlanningError:
                if not parsed.sql:
                    raise
        return Plan(question=question, metrics=(), sql=parsed.sql, notes=notes)

    def repair(self, plan: Plan, sql: str, error: Exception) -> Plan | None:
        """Ask the provider that wrote ``sql`` for a corrected query; ``None`` if it cannot.

        Offline plans go back to the offline planner. The corrected SQL goes
        through the validator again; the policy is never loosened.
        """
        if plan.sql is None:
            repair = getattr(self._offline(), "repair", None)
            return repair(plan, sql, error) if callable(repair) else None
        name = plan.source.split("/", 1)[0]
        if name not in self.chain or name == "offline":
            return None
        provider = self.provider(name)
        message = getattr(error, "message", str(error))
        user = repair_prompt(plan.question, sql, message)
        read = functools.partial(parse_reply, provider=name)
        try:
            parsed, call = self._complete(provider, self.system, user, read)
        except LGDAError as exc:
            logger.warning("repair_failed", provider=name, error=getattr(exc, "message", ""))
            return None
        if not parsed.sql:  # a typed query this time, or nothing usable
            typed = self._typed_or_none(plan.question, parsed.query)
            return typed and replace(typed, source=plan.source, calls=(*plan.calls, call))
        if parsed.sql.strip() == sql.strip():
            return None
        notes = (parsed.rationale,) if parsed.rationale else plan.notes
        return replace(plan, sql=parsed.sql, calls=(*plan.calls, call), notes=notes)

    def narrate(self, facts: Mapping[str, Any], question: str | None, name: str) -> str | None:
        """A short narrative from ``facts`` only, by provider ``name``; ``None`` on failure."""
        from lgda_nb.llm._narrative import NARRATIVE_SYSTEM, narrative_prompt

        try:
            text, _ = self._complete(
                self.provider(name),
                NARRATIVE_SYSTEM,
                narrative_prompt(facts, question),
                str.strip,
                schema=None,
            )
        except LGDAError as exc:
            logger.warning("narrative_failed", provider=name, error=getattr(exc, "message", ""))
            return None
        return text or None

    # --- one provider ---------------------------------------------------------------

    def _complete(
        self,
        provider: Provider,
        system: str,
        user: str,
        read: Callable[[str], T],
        *,
        schema: dict[str, Any] | None = REPLY_SCHEMA,
    ) -> tuple[T, ProviderCall]:
        """``read`` applied to ``provider``'s answer: cached, or called under breaker and
        retries. A reply ``read`` cannot use (``TransientProviderError``) is asked again."""
        from lgda_nb._observability import get_metrics

        label = f"{provider.name}/{provider.model}"
        key = hashlib.sha256(
            json.dumps([provider.name, provider.model, system, user]).encode()
        ).hexdigest()
        hit = self._cache.get(key)
        if hit is not None:
            return read(hit.text), ProviderCall(label, "cached")
        breaker = self._breaker(provider.name)
        metrics = get_metrics()
        answered: list[Completion] = []

        def attempt() -> T:
            completion = provider.complete(system, user, json_schema=schema)
            answered.append(completion)
            self._count(provider, completion)
            return read(completion.text)  # an unreadable reply is retried, not a failure

        def on_retry(number: int, error: BaseException) -> None:
            metrics.increment("retries.llm")
            logger.warning("retry", operation="llm", provider=label, attempt=number,
                           cause=type(error).__name__)  # fmt: skip

        started = time.perf_counter()
        # The breaker counts calls that failed after their retries, not single attempts.
        value = breaker.call(lambda: self._retry.call(attempt, on_retry=on_retry))
        seconds = time.perf_counter() - started
        completion = answered[-1]
        if not completion.truncated:
            self._cache.put(key, completion, len(completion.text) + len(key))
        tokens_in = sum(c.input_tokens for c in answered)
        tokens_out = sum(c.output_tokens for c in answered)
        cost = cost_of(self.settings, tokens_in, tokens_out)
        return value, ProviderCall(label, "answered", "", tokens_in, tokens_out, cost, seconds)

    def _count(self, provider: Provider, completion: Completion) -> None:
        from lgda_nb._observability import get_metrics

        metrics = get_metrics()
        metrics.increment(f"llm.calls.{provider.name}")
        metrics.increment("llm.tokens.input", completion.input_tokens)
        metrics.increment("llm.tokens.output", completion.output_tokens)
        cost = cost_of(self.settings, completion.input_tokens, completion.output_tokens)
        if cost is not None:
            metrics.increment("llm.cost_microdollars", round(cost * 1e6))


def _failed(label: str, exc: LGDAError) -> ProviderCall:
    """How a provider that gave up is recorded: breaker open, or its last error."""
    from lgda_nb.errors import BackendUnavailableError

    if isinstance(exc, BackendUnavailableError):
        return ProviderCall(label, "skipped", "circuit breaker open after repeated failures")
    return ProviderCall(label, "failed", exc.message)
