"""The words of statistics, and where the number they are of is named.

- "standard deviation", "sample standard deviation", "std dev", "stdev": one word,
  ``stddev``, the sample standard deviation (``STDDEV_SAMP``, BigQuery's ``STDDEV``); the
  population's is refused rather than answered with the sample's;
- a list of statistics ("median and 90th percentile", "quartiles", "10th and 90th
  percentiles") as statistic kinds (``median``, ``p90``, ``p25``...);
- a number named with its table ("product retail price", "retail price of products"),
  or before its statistics ("retail price quartiles"), read by ``EntityReader``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._text import TOKEN, singular, tokens

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel
    from lgda_nb.planner._read_entity import EntityReader

#: "the 90th percentile", "p90", "quartiles", "standard deviation" (after ``spell``).
PERCENTILE_WORD = r"(?:\d{1,3}(?:st|nd|rd|th)(?:\s+percentiles?)?|p\d{1,2})"
EXTRA_STATS = rf"(?:stddev|quartiles|{PERCENTILE_WORD})"
_DEVIATION = re.compile(
    r"\b(?P<kind>sample\s+|population\s+|pop\s+)?"
    r"(?:standard\s+deviations?|std\.?\s*devs?|stdevs?|(?<=sample\s)sd)\b"
    r"(?:\s*\(\s*(?P<after>sample|population|pop)\s*\))?"
)
#: "std dev of user age (sample)": the sample's, which it is, said at the end.
_SAMPLE_AT_END = re.compile(r"\s*\(\s*sample\s*\)\s*(?=[?.!]*\s*$)")
#: "quartiles (25th, 50th and 75th percentiles)", "(p25/p50/p75)": restated.
_QUARTILES_RESTATED = re.compile(
    r"\bquartiles(?P<between>(?:\s+(?:for|in|of|during)\s+[\w ]{1,30}?)?)\s*\(\s*(?:the\s+)?"
    r"(?:25th|p25)\s*(?:,|/)?\s*(?:50th|p50|median)\s*(?:,|/)?\s*(?:and\s+|&\s*)?"
    r"(?:the\s+)?(?:75th|p75)(?:\s+percentiles?)?\s*\)"
)

#: "delivery time percentiles (25th, 50th and 90th)": the percentiles listed after them,
#: perhaps after the rows they are over ("sale price percentiles of items sold (...)").
_PERCENTILES_AFTER = re.compile(
    r"\b(?P<what>(?:[a-z]+\s+from\s+[a-z]+\s+to\s+[a-z]+)|(?:[a-z]+\s+){0,2}[a-z]+)"
    r"\s+percentiles(?P<rows>\s+(?:of|for|on|over)\s+(?:the\s+|all\s+)?(?:order\s+)?[a-z]+"
    r"(?:\s+(?:sold|ordered))?)?\s*\(\s*"
    r"(?P<list>\d{1,2}(?:st|nd|rd|th)(?:\s*,\s*\d{1,2}(?:st|nd|rd|th))*"
    r"(?:\s*,?\s*(?:and|&)\s*|\s*,\s*)\d{1,2}(?:st|nd|rd|th))\s*\)"
)

#: "delivery time percentiles: 25th, 50th and 90th, in days": the same said with no
#: parentheses, perhaps with the unit after the list.
_PERCENTILES_LISTED = re.compile(
    r"\b(?P<what>(?:[a-z]+\s+from\s+[a-z]+\s+to\s+[a-z]+)|(?:[a-z]+\s+){0,2}[a-z]+)"
    r"\s+percentiles\s*[:-]?\s*"
    r"(?P<list>\d{1,2}(?:st|nd|rd|th)(?:\s*,\s*\d{1,2}(?:st|nd|rd|th))*"
    r"(?:\s*,?\s*(?:and|&)\s*|\s*,\s*)\d{1,2}(?:st|nd|rd|th))"
    r"(?:\s*,?\s*(?P<unit>in\s+(?:minutes|hours|days|weeks)))?\b"
)

#: "order-to-delivery time in days": the days from order to delivery.
_SPAN_TIME = re.compile(
    r"\b(?P<start>[a-z]+)\s+to\s+(?P<end>[a-z]+)\s+(?:time|duration|lead\s+time)"
    r"(?:\s+in\s+(?P<unit>minutes|hours|days|weeks))?"
)
#: "days from order to delivery: median and p90": the statistics of what comes before.
_STAT_WORD = (
    r"(?:median|mean|average|p\d{1,2}|\d{1,2}(?:st|nd|rd|th)(?:\s+percentile)?|quartiles|"
    r"min(?:imum)?|max(?:imum)?|stddev)"
)
_STATS_AFTER = re.compile(
    rf"^(?P<what>[^:]+?)(?:\s+percentiles)?\s*:\s*"
    rf"(?P<stats>{_STAT_WORD}(?:\s*(?:,|and|&|/|,\s*and)\s*{_STAT_WORD})*)"
    r"\s*[?.!]?\s*$"
)


#: A statistic that may open a list ("min and max sale price, and the average").
_LISTED_STAT = (
    r"(?:min(?:imum)?|max(?:imum)?|lowest|highest|smallest|largest|youngest|oldest|"
    r"cheapest|shortest|longest|median|mean|average)"
)
#: "youngest and oldest user age, and the average": the last statistic, said bare after
#: the number, is of that number too.
_BARE_LAST = re.compile(
    rf"^(?P<head>.*\b{_LISTED_STAT}(?:\s*(?:,|and|&)\s*{_LISTED_STAT})*)\s+"
    r"(?P<what>[a-z][a-z' ]*?)\s*,?\s*(?:and|&|plus)\s+(?:also\s+)?(?:the\s+)?"
    r"(?P<last>average|mean|median)\s*(?P<end>[?.!]?)\s*$"
)


def _percentiles_listed(match: re.Match[str]) -> str:
    unit = f" {match['unit']}" if match["unit"] else ""
    return f"{match['list']} percentile of {match['what']}{unit}"


def spell(text: str) -> str:
    """The standard deviation's names as ``stddev``; a population standard deviation is
    refused, since the sample's would be a different number."""
    for match in _DEVIATION.finditer(text):
        kind = (match["kind"] or match["after"] or "").strip()
        if kind in {"population", "pop"}:
            raise PlanningError(
                "The population standard deviation is not supported.",
                hint="Ask for the standard deviation: the sample standard deviation "
                "(STDDEV_SAMP), e.g. 'standard deviation of retail price by department'.",
            )
    text = _DEVIATION.sub("stddev", text)
    if "stddev" in text:
        text = _SAMPLE_AT_END.sub("", text)
    text = _QUARTILES_RESTATED.sub(
        r"quartiles\g<between>", re.sub(r"\bstddev\s+stddev\b", "stddev", text)
    )
    text = _PERCENTILES_AFTER.sub(r"\g<list> percentiles of \g<what>\g<rows>", text)
    if "percentiles" in text:
        text = _PERCENTILES_LISTED.sub(_percentiles_listed, text)
    text = _SPAN_TIME.sub(lambda m: f"{m['unit'] or 'days'} from {m['start']} to {m['end']}", text)
    text = _BARE_LAST.sub(r"\g<head> and \g<last> \g<what>\g<end>", text)
    return _STATS_AFTER.sub(r"\g<stats> of \g<what>", text)


def kinds_named(text: str, words: Mapping[str, str]) -> list[str]:
    """The statistic kinds a list names, in order: ``words`` maps plain words ("median",
    "longest") to kinds; quartiles are the 25th, 50th and 75th percentiles."""
    kinds: list[str] = []
    for word in re.findall(r"\d{1,3}(?:st|nd|rd|th)|p\d{1,2}\b|[a-z]+", text):
        if word in {"percentile", "percentiles", "the", "and"}:
            continue
        if word == "quartiles":
            kinds += ["p25", "median", "p75"]
        elif word == "stddev":
            kinds.append("stddev")
        elif word in words:
            kinds.append(words[word])
        elif re.fullmatch(r"\d+(?:st|nd|rd|th)|p\d+", word):
            kinds.append(percentile_kind(word))
    return list(dict.fromkeys(kinds))


def percentile_kind(word: str) -> str:
    """``p90`` for "90th" or "p90" (``median`` for the 50th); refused outside 1-99."""
    number = int(re.sub(r"\D", "", word))
    if not 1 <= number <= 99:
        raise PlanningError(
            f"The {word} percentile does not exist.",
            hint="Ask for a percentile from the 1st to the 99th.",
        )
    return "median" if number == 50 else f"p{number}"


#: Words before a number that make it a breakdown ("revenue by age quartiles").
_GROUPING = frozenset("by per each every across within into in".split())


def _table_words(model: SemanticModel) -> dict[tuple[str, ...], str]:
    """The words for one row of each listed table (a product) -> the table."""
    return {
        tuple(singular(w) for w in tokens(word)): table.name
        for table in model.catalog.values()
        for word in table.words
    }


def _number_at(reader: EntityReader, words: Sequence[str]) -> tuple[str, int] | None:
    """The numeric dimension the first words name and how many words: its own name
    ("retail price"), or its table's word before it ("product retail price")."""
    for size in range(min(len(words), 4), 0, -1):
        dimension = reader._numeric_of(list(words[:size]))
        if dimension is not None:
            return dimension, size
    for lead, table in _table_words(reader.model).items():
        if tuple(singular(w) for w in words[: len(lead)]) != lead:
            continue
        rest = words[len(lead) :]
        for size in range(min(len(rest), 4), 0, -1):
            dimension = reader._numeric_of(list(rest[:size]))
            if dimension is not None and reader.model.dimensions[dimension].own_sql()[1] == table:
                return dimension, len(lead) + size
    return None


def number_after(
    reader: EntityReader, text: str, following: Sequence[re.Match[str]], kinds: Sequence[str]
) -> tuple[list[str], int, str] | None:
    """Statistics of the number the words after them name ("quartiles of product retail
    price", "of the retail price of all products"): the metrics, where they end, and the
    words to put back in their place: "for" when the rows a measure counts follow
    ("stddev of sale price of items sold" is over the items sold, with their rule)."""
    found = _number_at(reader, [m.group(0) for m in following])
    if found is None:
        return None
    dimension, size = found
    end = following[size - 1].end()
    of = _OF_ROWS.match(text[end:])
    if of is not None:
        rest = [singular(w) for w in tokens(of["rest"])]
        if _names_measure(reader, rest, len(_table_lead(reader, dimension, rest))):
            return [f"{k}:{dimension}" for k in kinds], end + of.start("rest"), "for"
    return [f"{k}:{dimension}" for k in kinds], _past_own_rows(reader, text, end, dimension), ""


#: "of all products", "across the product catalog": the rows a number is taken over.
_OF_ROWS = re.compile(r"\s+(?:of|across|over)\s+(?:(?:all|the|our)\s+)*(?P<rest>[a-z ]+)")


def _table_lead(reader: EntityReader, dimension: str, rest: Sequence[str]) -> tuple[str, ...]:
    """The words at the start of ``rest`` (singular) naming a row of the number's own
    table (a product), or none."""
    table = reader.model.dimensions[dimension].own_sql()[1]
    return next(
        (lead for lead, named in _table_words(reader.model).items()
         if named == table and tuple(rest[: len(lead)]) == lead),
        (),
    )  # fmt: skip


def _past_own_rows(reader: EntityReader, text: str, end: int, dimension: str) -> int:
    """Where the words after ``end`` stop restating the number's own rows ("retail price
    quartiles across the product catalog": every product, no breakdown by product)."""
    of = _OF_ROWS.match(text[end:])
    if of is None:
        return end
    lead = _table_lead(reader, dimension, [singular(w) for w in tokens(of["rest"])])
    if not lead:
        return end
    return list(TOKEN.finditer(text, end + of.start("rest")))[len(lead) - 1].end()


def _names_measure(reader: EntityReader, rest: Sequence[str], table_words: int) -> bool:
    """Whether the rows after a number are those a measure counts ("quartiles of sale
    price of items sold"); the table's own word ("of all products") only restates the
    rows."""
    for size in range(min(len(rest), 3), table_words, -1):
        if any(kind == "metric" for kind, _, _ in reader.phrases.get(tuple(rest[:size]), [])):
            return True
    return False


def number_before(
    reader: EntityReader, text: str, at: int, end: int, kinds: Sequence[str]
) -> tuple[list[str], int, int] | None:
    """Statistics of the number named just before them (at ``at``, ending at ``end``:
    "retail price quartiles", "order value median"): the metrics, where the number
    starts and where what was read ends (past the number's own rows said again,
    "across the product catalog"); ``None`` when the number is a breakdown ("by age
    quartiles")."""
    spans = list(TOKEN.finditer(text[:at]))
    words = [m.group(0) for m in spans]
    for size in range(min(len(words), 5), 0, -1):
        piece = words[-size:]
        found = _number_at(reader, piece)
        named = reader._entity_measure(piece)
        if (found is None or found[1] != size) and named is None:
            continue
        start = len(words) - size
        if start > 0 and words[start - 1] in _GROUPING:
            return None
        if found is None or found[1] != size:
            return [f"{k}:{named}" for k in kinds], spans[start].start(), end
        number = found[0]
        return (
            [f"{k}:{number}" for k in kinds],
            spans[start].start(),
            _past_own_rows(reader, text, end, number),
        )
    return None
