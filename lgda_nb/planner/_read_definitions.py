"""Terms a question defines for itself: "AUR (i.e. revenue per item sold)", "AUR by
category (AUR = revenue per item sold)", "fill rate here = % of items shipped", "By dead
stock I mean unsold units received over a year ago".

A user who says what a word means has said what to compute. ``definitions`` finds each
such term and gives the question with the term said as its definition and the
definition itself left out; the offline reader reads that instead, and only when the
question as written was refused for the term's words (``OfflinePlanner._as_defined``).
What the definition says is read like any other question: a definition the reader cannot
read in full is still a refusal, never a guess.

Inside a definition a formula is said as the reader says it: "revenue divided by items
sold" is "revenue per items sold".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lgda_nb.planner._text import MONTHS

#: A term of up to four words (letters, digits, "&", "-", "'").
_TERM = r"[A-Za-z][\w&'-]*(?:\s+[\w&'-]+){0,3}?"
#: The words that say a definition follows.
_DEFINES = r"(?:=|:=|here\s+means|means|is\s+defined\s+as|defined\s+as)"
#: "(AUR = revenue per item sold)": the term and its definition in one remark.
_IN_REMARK = re.compile(
    rf"\(\s*(?P<term>{_TERM})\s+(?:here\s+)?{_DEFINES}\s*(?P<definition>[^()]+?)\s*\)",
    re.IGNORECASE,
)
#: "AUR (average unit retail, i.e. revenue per item sold)", "their AUR (revenue per item
#: sold)": a remark right after the term that defines it, perhaps after spelling it out.
#: Without a word that says so ("i.e.", "meaning"), only after an abbreviation: most
#: remarks restate or narrow what is before them ("by month of 2025 (order month)").
_AFTER_TERM = re.compile(
    r"\(\s*(?:(?P<marker>(?:[^()]*?,\s*)?(?:i\.?\s?e\.?|that\s+is|meaning|defined\s+as|=))"
    r"\s*,?\s*)?(?P<definition>[^()]+?)\s*\)",
    re.IGNORECASE,
)
#: An abbreviation as written: "AUR", "RTO", "DCs".
_ABBREVIATION = re.compile(r"[A-Z]{2,6}s?")
#: "fill rate here = ...", "where AUR = ...", "By dead stock I mean ...": a sentence or
#: clause of its own, up to the next sentence end.
_CLAUSE = re.compile(
    r"(?:^|(?<=[.;:?!])|(?<=\s-)|(?<=,))\s*(?:(?:where|with)\s+)?"
    rf"(?:(?P<term>{_TERM})\s+(?:here\s+)?{_DEFINES}"
    rf"|by\s+(?P<by>{_TERM})\s+(?:I|we)\s+mean)\s+(?P<definition>[^.;?!()]+(?:\([^()]*\))?)"
    r"\s*[.;?!]?",
    re.IGNORECASE,
)
#: A time the question names in its own words: "lead time", "days on shelf".
_UNITS = r"(?:days|hours|minutes|weeks)"
#: Words before such a name that are no part of it.
_NOT_TIME = r"(?:average|avg|mean|median|the|our|total|in|of|by|and|what|is|was)"
_TIME_TERM = (
    rf"(?P<term>\b(?:(?!{_NOT_TIME}\b)[a-z]+\s+){{0,2}}?(?:time|days|hours|minutes|weeks)"
    rf"(?:\s+(?:on|in)\s+(?:the\s+)?(?!{_UNITS}\b)[a-z]+)?)"
)
#: Such a time with the two moments it runs between right after it: "lead time in days -
#: order placed to delivered", "days on shelf (received to sold)".
_NAMED_TIME = re.compile(
    rf"{_TIME_TERM}(?:\s+in\s+(?P<unit>{_UNITS}))?\s*"
    r"(?:\(\s*(?P<remark>[^()]+?\s(?:to|->|\u2192)\s[^()]+?)\s*\)"
    r"|\s+[-\u2013\u2014]\s+(?P<clause>[^,;?()]+?\s(?:to|->|\u2192)\s[^,;?]+?)(?=\s*(?:[,;?.]|$)))",
    re.IGNORECASE,
)
#: "... - days from an inventory item being received to being sold": the moments of a
#: time named before, said last.
_TIME_CLAUSE = re.compile(
    rf"\s+[-\u2013\u2014:]\s+(?P<unit>{_UNITS})\s+(?:from|between)\s+(?P<moments>[^;?]+?)"
    r"\s*[.;?]?\s*$",
    re.IGNORECASE,
)
#: "days from ...", "from ...": what the moments start with, said again.
_MOMENTS_LEAD = re.compile(rf"^(?:(?P<unit>{_UNITS})\s+)?(?:from\s+)?", re.IGNORECASE)
#: "revenue divided by items sold", "revenue / items sold": a ratio, said as the reader
#: reads one.
#: "Over" before an amount compares ("orders over $100"): not a ratio.
_DIVIDED = re.compile(r"\s+(?:divided\s+by|over(?!\s+[$\d])|/)\s+", re.IGNORECASE)
#: The words before a term that are no part of it.
_NOT_TERM = frozenset(
    {"the", "our", "my", "a", "an", "what", "whats", "what's", "is", "was", "by", "of",
     "for", "and", "with", "their", "its", "show", "give", "me", "list"}
)  # fmt: skip


@dataclass(frozen=True)
class Defined:
    """A term the question defines, what it means, and the question said with it."""

    term: str
    definition: str
    question: str


def definitions(question: str) -> Iterator[Defined]:
    """Each term ``question`` defines, with the question said through its definition.

    A term is said again as its definition wherever it stands outside the definition
    (as whole words, any case); a term said nowhere else is no term of the question."""
    for found in _IN_REMARK.finditer(question):
        rest = question[: found.start()] + question[found.end() :]
        said = _said_as(rest, found["term"], found["definition"])
        if said is not None:
            yield Defined(found["term"].strip(), _formula(found["definition"]), said)
    for found in _AFTER_TERM.finditer(question):
        before = question[: found.start()]
        period = _is_period(found["definition"])
        for term in _terms_before(before, dated=period):
            if not found["marker"] and not _ABBREVIATION.fullmatch(term) and not period:
                continue
            rest = before[: len(before.rstrip()) - len(term)] + " " + term + question[found.end() :]
            said = _said_as(rest, term, found["definition"])
            if said is not None:
                yield Defined(term, _formula(found["definition"]), said)
    yield from _named_times(question)
    for found in _CLAUSE.finditer(question):
        term = found["term"] or found["by"]
        rest = question[: found.start()] + " " + question[found.end() :]
        said = _said_as(rest.strip(" -,;:"), term, found["definition"])
        if said is not None:
            yield Defined(term.strip(), _formula(found["definition"]), said)


def _named_times(question: str) -> Iterator[Defined]:
    """A time named in the question's own words, with the two moments it runs between:
    the time between those moments, in the unit said ("median lead time in days - order
    placed to delivered": "median days from order placed to delivered")."""
    for found in _NAMED_TIME.finditer(question):
        moments = found["remark"] or found["clause"]
        lead = _MOMENTS_LEAD.match(moments)
        unit = found["unit"] or (lead["unit"] if lead else None) or _unit_of(found["term"])
        definition = f"{unit.lower()} from {moments[lead.end() if lead else 0 :].strip()}"
        said = question[: found.start()] + definition + question[found.end() :]
        yield Defined(found["term"].strip(), definition, re.sub(r"\s+", " ", said).strip())
    clause = _TIME_CLAUSE.search(question)
    if clause is not None:
        before = question[: clause.start()]
        for found in re.finditer(_TIME_TERM, before, re.IGNORECASE):
            definition = f"{clause['unit'].lower()} from {clause['moments'].strip()}"
            said = before[: found.start()] + definition + before[found.end() :]
            yield Defined(found["term"].strip(), definition, re.sub(r"\s+", " ", said).strip())


def _unit_of(term: str) -> str:
    """The unit a time's name says ("days on shelf": days), else days."""
    said = re.search(_UNITS, term, re.IGNORECASE)
    return said[0].lower() if said else "days"


def _is_period(text: str) -> bool:
    """Whether ``text`` only names dates: "Nov-Dec 2024", "Nov 25 - Dec 2, 2024",
    "Q4 2024", "2024-11-01 to 2024-12-31". Such a remark after a name the reader does not
    know ("the 2024 holiday season (Nov-Dec 2024)") says which dates the name means."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    return any(len(w) == 4 and w.isdigit() for w in words) and all(
        w in MONTHS or w.isdigit() or w in _PERIOD_WORDS for w in words
    )


#: Words besides months and numbers that a period written in dates may have.
_PERIOD_WORDS = frozenset(
    "q to through thru until till and from between st nd rd th inclusive".split()
)


def _terms_before(text: str, *, dated: bool = False) -> list[str]:
    """The terms a remark may define: the last one to four words before it, longest
    first, none starting with a word that is no part of a term ("our AUR": "AUR"). A
    term ``dated`` (named by the dates it means) may start with a year ("2024 holiday
    season")."""
    words = text.split()
    terms = []
    lead = r"[A-Za-z]|(?:19|20)\d\d$" if dated else r"[A-Za-z]"
    for size in range(min(4, len(words)), 0, -1):
        run = words[-size:]
        if run[0].lower().strip("'") in _NOT_TERM or not re.match(lead, run[0]):
            continue
        if any(not re.fullmatch(r"[\w&'-]+", w) for w in run):
            continue
        terms.append(" ".join(run))
    return terms


def _said_as(text: str, term: str, definition: str) -> str | None:
    """``text`` with ``term`` said as ``definition``; None where it does not say it. A
    name for dates takes a year said beside it along when the dates are of that year
    ("holiday season 2024 revenue (holiday season = Nov-Dec 2024)"); another year beside
    it is not said as the dates (None)."""
    name = re.escape(term.strip())
    if _is_period(definition):
        name = rf"(?:(?P<before>(?:19|20)\d\d)\s+)?{name}(?:\s+(?P<after>(?:19|20)\d\d)\b)?"
    pattern = re.compile(rf"(?<![\w-]){name}(?![\w-])", re.IGNORECASE)
    found = list(pattern.finditer(text))
    if not found:
        return None
    years = set(re.findall(r"\d{4}", definition))
    if any(y not in years for m in found for y in m.groupdict().values() if y):
        return None
    said = pattern.sub(lambda _: _formula(definition), text)
    return re.sub(r"\s+", " ", said).strip()


def _formula(definition: str) -> str:
    return _DIVIDED.sub(" per ", definition.strip().rstrip(".;,"))
