"""Reading cohorts, first events, "within N days of" and "never" out of a question.

A pass before the others: it cuts its phrases out of the text and says what they
mean as plan parts the rest of the reader and the compiler already know (measures,
breakdowns, conditions of zero). The vocabulary is the model's (``[reader]``
``firsts``, ``within``, ``never``, ``all_people``, ``rates``); only English grammar is
written here.

- "customers whose first order was in each month" -> a breakdown by the first-order
  month (``firsts.month``); "the customer's very first order" -> "first order".
- "what % of users ordered within 30 days of signing up" -> ``within_pct:30:DAY:...``,
  the share of users whose first order came at most 30 days after their signup.
- "users who never placed an order" -> "users with exactly 0 orders", a condition the
  compiler answers with an anti-join (users without any order pass).
- "counting users who never bought" -> the per-user measure counted over every user.
- "(count and %)" -> the count and the rate the model pairs with it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._compile import passes_at_zero
from lgda_nb.planner._text import singular, tokens

if TYPE_CHECKING:
    from lgda_nb.planner._model import Metric, SemanticModel
    from lgda_nb.planner._plan import Condition, Filter

#: "the customer's very first", "their first": only "first" carries meaning.
_WHOSE_FIRST = re.compile(
    r"\b(?:(?:the\s+)?\w+(?:'s|s')|their|his|her|its)\s+(?:very\s+)?(?=first\b)|\bvery\s+(?=first\b)"
)
#: "(of) customers whose first order was in each month (of)": a cohort breakdown.
_COHORT = re.compile(
    r"\b(?:(?:of|among|for|from)\s+)?(?:the\s+|all\s+)?(?P<who>\w+)\s+whose\s+(?P<first>first\s+\w+)"
    r"\s+(?:was|were|fell|came|happened|is|took place)?\s*(?:placed\s+)?(?:in|during)\s+"
    r"(?:each|every)\s+(?P<grain>month|year)(?:\s+of\b)?"
)
#: "(customers grouped by the month of their first order)": the same breakdown, said of
#: the people.
_COHORT_BY = re.compile(
    r"\(\s*(?P<who>\w+)\s+(?:grouped\s+|split\s+|bucketed\s+)?by\s+(?:the\s+)?"
    r"(?P<grain>month|year)\s+of\s+(?:the\s+)?(?P<first>first\s+\w+)\s*\)"
)
#: "(for) users (in Japan) who have ordered": the people who have a first order at all,
#: said as a clause of its own.
_HAVE_ORDERED = re.compile(
    r"(?:,\s*)?\b(?:only\s+)?(?:(?:for|among|of|across)\s+)?(?:the\s+|all\s+)?(?:users|customers|people|"
    r"those)(?P<where>\s+in\s+[a-z][a-z ]*?)?\s+(?:who|that)\s+(?:have\s+|has\s+)?(?:ever\s+)?"
    r"(?:ordered|placed\s+(?:an?\s+|any\s+|at\s+least\s+(?:one|1)\s+)?orders?|bought|"
    r"purchased)(?:\s+(?:at\s+least\s+once|anything|something|at\s+all))?\b"
    # said whole: "users who placed an order in 2025" is a condition of its own
    r"(?=\s*(?:[,.;:?!)]|$))"
)
#: "customers whose first order was (in 2025)": the people counted by their first order.
_WHOSE = re.compile(
    r"\b(?:the\s+|all\s+)?(?P<who>\w+)\s+whose\s+(?P<first>first\s+\w+)\s+"
    r"(?:was|were|fell|came|happened|is|took place)?\s*(?:placed\s+)?"
)
#: "people who placed their first order (in 2025)": the people counted by it, as
#: "whose first order was" says.
_PLACED_FIRST = re.compile(
    # "users of (in) the United States who placed ...": where they are, kept as a filter
    r"\b(?:the\s+|all\s+)?(?P<who>\w+)(?P<place>\s+(?:in|from|of)\s+(?:the\s+)?[a-z]+"
    r"(?:\s+[a-z]+)??)??\s+(?:who\s+|that\s+)?(?:have\s+|had\s+)?"
    r"(?:placed|made|did|had)\s+(?:an?\s+)?(?P<first>first\s+\w+)\b(?!\s+(?:within|after)\b)"
)
#: "within 30 days of signing up"; "within 7 days" after "users who signed up ...".
_WITHIN = re.compile(
    r"\bwithin\s+(?:the\s+first\s+)?(?P<n>\d+|an?)\s+(?P<unit>minutes?|hours?|days?|weeks?)"
    r"(?:\s+(?:of|after|from)\s+(?:their\s+|the\s+|a\s+)?(?P<start>\w+)(?:\s+up\b)?)?"
)
#: "(the) count and %", "number and percentage": both the count and its rate.
_COUNT_AND_RATE = re.compile(
    r"\(?\s*\b(?:both\s+)?(?:the\s+)?(?:count|number|total)\s+(?:and|&|plus)\s+(?:the\s+)?"
    r"(?:%|percent\b|percentage\b|share\b|rate\b|pct\b)\s*\)?"
)
#: "counting users who never bought", "including those who never purchased".
_ALL_PEOPLE = re.compile(
    r"\b(?:counting|including|incl|even)\s+(?:the\s+|those\s+)?(?:\w+\s+)?(?:who|that)\s+"
    r"(?:have\s+|has\s+|had\s+)?(?:never|not|did not|didn't|haven't|have not)\s+(?:ever\s+)?"
    r"(?P<verb>\w+)(?:\s+anything)?\b"
)
#: "(who) never placed an order", "that have never been sold", "never had an item returned",
#: "who have not ordered", "that didn't sell".
_NEVER = re.compile(
    r"\b(?:(?:who|that|which)\s+)?(?:(?:(?:have|has|had|did)\s+)?(?:never|not ever)|"
    r"(?:have|has|had|did|do|does)(?:\s+not|n't))\s+"
    r"(?:ever\s+)?(?:been\s+)?(?P<verb>\w+)(?P<object>\s+(?:an?|any)\b(?:\s+single\b)?)?"
    r"(?:\s+anything\b)?"
)
#: "with no returns", "that have no orders", "users have no orders", "without any orders".
_NO = re.compile(
    r"\s*\b(?:(?:with|having|(?:(?:that|which|who)\s+)?(?:have|has|had))\s+(?:no|zero)|"
    r"without(?:\s+any)?)\s+(?=\w)"
)
#: Verbs after "never" that take the measure named after them ("never placed an order").
_NEVER_TAKES = frozenset({"placed", "made", "had", "got", "received", "submitted"})
_SHARE_BEFORE = re.compile(
    r"(?:\b(?:what|the)\s+)?(?:%|\bpercent|\bpercentage|\bshare|\bproportion|\bfraction)\s+"
    r"of\s+(?:the\s+|all\s+)?(?P<who>\w+)\s+(?:who\s+|that\s+)?$"
)
_UNITS = {"minute": "MINUTE", "hour": "HOUR", "day": "DAY", "week": "WEEK"}


@dataclass
class CohortReading:
    """What the pass read: measures and breakdowns to add, and measures it replaces."""

    metrics: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    #: The table whose plain count the new measure restates ("% of users ...").
    restates: str | None = None
    #: Measures the new one restates (the people in "... whose first order was ...").
    restates_metrics: list[str] = field(default_factory=list)
    all_people: bool = False
    with_rate: bool = False
    #: A "never" clause became a condition of zero; ``how_many`` asks for their number.
    never: bool = False
    #: "..., and how many of those ...": the people's count stays beside the part.
    count_kept: bool = False
    #: The verbs of the "never" clauses ("ordered", "placed").
    never_verbs: list[str] = field(default_factory=list)
    how_many: bool = False
    #: The period is the people's signup ("users who signed up in 2025 and never
    #: ordered"): the condition of zero is over all time.
    signup_dated: bool = False
    notes: list[str] = field(default_factory=list)


_AND_HOW_MANY_OF = re.compile(r",\s*(?:and\s+)?how many of (?:those|them|these)\b")


def _cut(text: str, match: re.Match[str], by: str = " ") -> str:
    return re.sub(r"\s+", " ", text[: match.start()] + by + text[match.end() :]).strip()


_FROM_UP_TO = re.compile(r"\b(from|between)\s+(\w+)\s+up\s+(to|and)\b")


def _from_up_to(text: str) -> str:
    """ "from signing up to ...": the moment is the verb; "up" completes it."""
    return _FROM_UP_TO.sub(r"\1 \2 \3", text) if "up" in text else text


def read_cohort(model: SemanticModel, text: str) -> tuple[CohortReading, str]:
    """The cohort phrases of normalised ``text``, and the text without them."""
    found = CohortReading()
    reader = model.reader
    firsts = reader.get("firsts", {})
    text = _from_up_to(text)
    if firsts:
        text = _WHOSE_FIRST.sub("", text)
        words = [" ".join(str(w).split()) for w in firsts.get("words", [])]
        for other in words[1:]:
            # "first purchase" is the model's "first order": one spelling to read.
            if other in text:
                text = re.sub(rf"\b{re.escape(other)}(s?)\b", rf"{words[0]}\1", text)
        if words:
            text = _first_phrases(model, _have_ordered_cut(text, words[0]), words[0])
            text = _cut_restated_first(model, text, words[0])
    counted = "count" in text or "number" in text or "total" in text
    if counted and (match := _COUNT_AND_RATE.search(text)) and reader.get("rates"):
        found.with_rate = True
        text = _cut(text, match)
    elif reader.get("rates") and (match := _rate_of_paired(model, text)) is not None:
        # "what % ordered again the next month": the count the model pairs a rate with,
        # and that rate.
        found.with_rate = True
        text = _cut(text, match)
    elif reader.get("rates") and (match := _rate_after_paired(model, text)) is not None:
        # "how many ordered again the next month, and that as a %": the rate after it.
        found.with_rate = True
        text = _cut(text, match)
    if found.with_rate and reader.get("rate_wholes"):
        # "cohort size", "how many customers are in the cohort": the whole the rate is
        # of, which is shown beside it.
        text = _COHORT_SIZE.sub(" ", text)
    if (match := _ALL_PEOPLE.search(text)) and reader.get("all_people"):
        found.all_people = True
        text = _cut(text, match)
    if firsts and (match := _COHORT.search(text) or _COHORT_BY.search(text)):
        first_words = {" ".join(w.split()) for w in firsts.get("words", [])}
        dimension = firsts.get(match["grain"])
        if match["first"] in first_words and dimension in model.dimensions:
            found.dimensions.append(dimension)
            found.notes.append(f"grouped by the {match['first']} {match['grain']}")
            text = _cut(text, match)
    if firsts and (match := _WHOSE.search(text)):
        text = _read_whose_first(model, text, match, found)
    # "number of signups, and how many of those placed an order within 30 days": the
    # people's own count is asked as well, not only the part of them.
    found.count_kept = bool(_AND_HOW_MANY_OF.search(text))
    text = _read_placed_first(model, _read_within(model, text, found), found)
    found.how_many = bool(re.search(r"\bhow many\b|\bnumber of\b|\bcount of\b", text))
    text = _read_never(model, text, found)
    return found, text


def _read_whose_first(
    model: SemanticModel, text: str, match: re.Match[str], found: CohortReading
) -> str:
    """ "how many customers whose first order was in 2025": the model's count of people
    by their first order (``firsts.count``), dated by it; anything else is refused."""
    firsts = model.reader.get("firsts", {})
    count = str(firsts.get("count", ""))
    words = {" ".join(str(w).split()) for w in firsts.get("words", [])}
    if match["first"] in words and count in model.metrics:
        entity = model.metrics[count].entity
        people = [
            m.name
            for m in model.metrics.values()
            if m.entity == entity and m.unit == "count" and _names(m, match["who"])
        ]
        if people:
            found.metrics.append(count)
            found.restates_metrics.extend(people)
            found.notes.append(f"{match['who']} counted by their {match['first']}")
            place = match.groupdict().get("place") or ""
            return _cut(text, match, f" {place} ")
    label = model.metrics[count].label.lower() if count in model.metrics else "a count"
    raise PlanningError(
        f"People grouped by their {match['first']} are only read as {label} in a period or "
        f"per period, or as a breakdown by the month or year of their {match['first']}.",
        hint=f"Ask for {label} per month, or for a measure by {match['first']} month.",
    )


def _read_placed_first(model: SemanticModel, text: str, found: CohortReading) -> str:
    """ "people who placed their first order in 2025": as "whose first order was", once
    "within N days" has been read (a condition on the people, not their count)."""
    match = _PLACED_FIRST.search(text)
    if match is None or not _counted_by_first(model, match):
        return text
    return _read_whose_first(model, text, match, found)


def _counted_by_first(model: SemanticModel, match: re.Match[str]) -> bool:
    """Whether ``match`` ("people who placed their first order") names people the model
    counts by their first event, with its words for that event."""
    firsts = model.reader.get("firsts", {})
    count = str(firsts.get("count", ""))
    if match["first"] not in {" ".join(str(w).split()) for w in firsts.get("words", [])}:
        return False
    entity = model.metrics[count].entity if count in model.metrics else None
    return any(
        m.entity == entity and m.unit == "count" and _names(m, match["who"])
        for m in model.metrics.values()
    )


def _names(metric: Metric, word: str) -> bool:
    from lgda_nb.planner._text import singular

    return singular(word) in {singular(s) for s in (metric.name, *metric.synonyms)}


def _cut_restated_first(model: SemanticModel, text: str, phrase: str) -> str:
    """ "new customers (first order ever) per quarter", "new customers per month, based on
    their first order": words saying how the model's count of people by their first event
    is dated restate it, and are cut; "by first order month" is a breakdown, kept."""
    count = str(model.reader.get("firsts", {}).get("count", ""))
    if count not in model.metrics:
        return text
    metric = model.metrics[count]
    names = [metric.name.replace("_", " "), *metric.synonyms]
    if not any(n in text and re.search(rf"\b{re.escape(n)}\b", text) for n in names):
        return text
    text = _cut_restated_period(model, text, phrase, metric)
    if phrase in text:  # the pattern needs the phrase
        text = _restated_first(phrase).sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=16)
def _restated_first(phrase: str) -> re.Pattern[str]:
    """Words restating how the count of people by their ``phrase`` ("first order") is
    dated: "(based on their first order)", "first order ever"."""
    return re.compile(
        r"\s*\(?\s*,?\s*\b(?:(?:based on|by|using|dated by|counted by|going by|i\.?\s?e\.?|"
        r"meaning|defined by)\s+)?(?:their\s+|the\s+|a\s+)?(?:very\s+)?"
        rf"{re.escape(phrase)}s?(?:\s+ever)?(?:\s+of\s+any\s+status)?(?:\s+(?:dates?|times?))?\b"
        r"(?!\s+(?:month|year|quarter|week|day|cohort|date|was|were|is|fell|came|in|of)\b)\s*\)?"
    )


#: Words for the people counted whoever they are ("people whose first order ...").
_ANYONE = frozenset({"people", "those", "ones", "persons", "folks"})
#: Words that say a question is per (or in one) month, year, ...: what "in that month"
#: in a restatement refers to.
_PERIOD_SAID = {
    "month": r"\b(?:per|by|each|every|a) month\b|\bmonthly\b|\b(?:jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec)[a-z]*\s+(?:19|20)\d\d\b|\b(?:this|last|that) month\b",
    "year": r"\b(?:per|by|each|every|a) year\b|\byearly\b|\bannual(?:ly)?\b|"
    r"\b(?:in|during|for|of)\s+(?:19|20)\d\d\b|^(?:19|20)\d\d\b|\b(?:this|last) year\b",
    "quarter": r"\b(?:per|by|each|every|a) quarter\b|\bquarterly\b|\bq[1-4]\b",
    "week": r"\b(?:per|by|each|every|a) week\b|\bweekly\b|\b(?:this|last) week\b",
    "day": r"\b(?:per|by|each|every|a) day\b|\bdaily\b|\b(?:yesterday|today)\b",
}


def _cut_restated_period(model: SemanticModel, text: str, phrase: str, metric: Metric) -> str:
    """ "new customers per month (customers whose first order of any status fell in that
    month)", "new customers in 2025 (first order that year)": a restatement of how the
    count of people by their first event is dated, cut when the period it names ("that
    month") is the question's own; naming another period, or other people, it is kept
    (and the question refused for the words left)."""
    restated = re.compile(
        r"\s*(?:(?P<open>\()|[,;:-]?\s*\b(?:i\.?\s?e\.?|that is|meaning|namely)\s+|"
        r"[,;:-]?\s+(?=(?:the\s+|all\s+)?\w+\s+whose\s))\s*"
        r"(?:i\.?\s?e\.?\s+|meaning\s+)?(?:(?:the\s+|all\s+)?(?P<who>\w+)\s+whose\s+)?"
        r"(?:(?:their|the|a)\s+)?(?:very\s+)?"
        rf"{re.escape(phrase)}s?(?:\s+ever)?(?:\s+of\s+any\s+status)?"
        r"(?:\s+(?:was|were|is|fell|falls|came|happened|took place|(?:was |were |is )?placed))?"
        r"(?:\s+(?:in|within|during))?\s+(?:that|the same|this|the)\s+"
        r"(?P<grain>month|year|quarter|week|day|period)\b\s*(?(open)\)|)"
    )
    match = restated.search(text)
    if match is None:
        return text
    rest = text[: match.start()] + " " + text[match.end() :]
    grain = match["grain"]
    if (
        match["who"] is not None
        and match["who"] not in _ANYONE
        and not any(
            _names(m, match["who"])
            for m in model.metrics.values()
            if m.entity == metric.entity and m.unit == "count"
        )
    ):
        return text
    if grain != "period" and not re.search(_PERIOD_SAID[grain], rest):
        return text
    return re.sub(r"\s+", " ", rest).strip()


def _have_ordered_cut(text: str, phrase: str) -> str:
    """ "days from signup to first order, for users who have ordered": only they have a
    first order, so the time to it is theirs anyway; the words are cut ("users in Japan
    who have ordered" keeps "in Japan")."""
    if not re.search(rf"\b(?:to|until|till)\s+(?:the\s+|their\s+|a\s+)?{re.escape(phrase)}", text):
        return text
    return _HAVE_ORDERED.sub(lambda m: m["where"] or "", text)


def _first_phrases(model: SemanticModel, text: str, phrase: str) -> str:
    """ "first-order-year cohort" is a cohort by the first order (not by signup);
    "days from signup to first order": the moment is "first", "order" restates it."""
    if phrase in text and "cohort" in text:
        text = re.sub(
            rf"\b({re.escape(phrase)})(?:(\s+(?:month|year))\s+cohorts?|\s+cohorts?(\s+(?:month|year))?)\b",
            lambda m: m[1] + (m[2] or m[3] or " month"),
            text,
        )
        if f"{phrase} month" in text:
            # "first-order cohorts ...: for each cohort month, ...", "...: cohort month,
            # cohort size, ...": the month they are by; "for each month of 2024": of 2024
            text = re.sub(
                r",?\s*\b(?:(?:for\s+(?:each|every)|by|per|each)\s+)?cohort\s+month\b\s*,?",
                " ",
                text,
            )
            text = re.sub(r"\bfor\s+(?:each|every)\s+month\s+of\s+(\d{4})\b", r"in \1", text)
    first, _, rest = phrase.partition(" ")
    if not rest or first not in text or rest not in text:
        return text  # the rewrite below needs both words
    moments = {w for m in model.moments.values() for w in m.words}
    if first not in moments:
        return text

    def moment(match: re.Match[str]) -> str:
        return match[0] if match["since"] not in moments else match["lead"] + first

    pattern = (
        rf"(?P<lead>\b(?:from|between)\s+(?P<since>\w+)\s+(?:to|and|until|till)\s+"
        rf"(?:the\s+)?){re.escape(first)}\s+{re.escape(rest)}s?\b"
    )
    return re.sub(pattern, moment, text)


def _read_within(model: SemanticModel, text: str, found: CohortReading) -> str:
    """ "(what % of) users (who) ordered within 30 days of signing up"."""
    verbs = model.reader.get("within", {})
    match = _WITHIN.search(text)
    if not verbs or match is None:
        return text
    before = text[: match.start()].rstrip()
    start = _within_start(model, match["start"], before, verbs)
    verb = next(
        (
            found_verb
            for phrase in sorted(verbs, key=len, reverse=True)
            if (found_verb := re.search(rf"\b{re.escape(phrase)}$", before))
        ),
        None,
    )
    if verb is None:
        return text
    end = str(verbs[verb.group(0)])
    tables = [
        table
        for name in start
        for table in model.moments[name].columns
        if end in model.moments and table in model.moments[end].columns
    ]
    if len(start) != 1 or len(tables) != 1:
        return text
    share = _SHARE_BEFORE.search(text[: verb.start()])
    if share is not None and not _counts(model, share["who"], tables[0]):
        return text
    kept = ""
    if share is None:
        # "% of users who signed up in 2025 placed an order within ...", "of 2025 signups,
        # what % ordered within ...": the people between are read by the other passes.
        share, kept = _share_of_some(model, text[: verb.start()], tables[0])
    # "how many ordered within 7 days of signup, and the %", "... (count and %)": the
    # count with its %, as "what % of users ordered within 7 days" is.
    pct_after = _PCT_AFTER.match(text, match.end())
    as_rate = share is not None or pct_after is not None or found.with_rate
    found.with_rate = found.with_rate and not as_rate
    ended = pct_after.end() if pct_after is not None else match.end()
    unit = _UNITS[match["unit"].rstrip("s")]
    n = int(match["n"]) if match["n"].isdigit() else 1  # "within a week"
    if unit == "WEEK":
        unit, n = "DAY", 7 * n  # a week is 7 days, not a calendar-week boundary
    within = f"{n}:{unit}:{start[0]}:{end}"
    if as_rate:
        # The % with the two counts it is made of beside it: all the rows, and those in time.
        whole = next(
            (m.name for m in model.metrics.values()
             if m.table == tables[0] and m.unit == "count" and not m.filters),
            None,
        )  # fmt: skip
        found.metrics += [*([whole, f"within:{within}"] if whole else []), f"within_pct:{within}"]
    else:
        found.metrics.append(f"within:{within}")
    cut_from = share.start() if share else verb.start()
    # "how many users signed up, and how many of them ordered within ...": both counts.
    of_them = None if share else _OF_THEM.search(text[: verb.start()])
    if of_them is not None:
        cut_from = of_them.start()
    else:
        found.restates = tables[0]  # "how many users ordered within ...": users restated
    return re.sub(r"\s+", " ", text[:cut_from] + f" {kept} " + text[ended:]).strip()


def _within_start(
    model: SemanticModel, said: str | None, before: str, verbs: dict[str, object]
) -> list[str]:
    """The moments "within N days of <start>" may start at. Unsaid ("users who signed up
    in 2025 ordered within 7 days"), the one moment of the same rows as the ends named
    before it, when its words are there ("signed"); none otherwise."""
    if said is not None:
        return [m.name for m in model.moments.values() if said in m.words]
    ends = {str(end) for end in verbs.values()}
    tables = {t for end in ends if end in model.moments for t in model.moments[end].columns}
    words = set(tokens(before))
    return [
        m.name
        for m in model.moments.values()
        if m.name not in ends and tables & set(m.columns) and words & set(m.words)
    ]


#: "..., and how many of them": a count of some of the people counted before.
#: ", and the %", "and that as a %", "(and %)" right after a count: its rate too.
_PCT_AFTER = re.compile(
    r"\s*(?:,\s*)?\(?\s*(?:and|&|plus)\s+(?:the\s+|its\s+|their\s+|that\s+as\s+an?\s+|"
    r"as\s+an?\s+)?(?:%|percent\b|percentage\b|share\b|rate\b|pct\b)\s*\)?"
)
_OF_THEM = re.compile(r"\s*,?\s*(?:and\s+)?how many of (?:them|those|these)\s*$")
#: "what % of <people ...>" or "what %" after "of <people ...>,".
_SHARE_HEAD = re.compile(
    r"(?:\b(?:what|the)\s+)?(?:%|\bpercent\b|\bpercentage\b|\bshare\b|\bproportion\b)"
    r"(?:\s+of\s+(?:the\s+|all\s+|our\s+|those\s+)?(?P<some>[^%,]*?))?\s*$"
)
_OF_SOME = re.compile(
    r"\b(?:of|among|for)\s+(?:the\s+|all\s+|our\s+|those\s+)?(?P<some>[^%]+?)\s*,"
)


def _share_of_some(
    model: SemanticModel, before: str, table: str
) -> tuple[re.Match[str] | None, str]:
    """A share of some of the people: the match of "what % [of <some>]" right before the
    verb, and the words naming those people, kept for the other passes (a signup period).
    ``None`` unless those words hold a plain count of ``table``'s rows."""
    head = _SHARE_HEAD.search(before)
    if head is None:
        return None, ""
    some = head["some"]
    if some is None:
        earlier = _OF_SOME.search(before[: head.start()])
        if earlier is None or before[earlier.end() : head.start()].strip():
            return None, ""
        some = earlier["some"]
    some = re.sub(r"\s+(?:who|that)\s*$", "", some.strip())
    words = some.split()
    if not 1 <= len(words) <= 12 or not any(_counts(model, w, table) for w in words):
        return None, ""
    return head, (some if head["some"] is not None else "")


def _counts(model: SemanticModel, word: str, table: str) -> bool:
    """Whether ``word`` names a plain count of ``table``'s rows (the people counted)."""
    from lgda_nb.planner._text import singular

    word = singular(word)
    return any(
        metric.table == table
        and metric.unit == "count"
        and word in {singular(s) for s in (metric.name, *metric.synonyms)}
        for metric in model.metrics.values()
    )


def _of_sessions(model: SemanticModel, before: str, verb: str) -> bool:
    """Whether a step of the funnel is what sessions named before lack ("sessions with a
    cart event that did not purchase"): the funnel reader's step, not a count of zero."""
    funnel = model.funnel
    if not funnel:
        return False
    steps = {str(s) for s in funnel.get("steps", [])}
    words = {w for phrases in funnel.get("words", {}).values() for w in phrases} | steps
    if verb not in words:
        return False
    measure = model.metric(str(funnel["measure"]))
    subjects = {measure.name.replace("_", " "), *measure.synonyms}
    return any(re.search(rf"\b{re.escape(s)}\b", before) for s in subjects)


def _read_never(model: SemanticModel, text: str, found: CohortReading) -> str:
    """ "who never placed an order" -> "with exactly 0 order": a condition of zero."""
    measures = model.reader.get("never", {})
    if not measures:
        return text
    # "brands with no returns": a condition of zero, as "never had a return" is.
    start = 0
    while match := _NO.search(text, start):
        if not _measure_follows(model, text[match.end() :]) or (
            match.group().strip().startswith("without")
            and not _things_before(model, text[: match.start()])
        ):
            # "products with no brand", "revenue without returns" (an exclusion): not here
            start = match.end()
            continue
        if _DATED_SIGNUPS.search(text[: match.start()]):
            found.signup_dated = True  # "2024 signups with zero orders": the signups' year
        text = _cut(text, match, " with exactly 0 ")
        found.never = True
    start = 0
    while match := _NEVER.search(text, start):
        verb = match["verb"]
        if _of_sessions(model, text[: match.start()], verb):
            start = match.end()  # "% of sessions with a cart event that never purchased"
        elif verb in measures and match["object"] is None:
            metric = never_measure(model, measures[verb], text[: match.start()])
            if metric not in model.metrics:
                return text
            words = metric.replace("_", " ")
            text = _cut_never(text, match, f" with exactly 0 {words} ", found)
            found.never = True
            found.never_verbs.append(verb)
        elif (
            verb in _NEVER_TAKES
            and match["object"] is not None
            and _measure_follows(model, text[match.end() :])
        ):
            named = _measure_words(model, text[match.end() :])
            taken = len(text[match.end() :]) - len(text[match.end() :].lstrip()) + len(named)
            text = _cut_never(text, match, f" with exactly 0 {named} ", found, taken)
            found.never = True
            found.never_verbs.append(verb)
        else:
            start = match.end()
    return text


def never_measure(model: SemanticModel, named: str | list[str], before: str) -> str:
    """The measure a verb after "never" counts: the first of the model's choices whose
    rows reach the things named before it ("products never ordered" are counted among
    the order items, "users who never ordered" among the orders)."""
    choices = [named] if isinstance(named, str) else list(named)
    words = re.findall(r"[a-z]+", before.lower())[-6:]
    from lgda_nb.planner._text import singular

    nouns = {singular(w) for w in words}
    subject = next(
        (
            table.name
            for table in model.catalog.values()
            if any(singular(w) in nouns for w in table.words if " " not in w)
        ),
        None,
    )
    for choice in choices:
        metric = model.metrics.get(choice)
        if subject is None or metric is None:
            return choice
        if metric.table == subject or model.reaches(metric.table, subject):
            return choice
    return choices[0]


#: A period of a signup: "in 2025", "during March 2024", "last year", "since 2023".
_PERIOD_WORDS = (
    r"(?:\s+(?:in|during|on|since|before|after|from|until|through|the|last|this|past|"
    r"previous|prior|year|years|month|months|quarter|week|weeks|days|ago|of|q[1-4]|h[12]|"
    r"first|second|half|\d{1,4}(?:st|nd|rd|th)?|jan\w*|feb\w*|mar\w*|apr\w*|may|june?|"
    r"july?|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\b)*"
)
#: "... users who signed up in 2025 (and) [have] never ...": the clause dating the people.
#: "via Email", "through Facebook": where the people came from, said before the period.
_VIA = r"(?:\s+(?:via|through|from)\s+\w+)?"
_SIGNUP_CLAUSE = re.compile(
    r"\s+(?P<clause>(?:who|that)\s+(?:have\s+|has\s+|had\s+)?(?:signed up|sign up|joined|"
    rf"registered){_VIA}(?P<period>{_PERIOD_WORDS}))\s*,?\s*(?:and\s+)?$"
)
#: "of the users who signed up in 2025, how many [of them] ...": the people, then the count.
_OF_PEOPLE = re.compile(
    r"\b(?:of|among|from)\s+(?:the\s+|all\s+|our\s+|those\s+)?(?P<who>(?:\w+\s+){0,2}?\w+)"
    r"(?:\s+(?P<clause>(?:who|that)\s+(?:have\s+|has\s+|had\s+)?(?:signed up|sign up|joined|"
    rf"registered){_VIA}(?P<period>{_PERIOD_WORDS})))?"
    r"\s*,\s*how many(?:\s+of\s+(?:them|those|these))?\s*$"
)


def _measure_words(model: SemanticModel, rest: str) -> str:
    """The text of the measure named at the start of ``rest`` ("order" in "order, by
    country"), the longest name first; "" when none is."""
    from lgda_nb.planner._text import singular

    phrases = {
        " ".join(singular(w) for w in re.findall(r"\w+", p.replace("_", " ")))
        for m in model.metrics.values()
        for p in (m.name, *m.synonyms)
    }
    found = list(re.finditer(r"[\w']+", rest))[:5]
    if found and rest[: found[0].start()].strip():
        return ""  # punctuation first: no measure follows
    for k in range(len(found), 0, -1):
        gaps = [rest[a.end() : b.start()] for a, b in itertools.pairwise(found[:k])]
        if any(gap.strip() for gap in gaps):
            continue
        if " ".join(singular(m[0]) for m in found[:k]) in phrases:
            return rest[: found[k - 1].end()].strip()
    return ""


_PEOPLE_PERIOD = re.compile(r"\b(?:19|20)\d\d\b|\b(?:last|this|previous) (?:year|month|quarter)\b")
_SIGNUPS = re.compile(r"\b(?:sign ?ups?|registrations)\b")
#: "2025 signups", "signups from 2025", right before "who never ...": people dated by
#: their signup.
_DATED_SIGNUPS = re.compile(
    r"(?:\b(?:19|20)\d\d\s+(?:sign ?ups?|registrations)|\b(?:sign ?ups?|registrations)\s+"
    r"(?:in|from|of|during)\s+(?:19|20)\d\d)\s*$"
)


def _cut_never(
    text: str, match: re.Match[str], by: str, found: CohortReading, taken: int = 0
) -> str:
    """``text`` with the "never" clause ``match`` read as ``by`` (a condition of zero),
    right after the people it is about when a signup clause stands between ("users who
    signed up in 2025 have never ordered" -> "users with exactly 0 orders who signed up in
    2025"); a period in that clause dates the people, not the condition."""
    before, after = text[: match.start()], text[match.end() + taken :]
    people = _OF_PEOPLE.search(before)
    if people is not None:
        clause = people["clause"] or ""
        dated = bool((people["period"] or "").strip()) or bool(
            _PEOPLE_PERIOD.search(people["who"]) and _SIGNUPS.search(people["who"])
        )  # "of 2025 signups, how many never ordered"
        found.signup_dated = found.signup_dated or dated
        lead = before[: people.start()]
        return re.sub(r"\s+", " ", f"{lead} how many {people['who']}{by}{clause} {after}").strip()
    if _DATED_SIGNUPS.search(before):
        found.signup_dated = True  # "2025 signups who never ordered": the signups' year
    clause_match = _SIGNUP_CLAUSE.search(before)
    if clause_match is not None and clause_match["period"].strip():
        found.signup_dated = found.signup_dated or bool(clause_match["period"].strip())
        lead = before[: clause_match.start()]
        return re.sub(r"\s+", " ", f"{lead}{by}{clause_match['clause']} {after}").strip()
    group = _GROUP_BEFORE.search(before)
    if group is not None:
        # "how many products in each department have never been ordered": the products
        # never ordered, in each department (not the departments).
        before = f"{before[: group.start()]}{by}{group['group']} "
        return re.sub(r"\s+", " ", f"{before}{after}").strip()
    return re.sub(r"\s+", " ", f"{before}{by}{after}").strip()


#: A breakdown said between the rows and a clause about them: "products in each
#: department (have never been ordered)".
_GROUP_BEFORE = re.compile(
    r"\s+(?P<group>(?:(?:in|for|within|across)\s+(?:each|every)|per|by)\s+[a-z]+(?:\s+[a-z]+)?)\s*$"
)


def _own_count(model: SemanticModel, dimension: str) -> str:
    """A plain count of the rows of ``dimension``'s own table (products for brands)."""
    table = model.dimensions[dimension].own_sql()[1]
    return next(
        (m.name for m in model.metrics.values()
         if m.table == table and m.unit == "count" and not m.filters and m.additive),
        f"distinct:{dimension}",
    )  # fmt: skip


def _things_before(model: SemanticModel, before: str) -> bool:
    """Whether ``before`` ends with things that can have none of a measure: a table's
    rows (users without orders) or a breakdown's values (brands without returns), not
    a measure (revenue without returns is an exclusion)."""
    from lgda_nb.planner._text import singular, tokens

    words = tokens(before)
    if not words:
        return False
    last = singular(words[-1])
    named = {singular(w) for table in model.catalog.values() for w in table.words}
    named |= {
        singular(w)
        for name, d in model.dimensions.items()
        for w in (name, *d.synonyms)
        if not d.time
    }
    return last in named


#: The whole a rate is of, asked beside it: "cohort size", "how many were there".
_COHORT_SIZE = re.compile(
    r"\b(?:(?:the|each)\s+)?cohort(?:'s)?\s+sizes?\b|\bsize of (?:the |each )?cohort\b|"
    r"\bhow many (?:\w+\s+)?(?:are|were|is|was)\s+(?:in\s+(?:the|each|that)\s+cohort|there)\b"
)
#: "what % (of them / of the cohort) (that)": a rate asked of what follows.
_WHAT_RATE = re.compile(
    r"(?:\b(?:what|the)\s+)?(?:%|\bpercent(?:age)?|\bshare|\bproportion|\bfraction)\s+"
    r"(?P<of>of\s+(?:them|those|these|the\s+cohort|each\s+cohort)\s+)?(?:(?:that|who)\s+)?"
)


def _rate_of_paired(model: SemanticModel, text: str) -> re.Match[str] | None:
    """The "what %" before a count the model pairs a rate with ("what % ordered again
    the next month"), when the words right after it name that count."""
    from lgda_nb.planner._text import normalize

    rates = model.reader.get("rates", {})
    wholes = model.reader.get("rate_wholes", {})
    for match in _WHAT_RATE.finditer(text):
        for name, rate in rates.items():
            metric = model.metrics.get(name)
            if metric is None:
                continue
            phrases = [normalize(p) for p in metric.synonyms if " " in p]
            # "what % of new customers (who) ordered again the next month": of the whole
            # the model shows beside that rate ("of those customers who": "those" says it
            # again).
            at = match.end()
            whole = _of_whole(model, text[at:], wholes.get(rate))
            if whole is None and match["of"]:
                at = match.start("of")
                whole = _of_whole(model, text[at:], wholes.get(rate))
                at = at if whole is not None else match.end()
            after = text[at + whole.end() :] if whole is not None else text[at:]
            if any(after.startswith(p) for p in phrases):
                if whole is None:
                    return match
                said = re.escape(text[match.start() : at + whole.end()])
                return re.compile(said).search(text, match.start())
    return None


def _of_whole(model: SemanticModel, rest: str, name: str | None) -> re.Match[str] | None:
    """ "of new customers who " at the start of ``rest``: the whole named by its words."""
    from lgda_nb.planner._text import normalize

    metric = model.metrics.get(name) if name else None
    if metric is None:
        return None
    names = {normalize(p) for p in (metric.name.replace("_", " "), *metric.synonyms)}
    # "of (those) customers who ...", "of each month's new customers": the people of the
    # whole said by their plain noun, or by the cohort they are of
    names |= {name.split()[-1] for name in names}
    said = sorted(names, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, said))
    return re.match(
        rf"of\s+(?:the\s+|our\s+|all\s+|those\s+|these\s+)?(?:(?:each|every|the|that)\s+"
        rf"(?:month|cohort|year)'s\s+)?(?:{alternatives})\s+(?:(?:that|who)\s+)?",
        rest,
    )


#: "..., and that as a %", "and the % of the cohort": the rate of the count before.
_AND_THE_RATE = re.compile(
    r",?\s*\b(?:and|plus)\s+(?:(?:that|this|it)\s+)?(?:as\s+)?(?:an?\s+|the\s+|its\s+)?"
    r"(?:retention\s+|repeat\s+)?(?:%|percent(?:age)?\b|share\b|rate\b|pct\b)(?:\s+of\s+(?:the\s+|each\s+)?cohort\b)?"
    r"(?=\s*(?:[.?!;]|$))"
)


def _rate_after_paired(model: SemanticModel, text: str) -> re.Match[str] | None:
    """ "..., and the %" right after a count the model pairs a rate with ("how many
    ordered again the next month, and that as a %")."""
    from lgda_nb.planner._text import normalize

    match = _AND_THE_RATE.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    for name in model.reader.get("rates", {}):
        metric = model.metrics.get(name)
        if metric is None:
            continue
        phrases = [normalize(p) for p in metric.synonyms if " " in p]
        if any(before.rstrip(" ,").endswith(p) for p in phrases):
            return match
    return None


def _measure_follows(model: SemanticModel, rest: str) -> bool:
    """Whether ``rest`` starts with a measure's name ("returns", "an item returned")."""
    from lgda_nb.planner._text import singular, tokens

    words = [singular(w) for w in tokens(rest)[:5]]
    phrases = {
        " ".join(singular(w) for w in tokens(p.replace("_", " ")))
        for m in model.metrics.values()
        for p in (m.name, *m.synonyms)
    }
    return any(" ".join(words[:k]) in phrases for k in range(len(words), 0, -1))


def check_people_named(
    model: SemanticModel, found: CohortReading, metrics: Sequence[str], question: str
) -> None:
    """Refuse a per-person measure named per user when the question leaves open which
    users: "revenue per user" (or "ARPU", its initials) could divide by every user,
    those who never bought counting as 0, or only by those who bought, as the measure
    the model defines (per customer) does. Answered when the question says which:
    "counting users who never bought" (every user, ``all_people``) or "among users who
    bought"."""
    from lgda_nb.planner._read_entity import HAVE_SOME

    swaps = model.reader.get("all_people", {})
    people = str(model.reader.get("people") or "")
    asked = [name for name in metrics if name in swaps and name in model.metrics]
    if not asked or found.all_people or not people or HAVE_SOME.search(question.lower()):
        return
    word = singular(people)
    words = [singular(w) for w in tokens(question.lower())]
    for name in asked:
        metric = model.metric(name)
        said = [s for s in metric.synonyms if _says(words, s)]
        open_ = [s for s in said if _names_people(s, word, metric.synonyms)]
        if not open_ or len(open_) < len(said):
            continue  # also named per customer: the people the measure is over
        raise PlanningError(
            f"'{open_[0]}' could divide by every {word}, counting those who never bought "
            "as 0, or only by those who bought; I cannot tell which.",
            hint=f"Say 'counting {people} who never bought' (every {word}) or "
            f"'among {people} who bought' ({metric.label.lower()}).",
        )


def _says(words: list[str], synonym: str) -> bool:
    """Whether the question's words hold the synonym's words in a row."""
    wanted = [singular(w) for w in tokens(synonym.lower())]
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


def _names_people(synonym: str, word: str, synonyms: Sequence[str]) -> bool:
    """Whether a synonym says ``word`` ("revenue per user"), or is one word made of the
    initials of a synonym that does ("arpu": "average revenue per user")."""
    if word in map(singular, synonym.split()):
        return True
    return " " not in synonym and any(
        word in map(singular, s.split()) and "".join(w[0] for w in s.split()) == synonym
        for s in synonyms
    )


def apply_cohort(
    model: SemanticModel,
    found: CohortReading,
    metrics: Sequence[str],
    dimensions: Sequence[str],
    conditions: Sequence[Condition] = (),
    *,
    dated: bool = False,
    filters: Sequence[Filter] = (),
) -> tuple[list[str], list[str], list[str]]:
    """Measures and breakdowns with the pass's own: (metrics, dimensions, notes)."""
    notes = list(found.notes)
    kept = [
        m
        for m in metrics
        if found.count_kept
        or (
            m not in found.restates_metrics
            and not (
                found.restates
                and model.metric(m).table == found.restates
                and model.metric(m).unit == "count"
            )
        )
    ]
    chosen = [*found.metrics, *(m for m in kept if m not in found.metrics)]
    if found.all_people:
        swaps = {k: v for k, v in model.reader.get("all_people", {}).items() if v in model.metrics}
        over_all = {str(v) for v in swaps.values()}
        if chosen and chosen[0].startswith("avg:") and chosen[0].split(":")[1] in swaps:
            # "average revenue per user": already a per-person measure, averaged once.
            chosen[0] = chosen[0].split(":")[1]
        if chosen and chosen[0].startswith("avg:") and chosen[0].split(":")[1] in over_all:
            chosen[0] = chosen[0].split(":")[1]  # "average lifetime revenue per user"
        if chosen and chosen[0] in over_all:
            # "lifetime revenue per user, counting users who never bought": the measure
            # named is already over everyone; the clause restates it.
            chosen[0] = next(k for k, v in swaps.items() if str(v) == chosen[0])
        if not chosen or chosen[0] not in swaps:
            raise PlanningError(
                "Counting people who never bought is only supported for a per-person measure "
                "the model defines over everyone.",
                hint="Ask for "
                + ", ".join(model.metric(m).label.lower() for m in swaps if m in model.metrics)
                + " counting those who never bought.",
            )
        chosen[0] = str(swaps[chosen[0]])
        notes.append("everyone counted, including those who never bought")
    if found.with_rate:
        rates = model.reader.get("rates", {})
        paired = [str(rates[m]) for m in chosen if str(rates.get(m)) in model.metrics]
        if not paired:
            raise PlanningError(
                "I understood a count and its percentage, but the model pairs no rate with "
                + (model.metric(chosen[0]).label.lower() if chosen else "this measure")
                + ".",
                hint="Ask for the count and the rate as two questions.",
            )
        chosen = [*chosen, *(p for p in paired if p not in chosen)]
        # The whole each rate is of (the cohort), first: the % is read against it.
        wholes = model.reader.get("rate_wholes", {})
        whole = [str(wholes[p]) for p in paired if str(wholes.get(p)) in model.metrics]
        chosen = [*(w for w in whole if w not in chosen), *chosen]
    added = [d for d in found.dimensions if d not in dimensions]
    dimensions = [*added, *dimensions]
    chosen = _people_who_never_bought(model, found, chosen, notes)
    per = [c.per for c in conditions]
    counted = [d for d in dimensions if d in per]
    if found.never and found.how_many and counted:
        # "how many products have never been sold", "how many brands never had a return":
        # the number of those things, not a list of them.
        chosen = [f"distinct:{counted[0]}"]
        dimensions = [d for d in dimensions if d != counted[0]]
        notes.append(f"counted the {model.dimensions[counted[0]].label.lower()} values")
    elif found.never and counted and not chosen:
        # "brands that never had an item returned": every brand of the brands' own table,
        # not only those with rows of the measure, so a brand without any item is listed.
        chosen = [_own_count(model, counted[0])]
    if found.never and dated and chosen and not _dates_people(model, found, chosen[0]):
        _check_never_window(model, chosen[0], conditions)
    if chosen:
        for name in [*dimensions, *(f.dimension for f in filters)]:
            _check_row_property(model, chosen[0], name)
    return chosen, dimensions, notes


def _people_who_never_bought(
    model: SemanticModel, found: CohortReading, chosen: list[str], notes: list[str]
) -> list[str]:
    """ "How many customers have never placed an order": customers are people who bought,
    so none of them never ordered; the people meant are every user (the model's plain
    count of its people), for the verbs ``[reader] never_buying`` lists."""
    reader = model.reader
    buying = set(reader.get("never_buying", []))
    if not (found.never and chosen and chosen[0] == reader.get("buyers")):
        return chosen
    if not buying.intersection(found.never_verbs):
        return chosen
    people = next(
        (m.name for m in model.metrics.values()
         if m.table == reader.get("people") and m.unit == "count" and not m.filters),
        None,
    )  # fmt: skip
    if people is None:
        return chosen
    notes.append(
        f"every {model.metric(people).label.lower().rstrip('s')} counted, not only those who bought"
    )
    return [people, *chosen[1:]]


def _dates_people(model: SemanticModel, found: CohortReading, measure: str) -> bool:
    """Whether the period dates the people counted by their signup ("users who signed up
    in 2025 and never ordered"): the measure counts the model's people by that date."""
    people = model.reader.get("people")
    metric = model.metric(measure)
    return found.signup_dated and metric.table == people and metric.unit == "count"


def never_over_all_time(
    model: SemanticModel,
    found: CohortReading,
    metrics: Sequence[str],
    conditions: Sequence[Condition],
) -> list[Condition]:
    """``conditions``, a condition of zero taken over all time when the period dates the
    people by their signup: "users who signed up in 2025 and never placed an order" have
    no order at any date, not only none in 2025."""
    from dataclasses import replace

    if not (found.never and metrics and _dates_people(model, found, metrics[0])):
        return list(conditions)
    return [replace(c, ever=True) if passes_at_zero(c) else c for c in conditions]


def _check_row_property(model: SemanticModel, measure: str, name: str) -> None:
    """ "Customers who placed a repeat order": whether an order is a repeat is a property
    of each order (it compares the order with the customer's first); a count of people
    stored elsewhere, split or filtered by it, would need to say which of their orders
    count (any status? only revenue items?), so it is refused."""
    dimension = model.dimensions[name]
    sql, table = dimension.own_sql()
    from lgda_nb.planner._model import tables_in

    read = tables_in(sql)
    metric = model.metric(measure)
    if not (read & set(model.derived)) or not (read - set(model.derived)):
        return  # a property of the person (first order year), or of no derived table
    if metric.entity is None or metric.entity not in model.dimensions:
        return
    if model.dimensions[metric.entity].own_sql()[1] != table:
        raise PlanningError(
            f"{metric.label} split or filtered by {dimension.label.lower()} is a property of "
            f"each row of {table}, not of what {metric.label.lower()} counts.",
            hint=f"Ask for {table} or revenue by {dimension.label.lower()}, or for "
            f"{metric.label.lower()} with a condition on their number of {table}.",
        )


def _check_never_window(
    model: SemanticModel, measure: str, conditions: Sequence[Condition]
) -> None:
    """ "users who never placed an order in 2025": the period could date the users or
    their orders; when the two are dated differently, either answer may be the wrong one."""
    dated = model.metric(measure).time
    for condition in conditions:
        inner = model.metric(condition.metric)
        if passes_at_zero(condition) and inner.time != dated:
            label = inner.label.lower()
            raise PlanningError(
                f"A period with 'never' can be read two ways: the {label} in that period, or "
                f"the {model.metric(measure).label.lower()} in that period.",
                hint=f"Ask without the period, or for {model.metric(measure).label.lower()} "
                f"with no {label} over all time.",
            )
