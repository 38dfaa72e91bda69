"""Things found with every value listed: "brands that have products in both the Men and
Women departments".

Read as a condition on the number of distinct values of the listed breakdown per thing
(``distinct:department`` = 2 per brand), counted only over the values listed (a filter
on that breakdown, which the condition's own count keeps): a brand passes when its rows
include each value. The things are the breakdown named right before the verb; the
values must all be values of the breakdown named after them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lgda_nb.planner._plan import Condition, Filter

#: "<things> (that) have/with/carry (any) <rows> in both (the) <a> and (the) <b> <noun>".
_BOTH = re.compile(
    r"\b(?P<things>[a-z]+)\s+(?:that\s+|which\s+)?(?:have|has|had|with|having|carry|carrying|"
    r"sell|selling|offer|offering)\s+(?:any\s+)?(?:(?P<rows>[a-z]+)\s+)?(?:in|across|for)\s+"
    r"both\s+(?:the\s+)?(?P<a>[a-z][\w&']*(?:\s+[a-z][\w&']*)?)\s+and\s+(?:the\s+)?"
    r"(?P<b>[a-z][\w&']*(?:\s+[a-z][\w&']*)?)\s+(?P<noun>[a-z]+)\b"
)


@dataclass(frozen=True)
class BothReading:
    """The condition and the filter "in both A and B" stands for."""

    condition: Condition
    values: Filter


def cut_both(
    text: str,
    breakdown_named: Callable[[Sequence[str]], str | None],
    value_of: Callable[[Sequence[str], str], str | None],
) -> tuple[BothReading | None, str]:
    """The "in both A and B" of ``text``, cut out (the things stay, to be read as the
    breakdown or the count); ``value_of(words, dimension)`` is the value of
    ``dimension`` the words name, if any."""
    match = _BOTH.search(text)
    if match is None:
        return None, text
    per = breakdown_named([match["things"]])
    listed = breakdown_named([match["noun"]])
    if per is None or listed is None or per == listed:
        return None, text
    values = [value_of(match[side].split(), listed) for side in ("a", "b")]
    if None in values or values[0] == values[1]:
        return None, text
    reading = BothReading(
        Condition(f"distinct:{listed}", per, "=", (2,)),
        Filter(listed, tuple(v for v in values if v is not None)),
    )
    return reading, (text[: match.end("things")] + text[match.end() :]).strip()
