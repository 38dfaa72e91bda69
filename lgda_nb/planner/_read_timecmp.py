"""Reading periods and bands out of a question: a second period to compare with
("Q1 2025 vs Q1 2024"), a rolling average ("7-day rolling average"), bands given in
the question ("under 25, 25-44, 45-64, 65+", "in $100 buckets") and phrases that only
restate a convention ("(UTC)", "weeks start Monday", "days with no orders as zero").

Each function cuts what it read out of the (normalized) text, so the words are not
read again, and leaves anything it does not fully understand for a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import SemanticModel, column_refs
from lgda_nb.planner._plan import Band, TimeWindow
from lgda_nb.planner._text import MONTHS, SERIES_WORDS, singular, tokens

_MONTH = "|".join(MONTHS)
_NUMBER = r"\$?\s*(\d+(?:\.\d+)?)"

# -- conventions restated ------------------------------------------------------------
#: Phrases that restate the time conventions (UTC, weeks starting on Monday).
_RESTATED = re.compile(
    r"\(\s*(?:in\s+|all\s+)?utc\s*\)|\b(?:in|all in|times in)\s+utc\b|\butc\b"
    r"|\(\s*(?:with\s+)?weeks?\s+(?:start(?:ing|s)?|begin(?:ning|s)?)\s+(?:on\s+)?mondays?\s*\)"
    r"|,?\s*(?:with\s+)?weeks?\s+(?:start(?:ing|s)?|begin(?:ning|s)?)\s+(?:on\s+)?mondays?\b"
    r"|\bmonday\s+(?:start(?:ing)?|based)\s+weeks?\b"
    r"|\(\s*(?:weeks?\s+)?mon(?:day)?\s+start(?:ing)?\s*\)|,?\s*mon(?:day)?\s+start\b"
    r"|\(?\s*(?:including|with)\s+(?:the\s+)?current\s+partial(?:\s+(?:one|1|month|week))?\s*\)?"
    r"|\(\s*mon(?:day)?\s+(?:to\s+|through\s+|thru\s+)?sun(?:day)?\s*\)"
    r"|\bmon(?:day)?\s+(?:to\s+|through\s+|thru\s+)?sun(?:day)?(?=\s+weeks?\b)"
)


def cut_restated(text: str) -> str:
    """``text`` without phrases that only restate how time is read (UTC, Monday weeks)."""
    return _RESTATED.sub(" ", text).strip()


# -- bands ----------------------------------------------------------------------------
_FIRST = rf"(?:under|below|less than|<)\s*{_NUMBER}"
_MIDDLE = rf"{_NUMBER}\s*(?:to|-|\s)\s*\$?\s*(\d+(?:\.\d+)?)"
_LAST = rf"{_NUMBER}\s*(?:\+|plus\b|and (?:up|over|above|older)\b|or (?:more|older|over|above)\b)"
_SEPARATOR = r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|/|;)\s*"
_BAND_LIST = re.compile(
    r"(?P<lead>\b(?:bands?|brackets?|groups?|ranges?|buckets?|tiers?)\s*:?\s*\(?\s*(?:of\s+)?)?"
    rf"(?P<list>{_FIRST}(?:{_SEPARATOR}{_MIDDLE})*{_SEPARATOR}{_LAST})"
)
_BUCKETS = re.compile(
    rf"\b(?:in|into|by|as|with)\s+(?:buckets?|bands?|bins?|steps?|groups?)\s+of\s+{_NUMBER}"
    r"(?:\s*(?:dollars|usd|years?))?"
    rf"|\b(?:in|into|by|as|with)\s+{_NUMBER}\s*(?:dollars?\s+|usd\s+|years?\s+)?"
    r"(?:buckets?|bands?|bins?|steps?|increments?|ranges?)\b"
)


@dataclass(frozen=True)
class RawBands:
    """Bands as read, before the number they cut is known."""

    edges: tuple[int | float, ...] = ()
    width: int | float = 0
    labels: tuple[str, ...] = ()
    #: The numeric dimensions the question's own words name as banded ("price bands",
    #: "the age bands", "distribution of sale prices"): more than one when a word such as
    #: "price" names several numbers; the measure's own table then picks.
    subject: tuple[str, ...] = ()


def _items(listed: str) -> list[str]:
    items = re.split(r"\s*(?:,|;|/|\band\b(?!\s+(?:up|over|above|older)))\s*", listed,
                     flags=re.IGNORECASE)  # fmt: skip
    return [i.strip() for i in items if i.strip()]


def band_labels_as_written(question: str, count: int) -> tuple[str, ...]:
    """The bands' names as the question wrote them ("Under 18", "55 and over")."""
    text = re.sub(r"[\u2010-\u2015]", "-", question)
    found = re.search(_BAND_LIST.pattern, text, re.IGNORECASE)
    if found is None:
        return ()
    items = _items(found.group("list"))
    return tuple(items) if len(items) == count else ()


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def cut_bands(
    text: str, question: str = "", model: SemanticModel | None = None
) -> tuple[RawBands | None, str]:
    """Bands given in the question ("under 25, 25-44, 45-64, 65+") or a bucket width
    ("in $100 buckets"), cut out of ``text``, with the number they cut when the question
    names it beside them ("price bands", "distribution of sale prices")."""
    raw, text = _cut_bands(text, question)
    if raw is None or model is None:
        return raw, text
    subject, text = _cut_subject(model, text)
    return replace(raw, subject=subject), text


#: Where the words naming the banded number end: "... price" + a band word.
_BAND_MARK = "\x00"
#: The words placing a breakdown before the banded number ("by", "into the", "for each").
_SUBJECT_LEAD = re.compile(
    r"\b(?:by|per|in|into|across|over|for|within)\s+(?:the\s+|each\s+|every\s+)?$"
)
#: "distribution of sale prices", "split sale prices into": the banded number after.
_SUBJECT_AFTER = re.compile(
    r"\b(?:distribution|spread|histogram)\s+of\s+(?:the\s+)?(?P<words>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2})"
)
#: "fall in" left once the bands after it were read.
_FALL_IN_CUT = re.compile(
    r"\b(?:falls?|fell|falling|sits?|lands?)(?:\s+(?:in|into|within))?"
    r"(?:\s+(?:each|every|one)(?:\s+of(?:\s+the|\s+our)?)?)?"
    r"(?=\s*(?:[,:;?.!)]|$))"
)
#: "fall in each age band", "split into price bands": verbs that only place rows in bands.
_FALL_IN = re.compile(
    r"\b(?:falls?|fell|falling|sits?|lands?)\s+(?:in|into|within)\s+(?=(?:each|every|the|which|what)\b"
    r"[^.?!;]{0,30}\b(?:bands?|brackets?|buckets?|ranges?|groups?|decades?|tiers?|bins?)\b)"
    r"|\b(?:split|broken|grouped|bucketed|divided|sorted|cut)\s+(?:up\s+)?(?:in|into)\s+"
    r"(?=[^.?!;]{0,30}\b(?:bands?|brackets?|buckets?|ranges?|groups?|tiers?|bins?)\b)"
)


def cut_fall_in(text: str, *, banded: bool = False) -> str:
    """ "How many users fall in each age band": the verb only places rows in the bands;
    once the bands were read (``banded``), also when their words were cut after it."""
    text = _FALL_IN.sub(" ", text).strip()
    return _FALL_IN_CUT.sub(" ", text).strip() if banded else text


def _cut_subject(model: SemanticModel, text: str) -> tuple[tuple[str, ...], str]:
    """The numeric dimensions named right before the band word ("the age bands", "retail
    price band") or after "distribution of", cut out with the band word; none when the
    words name no number (they are then left for the reader, or a refusal)."""
    mark = text.find(_BAND_MARK)
    if mark >= 0:
        before = list(re.finditer(r"[a-z][\w'-]*", text[:mark]))[-3:]
        for k in range(len(before)):
            words = [w.group(0) for w in before[k:]]
            found = subject_dimensions(model, words)
            if found:
                start = before[k].start()
                owned = k > 0 and _names_table(model, found, before[k - 1].group(0))
                if owned:
                    start = before[k - 1].start()  # "product retail price": the product's
                lead = _SUBJECT_LEAD.search(text[:start])
                grouped = lead is not None and lead.group(0).split()[0] in {"by", "per"}
                if grouped and len(found) == 1 and not owned:
                    break  # "by age band": a breakdown the reader reads in its place
                start = lead.start() if lead is not None else start
                return found, (text[:start] + " " + text[mark + 1 :]).strip()
        text = text.replace(_BAND_MARK, " ")
    after = _SUBJECT_AFTER.search(text)
    if after is not None:
        words = after.group("words").split()
        for k in range(len(words), 0, -1):
            found = subject_dimensions(model, words[:k])
            if found:
                end = after.start("words") + len(" ".join(words[:k]))
                return found, (text[: after.start()] + " " + text[end:]).strip()
    return (), text


def _names_table(model: SemanticModel, names: Sequence[str], word: str) -> bool:
    """Whether ``word`` names a row of the table every one of ``names`` is on."""
    tables = {model.dimensions[n].own_sql()[1] for n in names}
    if len(tables) != 1:
        return False
    name = next(iter(tables))
    table = model.catalog.get(name)
    words = {singular(w) for w in table.words} if table is not None else set()
    buyers = model.reader.get("buyers")
    if name == model.reader.get("people") and isinstance(buyers, str) and buyers in model.metrics:
        words |= {singular(w) for w in model.metrics[buyers].synonyms}  # "buyer age band"
    return singular(word) in words


def subject_dimensions(model: SemanticModel, words: Sequence[str]) -> tuple[str, ...]:
    """The numeric dimensions ``words`` name: by a name or synonym (a band of the model
    over one number names that number), by a word that introduces its comparisons
    ("priced"), or, for one word, by the last word of its names ("price" is both the
    retail price and the sale price)."""
    phrase = " ".join(singular(w) for w in words)
    numeric = {
        dimension.own_sql()[0]: name
        for name, dimension in model.dimensions.items()
        if dimension.numeric
    }
    found: list[str] = []
    for name, dimension in model.dimensions.items():
        names = {" ".join(singular(w) for w in n.replace("_", " ").split())
                 for n in (name, *dimension.synonyms)}  # fmt: skip
        own = name
        if not dimension.numeric:
            read = set(column_refs(dimension.own_sql()[0]))
            if len(read) != 1 or next(iter(read)) not in numeric:
                continue
            own = numeric[next(iter(read))]
        said = {" ".join(singular(w) for w in n.split()) for n in dimension.numeric_words}
        last = {n.split()[-1] for n in names} if len(words) == 1 else set()
        if (phrase in names or phrase in said or phrase in last) and own not in found:
            found.append(own)
    return tuple(found)


def _cut_bands(text: str, question: str) -> tuple[RawBands | None, str]:
    """Bands given in the question or a bucket width, cut out of ``text`` (a band word
    right before them leaves a mark where the words naming the number end)."""
    found = _BAND_LIST.search(text)
    if found is not None:
        items = _items(found.group("list"))
        edges: list[int | float] = []
        ends: list[int | float] = []
        for item in items:
            first = re.fullmatch(_FIRST, item.strip())
            middle = re.fullmatch(_MIDDLE, item.strip())
            last = re.fullmatch(_LAST, item.strip())
            if first:
                ends.append(_number(first.group(1)))
            elif middle:
                edges.append(_number(middle.group(1)))
                ends.append(_number(middle.group(2)))
            elif last:
                edges.append(_number(last.group(1)))
            else:
                return None, text
        follows = all(
            edges[i] in {ends[i], ends[i] + 1} and edges[i] > (edges[i - 1] if i else -1)
            for i in range(len(edges))
        )
        if len(edges) < 1 or len(ends) != len(edges) or not follows:
            raise PlanningError(
                f"The bands '{found.group('list')}' leave gaps or overlap.",
                hint="Give bands that follow on, e.g. 'under 25, 25-44, 45-64, 65+'.",
            )
        start = found.start("lead") if found.group("lead") else found.start()
        mark = _BAND_MARK if found.group("lead") else ""
        cut = text[:start] + mark + " " + text[found.end() :]
        labels = band_labels_as_written(question, len(items))
        return RawBands(edges=tuple(edges), labels=labels), _PER_BAND.sub(" ", cut).strip()
    bucket = _BUCKETS.search(text)
    if bucket is not None:
        width = _number(bucket.group(1) or bucket.group(2))
        if width <= 0:
            return None, text
        cut = text[: bucket.start()] + " " + text[bucket.end() :]
        return RawBands(width=width), _PER_BAND.sub(" ", cut).strip()
    return None, text


#: "number of items per bucket": the bands named again once they were read.
_PER_BAND = re.compile(
    r"\b(?:per|in each|for each|in every|for every)\s+(?:bucket|band|bin|bracket)s?\b"
)
#: A word that says a breakdown is cut into bands ("age band", "price bracket").
BAND_WORDS = re.compile(r"\b(?:bands?|brackets?|buckets?|ranges?|tiers?|bins?)\b")


# -- rolling averages ---------------------------------------------------------------
_ROLLING = re.compile(
    r"(?:\b(?:with|and|plus)\s+(?:a|an|the|its)\s+)?(?:\b(?:with|and|plus)\s+)?"
    r"(?:\b(?P<n>\d+)\s+(?P<unit>day|week|month)s?\s+(?:rolling|moving|trailing)\s+"
    r"(?:average|avg|mean)"
    r"|\b(?:rolling|moving|trailing)\s+(?P<n2>\d+)\s+(?P<unit2>day|week|month)s?\s+"
    r"(?:average|avg|mean))\b"
)
#: "days with no orders counted as zero": the convention of a rolling average, restated.
_ZERO_DAYS = re.compile(
    r",?\s*(?:with\s+|and\s+)?(?:the\s+)?(?:days?|weeks?|months?|periods?)\s+"
    r"(?:with(?:out)?\s+(?:no\s+|any\s+)?(?:\w+\s+){0,2}?|that have no\s+(?:\w+\s+){0,2}?)"
    r"(?:counted|counting|count|treated|shown|filled|included)\s+(?:as\s+)?(?:zero|0)\b"
    r"|,?\s*(?:missing|empty)\s+(?:days?|weeks?|months?)\s+(?:as\s+|counted as\s+)?(?:zero|0)\b"
    r"|,?\s*(?:zero[- ]filled|filling gaps with zero)\b"
)


def cut_rolling(text: str) -> tuple[int, str | None, str]:
    """The periods and unit of a rolling average ("7-day rolling average"), cut out,
    with the phrase restating that missing periods count as zero."""
    found = _ROLLING.search(text)
    if found is None:
        return 0, None, text
    n = int(found.group("n") or found.group("n2"))
    unit = found.group("unit") or found.group("unit2")
    text = (text[: found.start()] + " " + text[found.end() :]).strip()
    text = _ZERO_DAYS.sub(" ", text).strip()
    return n, unit, text


def rolling_grain(rolling: int, unit: str | None, grain: str | None) -> str | None:
    """The series a rolling average runs over: its own unit ("7-day": per day)."""
    if not rolling or unit is None:
        return grain
    if grain not in {None, unit}:
        raise PlanningError(
            f"A {rolling}-{unit} rolling average needs a series per {unit}, not per {grain}.",
            hint=f"Ask e.g. '{SERIES_WORDS[unit]} revenue with a {rolling}-{unit} rolling "
            "average'.",
        )
    return unit


# -- a second period -----------------------------------------------------------------
_LEAD = (
    r"\b(?:vs\.?|versus|against|with|compared (?:to|with)|and|to|"
    r"than\s+(?:in|during|for|over))\s+(?:the\s+)?"
    r"(?:same\s+\w+\s+(?:in|of)\s+)?"
)
#: "than Q1 2025", "than February 2025": a named quarter or month needs no "in" after
#: "than"; a bare year does ("than in 2024"), since "more than 2000" is an amount.
_THAN_NAMED = r"\bthan\s+(?:the\s+)?"
_SECOND: tuple[tuple[str, str], ...] = (
    ("quarter", rf"(?:{_LEAD}|{_THAN_NAMED})q(?P<q>[1-4])\s+(?:of\s+)?(?P<y>20\d\d)\b"),
    ("quarter", rf"{_LEAD}(?P<y>20\d\d)\s+q(?P<q>[1-4])\b"),
    ("month", rf"(?:{_LEAD}|{_THAN_NAMED})(?P<m>{_MONTH})\.?\s+(?:of\s+)?(?P<y>20\d\d)\b"),
    ("year", rf"{_LEAD}(?P<y>20\d\d)\b"),
)


#: Words that make two named periods a comparison ("and" alone lists them).
_COMPARING = re.compile(
    r"\b(?:vs|versus|against|compare|compared|comparing|comparison|growth|grew|grow|change|"
    r"changed|increase|increased|decrease|decreased|difference|between)\b"
    r"|\bthan\s+(?:(?:in|during|for|over)\s+(?:the\s+)?20\d\d|(?:the\s+)?(?:q[1-4]|"
    + _MONTH
    + r"))\b"
)


#: The words naming the period just before a relative window ("this year" -> "last year").
_PERIOD_BEFORE = {
    f"this_{unit}": rf"(?:last|previous|prior)\s+(?:full\s+|complete\s+)?{unit}\b"
    for unit in ("year", "quarter", "month", "week")
} | {"today": r"yesterday\b"}
#: The relative window just after another, and the words naming it.
_PERIOD_AFTER = {
    f"last_{unit}": (f"this_{unit}", rf"\b(?:this|current)\s+{unit}\b")
    for unit in ("year", "quarter", "month", "week")
} | {"yesterday": ("today", r"\btoday\b")}


_SAME_A_YEAR_EARLIER = re.compile(
    rf"{_LEAD}same\s+(?P<unit>month|quarter|period|time)\s+(?:of\s+|in\s+)?"
    r"(?:last|the previous|the prior|previous|prior|a|one)\s+year(?:\s+(?:earlier|before|ago))?\b"
    rf"|{_LEAD}(?P<unit2>month|quarter)\s+a\s+year\s+(?:earlier|before|ago)\b"
)
#: How many months or quarters back the same period a year earlier is, per window.
_BACK = {"this_month": ("month", 12), "last_month": ("month", 13),
         "this_quarter": ("quarter", 4), "last_quarter": ("quarter", 5)}  # fmt: skip


_YEAR_TO_DATE = re.compile(r"\byear to date\b|\bytd\b|\bso far\b")
#: "month to date", "MTD", "quarter to date": a period so far, against the same dates.
_PERIOD_TO_DATE = re.compile(r"\b(?:month|quarter) to date\b|\bmtd\b|\bqtd\b")
#: The same dates a year earlier, per window read "to date" (``_year_earlier``).
_DATES_BACK = {"this_month": "month_to_date_back", "this_quarter": "quarter_to_date_back"}
#: The unit of a window "the same period" names.
_UNIT_OF = {kind: unit for unit in ("month", "quarter")
            for kind in (unit, f"this_{unit}", f"last_{unit}")}  # fmt: skip


def cut_year_earlier(text: str) -> tuple[str | None, str]:
    """ "vs the same quarter last year", cut out before the window is read (so "last
    year" is not read as the window): the unit of the period a year earlier."""
    found = _SAME_A_YEAR_EARLIER.search(text)
    if found is None:
        return None, text
    unit = found.group("unit") or found.group("unit2")
    if unit in {"period", "time"} and _YEAR_TO_DATE.search(text):
        return None, text  # "year to date vs the same period last year": the same dates
    if unit in {"period", "time"} and _PERIOD_TO_DATE.search(text):
        unit = "dates"  # "month to date vs the same period last year": the same dates
    return unit, (text[: found.start()] + " " + text[found.end() :]).strip()


def _year_earlier(window: TimeWindow | None, unit: str) -> TimeWindow:
    """The window's own month or quarter a year earlier ("the same period last year": the
    window's own unit, a year too)."""
    if unit == "dates":
        if window is None or window.kind not in _DATES_BACK:
            raise PlanningError(
                "'The same period a year earlier' of a period to date needs the month or "
                "quarter to date.",
                hint="Ask e.g. 'month to date revenue vs the same period last year'.",
            )
        return TimeWindow(_DATES_BACK[window.kind], label="the same dates a year earlier")
    if unit in {"period", "time"} and window is not None:
        if window.kind == "year":
            return replace(window, year=window.year - 1, label="").described()
        if window.kind == "month_range":  # "H1 2025 vs the same period last year"
            years = tuple(year - 1 for year in window.years)
            return replace(window, years=years, label="").described()
        unit = _UNIT_OF.get(window.kind, unit)
    label = f"the same {unit} a year earlier"
    if window is not None and window.kind in _BACK and _BACK[window.kind][0] == unit:
        return TimeWindow(f"{unit}_back", n=_BACK[window.kind][1], label=label)
    if window is not None and window.kind == unit:
        return replace(window, year=window.year - 1, label="").described()
    if unit in {"period", "time"}:
        raise PlanningError(
            f"'The same {unit} a year earlier' needs a month, quarter or year to compare.",
            hint="Ask e.g. 'revenue in Q1 2025 vs the same period last year'.",
        )
    raise PlanningError(
        f"'The same {unit} a year earlier' needs a {unit} to compare.",
        hint=f"Ask e.g. 'revenue last {unit} vs the same {unit} last year'.",
    )


def _order_key(window: TimeWindow) -> tuple[int, int, int]:
    return window.year, window.n if window.kind == "quarter" else 0, window.month


def cut_second_period(
    window: TimeWindow | None, text: str, year_earlier: str | None = None
) -> tuple[TimeWindow | None, TimeWindow | None, str]:
    """A second named period of the same kind as ``window``, after a comparing word
    ("Q1 2025 vs Q1 2024", "compare March 2025 with March 2024"): the later one is
    the window, the earlier the one compared with."""
    after = _PERIOD_AFTER.get(window.kind) if window is not None else None
    if after is not None and _COMPARING.search(text):
        # "this month vs last month", read "last month" first: the later one is the window.
        kind, words = after
        found = re.search(words, text)
        if found is not None:
            text = (text[: found.start()] + " " + text[found.end() :]).strip()
            window = TimeWindow(kind).described()
    if year_earlier is not None:
        return window, _year_earlier(window, year_earlier), text
    before = _PERIOD_BEFORE.get(window.kind) if window is not None else None
    if before is not None:
        # "this year vs last year": the period before, named; compared as it always is.
        return window, None, re.sub(rf"{_LEAD}{before}", " ", text).strip()
    if window is None or window.kind not in {"quarter", "month", "year"}:
        return window, None, text
    if not _COMPARING.search(text):
        return window, None, text  # "Q1 and Q2 2025": both periods, not a comparison
    return _named_second(window, text)


def _named_second(window: TimeWindow, text: str) -> tuple[TimeWindow, TimeWindow | None, str]:
    """The second named quarter, month or year after a comparing word, cut out."""
    for kind, pattern in _SECOND:
        found = re.search(pattern, text) if kind == window.kind else None
        if found is None:
            continue
        groups = found.groupdict()
        other = TimeWindow(
            kind,
            n=int(groups.get("q") or 0),
            year=int(groups["y"]),
            month=MONTHS[groups["m"]] if groups.get("m") else 0,
        ).described()
        if _order_key(other) == _order_key(window):
            break
        text = (text[: found.start()] + " " + text[found.end() :]).strip()
        later, earlier = sorted((window, other), key=_order_key, reverse=True)
        return later, earlier, text
    return window, None, text


#: One half of a year, its year before or after it when said ("H1", "H1 2025", "2025 H2",
#: "the first half of 2025"), optionally after the word that compares it with another.
_HALF = re.compile(
    rf"(?P<lead>{_LEAD})?"
    r"(?:\b(?:h(?P<h>[12])|(?P<which>first|second|1st|2nd)\s+half)"
    r"(?:\s+of)?(?:\s+(?:the\s+)?year)?(?:\s+(?P<y>20\d\d))?|\b(?P<y2>20\d\d)\s+h(?P<h2>[12]))\b"
)


def cut_compared_halves(text: str) -> tuple[tuple[TimeWindow, TimeWindow] | None, str]:
    """Two halves of a year compared ("H1 2025 vs H2 2025", "H1 vs H2 2025", "the first
    half of 2025 compared with the second half", "H2 2025 vs H2 2024"), cut out: the later
    half and the earlier one, as their six months. A half without its year takes the
    other's; two halves listed without a word of comparing are left to be read as they are."""
    found = list(_HALF.finditer(text))
    if len(found) != 2 or not _COMPARING.search(text):
        return None, text
    starts: list[int] = []
    said: list[str] = []
    for match in found:
        first = "1" in {match["h"], match["h2"]} or match["which"] in {"first", "1st"}
        starts.append(1 if first else 7)
        said.append(match["y"] or match["y2"] or "")
    years = {year for year in said if year}
    if len(years) == 1:  # "H1 vs H2 2025": one year for both
        said = [year or next(iter(years)) for year in said]
    if not all(said):
        return None, text
    windows = [
        TimeWindow("month_range", month=start, n=start + 5, years=(int(year),) * 2).described()
        for start, year in zip(starts, said, strict=True)
    ]
    later, earlier = sorted(windows, key=lambda w: (w.years[0], w.month), reverse=True)
    if later == earlier:
        return None, text
    second = found[1]
    text = (
        text[: found[0].start("lead") if found[0]["lead"] else found[0].start()]
        + " "
        + text[found[0].end() : second.start()]
        + " "
        + text[second.end() :]
    )
    # "H1 2025 vs H1 2024 (January to June)": the months of the halves, said again
    months = {window.month for window in windows}
    for remark in _HALF_MONTHS.finditer(text):
        if MONTHS[remark["a"]] in months and MONTHS[remark["b"]] == MONTHS[remark["a"]] + 5:
            text = text[: remark.start()] + " " + text[remark.end() :]
            break
    return (later, earlier), re.sub(r"\s+", " ", text).strip()


#: "(January to June)", "(Jul-Dec)": a half's months in a remark.
_HALF_MONTHS = re.compile(
    rf"\(\s*(?P<a>{_MONTH})\.?\s*(?:to|-|through|thru|until)\s*(?P<b>{_MONTH})\.?\s*\)"
)


#: "the growth between them", "and the change between the two": a comparison of the
#: two periods named.
BETWEEN = re.compile(
    r"\b(?:and\s+)?(?:the\s+)?(?:growth|change|difference|increase)\s+(?:in\s+%\s+)?"
    r"between\s+(?:them|the two|both|those|these|the two years|those years|these years)\b"
)
#: A growth grain that only says the comparison is a year (quarter...) apart.
OVER_PERIOD = re.compile(
    r"\b(?:year over year|yoy|quarter over quarter|qoq|month over month|mom)\b"
)
#: A ranking on the change of a comparison ("top 5 by growth", "fastest growing").
CHANGE_WORDS = re.compile(
    r"\b(?:growth|grew|grow|growing|change|changed|increase|increased|decrease|decreased|"
    r"decline|declined|drop|dropped|rise|rose|gain|gained|fell|fall)\b"
)
BY_CHANGE = re.compile(
    r"(?:\b(?:sorted|ranked|ordered|sort|rank|order)\s+)?"
    r"\bby\s+(?:the\s+)?(?:%\s*|percent(?:age)?\s+)?(?:[a-z]+\s+){0,2}?(?:growth|change|increase)"
    r"(?:\s+%|\s+rate)?\b"
    r"|\bby\s+(?:the\s+)?(?:decrease|decline)(?:\s+%|\s+rate)?\b"
    r"|\b(?:fastest|most)\s+growing\b"
    r"|\bgrew(?:\s+[a-z]+){0,2}?\s+the\s+most\b|\bgrew\s+(?:the\s+)?fastest\b"
)

#: A superlative of a change ("the biggest increase in orders", "the largest revenue
#: growth", "the biggest % drop"): a ranking on the change, the rises first, or the
#: falls first for a word of falling. Growth and a change said in % rank by the change
#: in %; any other, by the difference.
SUPERLATIVE_CHANGE = re.compile(
    r"\b(?:biggest|largest|greatest|highest|strongest|sharpest|steepest)\s+"
    r"(?P<pct>%\s*|percent(?:age)?\s+)?(?:[a-z]+\s+){0,2}?(?P<way>growth|increase|rise|gain|jump|drop|decrease|"
    r"decline|fall|loss)\b"
)
FALLS = frozenset({"drop", "decrease", "decline", "fall", "loss"})


def superlative_change(text: str, ranking: re.Match[str] | None) -> re.Match[str] | None:
    """The superlative of a change that ranks a comparison, unless the ranking names
    another measure ("top 5 brands by revenue ..., and the biggest increase")."""
    found = SUPERLATIVE_CHANGE.search(text)
    if found is None or ranking is None:
        return found
    named = re.search(r"\bby\s+(?:the\s+)?(?P<what>\w+)", text[ranking.end() :])
    if named is not None and not SUPERLATIVE_CHANGE.match(
        text, ranking.end() + named.start("what")
    ):
        return None
    return found


#: A difference asked of a comparison: "and the difference", "the gap", "by how much",
#: "how many more", "how much higher or lower".
_COMPARATIVE = r"(?:more|fewer|less|higher|lower|bigger|smaller|greater)"
DIFFERENCE = re.compile(
    r"\b(?:the\s+)?(?:absolute\s+)?(?:difference|gap)\b"
    r"|\bby\s+how\s+(?:much|many)\b"
    rf"|(?<=\bhow\s(?:many|much)\s){_COMPARATIVE}(?:\s+or\s+{_COMPARATIVE})?\b"
)
#: "(2025 minus 2024)", "last 7 minus prior 7": which way round the difference goes.
_MINUS = re.compile(r"\(?\s*(?P<a>[\w ]{1,30}?)\s+minus\s+(?P<b>[\w ]{1,30}?)\s*(?:\)|$|,|;)")
#: "the biggest difference", "the largest gap": a ranking on a difference of either sign.
_RANKED_DIFFERENCE = re.compile(
    r"\b(?:biggest|largest|greatest|highest|smallest|lowest|most|least|top|bottom)\s+"
    r"(?:[a-z%]+\s+){0,2}?(?:difference|gap)s?\b"
)
#: What is left of a "minus" remark once its periods are read.
_MINUS_LEFT = re.compile(r"\(?[\w ]{0,30}?\bminus\b[\w ]{0,30}\)?")
#: "in 2025 than in 2024": the periods on each side of "than".
_THAN = re.compile(
    rf"(?P<a>(?:q[1-4]\s+|(?:{_MONTH})\.?\s+)?20\d\d)\b[^.;?]{{0,40}}?\bthan\s+"
    rf"(?:(?:in|during|for|over)\s+(?:the\s+)?(?P<b>(?:q[1-4]\s+|(?:{_MONTH})\.?\s+)?20\d\d)"
    rf"|(?:the\s+)?(?P<named>(?:q[1-4]|{_MONTH})\.?\s+20\d\d))\b"
)
_LATER_WORDS = frozenset({"last", "this", "current", "latest", "recent", "new", "later", "now"})
_EARLIER_WORDS = frozenset({"prior", "previous", "before", "earlier", "preceding", "old", "then"})


def _period_key(text: str) -> tuple[int, int] | None:
    """Where a named period ("2025", "q2 2025", "march 2025") falls, to order two."""
    found = re.search(rf"(?:q(?P<q>[1-4])|(?P<m>{_MONTH}))?\.?\s*(?P<y>20\d\d)\b", text)
    if found is None:
        return None
    month = MONTHS[found["m"]] if found["m"] else 3 * int(found["q"]) if found["q"] else 12
    return int(found["y"]), month


def _later_first(first: str, second: str) -> bool | None:
    """Whether ``first`` names the later period of the two (None: cannot tell)."""
    a, b = _period_key(first), _period_key(second)
    if a is not None and b is not None and a != b:
        return a > b
    words_a, words_b = set(first.split()), set(second.split())
    if words_a & _LATER_WORDS and words_b & _EARLIER_WORDS:
        return True
    if words_a & _EARLIER_WORDS and words_b & _LATER_WORDS:
        return False
    return None


def difference_asked(text: str, said: str) -> list[tuple[int, int]]:
    """The words of ``text`` (what is left to read) asking for the difference of a
    comparison (the later value minus the earlier), or none. Asked the other way round
    in ``said`` (the whole question: "2024 minus 2025", "how many more in 2024 than in
    2025") it is refused: the difference shown would have the other sign."""
    spans = [m.span() for m in DIFFERENCE.finditer(text)]
    if not spans:
        return []
    if _RANKED_DIFFERENCE.search(said):
        raise PlanningError(
            "The biggest difference could be the biggest increase or the biggest drop; I "
            "cannot tell which one you want.",
            hint="Say 'the biggest increase' (the later value minus the earlier, highest "
            "first) or 'the biggest drop'.",
        )
    for minus in _MINUS.finditer(said):
        later = _later_first(minus["a"], minus["b"])
        if later is None:
            raise difference_not_of_periods()
        if not later:
            raise _other_way(f"{minus['a']} minus {minus['b']}")
    spans += [m.span() for m in _MINUS_LEFT.finditer(text)]
    than = _THAN.search(said)
    if than is not None and _later_first(than["a"], than["b"] or than["named"]) is False:
        raise _other_way(f"more in {than['a']} than in {than['b'] or than['named']}")
    return spans


def difference_not_of_periods() -> PlanningError:
    """The refusal of a difference asked between things that are not two periods."""
    return PlanningError(
        "I can show a difference only between two periods (the later minus the earlier), "
        "not between two values set against each other.",
        hint="Ask for the values side by side ('revenue by category for Jeans and Shorts') "
        "and subtract them, or compare two periods ('orders 2025 vs 2024 and the "
        "difference').",
    )


def check_than(said: str, difference: bool) -> None:
    """Refuse "which categories had more revenue in 2025 than in 2024": a comparison
    said with "than" keeps only the rows that rose (or fell), which a comparison of every
    row does not answer; "how many more ... than" asks the difference, which it does."""
    than = _THAN.search(said)
    if than is None or difference:
        return
    earlier = than["b"] or than["named"]
    raise PlanningError(
        f"I read '{than['a']} than {earlier}' as a comparison, but not which rows to keep "
        "(only those that rose, or fell?); I would show every row.",
        hint=f"Ask for every row side by side ('... {than['a']} vs {earlier}') and read the "
        "change, or for the difference ('how many more ... than').",
    )


def _other_way(said: str) -> PlanningError:
    return PlanningError(
        f"A difference here is the later period minus the earlier; '{said}' asks it the "
        "other way round.",
        hint="Ask for the later period first ('how many more in 2025 than in 2024', "
        "'2025 minus 2024'), and read a negative difference as a fall.",
    )


def change_between_years(window: TimeWindow | None, text: str) -> bool:
    """Whether ``text`` asks how something changed from one year to the next ("the
    biggest increase in revenue from 2024 to 2025", "how did orders change from 2024 to
    2025", "the difference in orders between 2024 and 2025"): a range of two years said
    with a word of change or difference."""
    return (
        window is not None
        and window.kind == "year_range"
        and len(window.years) == 2
        and window.years[1] - window.years[0] == 1
        and (CHANGE_WORDS.search(text) is not None or DIFFERENCE.search(text) is not None)
    )


def compared_periods(  # noqa: PLR0917 - the parts of one reading
    text: str,
    window: TimeWindow | None,
    compare: bool,
    compare_with: TimeWindow | None,
    grain: str | None,
    growth: bool,
    claims: list[tuple[int, int]],
) -> tuple[bool, str | None, bool, TimeWindow | None]:
    """Whether two periods are compared, and the grain left once a "year over year"
    only says how far apart they are ("year-over-year growth, 2025 vs 2024")."""
    if window is None:
        return compare, grain, growth, None
    pair = (window.kind == "years" and len(window.years) == 2) or compare_with is not None
    between = BETWEEN.search(text)
    if between is not None and pair:
        compare = True
        claims.append(between.span())
    if compare_with is not None:
        compare = True
    if compare and pair and grain is not None and OVER_PERIOD.search(text):
        grain, growth = None, False
    return compare, grain, growth, compare_with


#: Words asking for one total of a set rather than a row per member.
_TOTAL = re.compile(
    r"\b(?:how much|how many|total|combined|together|altogether|in all|sum|overall|share|"
    r"percent|percentage|proportion|fraction)\b|%\s*of"
)


def ranked_set(
    phrases: Mapping[tuple[str, ...], list[tuple[str, str, str]]],
    text: str,
    ranking: re.Match[str],
    metrics: Sequence[str],
    *,
    share: bool = False,
) -> list[str]:
    """The measures of "revenue and profit for the top 5 categories by revenue": the
    ranked measure first (the ranking orders by it), the others beside it."""
    by = re.search(r"\bby\s+(?P<what>[^,.;?!]+)", text[ranking.end() :])
    if _TOTAL.search(text):  # "how much revenue comes from the top 10 brands"
        raise PlanningError(
            f"A total or share of a ranked set ('{ranking.group(0)}' together) is answered "
            "only as the share of one measure from the top things ranked by it.",
            hint="Ask e.g. 'what share of revenue comes from the top 10 brands' (their "
            "revenue is shown too), or for the members: 'top 10 brands by revenue'.",
        )
    if by is not None and not share:
        words = [singular(w) for w in tokens(by.group("what")) if w not in {"and", "&"}]
        for k in range(len(words), 0, -1):
            named = [n for kind, n, _ in phrases.get(tuple(words[:k]), []) if kind == "metric"]
            if named and named[0] in metrics:
                return [named[0], *(m for m in metrics if m != named[0])]
    raise PlanningError(
        f"A ranking used as a group ('{ranking.group(0)}' as a set to measure) needs the "
        "measure it ranks by among the measures asked for.",
        hint="Say what the ranking is by, e.g. 'revenue and profit for the top 5 categories "
        "by revenue'.",
    )


def bands_of(
    model: SemanticModel, raw: RawBands | None, dimensions: list[str], table: str = ""
) -> tuple[Band, ...]:
    """The bands given in the question, on the one numeric breakdown they cut; a band
    breakdown of the model ("age band") is replaced by the number it bands. A number
    named beside the bands ("price bands") is added as the breakdown; when its words
    name several ("price"), the one on the measured ``table`` is taken, then the one
    reachable from it."""
    if raw is None:
        return ()
    if raw.subject:
        subject = _subject_on(model, raw.subject, table)
        if subject is None:
            names = " or ".join(model.dimensions[d].label.lower() for d in raw.subject)
            raise PlanningError(
                f"The bands could cut the {names}; I cannot tell which one.",
                hint="Name the number, e.g. 'items sold by sale price band: under 25, 25-50, 50+'.",
            )
        if subject not in dimensions:
            dimensions.append(subject)
    numeric = {
        dimension.own_sql()[0]: name
        for name, dimension in model.dimensions.items()
        if dimension.numeric
    }
    found = []
    for i, name in enumerate(dimensions):
        dimension = model.dimensions[name]
        if dimension.numeric:
            found.append((i, name))
            continue
        read = set(column_refs(dimension.own_sql()[0]))
        if len(read) == 1 and next(iter(read)) in numeric:
            found.append((i, numeric[next(iter(read))]))
    if len(found) != 1:
        raise PlanningError(
            "I read bands in the question but not which one number they cut.",
            hint="Name the number, e.g. 'revenue by age band: under 25, 25-44, 45+'.",
        )
    i, name = found[0]
    band = Band(name, raw.edges, raw.width)
    if raw.labels:
        from lgda_nb.planner._compile_timecmp import band_labels

        standard = band_labels(band, model.dimensions[name])
        if [_plain(x) for x in raw.labels] != [_plain(x) for x in standard]:
            # "55 and over": shown as "55+" would not be the names asked for.
            raise PlanningError(
                f"Bands are named like {', '.join(standard)}; the question names them "
                f"{', '.join(raw.labels)}.",
                hint=f"Ask with the bands written {', '.join(standard)}.",
            )
    dimensions[i] = name
    return (band,)


def _subject_on(model: SemanticModel, names: Sequence[str], table: str) -> str | None:
    """The one of ``names`` on ``table``, else the one reachable from it."""
    if len(names) == 1:
        return names[0]
    own = [n for n in names if model.dimensions[n].own_sql()[1] == table]
    if len(own) == 1:
        return own[0]
    reached = [n for n in names if table and model.reaches(table, model.dimensions[n].own_sql()[1])]
    return reached[0] if len(reached) == 1 else None


def _plain(label: str) -> str:
    """A band's name without case, spaces or dollar signs: "$20 - $60" is "20-60"."""
    return re.sub(r"[\s$]", "", label.lower())


_STARTING = re.compile(
    r",?\s*\b(?:starting|beginning|starting from|from|since)\s+(?:in\s+)?(?:january|jan)\.?\s+"
    r"(?:of\s+)?(?P<y>20\d\d)\b"
)
_THROUGH = re.compile(
    r"\b(?:through|thru|to|until|till|up to)\s+(?:the end of\s+|december\s+|dec\s+)?(?P<y>20\d\d)\b"
)


def whole_years(text: str) -> str:
    """ "through 2025, starting January 2025" names whole years: read as "from 2024 to
    2025" (or "in 2025"), so the start is not left over."""
    start, end = _STARTING.search(text), _THROUGH.search(text)
    if start is None or end is None or int(start["y"]) > int(end["y"]):
        return text
    low, high = start["y"], end["y"]
    span = f" in {low} " if low == high else f" from {low} to {high} "
    first, second = sorted((start, end), key=lambda m: m.start())
    return (
        text[: first.start()] + span + text[first.end() : second.start()] + " "
        + text[second.end() :]
    ).strip()  # fmt: skip
