"""Reading shares within a period out of a question.

"Each month's share of that year's revenue": the rows are months, the group the year
each falls in, so the months of a year add up to 100 (``Plan.share_within`` is the
period ``year``). "For each year, what share of that year's revenue did each department
bring in": the group is the row's own year, which is what a share by a breakdown per
period already is; the words naming it are read, nothing else changes.

A group is only taken when the time window holds whole groups: "the last 90 days, each
day's share of that month's revenue" would divide by part of a month, so it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lgda_nb.errors import PlanningError
from lgda_nb.planner._plan import TimeWindow

#: The periods a finer period's rows may be grouped in, by the rows' period (a week can
#: straddle two months or years, so it is grouped in none and nothing is grouped in it).
PERIOD_GROUPS: dict[str, tuple[str, ...]] = {
    "day": ("month", "quarter", "year"),
    "month": ("quarter", "year"),
    "quarter": ("year",),
}
#: Windows made of whole years; whole quarters and months add their own.
_WHOLE_YEARS = frozenset({
    "year", "years", "year_range", "last_year", "since_year", "before_year", "through_year",
    "after_year",
})  # fmt: skip
_WHOLE = {
    "year": _WHOLE_YEARS,
    "quarter": _WHOLE_YEARS | {"quarter", "last_quarter"},
    "month": _WHOLE_YEARS | {"quarter", "last_quarter", "month", "last_month", "month_range"},
}
_PERIOD = "(?P<{}>day|month|quarter|year)"
_REFERENT = r"(?:that|the|its|their|each|every|the\s+same|the\s+whole|the\s+full)"
#: "that year's revenue", "of the year", "within its month": the group, referred to; a
#: period without "of"/"within" or "'s" ("for the year 2024") is the window's, not this.
_GROUP = re.compile(
    rf"\b{_REFERENT}\s+{_PERIOD.format('period')}(?:'s|s')(?![\w'])"
    rf"|(?<=\bof\s){_REFERENT}\s+{_PERIOD.format('period2')}\b(?!')"
    rf"|(?<=\bwithin\s){_REFERENT}\s+{_PERIOD.format('period3')}\b(?!')"
)
_SHARE_WORD = re.compile(
    r"\b(?:share|shares|percentage|percent|fraction|proportion|contribution|contributed?)\b|%"
)


@dataclass
class PeriodShare:
    """What was read: the period the shares restart in (``None``: the row's own period,
    or nothing read) and the spans of text it covers."""

    within: str | None = None
    claims: list[tuple[int, int]] = field(default_factory=list)


def read_period_share(
    text: str, grain: str | None, dimensions: Sequence[str], window: TimeWindow | None
) -> PeriodShare:
    """The period group of a share asked per ``grain`` in ``text``, read after a share
    word; an empty reading when there is none. The share words are the caller's."""
    found = PeriodShare()
    share = _SHARE_WORD.search(text)
    if grain is None or share is None or len(dimensions) > 1:
        return found
    itself = False
    for match in _GROUP.finditer(text):
        period = match["period"] or match["period2"] or match["period3"]
        after = match.start() > share.start()
        if period == grain and match.group(0).endswith(("'s", "s'")):
            # "each month's share", or "of that year's revenue" per year: the row's period.
            itself = itself or after
            found.claims.append(match.span())
        elif period in PERIOD_GROUPS.get(grain, ()) and after:
            if found.within not in {None, period}:
                return PeriodShare()
            _check_whole(period, grain, window)
            found.within = period
            found.claims.append(match.span())
    if found.claims and not dimensions and found.within is None and window is not None:
        # "each month's share of total 2025 revenue": the window is one whole period that
        # holds the grain's, so the shares are of it.
        one = {"year": "year", "last_year": "year", "quarter": "quarter"}.get(window.kind)
        if one in PERIOD_GROUPS.get(grain, ()) and not itself:
            found.within = one
            return found
    if not found.claims or not (found.within or dimensions) or (itself and not dimensions):
        # A share over the periods alone is read elsewhere (or not); a period's share of
        # itself is no question.
        return PeriodShare()
    return found


def _check_whole(period: str, grain: str, window: TimeWindow | None) -> None:
    """Refuse a group the window cuts: its total would be of part of the period."""
    if window is None or window.kind in _WHOLE.get(period, frozenset()):
        return
    raise PlanningError(
        f"Each {grain}'s share of its {period}'s total needs whole {period}s, and "
        f"{window.label or 'the period asked'} may cut one.",
        hint=f"Ask for whole {period}s, e.g. 'for 2024, each {grain}'s share of that "
        f"{period}'s revenue'.",
    )
