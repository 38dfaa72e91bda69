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
#: "revenue divided by items sold", "revenue / items sold": a ratio, said as the reader
#: reads one.
_DIVIDED = re.compile(r"\s+(?:divided\s+by|over|/)\s+", re.IGNORECASE)
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
        for term in _terms_before(before):
            if not found["marker"] and not _ABBREVIATION.fullmatch(term):
                continue
            rest = before[: len(before.rstrip()) - len(term)] + " " + term + question[found.end() :]
            said = _said_as(rest, term, found["definition"])
            if said is not None:
                yield Defined(term, _formula(found["definition"]), said)
    for found in _CLAUSE.finditer(question):
        term = found["term"] or found["by"]
        rest = question[: found.start()] + " " + question[found.end() :]
        said = _said_as(rest.strip(" -,;:"), term, found["definition"])
        if said is not None:
            yield Defined(term.strip(), _formula(found["definition"]), said)


def _terms_before(text: str) -> list[str]:
    """The terms a remark may define: the last one to four words before it, longest
    first, none starting with a word that is no part of a term ("our AUR": "AUR")."""
    words = text.split()
    terms = []
    for size in range(min(4, len(words)), 0, -1):
        run = words[-size:]
        if run[0].lower().strip("'") in _NOT_TERM or not re.match(r"[A-Za-z]", run[0]):
            continue
        if any(not re.fullmatch(r"[\w&'-]+", w) for w in run):
            continue
        terms.append(" ".join(run))
    return terms


def _said_as(text: str, term: str, definition: str) -> str | None:
    """``text`` with ``term`` said as ``definition``; None where it does not say it."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(term.strip())}(?![\w-])", re.IGNORECASE)
    if pattern.search(text) is None:
        return None
    said = pattern.sub(lambda _: _formula(definition), text)
    return re.sub(r"\s+", " ", said).strip()


def _formula(definition: str) -> str:
    return _DIVIDED.sub(" per ", definition.strip().rstrip(".;,"))
