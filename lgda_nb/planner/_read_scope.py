"""Reading "every value" said of one measure: "orders (any status)", "items of any status",
"counting orders of any status", "items ordered".

A phrase that asks for every value of a dimension may be said of the whole question
("revenue by month, regardless of status": the offline reader's ``_any_value``) or of one
noun of it. Said of a noun, it reaches only that noun's measure: "revenue and orders (any
status)" keeps the revenue rule, since orders have no rule on their status anyway. The
noun's measure keeps its place in the question; these phrases are cut out before reading
and settled once the plan's measures and conditions are known (``settle_scoped``):

- the noun's measure has no rule on the dimension: the phrase restates it, nothing changes;
- it is the only measure of the plan with such a rule: that rule is left out, as for a
  phrase said of the whole question;
- other measures have the rule too: the noun's measure is swapped for its twin without
  the rule (items sold -> items of any status) where the model has one; else the question
  is refused, since the phrase could be meant for every measure.

A verb named in the model's ``reader.every_value`` ("ordered" = every status) after a
measure's noun reads the same way: "how many items were ordered" counts items of any
status, as the conventions say; "revenue from items ordered in 2025" is refused, since
revenue has its own rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import Metric, SemanticModel
from lgda_nb.planner._plan import Condition
from lgda_nb.planner._text import singular, tokens

#: The dimensions the first words of a phrase name, and how many words (``_any_value``'s).
Dimensions = Callable[[str], tuple[list[str], int]]
Phrases = Mapping[tuple[str, ...], list[tuple[str, str, str]]]

_WHAT = r"(?:the\s+)?(?P<what>[a-z_]+(?:\s+[a-z_]+)?)"
#: "(any status)", "(all statuses)", "(every status)", "(regardless of status)", "(of any
#: status)".
_PAREN = re.compile(
    r"\(\s*(?:regardless of|irrespective of|of any|in any|with any|of all|across all|"
    r"of every|in every|across every|any|all|every)"
    rf"\s+{_WHAT}\s*(?:included|counted)?\s*\)"
)
#: "(counting orders of any status)", "(counting the order's items in any status)",
#: "(orders of any status)".
_PAREN_COUNTING = re.compile(
    r"\(\s*(?:(?:counting|including|incl|over|taking)\s+)?(?P<noun>[^()]*?)\s+"
    rf"(?:of any|in any|with any|of all|across all|of every|in every)\s+{_WHAT}\s*\)"
)
#: "orders of any status", "items in any status": said of the noun right before.
_INLINE = re.compile(rf"\b(?:of any|in any|with any|of all)\s+{_WHAT}")
#: "counting" before the noun: the whole phrase restates the noun's count.
_COUNTING_BEFORE = re.compile(
    r"(?:,\s*)?\b(?:counting|including|taking)\s+(?:the\s+)?(?:[a-z]+'s?\s+)?$"
)
#: Words between a noun and its verb ("items that were ordered").
_VERB_GAP = r"(?:\s+(?:that|which))?(?:\s+(?:were|was|got|have been|had been|been))?"
#: Words that end a noun's clause when looking back for it.
_CLAUSE_BREAK = re.compile(r"[,;:()]")


@dataclass(frozen=True)
class Scoped:
    """A phrase asking for every value of ``dimensions``, said of the noun ``noun``
    (``metric`` is the measure the noun names)."""

    phrase: str
    noun: str
    metric: str
    dimensions: tuple[str, ...]


def opens_scope(text: str, at: int) -> bool:
    """Whether a parenthesis at ``at`` opens a phrase asking for every value ("(any
    status)"), not a list of columns."""
    lowered = text.lower()
    return bool(_PAREN.match(lowered, at) or _PAREN_COUNTING.match(lowered, at))


def cut_scoped(
    model: SemanticModel, phrases: Phrases, dimensions_of: Dimensions, text: str
) -> tuple[list[Scoped], str]:
    """The phrases of ``text`` that ask for every value of a dimension for one noun, and
    the text without them (the noun stays, unless a "counting" phrase restates it)."""
    found: list[Scoped] = []
    dimensions_of = _ruled_only(model, dimensions_of)
    for pattern in (_PAREN_COUNTING, _PAREN):
        text = _cut(pattern, text, found, phrases, dimensions_of)
    text = _cut_inline(text, found, phrases, dimensions_of)
    text = _cut_verbs(model, text, found, phrases, dimensions_of)
    return found, text


def _ruled_only(model: SemanticModel, dimensions_of: Dimensions) -> Dimensions:
    """``dimensions_of`` keeping only dimensions some measure has a rule on (status):
    "of all categories" is left to the other passes."""

    def ruled(what: str) -> tuple[list[str], int]:
        named, size = dimensions_of(what)
        return [d for d in named if model.ruled(d)], size

    return ruled


def _cut(
    pattern: re.Pattern[str],
    text: str,
    found: list[Scoped],
    phrases: Phrases,
    dimensions_of: Dimensions,
) -> str:
    start = 0
    while match := pattern.search(text, start):
        named, size = dimensions_of(match["what"])
        words = match["what"].split()
        noun = match.groupdict().get("noun")
        hit = _last_measure(phrases, noun if noun else _clause_before(text, match.start()))
        if not named or min(size, len(words)) != len(words) or hit is None:
            start = match.end()
            continue
        found.append(Scoped(match[0].strip("() "), hit[0], hit[1], tuple(named)))
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
        start = match.start()
    return text


def _cut_inline(text: str, found: list[Scoped], phrases: Phrases, dimensions_of: Dimensions) -> str:
    start = 0
    while match := _INLINE.search(text, start):
        named, size = dimensions_of(match["what"])
        before = text[: match.start()]
        hit = _measure_ending(phrases, before)
        if not named or hit is None:
            start = match.end()
            continue
        end = match.start("what") + len(" ".join(match["what"].split()[:size]))
        noun_start = len(before.rstrip()) - len(hit[0])
        counting = _COUNTING_BEFORE.search(text[:noun_start])
        cut_from = counting.start() if counting is not None else match.start()
        found.append(Scoped(text[cut_from:end].strip(" ,"), hit[0], hit[1], tuple(named)))
        text = (text[:cut_from] + " " + text[end:]).strip()
        start = cut_from
    return text


def _cut_verbs(
    model: SemanticModel,
    text: str,
    found: list[Scoped],
    phrases: Phrases,
    dimensions_of: Dimensions,
) -> str:
    """ "items ordered", "items that were ordered": the model's verbs that count every
    value of a dimension, said of the noun before them (not "ordered by", a sort)."""
    verbs: Mapping[str, str] = model.reader.get("every_value", {})
    for verb, what in verbs.items():
        if verb not in text:
            continue  # the pattern below needs the verb
        named, _ = dimensions_of(what)
        if not named:
            continue
        pattern = re.compile(rf"{_VERB_GAP}\s+{re.escape(verb)}\b(?!\s+by\b)")
        start = 0
        while match := pattern.search(text, start):
            hit = _measure_ending(phrases, text[: match.start()])
            if hit is None or not _own_column(model, hit[1], named):
                start = match.end()
                continue
            found.append(Scoped(f"{hit[0]} {match[0].strip()}", hit[0], hit[1], tuple(named)))
            text = (text[: match.start()] + " " + text[match.end() :]).strip()
            start = match.start()
    return text


def _own_column(model: SemanticModel, metric: str, dimensions: Sequence[str]) -> bool:
    """Whether the rows ``metric`` counts have a column of ``dimensions`` of their own
    ("items ordered": an item's status; not "users ordered within 30 days")."""
    table = model.metric(metric).table
    return any(model.dimensions[d].sql_for(table).startswith(f"{table}.") for d in dimensions)


def _clause_before(text: str, at: int) -> str:
    """The words of the clause that ends at ``at`` (back to a comma, colon, parenthesis)."""
    breaks = list(_CLAUSE_BREAK.finditer(text, 0, at))
    return text[breaks[-1].end() if breaks else 0 : at]


def _keys(text: str) -> list[str]:
    return [singular(w[:-2] if w.endswith("'s") else w) for w in tokens(text)]


def _metric_at(phrases: Phrases, words: Sequence[str]) -> str | None:
    names = [name for kind, name, _ in phrases.get(tuple(words), []) if kind == "metric"]
    return names[0] if len(names) == 1 else None


def _measure_ending(phrases: Phrases, text: str) -> tuple[str, str] | None:
    """The measure whose phrase ends ``text`` ("number of orders" -> orders): its words
    as written and its name, the longest phrase first."""
    raw = tokens(text)
    keys = _keys(text)
    for size in (3, 2, 1):
        if len(keys) >= size and (name := _metric_at(phrases, keys[-size:])) is not None:
            return " ".join(raw[-size:]), name
    return None


def _last_measure(phrases: Phrases, text: str) -> tuple[str, str] | None:
    """The last measure named in ``text`` ("orders they placed in 2025" -> orders)."""
    raw = tokens(text)
    for end in range(len(raw), 0, -1):
        hit = _measure_ending(phrases, " ".join(raw[:end]))
        if hit is not None:
            return hit
    return None


# -- settling, once the plan's measures are known ---------------------------------------


def _rules(model: SemanticModel, metric: Metric, dimensions: Sequence[str]) -> list[str]:
    """The rules of ``metric`` on a column of ``dimensions``."""
    columns = [model.dimensions[d].sql_for(metric.table) for d in dimensions]
    return [r for r in metric.filters if any(c in model.filter_sql(r) for c in columns)]


def _twin(model: SemanticModel, metric: Metric, rules: Sequence[str]) -> str | None:
    """The model's measure that is ``metric`` without ``rules`` (items sold -> items)."""
    wanted = [r for r in metric.filters if r not in rules]
    for other in model.metrics.values():
        if (
            other.name != metric.name
            and other.table == metric.table
            and other.expression == metric.expression
            and other.time == metric.time
            and list(other.filters) == wanted
        ):
            return other.name
    return None


def settle_scoped(
    model: SemanticModel,
    scoped: Sequence[Scoped],
    metrics: list[str],
    conditions: list[Condition],
    *,
    beside: Sequence[str] = (),
    waived: Sequence[str] = (),
    named_twice: Sequence[str] = (),
    text: str = "",
) -> tuple[list[str], list[Condition], list[str], list[str]]:
    """The plan's measures and conditions with each scoped phrase applied, the rules left
    out and the notes to show; a phrase that cannot be tied to one measure is refused.
    ``beside`` are conditions' own measures shown beside the one asked: the same noun;
    ``waived`` the dimensions the whole question counts every value of ("regardless of
    status"), which a phrase said of one noun then only restates; ``named_twice`` the
    measures named in two places, once perhaps without the phrase ("items ordered vs
    items sold": every item, beside the items the rule keeps); ``text`` the question, where
    a phrase said of the rows another measure is counted among ("customers among orders
    of any status") is refused when that measure has the rule."""
    ignored: list[str] = []
    notes: list[str] = []
    for one in scoped:
        rules = _rules(model, model.metric(one.metric), one.dimensions)
        if set(one.dimensions) <= set(waived):
            continue  # "regardless of status" said of the whole question already
        if not rules:
            # A restatement: the noun's measure counts every value anyway; unless the
            # noun only names the rows another measure is counted among ("customers
            # among orders of any status") and that measure has a rule there.
            ruled = [
                n
                for n in dict.fromkeys([*metrics, *(c.metric for c in conditions)])
                if _rules(model, model.metric(n), one.dimensions)
            ]
            lead = r"\b(?:among|amongst)\s+(?:the\s+|all\s+)?"
            among = re.search(rf"{lead}{re.escape(one.noun)}\b", text)
            if among is not None and one.metric not in metrics and ruled:
                raise _unclear(model, one, ruled)
            continue
        twin = _twin(model, model.metric(one.metric), rules)
        names = [*metrics, *(c.metric for c in conditions)]
        carriers = [n for n in dict.fromkeys(names) if set(rules) & set(_filters(model, n))]
        others = [n for n in carriers if n != one.metric]
        measured = one.metric in metrics and one.metric not in beside
        conditioned = any(c.metric == one.metric for c in conditions)
        if not others and measured and one.metric in named_twice and twin is not None:
            # "items ordered vs items sold": the noun without the phrase keeps its rule.
            metrics = [twin, *(m for m in metrics if m != twin)]
            notes.append(f"'{one.phrase}' read as {model.metric(twin).label.lower()} of every "
                         f"{_labels(model, one)}")  # fmt: skip
            continue
        if not others:
            if carriers:
                ignored += [r for r in rules if r not in ignored]
                notes.append(f"'{one.phrase}': the rule on {_labels(model, one)} left out")
            continue
        if not (measured or conditioned):
            if twin in names:
                continue  # counted without the rule already ("items per order")
            raise _unclear(model, one, others)
        if twin is None or (measured and conditioned):
            raise _unclear(model, one, others)
        metrics = [twin if m == one.metric else m for m in metrics]
        conditions = [replace(c, metric=twin) if c.metric == one.metric else c for c in conditions]
        notes.append(f"'{one.phrase}' read as {model.metric(twin).label.lower()} of every "
                     f"{_labels(model, one)}")  # fmt: skip
    return metrics, conditions, ignored, notes


def _filters(model: SemanticModel, name: str) -> Sequence[str]:
    try:
        return model.metric(name).filters
    except KeyError:
        return ()


def _labels(model: SemanticModel, one: Scoped) -> str:
    return " and ".join(dict.fromkeys(model.dimensions[d].label.lower() for d in one.dimensions))


def _unclear(model: SemanticModel, one: Scoped, others: Sequence[str]) -> PlanningError:
    labels = " and ".join(dict.fromkeys(model.metric(n).label.lower() for n in others))
    what = _labels(model, one)
    return PlanningError(
        f"'{one.phrase}' is said of {one.noun}, but {labels} has a rule on {what} too; I "
        f"cannot tell whether every {what} should count for it as well.",
        hint=f"Say 'regardless of {what}' at the end to count every {what} for every "
        "measure, or ask for each measure in its own question.",
    )
