"""Distinct things among the rows a measure counts: "how many distinct products were sold".

``distinct_in:<metric>:<dimension>`` counts the distinct values of ``dimension`` (the
things themselves, where the dimension has a key: product names repeat) among the rows
``metric`` counts, with that metric's rules and its date. "Distinct products sold in
2025" counts the products of the items sold in 2025; "different brands ordered" the
brands of items in any status. The verbs, and the measure whose rows each one means, are
the model's (``reader.distinct_rows``); a verb the model does not list is left alone.

Words between the thing and its verb are kept when they say something ("did *each
department* sell": the breakdown) and dropped when they only carry the tense ("were",
"have actually been", "did we"). "Sell" in the present ("which brands do we sell") is
the catalog, so only "did ... sell" is read here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lgda_nb.planner._model import SemanticModel

#: Words that ask for distinct things.
_DISTINCT = r"(?:distinct|different|unique|separate)"
#: Words between a thing and its verb that only carry tense or the speaker.
_TENSE = frozenset(
    "were was have has had been ever actually already did do does got get we you they i".split()
)
#: "sold at least once", "ever ordered": what "sold" says already.
_ONCE = re.compile(r"^\s+(?:at least once|at least one time|ever|before)\b")
#: "How many" before the things is what they answer, so it goes with them: left
#: behind, it would count the next thing named ("how many ... each distribution center").
_LEAD = re.compile(rf"(?:\b(?:how many|(?:the )?(?:number|count) of)\s+)?\b{_DISTINCT}\s+")
_WORD = re.compile(r"[a-z]+")
#: Words that end the stretch a verb may be looked for in.
_STOP = re.compile(r"[,;:?.!()]")
_MOST_BETWEEN = 5


def distinct_in_metric(model: SemanticModel, metric: str, dimension: str) -> str | None:
    """The composed name counting ``dimension``'s distinct values among ``metric``'s
    rows, or ``None`` when ``metric`` does not count rows one by one."""
    name = f"distinct_in:{metric}:{dimension}"
    try:
        model.metric(name)
    except KeyError:
        return None
    return name


def cut_distinct_rows(
    model: SemanticModel,
    text: str,
    dimension_of: Callable[[tuple[str, ...]], str | None],
    metric_of: Callable[[tuple[str, ...]], str | None] | None = None,
) -> tuple[list[str], str]:
    """The ``distinct_in:`` measures of ``text`` ("distinct products sold", "how many
    different countries did our customers come from"), cut out of it; ``dimension_of``
    names the breakdown some words mean, ``metric_of`` the measure, if any."""
    if metric_of is not None:
        come, text = _come_from(model, text, dimension_of, metric_of)
        if come is not None:
            return [come], text
    verbs: Mapping[str, str] = model.reader.get("distinct_rows", {})
    if not verbs:
        return [], text
    found: list[str] = []
    start = 0
    while lead := _LEAD.search(text, start):
        start = lead.end()
        read = _read_one(model, text, lead, verbs, dimension_of)
        if read is None:
            continue
        name, text = read
        found.append(name)
        start = lead.start()
    return found, text


def _read_one(
    model: SemanticModel,
    text: str,
    lead: re.Match[str],
    verbs: Mapping[str, str],
    dimension_of: Callable[[tuple[str, ...]], str | None],
) -> tuple[str, str] | None:
    """The measure one "distinct <thing> ... <verb>" names, and ``text`` without it."""
    stop = _STOP.search(text, lead.end())
    stretch = text[lead.end() : stop.start() if stop else len(text)]
    words = [(m.group(), m.start() + lead.end(), m.end() + lead.end())
             for m in _WORD.finditer(stretch)]  # fmt: skip
    # "distinct Jeans products sold": a value may name which things first; it stays.
    for skip, size in ((0, 2), (0, 1), (1, 2), (1, 1)):
        named = tuple(w for w, _, _ in words[skip : skip + size])
        dimension = dimension_of(named) if len(words) > skip + size else None
        if dimension is None:
            continue
        end_of_thing = skip + size
        for at in range(end_of_thing, min(len(words), end_of_thing + _MOST_BETWEEN + 1)):
            verb = words[at][0]
            between = [w for w, _, _ in words[end_of_thing:at]]
            if verb not in verbs or (verb == "sell" and "did" not in between):
                continue
            name = distinct_in_metric(model, verbs[verb], dimension)
            if name is None:
                return None
            kept = [text[s:e] for _, s, e in words[:skip]] + [
                text[s:e] for w, s, e in words[end_of_thing:at] if w not in _TENSE
            ]  # "did each department sell": the breakdown stays
            end = words[at][2]
            once = _ONCE.match(text[end:])
            end += once.end() if once else 0
            text = " ".join(
                part for part in (text[: lead.start()].rstrip(), *kept, text[end:].lstrip()) if part
            )
            return name, text
        return None
    return None


#: "how many different countries did our customers come from", "distinct states did
#: website sessions come from".
_COME_FROM = re.compile(
    rf"\b(?:how many|(?:the )?(?:number|count) of)\s+{_DISTINCT}\s+(?P<thing>[a-z]+(?: [a-z]+)?)\s+"
    r"(?:did|do|does)\s+(?:our\s+|the\s+|all\s+)?(?P<rows>[a-z]+(?: [a-z]+)?)\s+"
    r"(?:come from|came from|live in|come|belong to|sit in|are in)\b"
)


def _come_from(
    model: SemanticModel,
    text: str,
    dimension_of: Callable[[tuple[str, ...]], str | None],
    metric_of: Callable[[tuple[str, ...]], str | None],
) -> tuple[str | None, str]:
    """The distinct things the rows named come from, and ``text`` without the phrase."""
    match = _COME_FROM.search(text)
    if match is None:
        return None, text
    dimension = dimension_of(tuple(match["thing"].split()))
    rows = match["rows"].split()
    metric, kept = metric_of(tuple(rows)), ""
    if metric is None and len(rows) > 1:
        # "our Brazilian users": the words before the rows say which of them
        metric, kept = metric_of(tuple(rows[-1:])), " ".join(rows[:-1])
    if dimension is None or metric is None:
        return None, text
    name = distinct_in_metric(model, metric, dimension)
    if name is None:
        return None, text
    return name, " ".join(p for p in (text[: match.start()], kept, text[match.end() :]) if p)
