"""The offline planner: a plain-English question -> a ``Plan``, with no network.

It reads the question in passes: guard rails (SQL pasted, instructions to change
data, control characters), time phrases, ranking and grain phrases, then the
semantic model's metric and dimension names and the data's own values (longest
phrase first, typos by fuzzy matching). What it cannot map becomes a
``PlanningError`` with questions it can answer, never a guess.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from lgda_nb.errors import LGDAError, PlanningError
from lgda_nb.planner import _read_timecmp as timecmp
from lgda_nb.planner._asked import check_asked, row_words
from lgda_nb.planner._close import CloseWords
from lgda_nb.planner._compile import COMPARABLE, counted_if, passes_at_zero, time_between
from lgda_nb.planner._interpret import describe_parts
from lgda_nb.planner._model import Dimension, Metric, Moment, SemanticModel, tables_in
from lgda_nb.planner._plan import (
    LONGER_PERIODS,
    MONTH_NAMES,
    Condition,
    Filter,
    Plan,
    TimeWindow,
)
from lgda_nb.planner._read_both import cut_both
from lgda_nb.planner._read_cohort import (
    apply_cohort,
    check_people_named,
    never_measure,
    never_over_all_time,
    read_cohort,
)
from lgda_nb.planner._read_columns import bare_column_phrases, settle_bare
from lgda_nb.planner._read_dates import check_column, cut_date_checks
from lgda_nb.planner._read_distinct import cut_distinct_rows, distinct_in_metric
from lgda_nb.planner._read_durations import (
    cut_duration_conditions,
    cut_measured_rows,
    rows_first,
    rule_as_filter,
    spread_statistics,
)
from lgda_nb.planner._read_entity import (
    AverageReader,
    EntityReader,
    EntityReading,
    average_conditions,
    ranked_only,
    things_listed,
)
from lgda_nb.planner._read_scope import cut_scoped, settle_scoped
from lgda_nb.planner._read_sessions import SessionReader, session_plan
from lgda_nb.planner._read_shares import read_period_share
from lgda_nb.planner._read_split import (
    PART_VERBS,
    average_how_many,
    cut_column_hints,
    cut_for_each_end,
    cut_pointers,
    dimension_first_share,
    groups_first,
    most_common_as_top,
    participle_part,
    plain_phrases,
    rows_of_any,
    split_between,
)
from lgda_nb.planner._read_stats import EXTRA_STATS, kinds_named
from lgda_nb.planner._read_stats import spell as spell_statistics
from lgda_nb.planner._text import (
    BEHIND_EACH,
    EVERY_VALUE_LEADS,
    FILLER,
    MANNER,
    MONTHS,
    ONES_NAMED,
    RESTS_ON,
    SAID_PLAINLY,
    STOPWORDS,
    TOKEN,
    Needs,
    normalize,
    plural,
    recased,
    required,
    singular,
    spoken_numbers,
    tokens,
    unaccented,
)

MAX_QUESTION_CHARS = 2000
#: "bought in 2024 but not in 2025", "ordered something in 2024 but nothing in 2025",
#: "bought in 2024 but did not buy anything in 2025": the second period's clause.
_BUT_NOT = re.compile(
    r"\b(?P<verb>bought|purchased|ordered|sold|shopped|placed an order|placed orders)"
    r"(?:\s+(?:something|anything|from us|at least once|at least one \w+))?\s+"
    r"(?:(?:in|during)\s+|(?=(?:last|this|the\s+(?:last|previous))\b))[^,]+?"
    r"(?P<but>\s*,?\s+(?:but\s+)?(?:then\s+)?)"
    r"(?:(?<=but )(?:not|never|nothing)|(?:bought|ordered|purchased)\s+nothing(?:\s+at\s+all)?|"
    r"(?:(?:did|do|have|has)\s*(?:not|n't)|(?:was|were)\s*(?:not|n't))\s+"
    r"(?:buy|order|purchase|shop|place an order|sell|sold)"
    r"(?:\s+(?:anything|a thing|again|any more))?)"
    r"\s+(?P<second>(?:(?:in|during)\s+|(?=(?:last|this)\b))[^,?.!]+?)\s*(?=[,?.!]|$)"
)
#: "bought in both 2024 and 2025", "ordered in 2024 and again in 2025": a thing done in
#: each of two periods.
_IN_BOTH = re.compile(
    r"\b(?P<verb>bought|purchased|ordered|shopped|placed an order|placed orders)"
    r"(?:\s+(?:something|anything|from us))?\s+"
    r"(?:in\s+both\s+(?P<first>\d{4})\s+and\s+(?P<second>\d{4})"
    r"|in\s+(?P<first2>\d{4})\s+and\s+(?:also|again)\s+in\s+(?P<second2>\d{4}))\b"
)
#: "different" before the things a condition counts ("from 3 different categories").
_DISTINCT_WORD = re.compile(r"\s*(?:(?:different|distinct|unique|separate)\s+)?")
#: A word before a value that counts the things it names ("distinct Jeans products").
_DISTINCT_BEFORE = (["distinct"], ["different"], ["unique"])
#: Follow-up verdicts ``OfflinePlanner.answers`` keeps before it starts over.
_ANSWERS_KEPT = 256
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SQL = re.compile(r"^\s*(select|with)\b.+\bfrom\b", re.IGNORECASE | re.DOTALL)

_GRAINS: tuple[tuple[str, str], ...] = (
    (r"\b(day of (the )?week|weekdays?|by weekday|per weekday)\b", "weekday"),
    (r"\b(hour of (the )?day|hourly|by hour|per hour|each hour)\b", "hour"),
    (r"\b(daily|per day|by day|each day|day by day|every day|a day)\b", "day"),
    (r"\b(weekly|per week|by week|each week|week over week|wow|every week|a week)\b", "week"),
    (
        r"\b(monthly|per month|by month|each month|every month|month over month|mom|"
        r"month by month|months? on months?|a month|for every month)\b",
        "month",
    ),
    (r"\b(quarterly|per quarter|by quarter|each quarter|quarter over quarter|qoq)\b", "quarter"),
    (
        r"\b(yearly|annual|annually|per year|by year|each year|year over year|yoy|"
        r"every year|year by year|a year)\b",
        "year",
    ),
)
#: A period named last in a list of breakdowns ("by department and year").
_LISTED_GRAIN = re.compile(
    r"\bby\b[^,.?!]*?(?P<tail>\band (?P<grain>day|week|month|quarter|year))\b"
    r"(?!\s+(?:of|by|on)\b)"
)
#: Words that set a grain or a window; a slip in one of them must not drop the grain.
_TIME_WORDS = (
    "daily weekly monthly quarterly yearly annual annually day days week weeks month months "
    "quarter quarters year years".split()
)
#: Words the reading's patterns look for before the model's names are matched, so the
#: fuzzy matching of those names never sees them: two neighbouring letters swapped in
#: one ("chnage", "precent", "grwoth") would leave it unread. Keyed by sorted letters.
_SWAPPABLE = {
    "".join(sorted(word)): word
    for word in (
        "change growth between average median percent percentage running cumulative "
        "compared versus excluding including except without distinct breakdown retention "
        "conversion abandonment highest lowest largest smallest biggest fewest "
        # Four-letter question words whose swapped letters spell no other word.
        "many much what which"
    ).split()
}
#: The phrase pattern of each grain, to claim every phrase of the grain chosen.
_GRAIN_PATTERNS = {grain: pattern for pattern, grain in _GRAINS}
_GROWTH = re.compile(
    r"\b(growth|grew|grow|grown|change|changed|increase|decrease|over (month|year|week|quarter)|"
    r"mom|yoy|wow|qoq)\b"
)
#: A trend said with no grain over this many whole years or more is a yearly series.
_YEARS_TRENDED_BY_YEAR = 3
_TREND = re.compile(
    r"\b(over time|trend|trends|trending|trended|timeline|time series|history|evolution|evolve|"
    r"evolved|develop|developed)\b"
)
_SHARE = re.compile(
    r"(\bshare|\bshares|\bpercentage of|%\s*of|\bpercent of|\bfraction of|"
    r"\bproportion|\bcontribution|\bcontribute|\bsplit of|\bmix)\b"
)
#: "this year so far": the year to date (read before "this year" is).
_SO_FAR = re.compile(r"\bthis year so far\b|\bso far this year\b")
_SAME_PERIOD = re.compile(
    r"\b(?:the\s+)?same (?:period|dates?|time|stretch|days|span)(?: of)?"
    r"(?: last| a| the previous| the prior) "
    r"year(?: earlier| before| ago)?"
)
#: Amounts and averages are shown to 2 decimals: "to the cent", "rounded to 2 dp".
_TO_THE_CENT = re.compile(
    r",?\s*\(?\s*(?:rounded\s+|accurate\s+)?to\s+(?:the\s+)?(?:nearest\s+)?cents?\b\s*\)?"
    r"|,?\s*\(?\s*(?:(?:please\s+)?(?:rounded|round|rounding)\s+)?to\s+2\s+"
    r"(?:decimals?|decimal\s+places|dp|places)\b\s*\)?"
    r"|\(\s*2\s*(?:dp|decimals?|decimal\s+places)\s*\)"
)
#: Statistics that may be listed with the model's extremes ("youngest, oldest and mean").
_LISTED_STATISTIC = r"(?:min|minimum|max|maximum|average|avg|mean|median)"
#: A comparison shown as one row: "in one row", "a single row with both numbers".
_ONE_ROW = re.compile(
    r"\b(?:(?:in|as|on)\s+)?(?:1|a single)\s+row\b"
    r"(?:\s+with\s+both\b(?:\s+(?:numbers|counts|figures|values|totals|amounts))?)?"
)
#: "both signup counts", "both figures": the two periods' values (the word between, if
#: any, is read as usual).
_BOTH_SHOWN = re.compile(
    r"\b(both)\s+(?:[a-z]+\s+)?(numbers|counts|figures|values|totals|amounts|periods|years|"
    r"months|quarters|weeks)\b"
)
_COMPARE = re.compile(
    r"\b(vs\.?|versus|compared?|comparison|against|relative to|"
    r"than\s+(?:(?:in|during|for|over)\s+(?:the\s+)?20\d\d|(?:the\s+)?q[1-4])|"
    r"(?:the )?(?:quarter|month|year|week|period|\d+ days?) before|"
    r"(?:previous|prior|preceding) (?:period|\d+ days|\d+ weeks|\d+ months|quarter|month|year))\b"
)
_SIGNUP_TIME = re.compile(
    r"\b(signed up|sign(?:ed)? ?ups?|joined|registered|registrations?|registrants?|cohorts?)\b"
)
#: "users who have made a purchase", "have bought something": people who bought.
_BOUGHT = re.compile(
    r"\b(made an? purchase|(?:have|has|who|that) (?:ever )?(?:bought|purchased)|"
    r"bought something|bought anything)\b"
)
_SIGNUP_GRAIN = re.compile(
    r"\b(?:signed up|joined|registered)\s+(?:in|during|per|by)?\s*(?:each|every)\s+(month|year)\b"
)
_RATE_WORDS = re.compile(r"\b(percentage|percent|share|proportion|rate|fraction)\b|%")
#: "closed funnel": a session reaches a step only through the earlier ones, as every
#: funnel here does.
_FUNNEL = re.compile(
    r"\b((?:closed\s+)?funnel|drop ?off|step by step conversion|conversion steps)\b"
)
_TOP = re.compile(
    r"\b(top|best|highest|biggest|largest|leading|greatest|most|strongest)\s+(?P<n>\d+)\b"
)
_BOTTOM = re.compile(r"\b(bottom|worst|lowest|smallest|least|fewest|weakest)\s+(?P<n>\d+)\b")
#: "Each product's" naming columns of the products ranked before it.
_EACH_THINGS = re.compile(r"\beach (?P<thing>[a-z]+)'s\b")


def _each_ranked_said(text: str) -> str:
    """ "The 3 best-selling products ... show each product's name, brand and units": the
    columns of each thing ranked, not a ranking restarting in each of them."""
    for each in reversed(list(_EACH_THINGS.finditer(text))):
        thing = re.escape(each["thing"])
        ranked = rf"\b(?:top|bottom|\d+)\s+(?:[a-z-]+\s+){{0,3}}?{thing}s\b"
        if re.search(ranked, text[: each.start()]):
            text = f"{text[: each.start()]}the {each['thing']}'s{text[each.end() :]}"
    return text


#: Where a question's sentences and clauses meet: ". ", "? ", ": ", " - ".
_PART_END = re.compile(r"(?<=[.?!])\s+|:\s+|\s+[-\u2013\u2014]+\s+")
#: "each of the last 30 days", "the last 6 months, each": every period of the window;
#: "each traffic source in the last 30 days" is every source, over the whole window.
_EACH_PERIOD = re.compile(r"\b(?:each|every)\b(?!\s+(?!of\b)[a-z])")
#: "(January compared with Dec 2024)", "(Jan vs Dec 2024 and so on)": a remark that spells
#: out the first change of a series with its growth.
#: The first or last row of a table by its own date.
_ROW_RANK = r"(?P<rank>first|earliest|last|latest|most\s+recent|newest|oldest|very\s+first)"
#: "When was the first order placed?", "when did the latest user sign up": the verb, if
#: any, says the row's own moment (it was placed, made, created, signed up).
_WHEN_WAS = re.compile(
    rf"^\s*when\s+(?:was|were|did|is)\s+(?:the\s+|our\s+)?{_ROW_RANK}\s+(?P<what>[a-z]+)"
    r"(?P<rest>(?:\s+[\w,]+)*?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: The verbs of a row's own moment: it was placed, made, created, signed up.
_ROW_VERB = re.compile(
    r"\s+(?:placed|made|created|registered|recorded|signed\s+up|sign\s+up|joined|join|"
    r"come\s+in|came\s+in|happen|happened|occur|occurred)\b",
    re.IGNORECASE,
)
#: A remark that may hold SQL, with calls in it: "(decade = floor(age/10)*10)".
_SQL_REMARK = re.compile(r"\((?P<said>(?:[^()]|\([^()]*\))+)\)")


def _canonical_sql(sql: str) -> str:
    """SQL as compared with a remark that restates it: lower case, no spaces, no table
    names, no cast around the whole ("CAST(FLOOR(users.age / 10) * 10 AS INT64)" is
    "floor(age/10)*10")."""
    text = re.sub(r"\b[a-z_][a-z0-9_]*\.(?=[a-z_])", "", sql.lower())
    text = re.sub(r"\s+", "", text)
    whole = re.fullmatch(r"cast\((?P<inner>.+)as[a-z0-9]+\)", text)
    return whole["inner"] if whole else text


#: How many words' slips a planner remembers.
_SLIPS_KEPT = 4096
#: "(2025 = order items created in 2025)": the period said again as the rows' own dates.
_PERIOD_RESTATED = re.compile(
    r"\(\s*(?P<p>(?:q[1-4]\s+)?20\d\d)\s*(?:=|:|means|is)?\s*(?:[a-z]+\s+){1,4}?"
    r"(?:created|placed|made|dated|ordered|sold|bought)\s+(?:in|during)\s+(?P=p)\s*\)"
)
#: Words a remark may say around the period it restates ("(the last complete month in the
#: data)").
_PERIOD_FILLER = frozenset("data dataset calendar complete completed full whole period".split())
#: "lifetime revenue", "lifetime spend": over all of a customer's time.
_LIFETIME = re.compile(r"\blife[\s-]?time\b(?=\s+(?:revenue|spend|spending|sales|value|profit))",
                       re.IGNORECASE)  # fmt: skip
#: "For the weekly ops review - ...", "for the markets slide", "Need this for the
#: assortment deck": what the figures are for (``_purpose_cut``). A period in the name
#: ("For the 2024 review: ...") is left to the heading reader.
_PURPOSE = re.compile(
    r"\s*,?\s*\bfor\s+(?:the|our|my|a|an|this|next)\s+(?P<words>(?:(?![a-z]*\d|q[1-4]\b|"
    r"h[12]\b|fy\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\b|(?:january|"
    r"february|march|april|june|july|august|september|october|november|december)\b)"
    r"[a-z'&/-]+\s+){1,3}?)(?:pack|deck|meeting|slides?|review|update|memo|presentation|call|"
    r"sync|stand-?up|retro|readout|one-pager|offsite|huddle|briefing|catch-?up|check-?in|"
    r"all-hands|report|email)\b"
)
#: "(people who bought at least one item)", "(customer = bought at least one item)": what
#: makes someone a buyer, restated in a remark (or a sentence of its own at the end).
_BUYER_RULE = re.compile(
    r"(?:\(|(?<=[?.!])\s+)\s*(?:i\.?e\.?,?\s+)?"
    r"(?:(?:an?\s+)?(?:customers?|buyers?|clients?)\s*(?:=|:|means|is|are)\s*)?"
    r"(?:(?:people|ppl|folks|anyone|someone|users?|those|a\s+user|any\s+user|buyers?)\s+)?"
    r"(?:who\s+|that\s+|who've\s+)?(?:has\s+|have\s+|had\s+)?(?:ever\s+|actually\s+)?"
    r"(?:bought|purchased)\s+"
    r"(?:at\s+least\s+(?:one|1)|1\s+or\s+more|one\s+or\s+more|an?|any(?:thing)?|something)"
    r"(?:\s+(?:items?|things?|products?|articles?))?(?:\s+ever)?(?:\s*\)|\s*[.!]?\s*$)",
    re.IGNORECASE,
)
#: "delivery time in days": the unit a measure of time is counted in, said after it.
_SAID_UNIT = re.compile(r"\s+in\s+(?P<unit>days|hours|minutes)\b", re.IGNORECASE)
_SAID_RANK = {"first": "earliest", "very first": "earliest", "last": "latest"}
#: "What is the latest order date?", "earliest signup date in 2024".
_RANKED_DATE = re.compile(
    r"^\s*(?:what(?:'s|\s+is|\s+was)\s+)?(?:the\s+)?"
    r"(?P<rank>earliest|latest|most\s+recent|newest|oldest)\s+(?P<what>[a-z]+)\s+date"
    r"(?P<rest>(?:\s+[\w,]+)*?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_FIRST_CHANGE = re.compile(
    r"(?:\(\s*(?:with\s+)?|[,;:?.]\s*(?:with\s+|w/\s*)?|\s+(?:with|w/)\s+)(?P<later>[\w ]+?)\s+"
    r"(?:vs\.?|versus|"
    r"against|(?:compared|measured|set)\s+(?:with|to|against|w/))\s*"
    r"(?P<earlier>[\w' ]+?)(?:,?\s+(?:and\s+so\s+on|etc\.?))?(?:,?\s*please)?"
    r"(?:\s*\)|(?=\s*[?.!]|\s*$))",
    re.IGNORECASE,
)
#: The same remark said with no mark before it, as a quarter or month and the one before
#: it with its year ("... in 2025 q1 against q4 2024"), read on the normalized question.
_FIRST_CHANGE_BARE = re.compile(
    r"\s(?P<later>(?:q[1-4]|" + "|".join(MONTHS) + r")(?:\s+20\d\d)?)\s+(?:vs|versus|against|"
    r"(?:compared|measured|set)\s+(?:with|to|against))\s+"
    r"(?P<earlier>(?:q[1-4]|" + "|".join(MONTHS) + r")\s+20\d\d)(?=\s*[?.!,]|\s*$)"
)
#: A condition's number, then a word or two, then a plural ("more than 50 Jeans products").
_NUMBER_THEN_WORDS = re.compile(
    r"\b(?P<lead>(?:more|fewer|less)\s+than\s+\d+\s+|(?:at\s+least|at\s+most|over|under|"
    r"above|below)\s+\d+\s+)(?P<value>[a-z][\w'&-]*(?:\s+[a-z][\w'&-]*)?)\s+"
    r"(?P<noun>[a-z]+s)\b"
)
#: Measures asked to be shown with the answer, said last: "? Show the returned count and
#: the total line count with it.", ", with the order count and cancelled count for each".
#: The verbs of a request for figures: "Show ...", "Put ... beside each year".
_REQUEST_VERBS = r"(?:show|give|include|add|put|display|provide)"
_SHOWN_REMARK_TEXT = (
    r"(?:[?.;,\u2014-]\s*(?:and\s+)?(?:please\s+)?" + _REQUEST_VERBS + r"\s+(?:me\s+|us\s+)?"
    r"(?:also\s+)?(?:beside\s+it\s+|(?:for|in)\s+(?:each|every)\s+[a-z]+\s+)?"
    r"|[?.;\u2014-]\s*please\s+(?:also\s+)?(?:with\s+)?(?=the\b|with\b|also\b)"
    # "? female count + total orders beside the pct", ", each day's revenue beside the
    # rolling figure": figures said bare, then where they go
    r"|[?.;,]\s*(?=[a-z0-9 ,&'+#-]+?\s+(?:beside|next\s+to|alongside)\s+(?:it|them|the\s+"
    r"(?:[a-z]+\s+)?(?:%|pct|percent(?:age)?|share|rate|ratio|figure|total|average|avg))"
    r"\s*[.?!]*\s*$)"
    r"|,?\s*(?:\b(?:with|showing|plus|alongside)\s+|\bw/\s*)"
    r"|,\s*(?=both\b)"  # "rev H1 2025 vs H1 2024, both + % change"
    r"|\s+[-\u2014]\s+(?!(?:and\s+)?(?:please\s+)?" + _REQUEST_VERBS + r"\b)"
    r"(?:(?:(?:list|show)\s+(?:them|these|those|each)\s+)?(?:with|showing|plus|alongside)\s+|"
    r"w/\s*)?)"
    r"(?P<items>[a-z0-9 ,&'%+#()-]+?)"
    r"(?:\s+(?:with\s+it|alongside(?:\s+(?:it|them))?|(?:beside|next\s+to|alongside)\s+(?:it|them|"
    r"the\s+(?:[a-z]+\s+)?[a-z%]+|each(?:\s+[a-z]+)?)|with\s+the\s+(?:rate|percentage|share|"
    r"percent|%|ratio)|as\s+well|too|also|for\s+(?:each|both)(?:\s+[a-z]+)?|"
    r"behind\s+each(?:\s+[a-z%]+)?|in\s+each(?:\s+[a-z]+)?|shown|included|please|pls|"
    r"beside(?=\s*[.?!]*\s*$)))*"
    r"\s*(?=[.?!;{comma}]|$)"
)
#: The remark at the end of a sentence, or (tried after) of a clause: "..., with each
#: month's revenue beside the cumulative figure, in month order".
_SHOWN_REMARKS = tuple(
    re.compile(_SHOWN_REMARK_TEXT.replace("{comma}", comma), re.IGNORECASE) for comma in ("", ",")
)


def _whole_and_part(items: list[str]) -> list[str]:
    """ "the number of items and the number returned" (or "how many of them were
    returned"): the part said with the whole's noun once, and the whole, said beside its
    part, as the total."""
    # "how many of them were cancelled": the number cancelled
    items = [
        re.sub(
            r"^how\s+many\s+(?:of\s+(?:them|those|these)\s+)?(?:were|was|got|are|have\s+been)\s+"
            r"([a-z]+ed|sold)$",
            r"the number \1",
            i,
        )
        for i in items
    ]
    wholes = [re.fullmatch(r"(?:the\s+)?(?:total\s+)?number\s+of\s+([a-z]+)", i) for i in items]
    said = list(items)
    for at, item in enumerate(items):
        part = re.fullmatch(r"(?:the\s+)?number\s+([a-z]+ed|sold)", item)
        whole = next((w for w in reversed(wholes[:at]) if w is not None), None)
        if part is not None and whole is not None:
            said[at] = f"the number of {whole[1]} {part[1]}"
            said[wholes.index(whole)] = f"the total number of {whole[1]}"
    # "units, sold units and the rate": the noun said bare beside its part ("sold units")
    # is the whole the part is of
    parts = {
        found[2]
        for i in said
        if (found := re.fullmatch(r"(?:the\s+)?([a-z]+ed|sold)\s+([a-z]+)", i.lower()))
    }
    return [
        f"total {bare[1]}"
        if (bare := re.fullmatch(r"(?:the\s+)?([a-z]+)", i.lower())) and bare[1] in parts
        else i
        for i in said
    ]


def _each_remark(question: str) -> Iterator[re.Match[str]]:
    """Every remark of figures shown (``_SHOWN_REMARKS``), from each place one can start:
    "Brands with a sell-through rate under 30% - list them with ..." starts at the
    first "with" and at the dash."""
    for pattern in _SHOWN_REMARKS:
        at = 0
        while (remark := pattern.search(question, at)) is not None:
            yield remark
            at = remark.start() + 1


#: The count of one value said bare: "number cancelled", "# returned", "the cancelled
#: count", each followed by the end of a list item.
_VALUE_COUNTED = re.compile(
    r"(?:(?:(?P<lead>\b(?:the\s+)?)(?:number|count|no\.)\s+(?:of\s+)?|#\s*)(?P<value>[a-z]+)"
    r"|\b(?:the\s+)?(?P<counted>[a-z]+)\s+count)"
    r"(?=\s*(?:[,.;:)&+?!]|$|\b(?:and|with|beside|next|alongside|plus)\b))",
    re.IGNORECASE,
)
#: "items and returned", "show items + returned too": a value said bare last in a list,
#: right after a measure's word.
_VALUE_LAST = re.compile(
    r"\b(?P<measure>[a-z]+)(?P<sep>\s*[,+&]\s*|\s+and\s+)(?P<value>[a-z]+)"
    r"(?:\s+(?:too|as\s+well|also))?(?=\s*(?:[.?!;]|$))",
    re.IGNORECASE,
)
#: "with the cancelled orders": a value, then a measure's word.
_WITH_VALUE_NOUN = re.compile(
    r"\bwith\s+(?P<the>the\s+)?(?P<value>[a-z]+)\s+(?P<noun>[a-z]+)\b", re.IGNORECASE
)
#: A measure counted in whole days (``TIMESTAMP_DIFF(..., DAY)``), the unit said after
#: a condition's amount on it ("of more than 4 days"), and an average said before a
#: measure that is one already ("an average delivery time").
_IN_DAYS = re.compile(r",\s*DAY\s*\)")
_DAYS_AFTER = re.compile(r"\s+days?\b")
_AVERAGE_WORD = re.compile(r"(?:average|avg|mean)\s+")
#: Buckets of a width: "$50 buckets", "in 250 bins".
_WIDTH_BUCKETS = re.compile(r"\$?\d+\s+(?:buckets|bins)\b", re.IGNORECASE)
#: "w/" and "w/o" as typed: with, without.
_WITH_SHORT = re.compile(r"\bw/(o\b)?\s*", re.IGNORECASE)
#: Where a figure asked for goes: "... beside each year", "... next to every month".
_PLACED_BESIDE = re.compile(
    r"\s+(?:beside|next\s+to|alongside)\s+(?:each|every)\s+(?:year|quarter|month|week|day|one)$",
    re.IGNORECASE,
)
#: "&" between two words: "returned & rate".
_AMPERSAND = re.compile(r"\b(?P<a>[\w%']+)\s*&\s*(?P<b>[\w%#$']+)")
#: An arrow, as ``normalize`` reads it ("->", "=>", "\u2192").
_ARROW = re.compile(r"\s*(?:-+>|=+>|[\u2192\u27f6\u2794\u279d\u21d2])\s*")
#: A year or a month, as one end of a range of periods.
_PERIOD_END = re.compile(
    r"(?:19|20)\d\d|q[1-4]|h[12]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
)
#: Words that end an order's direction: "biggest -> smallest", "oldest -> newest".
_ORDER_ENDS = frozenset(
    "biggest smallest largest highest lowest most least oldest newest earliest latest "
    "best worst top bottom high low big small old new early late".split()
)
#: A statistic of one column, each thing's own value when taken one thing at a time.
_OWN_STATISTIC = re.compile(r"(?:AVG|MIN|MAX|MEDIAN)\(\s*[a-z_]+\.[a-z_]+\s*\)", re.IGNORECASE)
_TABLE_COLUMN = re.compile(r"\b([a-z_]+)\.[a-z_]+\b")
#: A participle before "by <measure>": the people who did it ("bought by customers ...").
_AGENT_BEFORE = re.compile(r"[a-z]+ed|made|bought|sold|spent|done|paid")
_ARTICLES = frozenset({"the", "a", "an", "each", "its", "their"})
#: The answer's columns listed in brackets: "[country, users, % of users]", or in
#: parentheses at the end ("(category, items, returned items, return rate %)").
_BRACKETED_COLUMNS = re.compile(r"\s*(?P<open>[\[(])(?P<items>[^\[\]()]*,[^\[\]()]*)[\])]")
#: "browser share of sessions in 2025": the share of the measure by the breakdown named first.
_BREAKDOWN_SHARE = re.compile(
    r"\b(?P<by>[a-z]+(?:\s+[a-z]+)?)\s+share\s+of\s+(?P<rest>[^?.;]+)", re.IGNORECASE
)
#: Words of a shown measure that name no measure: "the total line count", "their combined
#: revenue".
_SHOWN_FILLER = frozenset(
    "the a an count counts number numbers of total totals all overall its their our each "
    "that this combined summed joint grand whole figure figures own both".split()
)
#: The things of a share that meet its condition, named by it: "the number who've
#: ordered", "those who came back", "users with orders", "how many of them".
_CONDITION_PART = re.compile(
    r"\s*(?:the\s+)?(?:(?:number|count)\s+(?:of\s+)?)?(?:those|them|the\s+ones|[a-z]+s)?\s*"
    r"(?:who|who've|who\s+have|that|with)\b|\s*how\s+many\b",
    re.IGNORECASE,
)
#: Words of a comparison's change in percent ("the % change", "the growth %").
_PERCENT_CHANGE = frozenset({"percent", "percentage", "pct", "change", "growth"})
#: A request to show figures, said last: "? Give the shipped count too." (never a filter).
_SHOW_ASKED = re.compile(
    r"[?.;!]\s*(?:and\s+)?(?:please\s+)?(?:also\s+)?(?:show|give|include|add|list)\b[^?.;!]*[?.!]?\s*$",
    re.IGNORECASE,
)
#: Words of a condition's amount said again: "the within-5-days count", "# over 3 days".
_CONDITION_WORDS = frozenset(
    "within under over more than less fewer at most least or in day hour minute week".split()
)
#: Words for the period before, said of a value a series' change is from.
_EARLIER = frozenset({"previous", "prior", "preceding", "last"})
#: A count said as what a measure rests on (``_text.RESTS_ON``, ``_text.BEHIND_EACH``).
_RESTS_ON = re.compile(rf"\b{RESTS_ON}|\b{BEHIND_EACH}", re.IGNORECASE)
#: A period's word as the question may say it of its own value ("each month's revenue"
#: is read as "monthly revenue").
_PERIODICAL = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
               "year": "yearly"}  # fmt: skip
#: The columns a list of things asks for last: ": user id, spend", "? list their user id
#: and what they spent".
_SHOWN_COLUMNS = re.compile(
    r"(?:\s*:\s*|\s+[-\u2014]\s+|[?.]\s*(?:please\s+)?(?:list|show|give|include)\s+(?:me\s+|us\s+)?"
    r"(?:their|the)?\s*|\?\s*)"
    r"(?P<cols>[a-z0-9 ,&'+]+?)(?:\s*,?\s+(?:please|ranked|in\s+rank\s+order))*"
    r"(?P<tail>\s*[.?!]*\s*$|(?=\s+[-\u2014]\s)|,\s*(?=(?:so|for|as|because|thinking|biggest|"
    r"highest|largest|top|most|best|lowest|smallest|sorted|ordered)\b))",
    re.IGNORECASE,
)
#: The most words of one column asked for after a list ("lifetime spend", "user id").
_COLUMN_WORDS = 3
#: "what they spent", "how much they spent": their spend.
_SPENT_SAID = re.compile(r"\b(?:what|how\s+much)\s+(?:they|each)\s+(?:spent|spend)\b")
#: A share whose whole is said first: "Of all orders placed in 2025, what percentage had
#: 3 or more items?", "Among 2024 signups, what share ordered?".
_SHARE_OF_LEAD = re.compile(
    r"^\s*(?:(?:of|among|out\s+of)\s+(?P<whole>[^,?:;()]+?)\s*[,:]|(?P<head>[^,?:;()]+?)\s*:)\s*"
    r"(?P<ask>(?:what|which)\s+(?:%|percent(?:age)?|share|proportion|fraction))\s+"
    r"(?!of\b)(?P<rest>.+)$",
    re.IGNORECASE,
)
#: A remark in parentheses: "(returned items / all items)".
_FORMULA_REMARK = re.compile(r"\(\s*(?P<said>[^()]+?)\s*\)")
#: The same said last after a comma: "2025 profit, revenue minus cost of the items sold".
_FORMULA_TAIL = re.compile(
    r"\s*(?:,|;)\s*(?:i\.?e\.?,?\s+|that\s+is,?\s+|meaning\s+)?(?P<said>[^(),;?!]+?)\s*[.?!]*\s*$"
)
#: What says a remark is a measure's formula: "/", "as a % of", "divided by", "less".
_FORMULA = re.compile(
    r"/|\bas\s+an?\s+(?:%|percent(?:age)?|share|proportion|fraction)\s+of\b|%\s+of\b|"
    r"\bdivided\s+by\b|\bout\s+of\b|\bless\b|\bminus\b|\s[-\u2212]\s",
    re.IGNORECASE,
)
#: "(share of orders with status Returned)", "(% of orders that were returned)": a rate
#: said as the share of its whole that has its part's mark.
_SHARE_OF = re.compile(
    r"^\s*(?:the\s+)?(?:share|percentage|percent|proportion|fraction|%)\s+of\s+(?:all\s+)?"
    r"(?P<whole>[a-z]+(?:\s+[a-z]+)?)\s+(?:with|that|which|who)\s+"
    r"(?:(?:were|was|are|is|have\s+been|has\s+been|got)\s+)?(?P<mark>[a-z][a-z ]*?)\s*$",
    re.IGNORECASE,
)


def _share_as_formula(found: re.Match[str]) -> str:
    """ "share of orders with status Returned" as "orders with status Returned / all orders"."""
    return f"{found['mark']} {found['whole']} / all {found['whole']}"


#: Words of such a formula that name no measure.
_FORMULA_FILLER = frozenset(
    "a an the all every of whatever regardless status their its any total number count with "
    "distinct".split()
)
#: A heading's name for the report a question is for ("2024 review: ...", "Q3 recap -
#: ..."): it asks for nothing, while the period or place beside it does.
_REPORT_NAMES = frozenset(
    "review reviews recap recaps check checkin update readout snapshot deep dive retro "
    "retrospective debrief wrap roundup scorecard pulse digest briefing prep deck memo".split()
)
#: Words that restrict, order or add to an answer: a part saying one is never context.
_RESTRICTING = re.compile(
    r"\b(?:only|exclud\w*|except\w*|ignor\w*|skip\w*|without|not|no|never|don'?t|"
    r"but|filter\w*|limit\w*|remov\w*|drop\w*|leav\w*|minus|less|more|fewer|over|"
    r"under|above|below|least|most|top|bottom|first|last|per|each|every|by|sort\w*|"
    r"best|worst|highest|lowest|biggest|smallest|largest|greatest|fewest|"
    r"order\w*|rank\w*|show\w*|list\w*|includ\w*|plus|also|versus|vs|compar\w*|than)\b"
)


def _first_periods(planned: Plan) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(period, year) of a series' first period in its window and of the one before it:
    (1, 2025) and (12, 2024) for months of 2025; ``None`` for another window or grain."""
    window, grain = planned.time_window, planned.grain
    if window is None or grain not in {"month", "quarter", "year"}:
        return None
    if window.kind == "year":
        year, month = window.year, 1
    elif window.kind in {"year_range", "month_range"} and window.years:
        year, month = window.years[0], window.month if window.kind == "month_range" else 1
    else:
        return None
    if grain == "year":
        return (year, year), (year - 1, year - 1)
    if grain == "quarter":
        if (month - 1) % 3:
            return None
        quarter = (month - 1) // 3 + 1
        return (quarter, year), ((quarter - 2) % 4 + 1, year if quarter > 1 else year - 1)
    return (month, year), ((month - 2) % 12 + 1, year if month > 1 else year - 1)


def _period_said(text: str, grain: str) -> tuple[int, int] | None:
    """(period, year or 0) of "January", "Dec 2024", "Q4 2024" or "2019" said of a series
    by ``grain``; ``None`` for anything else."""
    words = tokens(normalize(re.sub(r"'(\d\d)\b", r"20\1", text)))  # "Q4 '24"
    if grain == "year":
        return (int(words[0]), int(words[0])) if len(words) == 1 and words[0].isdigit() else None
    if not 1 <= len(words) <= 2 or (len(words) == 2 and not re.fullmatch(r"\d{4}", words[1])):
        return None
    year = int(words[1]) if len(words) == 2 else 0
    if grain == "quarter":
        found = re.fullmatch(r"q([1-4])", words[0])
        return (int(found[1]), year) if found else None
    month = MONTHS.get(words[0])
    return (month, year) if month else None


#: Who may hold a view on the figures in a remark beside a question: the asker, their
#: colleagues, the customers ("I think", "my boss thinks", "people keep calling").
_HOLDER = (
    r"(?:i|we|i'm|we're|i've|we've|i'd|(?:my|our)\s+(?:boss|manager|team|lead|director|"
    r"colleagues?)|the\s+(?:[a-z]+\s+){0,2}(?:team|folks|people)|people|folks|customers|"
    r"everyone|someone|they|they're|those|these|it|it's|that|that's)"
)
#: What a remark's holder does, where the remark says what they believe, feel or want to
#: see in the figures, not which figures to give ("I think it's a lot", "I'm wondering
#: if one side sends back way more", "people keep calling about those").
_VIEW = (
    r"(?:think|thinks|thought|feel|feels|feeling|hunch|guess|guessing|suspect|suspects|"
    r"believe|believes|bet|hope|hoping|wonder|wondering|curious|worried|afraid|"
    r"sure|unsure|keep|keeps|say|says|complain|complaining|seem|seems|tend|tends|"
    r"(?:have\s+)?no\s+(?:idea|clue)|don't\s+know|forget|forgetting|"
    r"have\s+to\s+be|must\s+be|trying|"
    r"(?:want|wanted|need)\s+to\s+(?:see|know|show|check|catch|understand|get\s+a\s+feel))"
)
#: A remark that says a view of the figures (``_HOLDER`` doing ``_VIEW``, at most four
#: words between: "I have a feeling", "the team covering that market says"), from its
#: start.
_HELD_VIEW = rf"{_HOLDER}\s+(?:[a-z']+\s+){{0,4}}?{_VIEW}\b"
_COMMENTARY = re.compile(
    rf"^\W*(?:(?:and|but|so|honestly|frankly|ok|okay)\W+)*(?:{_HELD_VIEW}|(?:just\s+)?(?:trying|"
    rf"hoping|looking|wanting)\s+to\b|(?:just\s+)?want\s+to\s+(?:see|know|catch|check|"
    rf"understand)\b)",
    re.IGNORECASE,
)
#: Words that pass on a request in a view ("my boss says to leave out the returns", "I
#: think we should only count Jeans"): such a part is no view, and is read as any other.
_RELAYED = re.compile(
    r"\b(?:only|exclud\w*|except\w*|ignor\w*|skip\w*|without|filter\w*|limit\w*|remov\w*|"
    r"drop\w*|leav\w*|includ\w*|count|counts|counted|counting|show\w*|list\w*|rank\w*|sort\w*|"
    r"should|must|"
    r"ought|use|using|add\w*|subtract\w*|minus|plus)\b",
    re.IGNORECASE,
)
#: A remark of a view before the question, up to its comma ("I think Jeans get sent
#: back a lot, how many ..."), or after it, from its comma ("..., I'm guessing ...").
_COMMENTARY_LEAD = re.compile(rf"\s*{_HELD_VIEW}[^,()?.:]{{0,80}},\s+", re.IGNORECASE)
_COMMENTARY_TAIL = re.compile(rf",\s+(?={_HELD_VIEW})", re.IGNORECASE)


def _context_splits(question: str) -> list[tuple[str, str]]:
    """(a part that may only be context, the rest) for each place the question's
    sentences or clauses meet outside parentheses: the part before it, then the part
    after it."""
    splits: list[tuple[str, str]] = []
    for end in _PART_END.finditer(question):
        before, after = question[: end.start()], question[end.end() :]
        if before.count("(") != before.count(")") or not before.strip() or not after.strip():
            continue
        splits.append((before, after))
        splits.append((after, before))
    for pattern in (_PURPOSE_LEAD, _REASON_LEAD, _COMMENTARY_LEAD, _KNOW_LEAD):
        lead = pattern.match(question)
        if lead is not None and question[lead.end() :].strip():
            splits.append((lead[0], question[lead.end() :]))  # "For the markets slide, ..."
    for tail in (*_PURPOSE_TAIL.finditer(question), *_COMMENTARY_TAIL.finditer(question)):
        before = question[: tail.start()]
        if before.count("(") == before.count(")") and before.strip():
            splits.append((question[tail.end() :], before))  # "..., so the teams can ..."
    return splits


#: A clause before the question that may say only what it is for: "For the markets
#: slide, ...", "For audience sizing, ...".
_PURPOSE_LEAD = re.compile(r"\s*for\s+[^,()?.]{1,60}?,\s+", re.IGNORECASE)
#: A reason before the question, joined by "so": "The board always opens with volume,
#: so how many orders ...".
_REASON_LEAD = re.compile(
    r"\s*[^,()?.]{1,80}?,\s+so\s+(?=(?:how|what|which|who|when|where|can|could|please|give|"
    r"show|compare|list|break|rank)\b)",
    re.IGNORECASE,
)
#: Why the asker wants to know, before the question: "Just so I know who we're dealing
#: with, ...".
_KNOW_LEAD = re.compile(
    r"\s*(?:just\s+)?so\s+(?:i|we)\s+(?:know|can|understand|have)\b[^,()?.]{0,60},\s+",
    re.IGNORECASE,
)
#: A clause after the question that may say only why it is asked: "..., so the local
#: teams can send thank-you notes", "..., thinking VIP invites".
_PURPOSE_TAIL = re.compile(r",\s+(?=(?:so|thinking|because|since)\s)", re.IGNORECASE)


#: An amount of things with a word after them: "2 or more orders returned".
_COUNT_THEN_WORD = re.compile(
    r"\b(?P<amount>(?:at least|more than|fewer than|less than|over|under)\s+\d+|"
    r"\d+\s+or\s+(?:more|fewer|less))\s+(?P<things>[a-z]+)\s+(?P<word>[a-z]+)\b"
)
#: "By how many ..." left once the breakdowns by a number of things are read.
_BY_HOW_MANY_LEFT = re.compile(r"\bby how (?:many|much)\b")
#: "Best" and "worst" as a direction; "best-selling" and "best sellers" rank what sells.
_BEST_WORST = re.compile(r"\b(?:best|worst)\b(?![-\s]*sell)", re.IGNORECASE)
#: "top category by revenue", "the best brand in terms of sales": one thing, ranked.
#: Words that rank what they stand before ("the best customer", "top customers").
_SUPERLATIVE_BEFORE_THINGS = frozenset({"top", "best", "leading", "bottom", "worst"})
_TOP_ONE = re.compile(
    r"\b(?P<sup>top|best|leading|bottom|worst)\s+(?P<thing>[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?=by\b|in\s+terms\s+of\b)"
)
_TOP_AFTER = re.compile(
    r"\b(?P<n>\d+)\s+(top|best|highest|biggest|largest|leading|greatest|most|strongest)\b"
)
_BOTTOM_AFTER = re.compile(r"\b(?P<n>\d+)\s+(bottom|worst|lowest|smallest|least|fewest|weakest)\b")
_WHICH_N = re.compile(r"\b(which|what|name|list|show)\s+(the\s+)?(?P<n>\d+)\b")
#: "the 3 brands with the most revenue", "its 2 categories with the highest sales", "the 5
#: states of Brasil which have the most users", "5 brands with most products".
_N_WITH_MOST = re.compile(
    r"(?:\b(?:the|its|their)\s+|^)(?P<n>\d{1,3})(?=\s+(?:[a-z&'-]+\s+){1,5}?"
    r"(?:with|having|(?:which|that)\s+(?:have|has|had|made|sold|got|generated|brought))\s+"
    r"(?:the\s+)?(?P<dir>most|highest|biggest|largest|greatest|best|fewest|lowest|least|smallest|worst)\b)"
)
_GRAIN_PICK = re.compile(
    r"\b(which|what|highest|best|top|peak|busiest|biggest|largest|strongest|lowest|worst|"
    r"weakest|slowest|quietest)\s+(?:\w+\s+){0,2}?"
    r"(?P<grain>day of (?:the )?week|weekday|hour of (?:the )?day|hour|day|week|month|quarter|"
    r"year)s?\b"
)

#: "the month with the most orders", "the day that had the lowest revenue".
_GRAIN_WITH = re.compile(
    r"\bthe\s+(?P<grain>day of (?:the )?week|weekday|hour of (?:the )?day|hour|day|week|month|"
    r"quarter|year)\s+(?:(?:of|in)\s+)?(?:with|that had|that saw|which had|having)\b"
    r"(?=\s+(?:the\s+)?(?:most|"
    r"highest|biggest|largest|best|greatest|fewest|least|lowest|smallest|worst)\b)"
)


def _picked_grain(pick: re.Match[str]) -> str:
    """The grain a pick names: "which day of the week" is a weekday, "peak hour" an hour."""
    word = pick["grain"]
    if word.startswith(("weekday", "day of")):
        return "weekday"
    return "hour" if word.startswith("hour") else word


_WHICH = re.compile(r"\b(which|what)\s+(\w+(?:\s\w+)?)\b")
#: "brand with the biggest revenue increase", "the category that had the most orders":
#: one thing asked, as "which brand ..." asks (the second group is the thing).
_ONE_WITH = re.compile(
    r"^()(?:the\s+|our\s+)?([a-z]+(?:\s[a-z]+)?)\s+"
    r"(?:with|that\s+(?:has|had)|which\s+(?:has|had)|having)\s+(?:the\s+)?"
    r"(?:most|highest|biggest|largest|best|top|greatest|lowest|least|smallest|worst|fewest)\b"
)
_MOST = re.compile(
    r"\b(most|more|highest|higher|biggest|largest|best|top|maximum|max|greatest|leading|"
    r"strongest|busiest)\b"
)
#: "how many more signups ... than in 2024": a difference asked, not a ranking.
_HOW_MANY_MORE = re.compile(r"\bhow (?:many|much) (?:more|fewer|less)\b")


def _ranks(text: str) -> bool:
    """Whether ``text`` has a word of ranking ("most", "lowest")."""
    return bool(_MOST.search(text) or _LEAST.search(text))


_LEAST = re.compile(
    r"\b(least|less|lowest|lower|smallest|worst|fewest|fewer|minimum|min|bottom|weakest|"
    r"quietest)\b"
)


def _direction(text: str) -> str:
    """ "asc" when the question asks for the least and not the most, else "desc"."""
    return "asc" if _LEAST.search(text) and not _MOST.search(text) else "desc"


#: Periods a series is broken down by, named in "busiest hour first".
_PERIODS = frozenset({"hour", "day", "weekday", "week", "month", "quarter", "year"})
#: "most customers first": an order by the measure named.
_MEASURE_FIRST = re.compile(
    r"\b(?P<sup>highest|lowest|most|fewest|largest|smallest|biggest|busiest|quietest)\s+"
    r"(?P<what>(?!first\b)[a-z]+(?:\s+(?!first\b)[a-z]+)?)\s+first\b"
)
#: "most expensive first", "cheapest brand first": an order by a price or a cost, read
#: as "highest first" or "lowest first" when the measure is one (``_check_price_order``).
_PRICE_FIRST = re.compile(
    r"\b(?P<sup>most expensive|priciest|costliest|least expensive|cheapest)"
    r"(?=(?:\s+[a-z]+)?\s+first\b)",
    re.IGNORECASE,
)
#: "(by ship date)", "(by inventory created date)": the date a time window is on.
_BY_MOMENT_DATE = re.compile(
    r"\s*\(\s*(?:by|on|using)\s+(?:the\s+)?(?:\w+\s+)?(?P<word>\w+)\s+(?:date|time|timestamp)\s*\)"
)
#: The same said of a period: "(day the order was placed)", "(month it shipped)".
_PERIOD_OF_MOMENT = re.compile(
    r"\s*\(\s*(?:the\s+)?(?:hour|day|weekday|week|month|quarter|year)\s+(?:that\s+|when\s+)?"
    r"(?:(?:the|an?|each|its|their)\s+\w+\s+(?:was|were|got|is)|(?:it|they)(?:\s+(?:was|were|got))?)"
    r"\s+(?P<word>\w+)\s*\)"
)
#: "oldest first", "earliest year first", "oldest to newest": time order asked for, which
#: a series has anyway (cut in ``_CHRONOLOGICAL``) and only a series can give
#: (``_check_time_order``).
_OLDEST_FIRST_TEXT = (
    r"(?:(?:oldest|earliest)\s+(?:\w+\s+)?first|(?:oldest|earliest)\s+to\s+(?:newest|latest))"
)
_OLDEST_FIRST = re.compile(rf"\b{_OLDEST_FIRST_TEXT}\b", re.IGNORECASE)
#: The order a ranking's rows are shown in ("top 5 brands by revenue, smallest first"):
#: ascending or descending words, each with an optional noun before "first".
_SHOWN_ORDER = {
    "asc": re.compile(
        r"\b(?:(?:lowest|smallest|least|fewest|worst|bottom|cheapest|least expensive)"
        r"(?:\s+[a-z]+)?\s+first|(?:in\s+)?ascending(?:\s+order)?|low(?:est)?\s+to\s+high(?:est)?|"
        r"smallest\s+to\s+(?:largest|biggest))\b",
        re.IGNORECASE,
    ),
    "desc": re.compile(
        r"\b(?:(?:highest|largest|biggest|most|best|top|priciest|costliest|most expensive)"
        r"(?:\s+[a-z]+)?\s+first|(?:in\s+)?descending(?:\s+order)?|high(?:est)?\s+to\s+low(?:est)?|"
        r"(?:largest|biggest)\s+to\s+smallest)\b",
        re.IGNORECASE,
    ),
}
#: A measure's name or label that says it is a price or a cost.
_PRICE_WORDS = re.compile(r"(?:\b|_)(?:price|cost)s?(?:\b|_)", re.IGNORECASE)
#: A list of columns ending the question ("...: user id, country and revenue", "Show
#: order id, user id and order value").
_COLUMN_LIST = re.compile(
    r"(?:(?:[:;?.]|\s-)\s*|\s(?=(?:show|showing|give\s+me)\s))"
    r"(?:(?:show|showing|with|give(?:\s+me)?|include|including|list|i\s+need)\s+)?"
    r"(?P<list>[a-z][a-z'_ ]*(?:,\s*[a-z][a-z'_ ]*)*(?:,?\s+(?:and|&)\s+|,\s*)[a-z][a-z'_ ]*?)"
    r"(?:\s+(?:too|as\s+well|also))?\s*[.?!]?\s*$"  # "... name and brand too"
)
#: "Top 10 customers by spend with their country (and age)", "... with brand and
#: category": the things' own columns, one or more, after "with (their)".
_THEIR_COLUMNS = re.compile(
    r"[,\s]\s*(?:along\s+)?with\s+(?:(?:their|its|his\s+or\s+her|the)\s+)?"
    r"(?P<list>[a-z][a-z' ]*(?:(?:,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)[a-z][a-z' ]*)*?)"
    r"\s*[.?!]?\s*$"
)
#: An order said at the end, after the columns listed ("..., biggest spender first").
_ORDER_TAIL = re.compile(
    r"(?:\s*[,;]\s*(?:sorted|ordered|ranked)\s+by\s+(?P<key>[a-z]+(?:\s+[a-z]+)?))?"
    r"(?:\s*[,;]\s*(?:(?:highest|lowest|largest|smallest|biggest|most|least|best|worst|top|"
    r"bottom)(?:\s+[a-z]+)?\s+first|(?:in\s+)?(?:descending|ascending)\s+order))?\s*[.?!]?\s*$"
)
_DESCENDING = frozenset("highest largest biggest most best top".split())
#: Words around a listed column that name nothing ("the buyer's country", "their").
_ITEM_FILLER = frozenset(
    "the their its his her buyer's buyers customer's of total lifetime".split()
)
#: "how much they spent": the money measure, restated.
_SPENT = re.compile(
    r"how much (?:they|it|he|she) (?:spent|brought in|generated|made)"
    r"|(?:(?:the\s+)?(?:total|amount)\s+)?spent"  # "user id, country and total spent"
)
#: A value in quotes, as a query would write it ("status = 'Complete'").
_QUOTED = re.compile(r"(?<![\w'])'([^'\n]{1,60}?)'(?![\w'])|\"([^\"\n]{1,60}?)\"")
#: "Include product id and name": the columns a keyed breakdown shows anyway.
_KEY_COLUMNS = re.compile(
    r"[,.;:?-]?\s*\b(?:include|including|show|showing|with|give(?:\s+me)?|and|plus)\s+"
    r"(?:the\s+|its\s+|their\s+|each\s+)?(?P<owner>[a-z]+)(?:'s)?\s+ids?\s*(?:and|&|,|\+)\s*"
    r"(?:the\s+|its\s+|their\s+)?(?:(?P=owner)\s+)?names?\b(?=\s*(?:[?.,;!]|$))"
)
#: "inventory items are still unsold": a word said of rows at the end of a clause.
_PREDICATE = re.compile(
    r"\b(?P<rows>[a-z]+(?:\s+[a-z]+){0,2}?)\s+(?:are|is|were|was)\s+"
    r"(?:still\s+|currently\s+|now\s+|yet\s+)?(?P<word>[a-z]+)"
    r"(?:\s+(?:right\s+now|at\s+the\s+moment|as\s+of\s+now|at\s+present))?(?=\s*(?:[?.,;!]|$))"
)
#: A statistic of a number of each row (``stddev:sale_price``), not of a measure.
_NUMBER_STAT = re.compile(r"^(?:avg|min|max|median|stddev|p\d{1,2}):\w+$")
#: "How much did they bring in": an amount of money earned.
_HOW_MUCH_EARNED = re.compile(
    r"\bhow much\b.*\b(?:bring in|brought in|bringing in|generate|generated|earn|earned|"
    r"make|made|rake in|raked in)\b"
)
#: "by dc (product's dc)", "by country (customer country)": a breakdown restated with
#: whose it is.
_RESTATED = re.compile(
    r"\b(?P<what>[\w-]+)\s*\(\s*(?:the\s+|its\s+|their\s+)?(?P<whose>\w+?)(?:'s|s')?\s+"
    r"(?P=what)\s*\)",
    re.IGNORECASE,
)
#: "(product's DC)": whose a breakdown is, said in a remark (``_without_owner_remark``).
_OWNER_REMARK = re.compile(
    r"\s*\(\s*(?:the\s+|each\s+|its\s+|their\s+)?(?P<whose>[a-z]+)(?:'s|s')\s+"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?)\s*\)",
    re.IGNORECASE,
)
#: A table as a remark names it (a table, or two joined: "... join ...").
_TABLE = r"(?P<table>[a-z]\w*(?:\s+\w+){0,2}?(?:\s+join\s+[a-z]\w*(?:\s+\w+){0,2}?)?)"
#: Remarks that name the table a question reads, each with what is kept of it and the
#: text it needs: "(products)", "(order items table)", "(from the users table)" are
#: cut; "(orders table, any status)" keeps "(any status)", "events table: ..." "events:".
_TABLE_REMARKS = [
    (re.compile(pattern, re.IGNORECASE), keep, needs)
    for pattern, keep, needs in (
        (
            rf"\s*\(\s*(?:(?:from|in|on|of|over)\s+)?(?:the\s+|all\s+)?{_TABLE}"
            r"(?:\s+(?:table|rows))?\s*\)",
            "",
            "(",
        ),
        (rf"\(\s*(?:the\s+)?{_TABLE}\s+table\s*[,;]\s*", "(", "table"),
        (rf",\s*(?:the\s+|whole\s+)*{_TABLE}\s+table\s*(?=[?.!]?\s*$)", "", "table"),
        (rf"\s+(?:in|from|on|of)\s+(?:the\s+|whole\s+)*{_TABLE}\s+table\b", "", "table"),
        (rf"^\s*(?:the\s+)?{_TABLE}\s+table\s*(?=:)", r"\g<table>", "table"),
    )
]
#: A remark in brackets, or after a colon at the end: "(more than one order)",
#: ": % of customers with more than 1 order" (a dash is a space once normalised).
_REMARK = re.compile(
    r"\s*\(\s*(?P<inner>[^()]{3,80}?)\s*\)|\s*:\s+(?P<tail>[^():]{3,80}?)\s*[?.!]*\s*$"
)


@functools.lru_cache(maxsize=8)
def _people_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words for a table's people (``reader.people_of``), and them between a lead
    and a place ("from website visitors in Texas")."""
    said = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    people = rf"\b(?:{said})s?\b\s*"
    return (
        re.compile(people, re.IGNORECASE),
        re.compile(f"{_PEOPLE_LEAD}{people}{_PLACE_AFTER}", re.IGNORECASE),
    )


def _said_again_cut(text: str) -> str:
    """``text`` without a remark that says again words said before it ("what % of
    customers have more than 1 order (more than 1 order)"), or without four words or
    more said again at its end ("repeat customer rate by channel - % of customers with
    more than 1 order" once the rate is read as those words): the words restate, they
    ask nothing more."""
    if "(" in text or ":" in text:
        for remark in reversed(list(_REMARK.finditer(text))):
            said = _WORD.findall(remark["inner"] or remark["tail"])
            if _has_words(_WORD.findall(text[: remark.start()]), said):
                text = text[: remark.start()] + text[remark.end() :]
    found = list(_WORD.finditer(text))
    words = [m.group(0) for m in found]
    for size in range(len(words) // 2, 3, -1):  # four words or more, said again at the end
        if _has_words(words[:-size], words[-size:]) and not _COMPARED_WITH.search(
            text[: found[-size].start()]
        ):
            return text[: found[-size].start()].rstrip(" ,;:-")
    return text


#: Words that set what follows against what was said before ("... above the overall
#: average sale price of items sold"): said again there, the words are the other side.
_COMPARED_WITH = re.compile(
    r"\b(?:overall|above|below|than|vs\.?|versus|against|global|company[- ]wide)\s+(?:the\s+)?$"
)


#: A word of normalised text, without the punctuation around it.
_WORD = re.compile(r"[^\s?.!,:;()]+")


def _has_words(words: Sequence[str], run: Sequence[str]) -> bool:
    """Whether ``run`` stands in ``words`` as whole words, in a row."""
    size = len(run)
    return size > 0 and any(
        list(words[i : i + size]) == list(run) for i in range(len(words) - size + 1)
    )


#: "FY25", "fiscal year 2025", "calendar 2024", "CY2025": a year named by its kind.
_YEAR_NAMED = re.compile(
    r"\b(?P<kind>fy|fiscal(?:\s+year)?|cy|calendar(?:\s+year)?)\s*[-']?\s*"
    r"(?P<year>20\d\d|\d\d)\b",
    re.IGNORECASE,
)
#: The label of a median or a percentile measure ("Median days ...", "90th percentile of").
_PERCENTILE_LABEL = re.compile(r"(?:median|\d{1,2}(?:st|nd|rd|th) percentile)\b", re.IGNORECASE)
#: "- how many of each?", "how much in each": the values of a breakdown asked again.
_OF_EACH = re.compile(r"\bhow (?:many|much) (?:of|in|for) each\b(?=\s*[?.!]*\s*$)")
#: "- what % does each bring in?": the share of each row, asked again.
_EACH_SHARE = re.compile(
    r"\bwhat (?:%|percent(?:age)?|share|portion|part) (?:does|do|did) each(?: one| of them)? "
    r"(?:bring in|bring|brings|contribute|account for|make up|represent|generate|get|have)\b"
)
#: Words after the people of a place, before the place ("visitors in Texas", "visitors
#: from the city of Tokyo", "visitors based in Ohio", "the visitors of Paris").
_PLACE_AFTER = r"(?=(?:in|from|based|located|living|residing)\b|of\s+(?:the\s+)?(?-i:[A-Z]))"
#: A place's name right before the people of it ("from London visitors", "for Sao Paulo
#: visitors"): a capitalized word after a lead.
_PLACE_BEFORE = re.compile(r"\b(?:from|for|among|of|by|in)\s+(?:[A-Z][\w'.-]*\s+){1,3}$")
#: Words before the people of a place that only lead to them ("sessions from visitors in
#: Texas": the sessions in Texas).
_PEOPLE_LEAD = r"(?:\b(?:for|from|among|amongst|of|by)\s+)?(?:\b(?:our|the|all)\s+)?"
#: "users who bought", "customers that have purchased", "people who made a purchase":
#: the buyers (not when the verb is followed by what or how much they bought).
_PEOPLE_WHO_BOUGHT = re.compile(
    r"\b(?:users?|customers?|people|shoppers?|members?)\s+(?:who|that)\s+"
    r"(?:(?:have|had|ever|actually|already)\s+)*"
    r"(?P<verb>bought|purchased|made\s+(?:a\s+)?purchases?|shopped)"
    r"(?:\s+(?:something|anything|from\s+us))?\b"
    r"(?!\s+(?:at\s+least|at\s+most|more|fewer|less|over|under|exactly|only|no|any|a|an|"
    r"one|two|three|\d|in\s+(?:every|each|all|both)|from\b|with\b))",
    re.IGNORECASE,
)
#: Words that date people by their signup (a cohort word alone does not).
_SIGNUP_WORDS = re.compile(
    r"\b(?:signed up|sign(?:ed)? ?ups?|joined|registered|registrations?|registrants?)\b"
)
#: "how many signed up last year and how many of those bought": two counts, the second
#: of the first one's rows.
_OF_THOSE_CHAINED = re.compile(
    r"\bhow many\b.*\b(?:and|,)\s+(?:then\s+)?how many of (?:those|them|these|that group)\b"
)
#: Words that ask for a number of things ("how many products ...").
_COUNT_ASKED = re.compile(r"\b(?:how many|number of|count of)\b")
#: A measure that is an average of a number (``AVG(...)``).
_AVERAGE = re.compile(r"^\s*AVG\(", re.IGNORECASE)
#: A count of every row it is over (``COUNT(x)``, ``COUNT(DISTINCT x)``), not of some by
#: a condition of its own (``COUNTIF(...)``).
_PLAIN_COUNT = re.compile(r"^\s*COUNT\(\s*(?:DISTINCT\s+)?[\w.]+\s*\)\s*$", re.IGNORECASE)
#: "(all time, all orders)": two remarks in one pair of parentheses, each read alone.
_TWO_REMARKS = re.compile(
    r"\(\s*((?:all|any|every)\s+[a-z]+(?:\s+[a-z]+)?)\s*[,;]\s*(?:and\s+)?"
    r"((?:all|any|every)\s+[a-z]+(?:\s+[a-z]+)?)\s*\)",
    re.IGNORECASE,
)
#: "- label the rows 'first' and 'repeat'", "(use the labels 'first'/'repeat')": names
#: asked for the rows of a breakdown.
_LABELS = re.compile(
    r"[\s,;.(-]*\b(?:(?:please\s+)?(?:use|with)\s+(?:the\s+)?labels?|label(?:l?ed|l?ing|s)?"
    r"(?:\s+(?:the|its|their)\s+(?:rows|buckets|bands|groups|values))?(?:\s+(?:as|them))?|"
    r"(?:rows|buckets|bands)\s+label(?:l?ed)\s*(?:as)?)\s*:?\s*"
    r"['\"][^'\"]+['\"](?:\s*(?:,|/|and|or|&)\s*(?:and\s+)?['\"][^'\"]+['\"])*\s*\)?[.!]?",
    re.IGNORECASE,
)
#: Words that only restate the order of a ranking ("rank them", "highest first").
_ORDERED = re.compile(
    r"\b(?:rank(?:ed)?(?: them)?|sort(?:ed)?(?: them)?|(?:in )?(?:descending|ascending)(?: order)?|"
    r"(?:highest|lowest|largest|smallest|biggest|most|least|fewest|best|worst|top|bottom|busiest|"
    r"quietest)(?: spenders?| sellers?| earners?)? first)\b"
)
#: A display order said after the rows, by a measure: "..., biggest spenders first",
#: "sorted by stock value, highest first", "in descending order of revenue".
_HIGH_WORDS = r"highest|largest|biggest|most|top|greatest"
_LOW_WORDS = r"lowest|smallest|least|fewest"
_DISPLAY_ORDER = re.compile(
    r"[\s,;:.?!-]*\b(?:(?:please\s+|and\s+)?(?:sort|sorted|order|ordered|rank|ranked|list|listed)"
    r"(?:\s+(?:them|it|these|those|the\s+(?:list|results?|rows)))?\s+by\s+"
    r"(?P<by>(?:(?!in\b|from\b)[a-z$%']+\s*?){1,3}?)(?=\s*(?:[,;.?!)-]|$|\s(?:in\s+)?(?:"
    r"descending|ascending|from|" + _HIGH_WORDS + "|" + _LOW_WORDS + r")\b)))?"
    r"[\s,;:-]*(?:(?:from\s+)?(?P<sup>" + _HIGH_WORDS + "|" + _LOW_WORDS + r")"
    r"(?:\s+(?P<what>(?!first\b)[a-z]+(?:\s+(?!first\b)[a-z]+)?))?\s+(?:first|on\s+top)\b|"
    r"(?:in\s+)?(?P<dir>descending|ascending|desc|asc)(?:\s+order)?"
    r"(?:\s+(?:of|by)\s+(?P<of>(?:(?!in\b)[a-z$%']+\s*?){1,3}?)(?=\s*(?:[,;.?!)]|$)))?)",
    re.IGNORECASE,
)
#: The group a figure is said of at its end ("all items of each country", "the orders per
#: country"): the rows of a breakdown, each one's own.
_EACH_OWNER = re.compile(r"\s+(?:of|for|in|per|by)\s+(?:each|every|the)?\s*(?P<words>[a-z]+)\s*$")
#: "(any status)", "of every status" said of the rows a figure counts.
_ANY_STATUS = re.compile(
    r"\(?\s*\b(?:of\s+|in\s+)?(?:any|every|all)\s+status(?:es)?\b\s*\)?", re.IGNORECASE
)
#: A question followed by the request that answers it: "Do men or women spend more per
#: order? Could you give me 2025 AOV split by customer gender?" (``_without_lead_question``).
_LEAD_QUESTION = re.compile(
    r"^\s*(?P<lead>(?:do|does|did|is|are|was|were|which|who|what|how|where|has|have)\b"
    r"[^?.!]{3,160}\?)\s+(?P<ask>(?:(?:could|can|would|will)\s+you\s+(?:please\s+)?|"
    r"please\s+|i(?:'d|\s+would)\s+like\s+(?:to\s+see\s+)?|i\s+need\s+)?"
    r"(?:give|show|get|pull|send|list)\b.+)$",
    re.IGNORECASE | re.DOTALL,
)
#: Punctuation that parts a question; a dictated one has none (``_as_said_aloud``).
_PUNCTUATED = re.compile(r"[?.,;:!()\-\u2013\u2014]")
#: Where a request starts in a dictated question: "... show the item count ...",
#: "... and give me the total orders ...".
_ASK_SAID = re.compile(r"\s+(?:and\s+)?(?=(?:show|give|put|list|include)\s)", re.IGNORECASE)
_MIN_WORDS_BEFORE_ASK = 3
#: A tile of things kept by a condition, then their columns: "Customers who spent more
#: than $800 in 2025 - user id, country, 2025 spend" (``_as_which_listed``).
_CONDITIONED_TILE = re.compile(
    r"^\s*(?P<things>[a-z]+s)(?P<condition>\s+(?:who|that|whose)\b[^?\-\u2013\u2014]+?)"
    r"\s+[-\u2013\u2014]\s+(?P<rest>[^?]+)$",
    re.IGNORECASE,
)
#: The end of the whole said first in a dictated question: "of the 2024 signups how
#: many never placed an order".
_LEAD_SAID = re.compile(
    r"\s*(?:(?:so|okay|ok|um|and)\s+)*of\s+[^?,]{3,60}?(?P<gap>\s+)"
    r"(?=how\s+many\b|what\s+(?:percent|share|%))",
    re.IGNORECASE,
)
#: Such a request for figures: "... show the item count ...", "... give me the orders".
_ASK_LISTED = re.compile(
    r"\s+(?:and\s+)?(?=(?:show|give)\s+(?:me\s+)?(?:the|their|both)\s)", re.IGNORECASE
)
#: Words in such a question that restrict or set a period, which a request after it
#: that does not say them again would drop.
_LEAD_KEEPS = re.compile(
    r"\b(?:only|exclud\w*|except\w*|without|not|no|never|n't|top|bottom|first|last|new|"
    r"recent\w*|lately|today|yesterday|ago|since|this|past|previous|prior|ytd|mtd|q[1-4]|"
    r"h[12]|day|days|week|weeks|month|months|quarter|quarters|year|years|"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\b|\d",
    re.IGNORECASE,
)
#: A context whose only numbers name a quarter or a year ("We're reviewing Q3
#: acquisition.", "Planning 2025:").
_PERIOD_ONLY = re.compile(r"^(?:[^\d]|\bq[1-4]\b|\b(?:19|20)\d\d\b)*$", re.IGNORECASE)


def _period_restated(context: str, window: TimeWindow | None) -> bool:
    """Whether every quarter and year ``context`` names is the window the rest of the
    question asks ("Q3" beside "between July and September 2025")."""
    if window is None:
        return False
    if window.kind == "month_range" and window.month % 3 == 1 and window.n == window.month + 2:
        quarter, years = (window.month + 2) // 3, set(window.years)
    elif window.kind == "quarter":
        quarter, years = window.n, {window.year}
    elif window.kind == "year":
        quarter, years = 0, {window.year}
    else:
        return False
    quarters = {int(q) for q in re.findall(r"\bq([1-4])\b", context, re.IGNORECASE)}
    named_years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", context)}
    return quarters <= {quarter} - {0} and named_years <= years and len(years) == 1


#: The people who placed their first order in time, asked beside a signup cohort's rate:
#: "how many ordered in time", "those who ordered within 7 days".
_ORDERED_IN_TIME = re.compile(
    r"^\s*(?:of\s+)?(?:how\s+many(?:\s+of\s+(?:them|those))?|(?:the\s+)?(?:number|count)\s+(?:of\s+"
    r"(?:them|those)\s+)?(?:who|that)|those\s+(?:who|that)|the\s+ones\s+(?:who|that))\s+"
    r"(?:actually\s+|then\s+)?(?:ordered|bought|purchased|placed\s+(?:an?\s+|their\s+first\s+)?"
    r"orders?)(?:\s+(?:in\s+time|on\s+time|within\s+\d+\s+days?|within\s+that\s+time))?\s*$",
    re.IGNORECASE,
)


def _ordered_in_time(planned: Plan, item: str) -> bool:
    """Whether ``item`` asks for the people of a signup cohort who placed their first order
    in time, which the cohort's rate shows ("how many ordered in time")."""
    timed = any(m.startswith("within:") and m.endswith(":first_order") for m in planned.metrics)
    return timed and _ORDERED_IN_TIME.match(item) is not None


#: Row words that say nothing of the measure in "biggest spenders first".
_RANKED_ROWS = frozenset(
    {"spender", "spenders", "seller", "sellers", "earner", "earners", "one", "ones", "value",
     "values", "number", "numbers", "figure", "figures", "amount", "amounts"}
)  # fmt: skip
#: Which way a group's figure moved: "were down", "saw a decline" (``_check_which_moved``).
_MOVED = re.compile(
    r"\b(?:(?:were|was|went|are|is|go|going)\s+(?:up|down)|grew|grown|declin\w*|decreas\w*|"
    r"increas\w*|dropp?\w*|fell|fall(?:en|ing)?|rose|risen|gain\w*|shr[au]nk|lost\s+ground)\b",
    re.IGNORECASE,
)
#: "in every month of 2025": each period, or all of them (``_check_every_period``).
_EVERY_PERIOD = re.compile(
    r"\b(?:in|during)\s+every\s+(?:single\s+)?(?P<period>day|week|month|quarter|year)\b",
    re.IGNORECASE,
)
#: Things that did something in every period: "customers (who) ordered in every month".
_DID_IN_EVERY = re.compile(
    r"\b[a-z]+s\s+(?:who\s+|that\s+)?(?:have\s+)?(?:[a-z]+ed|bought|spent|made|came)\s+"
    r"(?:[a-z0-9]+\s+){0,4}?(?:in|during)\s+every\b",
    re.IGNORECASE,
)
#: The time a row stays before a moment: "sat in stock before selling" (``_stay_before``).
_STAY_BEFORE = re.compile(
    r"(?P<lead>\b)(?:(?:(?:a|an|each|every|the|our)\s+)?(?P<rows>[a-z]+)\s+(?=s[ia]t|stay|spen|"
    r"remain|wait))?(?:sit|sat|sits|sitting|stay|stayed|stays|staying|spend|spent|spends|remain|"
    r"remained|remains|wait|waited|waits)\s+(?:(?:in|on)\s+(?:the\s+)?[a-z]+\s+)?"
    r"(?:before|until|till|prior\s+to)\s+(?:(?:it|they)\s+(?:is\s+|are\s+|gets?\s+|was\s+)?|"
    r"being\s+|the\s+|a\s+|getting\s+)?(?P<end>[a-z]+)\b"
)
#: "(Rank the) distribution centers (ranked) by stock value, highest first": the breakdown
#: said first (``_as_breakdown_first``), perhaps with its place ("the states of Brasil").
_BREAKDOWN_FIRST = re.compile(
    r"^\s*(?:(?:rank|sort|list|show)\s+)?(?:the\s+|our\s+|all\s+)?(?P<things>[a-z]+(?:\s+[a-z]+)?)"
    r"(?P<where>\s+(?:in|of|from)\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+)?)??"
    r"\s+(?:ranked\s+|sorted\s+)?by\s+(?P<rest>[^,;?]+?)(?P<tail>(?:\s*[,;-].*)?)[.?!]?\s*$",
    re.IGNORECASE,
)
#: A number said as an amount of something, not a year: "more than 2000 inventory items".
_AMOUNT_BEFORE = re.compile(
    r"\b(?:(?:more|fewer|less|greater|higher|lower)\s+than|over|under|above|below|at\s+least|"
    r"at\s+most|exceeding|exactly)\s+\$?$"
)
_COUNTED_AFTER = re.compile(
    r"\s+(?!(?:vs|to|and|or|through|thru|until|till|compared|versus|q[1-4]|h[12]|level|levels)\b)"
    r"[a-z]"
)
#: A value before a measure of two words: "cancelled order items" (``_value_rows_said``).
_VALUE_ROWS = re.compile(r"(?=\b(?P<value>[a-z]+)\s+(?P<head>[a-z]+)\s+(?P<noun>[a-z]+s)\b)")
#: "(sorted) by hour": an order by the period itself, which a series has anyway.
_BY_PERIOD = re.compile(
    r"\s+by\s+(?:the\s+)?(?:hour|day|weekday|week|month|quarter|year|date|time)\b"
)
#: A percent sign that only says a growth or change is in percent ("growth (%)", "% change").
_GROWTH_PERCENT = re.compile(
    r"\(\s*%\s*\)|(?:%|\bpercent(?:age)?)\s*(?=(?:growth|change|increase|decrease)\b)"
    r"|(?<=growth|change)\s*(?:%|percent(?:age)?\b)"
    r"|(?<=growth|change)\s+(?:in|as\s+an?)\s+(?:%|percent(?:age)?\b|pct\b)"
)
_NEGATION = re.compile(
    r"\b(excluding|exclude|except|other than|not|non|without|besides|beside|outside|outside of|"
    r"not counting|not including|apart from|minus|ignoring|leaving out|aside from)"
    r"\s+(the\s+)?(\w+\s+(?=from\s|in\s))?(for\s+|in\s+|from\s+)?(the\s+)?$"
)
_NEGATION_WORDS = frozenset(
    "excluding exclude except other not non without besides beside outside apart minus ignoring "
    "leaving aside".split()
)
#: Words that only introduce a time window ("over the last 30 days", "during 2025").
_WINDOW_LEAD = r"\b(?:over|during|within|throughout|across|in|for)\s+(?:the\s+)?$"
_AMOUNT = r"\$?\s*(?P<value>\d+(?:\.\d+)?)(?:\s*(?:dollars|usd|years?(?: old)?))?"
#: Words a typo fix must never replace: they carry a meaning of their own.
_PROTECTED = frozenset(
    "older younger newer cheaper pricier larger smaller bigger higher lower earlier later "
    "before after under over above below between except excluding other outside without "
    "never every total".split()
)
_OP_WORDS = (
    r"over|above|under|below|more than|greater than|higher than|less than|lower than|"
    r"fewer than|at least|at most|no more than|no less than|up to|exactly|equal to|"
    r"exceeding|exceeded|exceeds|exceed|topping|topped|tops|north of|south of"
)
#: "at least $100 and at most $150": a range said with both bounds.
_AT_LEAST = r"at least|no less than"
_AT_MOST = r"at most|no more than|up to"
_AFTER_WORDS = (
    r"or more|or over|or above|or older|or less|or under|or below|or younger|"
    r"and (?:over|above|up|older)|and (?:under|below|younger)"
)
#: "over $80", "at least 30", "between 30 and 39", "30 to 39", "50 or more".
_COMPARISON = (
    rf"(?:(?:between|from|{_AT_LEAST})?\s*\$?(?P<low>\d+(?:\.\d+)?)\s+(?:and|to|but)\s+"
    rf"(?:(?:{_AT_MOST})\s+)?\$?(?P<high>\d+(?:\.\d+)?)"
    rf"|(?P<op>{_OP_WORDS})?\s*\$?\s*(?P<value>\d+(?:\.\d+)?)(?P<plus>\+|\s+plus\b)?"
    rf"(?:\s*(?:dollars|usd))?(?:\s+(?P<after>{_AFTER_WORDS}))?)"
)
#: "(inclusive)", ", inclusive", "both inclusive": the bounds count, as they do anyway.
_INCLUSIVE = r"(?:,?\s+\(?(?:both\s+)?inclusive\)?)?"
#: "sold or not", "sold and unsold (together)", "whether shipped or not": either way.
_EITHER_WAY = re.compile(
    r"\b(?:whether\s+)?(?:(?:it|they)\s+(?:was|were|are|is|have\s+been)\s+)?"
    r"(?P<verb>[a-z]+)\s+(?:or\s+not(?:\s+yet)?|(?:and|or)\s+un(?P=verb))"
    r"(?:\s+(?:together|alike|both))?\b"
)
#: "of items sold", "of the orders": the rows a measure is taken on, said after it.
_OF_ROWS = re.compile(
    r"\s+of\s+(?:the\s+|all\s+)?(?:order\s+)?(?P<noun>[a-z]+)(?:\s+(?:sold|ordered))?\b"
)
#: "with the % of those orders cancelled": a share said beside another measure, up to
#: a comma, the end or a breakdown.
_SHARE_BESIDE = re.compile(
    r"\b(?P<lead>with|plus|alongside|including|and)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:%|percent|percentage|pct|share|proportion)\s+of\s+"
    r"(?:those\s+|these\s+|the\s+|all\s+|its\s+|their\s+)?"
    r"(?P<rows>[a-z]+(?:\s+(?!by\b|per\b|in\b|for\b|during\b|over\b|across\b)[a-z]+){0,3})"
    r"(?=\s*(?:[,.;:?!)]|$|(?:by|per|in|for|during|over|across)\b))"
)
#: "where more than 15% of 2025 orders were cancelled": a condition on a share of rows.
_SHARE_CONDITION = re.compile(
    r"\b(?:where|in\s+which|with)\s+(?P<op>more\s+than|over|above|at\s+least|less\s+than|"
    r"under|below|fewer\s+than|at\s+most)\s+(?P<n>\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\s+"
    r"(?:the\s+|their\s+|its\s+|all\s+)?(?:(?P<year>\d{4})\s+)?"
    r"(?P<rows>[a-z]+(?:\s+[a-z]+)?)\s+(?:were|was|are|is|got|have\s+been|had\s+been)\s+"
    r"(?P<part>[a-z]+)\b"
)
#: The same said with "had" and a participle: "countries that had more than 20% of their
#: 2025 orders cancelled".
_SHARE_CONDITION_HAD = re.compile(
    r"\b(?:that\s+|which\s+)?(?:had|have|has|saw)\s+(?P<op>more\s+than|over|above|at\s+least|"
    r"less\s+than|under|below|fewer\s+than|at\s+most)\s+(?P<n>\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\s+"
    r"(?:the\s+|their\s+|its\s+|all\s+)?(?:(?P<year>\d{4})\s+)?"
    r"(?P<rows>[a-z]+(?:\s+[a-z]+)?)\s+(?P<part>[a-z]+ed)\b"
)
#: The same asked of the things it is in: "in which countries were more than 15% of the
#: 2025 orders cancelled", "in which countries more than 15.5% of the orders were cancelled".
_SHARE_CONDITION_IN = re.compile(
    r"\bin\s+which\s+(?P<things>[a-z]+)\s+(?:(?:were|was|did|have|had)\s+)?"
    r"(?P<op>more\s+than|over|above|at\s+least|less\s+than|under|below|fewer\s+than|"
    r"at\s+most)\s+(?P<n>\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\s+(?:the\s+|their\s+|its\s+|all\s+)?"
    r"(?:(?P<year>\d{4})\s+)?(?P<rows>[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:(?:were|was|got|have\s+been|had\s+been|been|get)\s+)?(?P<part>[a-z]+ed)\b"
)
#: Words between the rows and their part in such a share ("orders that were cancelled").
_SHARE_ROW_FILLER = frozenset("that which who were was are is got been have had".split())
#: Words that put a condition on a measure of what precedes them ("orders with more
#: than 3 items", "customers who spent over $500", "countries with at least 200 orders").
_CONDITION_LEADS = (
    r"with|having|that have|that had|that has|who have|who had|who has|which have|"
    r"which had|whose|who placed|that placed|who made|that made|who ordered|that ordered|"
    r"who bought|that bought|who purchased|that purchased|who spent|that spent|who spend|"
    r"spending|containing|that contain|that contained|which contain|worth|totaling|"
    r"(?:that |which )?includ(?:ed|es)|include|contains|"
    r"(?:that |which )?consist(?:s|ed)? of|consisting of|"
    r"totalling|had|has|have|spent|spend|placed|made|bought|purchased|contain|contained|"
    r"brought in|bringing in|generated|generating|earned|earning|sold|selling|did|"
    r"hold|holds|holding|carry|carries|carrying"
)
#: Words before a dimension that make it a breakdown ("by country", "top 5 brands",
#: "its department": the department of each row).
_GROUPING_CUES = frozenset(
    "by per each across every which what top bottom best worst highest lowest biggest "
    "largest leading selling strongest weakest its their".split()
)
#: "average days from ... to ...", "longest time in days ... from ... to ...".
_DURATION_AGG = rf"(?:average|mean|median|maximum|max|longest|minimum|min|shortest|{EXTRA_STATS})"
_DURATION_LEAD = re.compile(
    rf"\b(?:(?P<agg>{_DURATION_AGG}(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?"
    rf"{_DURATION_AGG})*)\s+(?:of\s+(?:the\s+)?)?)?"
    r"(?:number of\s+)?(?P<unit>minutes?|hours?|days?|weeks?|time|duration)\b"
    r"(?:,?\s+in\s+(?P<unit2>minutes|hours|days|weeks))?"
)
#: "the longest an order has ever taken to ship": the longest time one took.
_LONGEST_TAKEN = re.compile(
    r"\b(?P<agg>longest|shortest)\s+(?P<one>an?|any)\s+(?P<row>[a-z]+)\s+"
    r"(?:has\s+|had\s+|have\s+)?(?:ever\s+)?(?:taken|took)\b"
)
#: "ship to delivery time": two moments before the word "time".
_DURATION_PAIR = re.compile(
    r"\b(?:(?P<agg>average|mean|median|maximum|max|longest|minimum|min|shortest)\s+)?"
    r"(?P<a>[a-z]+)\s+to\s+(?P<b>[a-z]+)\s+(?:time|duration)\b"
    r"(?:,?\s+in\s+(?P<unit2>minutes|hours|days|weeks))?"
)
_DURATION_AGGREGATES = {"average": "avg", "mean": "avg", "median": "median", "maximum": "max",
                        "max": "max", "longest": "max", "minimum": "min", "min": "min",
                        "shortest": "min"}  # fmt: skip
#: Words that end the first moment of a duration ("from X to Y", "between X and Y").
#: ", in days" closing a question: the unit of the durations asked.
_UNIT_AT_END = re.compile(r",?\s+in\s+(minutes|hours|days|weeks)\s*[.?!]*\s*$")
_DURATION_TO = frozenset({"to", "and", "until", "till"})
#: Words before the rows a statistic of a number is over ("for items sold", "among items
#: we sold").
_ROWS_OF = frozenset({"for", "among", "across", "amongst", "on"})
#: Nouns a moment may be named with ("the ship date", "the delivery timestamp").
_MOMENT_NOUNS = frozenset({"date", "dates", "timestamp", "timestamps"})
#: Words that may sit around the moments of a duration ("an order being placed").
_DURATION_FILLER = (
    frozenset(
        "a an the it its they them their any each every being be been was were is are get gets "
        "got take takes took taken does do did for item items order orders it's they're has have "
        "had".split()
    )
    | _MOMENT_NOUNS
)
#: A period named with the rows it dates: "by order year", "per order month".
_OWNED_PERIOD = re.compile(
    r"\b(?:by|per|each|every)\s+(?P<owner>[a-z]+)\s+(?P<period>year|quarter|month|week|day)\b"
)
#: Grains finer than a year: a series of them "through 2025" is the year's periods.
_SUBYEAR_GRAINS = frozenset({"day", "week", "month", "quarter"})
#: A running total beside each period ("with a running total", "cumulative revenue").
_CUMULATIVE = re.compile(
    r"\b(?:(?:with|and)\s+(?:a|the)\s+)?(?:running (?:total|sum)|cumulative(?:ly)?"
    r"(?: total| sum)?|accumulated|total so far)\b"
)
#: Words that start an exclusion right after what it excludes from.
#: Words that join values to the condition before them ("more than 50 products in the
#: Men department"), and the words that may come between such values.
_CONDITION_JOINS = frozenset({"in", "on", "from", "for", "at", "within"})
_CONDITION_LINKS = frozenset({"the", "our", "and", "or", "&", "of"})
#: An order of a measure of time said by its speed.
_SLOW_FIRST = re.compile(r"\b(?:slowest|longest)\s+first\b")
_FAST_FIRST = re.compile(r"\b(?:fastest|quickest|shortest)\s+first\b")
#: Words that only lead to a value ("orders marked Complete") and say "how is it going".
_MARKED = frozenset({"marked", "flagged", "labelled", "labeled", "tagged"})
_LOOK = frozenset({"looking", "look", "looks"})
#: Verbs that ask for groups side by side, which an answer by groups already is.
_COMPARE_VERBS = frozenset({"compare", "comparing", "contrast"})
_EXCEPT = frozenset({"except", "excluding", "but", "besides", "other", "apart", "minus"})
#: Words that list one measure after another ("revenue and orders").
_LISTED_MEASURES = frozenset({"and", "&", "plus"})
#: Words right before people that leave them out ("excluding customers from China").
_LEAVING_OUT = frozenset({"excluding", "except", "without", "besides", "ignoring"})
#: Verbs of people making the rows a measure counts: "how many orders did customers
#: place", "revenue customers generated"; the participles also before "by" ("orders
#: placed by customers").
_MADE = frozenset(
    "place placed make made buy bought purchase purchased spend spent generate generated".split()
)
#: Words that open what people did ("users by country have placed 2 or more orders").
_PEOPLE_DID = _MADE | {"have", "has", "had"}
_DISTINCT = frozenset({"distinct", "different", "unique"})
#: Words right before a dimension that count its values ("number of", "distinct").
_COUNTING = frozenset({"many", "of", "total", "count", "number", "distinct", "different",
                       "unique"})  # fmt: skip
#: Words between a thing and a condition on it ("users who have placed ...").
_RELATIVE = frozenset({"who", "that", "which", "have", "has", "had", "ever", "already"})
#: Leads that are themselves a measure: spending is money.
_CONDITION_VERBS = {"spent": "money", "spend": "money", "spending": "money", "worth": "money",
                    "totaling": "money", "totalling": "money", "in": "money",
                    "generated": "money", "generating": "money", "earned": "money",
                    "earning": "money", "sold": "count", "selling": "count"}  # fmt: skip
_CONDITION_LEAD = re.compile(rf"\b(?P<lead>{_CONDITION_LEADS})\s+")
#: A breakdown between the rows and a condition on them: "users in each country (placed
#: more than 3 orders)", "users by country (who spent over $500)".
_GROUP_BETWEEN = re.compile(
    r"\b[a-z]+s\s+(?P<group>(?:(?:in|for|within)\s+(?:each|every)|(?P<by>by|per))\s+"
    r"[a-z]+(?:\s+[a-z]+)?)\s*$"
)
#: "an average retail price above $60": a condition on the aggregate, not on each row.
_AGGREGATE_BEFORE = re.compile(r"\b(?:average|avg|mean|median|total)\s+$")
#: "Average" said of a measure.
_AVERAGE_WORDS = frozenset({"average", "avg", "mean"})
#: Words between "average" and the measure it is said of ("the average number of ...").
_BEFORE_AVERAGED = frozenset({"of", "the", "number", "a"})
#: "more than $150 of revenue", "over $100 worth of sales": the measure after the amount.
_AMOUNT_OF = re.compile(r"\s*(?:worth\s+)?(?:of|in)\s+")
#: "each", "apiece" after a condition: the amount is per thing, as a condition always is.
_EACH_AFTER = re.compile(r"\s+(?:each|apiece|a piece)\b")
#: "who placed an order", "that made a purchase": at least one of what is counted.
_AT_LEAST_ONE = re.compile(r"(?:an?|any)\s+")
#: "who placed orders", "that made purchases": the same, said in the plural without a
#: number (only after a verb of doing: "have orders" may go on to say how many).
_SOME = re.compile(r"(?:some\s+)?(?=(?!purchases\b)[a-z]+s\b)")
_SOME_VERBS = frozenset("placed made bought purchased".split())
_ARTICLE = re.compile(r"(?:an?|the|its|their)\s+")
_AT_LEAST_ONE_VERBS = frozenset(
    "placed made bought purchased had has have contain contains contained containing include "
    "includes included".split()
)
#: The amount of a condition: "more than 3", "at least $500", "3 or more", "between 2 and 4".
#: "bought in more than one order", "bought from 3 categories": the amount after a word.
_IN_AMOUNT = re.compile(
    r"\s*(?:in|across|from)\s+(?=(?:more|fewer|less|at|over|under|exactly|"
    r"between|\d))"
)
_CONDITION_AMOUNT = re.compile(
    r"\s*(?:a total of\s+|in total\s+|(?:of|is|was|at)\s+)?"
    rf"(?:(?:between|{_AT_LEAST})\s+\$?\s*(?P<low>\d+(?:\.\d+)?)\s+(?:and|but)\s+"
    rf"(?:(?:{_AT_MOST})\s+)?\$?\s*(?P<high>\d+(?:\.\d+)?)"
    rf"|(?P<op>{_OP_WORDS})\s*\$?\s*(?P<value>\d+(?:\.\d+)?)"
    r"|\$?\s*(?P<bare>\d+(?:\.\d+)?)\s+(?P<after>or more|or over|or above|or less|or fewer|"
    r"or under|or below)\b)(?:\s*(?:dollars|usd))?(?:\s*%|\s+percent\b)?"
)
_COMPARISON_OPS = {
    "over": ">", "above": ">", "more than": ">", "greater than": ">", "higher than": ">",
    "exceeding": ">", "exceeded": ">", "exceeds": ">", "exceed": ">", "topping": ">",
    "topped": ">", "tops": ">", "north of": ">", "south of": "<",
    "under": "<", "below": "<", "less than": "<", "lower than": "<", "fewer than": "<",
    "at least": ">=", "no less than": ">=", "or more": ">=", "or over": ">=", "or above": ">=",
    "or older": ">=", "and over": ">=", "and above": ">=", "and up": ">=", "and older": ">=",
    "at most": "<=", "no more than": "<=", "up to": "<=", "or less": "<=", "or under": "<=",
    "or below": "<=", "or younger": "<=", "and under": "<=", "and below": "<=",
    "and younger": "<=", "exactly": "=", "equal to": "=", "or fewer": "<=",
}  # fmt: skip
#: "what % of customers in China have ...": the rows a share is of, up to its verb.
_SHARE_ROWS = re.compile(
    r"(?:%|\b(?:percent(?:age)?|share|proportion|fraction))\s+of\s+(?:all\s+|the\s+|our\s+)?"
    r"(?P<rows>.*?)\s+(?:have|has|had|with|who|that|placed|made|bought|spent|ordered)\b"
)
#: Verbs that open a comparison before what is compared ("compare department revenue").
_COMPARE_VERBS = frozenset({"compare", "comparing", "contrast"})
#: Words that group by the dimension after them ("by country", "in each category").
_GROUPING = frozenset({"by", "per", "each", "every", "across", "within"})
_SUPERLATIVE = re.compile(
    r"\b(best|top|most|highest|biggest|largest|leading|greatest|best selling|top selling|"
    r"busiest|lowest|worst|least|smallest|fewest|quietest)\b"
)
#: "regardless of status", "across all statuses", "any status": every value counts,
#: so a model rule about that dimension's column is not applied.
_ANY_VALUE = re.compile(
    rf"\b(?P<lead>{EVERY_VALUE_LEADS})\s+(?:the\s+)?"
    r"(?P<what>[a-z_]+(?:\s+[a-z_]+)?)"
)
#: Leads of ``_ANY_VALUE`` that never name a breakdown: cut out before reading.
_ANY_ONLY = frozenset({"regardless of", "irrespective of", "no matter the", "no matter what",
                       "whatever the", "whatever their", "whatever its",
                       "with any", "of any", "in any", "any"})  # fmt: skip
#: Phrases that mean the whole history ("to date", "since we started").
_ALL_TIME = re.compile(
    r"\b(to date|all time|of all time|since (?:we )?(?:started|launch|the start|the beginning)|"
    r"in total|ever|altogether|lifetime|historically|in (?:our|the store's) (?:whole )?history|"
    r"(?:across |over )?all (?:the )?years(?: combined| together)?)\b"
)
#: Phrases asking for time order, which a series has anyway.
_CHRONOLOGICAL = re.compile(
    r"\b((?:in )?chronological(?:ly)?(?: order)?|" + _OLDEST_FIRST_TEXT + "|"
    r"(?:(?:the )?(?:hours|days|weeks|months|quarters|years) )?"  # "the months in order"
    r"in (?:(?:date|time|month|quarter|year|week|day|hour|calendar|period) )?order"
    r"(?! count| value| size| item)|"
    r"(?:sorted|ordered) by date)\b"
)
_AGGREGATE_WORDS = {
    "highest": "max", "max": "max", "maximum": "max", "largest": "max", "biggest": "max",
    "top": "max", "lowest": "min", "min": "min", "minimum": "min", "smallest": "min",
    "average": "avg", "avg": "avg", "mean": "avg", "median": "median", "stddev": "stddev",
}  # fmt: skip
#: Aggregate words that rank when another aggregate follows ("highest median price").
_RANKING_AGGREGATES = frozenset({"highest", "top", "lowest", "largest", "biggest", "smallest"})
#: Words after a dimension that opens the question as its subject ("brands with ...").
_SUBJECT = frozenset({"with", "that", "where", "whose", "having", "ranked", "sorted"})
_SIDE_BY_SIDE = frozenset({"and", "vs", "versus", "against"})
#: Words that set one value against another ("Brasil compared with Spain").
_SET_AGAINST = _SIDE_BY_SIDE | {"compare", "compared", "comparing"}
#: Words that set one value against another whatever is said between ("China revenue
#: 2025 vs Japan"); "and" is not one ("revenue from China and orders from Japan").
_AGAINST = frozenset({"vs", "versus", "against", "compared", "relative"})
#: Words after a link that say again how the next value is reached ("Facebook vs through
#: Organic", "from Brasil and from Spain", "Brasil compared with Spain").
_LINK_LEADS = frozenset({"through", "via", "from", "in", "for", "with", "to", "at", "the"})
#: Words before a breakdown's name that point back at it ("from that channel").
_BACK = frozenset({"that", "this", "same", "each", "every", "its", "their"})
_SHARE_WORDS = frozenset({"share", "percentage", "percent", "proportion", "fraction", "%"})
#: Words after a percentage measure that restate it ("conversion rate", "margin %").
_RATE_SUFFIX = frozenset({"rate", "rates", "percentage", "percent", "%", "pct", "ratio"})
#: The unit a measure of time is said in: "in days", "(in hours)", "measured in minutes".
_IN_TIME_UNIT = re.compile(
    r"[,(]?\s*\b(?:(?:measured|shown|given|expressed)\s+)?in\s+(?:whole\s+)?"
    r"(?P<unit>days|hours|minutes|weeks)\b(?!\s+(?:of|from|to|after|before|between)\b)\s*\)?"
)
#: A statistic other than an average: of a measure of time, it is of the duration.
_OTHER_STATISTIC = re.compile(
    r"\b(?:median|medians|max|maximum|min|minimum|longest|shortest|percentiles?|quartiles|"
    r"p\d{1,2}|\d{1,2}(?:st|nd|rd|th)|stddev|stdev|std\.?\s*devs?|deviation)\b"
)
#: The money a measure is said in: "in dollars", "(in USD)", "(usd)" ("in $" is rewritten
#: to "in dollars" before; "($)" after a word to its value).
_IN_MONEY = re.compile(
    r"[,(]?\s*\b(?:(?:measured|shown|given|expressed)\s+)?in\s+(?:dollars|usd)\b\s*\)?"
    r"|\(\s*(?:usd|dollars)\s*\)"
)
#: "gross margin in %", "margin as a %": the unit every rate asked is taken in.
_IN_PERCENT = re.compile(
    r"[,(]?\s*(?:\b(?:(?:measured|shown|given|expressed)\s+)?in\s+|\bas\s+(?:an?\s+)?)"
    r"(?:%|percent|per\s+cent|percentages?)(?!\s*(?:of|change|growth|points?)\b)\s*\)?"
)
#: A remark naming two moments: "(placed to delivered)", "(from ship to delivery)".
_MOMENTS_REMARK = re.compile(
    r"\s*\(\s*(?:i\.?\s?e\.?,?\s+)?(?:from\s+)?(?:the\s+|an?\s+|being\s+)?(?:order\s+)?"
    r"(?:[a-z]+\.)?(?P<a>[a-z]+)(?:[_\s]at\b)?"  # "orders.created_at", "delivered at"
    r"\s*(?:\s(?:to|until|till)\s|->|\u2192)\s*(?:the\s+|an?\s+|being\s+|it\s+(?:is\s+|was\s+)?)?"
    r"(?:[a-z]+\.)?(?P<b>[a-z]+)(?:[_\s]at\b)?\s*\)"
)
#: Two moments said last after a colon (or a dash, or a comma), or between commas:
#: "... : order placed to delivered", "avg delivery time in days, placed -> delivered",
#: "median transit time, ship to delivery, for 2025 orders", "avg delivery time, placed ->
#: delivered, in days".
_MOMENTS_AFTER_COLON = re.compile(
    r"\s*[:,]\s*(?P<said>(?:from\s+)?(?:the\s+|an?\s+)?(?:order\s+)?(?P<a>[a-z]+)\s+"
    r"(?:to|until|till|->)\s+(?:the\s+|being\s+)?(?P<b>[a-z]+))"
    r"(?:\s*[.?!]?\s*$|\s*(?=,)|(?=,?\s+in\s+(?:minutes|hours|days|weeks)\s*[.?!]?\s*$))"
)
#: Two moments said right after "time": "avg transit time ship -> delivery, days", "the
#: average transit time from shipment to delivery, in days".
_MOMENTS_AFTER_TIME = re.compile(
    r"(?<=\btime)\s+(?P<said>(?:from\s+)?(?P<a>[a-z]+)\s+(?:to|->)\s+(?P<b>[a-z]+))"
    r"(?=\s*(?:[,.?!]|$)|\s+(?:in\s+)?(?:days|hours|minutes|weeks)\b)"
)
#: A unit said inside a remark on the moments: "(ship to delivery, days)", "(days,
#: placed to delivered)".
_UNIT_IN_REMARK = (
    re.compile(r"\(\s*(?:in\s+)?(?P<unit>minutes|hours|days|weeks)\s*,\s*(?P<rest>[^(),]+?)\s*\)"),
    re.compile(
        r"\((?P<rest>[^(),]+?(?:\s(?:to|until|till)\s|->|\u2192)[^(),]+?)\s*,\s*(?:in\s+)?"
        r"(?P<unit>minutes|hours|days|weeks)\s*\)"
    ),
)


def _unit_out_of_remark(text: str) -> str:
    """A remark's unit said after it, as "(placed to delivered) in days", where it
    restates the measure's unit (another is refused, as after the measure itself)."""
    for pattern in _UNIT_IN_REMARK:
        text = pattern.sub(lambda m: f"({m['rest']}) in {m['unit']}", text)
    return text


#: A moment dated right after it: "delivered in March 2025", "shipped last month".
_DATED = (
    r"(?:(?:in|during|on|between|from|since|before|after|by|over)\s+(?:the\s+)?"
    r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|q[1-4]\b|"
    r"(?:last|this|previous|past|first|second|early|late|mid|year|month|week|day)\b)"
    r"|(?:last|this|within|yesterday|today)\b)"
)


#: "from Oct 1 2025 onwards": the day and every one after, as "from" says anyway.
_ONWARDS = r"(?:,?\s+(?:onwards?|forward|and\s+later|or\s+later)\b)?"
_DATE_LEADS = {"since": "since_date", "from": "since_date", "on or after": "since_date",
               "on or before": "through_date", "after": "after_date",
               "before": "before_date", "prior to": "before_date", "until": "through_date",
               "till": "through_date", "through": "through_date",
               "up to": "through_date"}  # fmt: skip


def _dated_window(match: re.Match[str]) -> TimeWindow:
    """ "since July 1st 2025", "before 2024-03-15": a window bounded by one date."""
    groups = match.groupdict()
    month = groups.get("mn") or MONTHS[groups.get("m1") or groups["m2"]]
    day = groups.get("dn") or groups.get("d1") or groups["d2"]
    lead = " ".join(groups["lead"].split())
    window = TimeWindow(_DATE_LEADS[lead], n=int(day), year=int(groups["y"]), month=int(month))
    return window.described()


def _date_range(match: re.Match[str]) -> TimeWindow | None:
    """ "Dec 1 to Dec 14, 2025", "between March 1 and March 7, 2025", "December 1-14,
    2025": whole days, the first and the last included. "And" joins two dates only after
    "between"; a range that runs backwards is refused."""
    import datetime

    if match["join"] == "and" and match["lead"] != "between":
        return None
    end_year = int(match["y2"])
    start_year = int(match["y1"]) if match["y1"] else end_year
    groups = match.groupdict()
    if groups.get("n1"):  # "from 2025-01-01 to 2025-03-31"
        first_month, last_month = int(groups["n1"]), int(groups["n2"])
    else:
        first_month = MONTHS[match["m1"]]
        last_month = MONTHS[match["m2"]] if match["m2"] else first_month
    try:
        first = datetime.date(start_year, first_month, int(match["d1"]))
        last = datetime.date(end_year, last_month, int(match["d2"]))
    except ValueError:
        raise PlanningError(
            f"{match[0].strip()!r} names a day that does not exist.",
            hint="Check the day of the month, such as February 1 to February 28, 2025.",
        ) from None
    if first > last:
        raise PlanningError(
            f"{match[0].strip()!r} runs backwards: its first day comes after its last.",
            hint="Give the earlier date first, such as December 1 to December 14, 2025.",
        )
    window = TimeWindow(
        "date_range", n=first.day, year=first.year, month=first.month,
        years=(last.year, last.month, last.day),
    )  # fmt: skip
    return window.described()


def _single_day(match: re.Match[str]) -> TimeWindow | None:
    """ "orders placed on Dec 10 2025", "on 2025-12-10": that one whole day."""
    import datetime

    groups = match.groupdict()
    month = int(groups.get("mn") or MONTHS[groups.get("m1") or groups["m2"]])
    day = int(groups.get("dn") or groups.get("d1") or groups["d2"])
    try:
        date = datetime.date(int(groups["y"]), month, day)
    except ValueError:
        raise PlanningError(
            f"{match[0].strip()!r} is not a date.",
            hint="Check the day of the month, such as December 10, 2025.",
        ) from None
    return TimeWindow(
        "date_range", n=date.day, year=date.year, month=date.month,
        years=(date.year, date.month, date.day),
        label=f"on {MONTH_NAMES[date.month - 1]} {date.day}, {date.year}",
    )  # fmt: skip


def _month_range(match: re.Match[str]) -> TimeWindow | None:
    """ "from January to November 2025", "Mar 2024 - Feb 2025": whole months, first and
    last included. "And" joins two months only after "between" (else they are two months);
    a range that runs backwards within one year is refused, naming the years to give."""
    first, last = MONTHS[match["m1"]], MONTHS[match["m2"]]
    conjunction = re.search(r"\band\b", match[0])
    if conjunction and match["lead"] != "between":
        return None
    end_year = int(match["y2"])
    start_year = int(match["y1"]) if match.groupdict().get("y1") else end_year
    if (start_year, first) > (end_year, last):
        raise PlanningError(
            f"{match[0].strip()!r} runs backwards: its first month comes after its last.",
            hint="Give each month its year, such as November 2024 to February 2025.",
        )
    return TimeWindow("month_range", month=first, n=last, years=(start_year, end_year)).described()


def _month_bound(match: re.Match[str]) -> TimeWindow:
    """ "since March 2024", "before March 2024", "through March 2024", "after March 2024":
    a window bounded by a whole month (after and through leave the month itself out
    and in)."""
    lead, month, year = " ".join(match["lead"].split()), MONTHS[match["m"]], int(match["y"])
    name = MONTH_NAMES[month - 1]
    started = re.search(r"\b(?:starting|beginning)\s+$", match.string[: match.start()])
    if lead == "from" and not match["onward"] and not started:
        # "orders from March 2025" are March's, as "orders from 2025" are 2025's
        return TimeWindow("month", year=year, month=month).described()
    if lead in {"since", "from", "starting"}:
        return TimeWindow("since_date", n=1, year=year, month=month, label=f"since {name} {year}")
    if lead in {"before", "prior to"}:
        return TimeWindow("before_date", n=1, year=year, month=month, label=f"before {name} {year}")
    after_year, after_month = (year + 1, 1) if month == 12 else (year, month + 1)
    label = f"after {name} {year}" if lead == "after" else f"through {name} {year}"
    return TimeWindow("since_date" if lead == "after" else "before_date", n=1, year=after_year,
                      month=after_month, label=label)  # fmt: skip


#: "(Jan to Dec)", "Q1 to Q4": a span of a year named without its year.
_YEARLESS_SPAN = re.compile(
    r"\(?\b(?:from\s+)?(?:(?P<m1>" + "|".join(MONTHS) + r")\.?|q(?P<q1>[1-4]))\s*"
    r"(?:to|through|thru|until|till|-)\s*(?:(?P<m2>" + "|".join(MONTHS) + r")\.?|q(?P<q2>[1-4]))"
    r"\b(?!\s*,?\s*(?:of\s+)?20\d\d)\)?"
)


def _within_year(text: str, window: TimeWindow) -> tuple[TimeWindow, str]:
    """ "Orders per month in 2024 (Jan to Dec)", "revenue for last year, Q1 to Q4": the
    span restates the whole year, or narrows a named year to whole months; a part of a
    relative year is left unread (refused)."""
    span = _YEARLESS_SPAN.search(text)
    if span is None or bool(span["m1"]) != bool(span["m2"]):
        return window, text
    if span["m1"]:
        first, last = MONTHS[span["m1"]], MONTHS[span["m2"]]
    else:
        first, last = 3 * int(span["q1"]) - 2, 3 * int(span["q2"])
    rest = (text[: span.start()] + " " + text[span.end() :]).strip()
    if (first, last) == (1, 12) and window.kind in {"year", "last_year", "this_year"}:
        return window, rest
    if window.kind == "year" and first <= last:
        narrowed = TimeWindow("month_range", month=first, n=last, years=(window.year,) * 2)
        return narrowed.described(), rest
    return window, text


#: Longer filler words a typo of which is still filler ("diffrent" for "different").
_LONG_FILLER = sorted(w for w in FILLER if len(w) >= 6)


def _one_swap(word: str, meant: str) -> bool:
    """Whether ``word`` is ``meant`` (same letters) with two neighbouring letters swapped."""
    differ = [i for i, (a, b) in enumerate(zip(word, meant, strict=True)) if a != b]
    return len(differ) == 2 and differ[1] == differ[0] + 1


def _filler_typo(word: str) -> str | None:
    """The filler word ``word`` is one slip of the keyboard away from, if any ("besides"
    is no slip of "resides": a slip keeps the first letter)."""
    for candidate in difflib.get_close_matches(word, _LONG_FILLER, n=2, cutoff=0.8):
        if _slip(word, candidate):
            return candidate
    return None


def _units(suffixes: Sequence[str]) -> str:
    """A dimension's unit after its number, optional ("aged 30 to 40 years old")."""
    if not suffixes:
        return ""
    return r"(?:\s+(?:" + "|".join(re.escape(s) for s in suffixes) + r")\b)?"


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


#: A measure that counts only some rows ("returned items") is itself a condition.
_CONDITIONAL = re.compile(r"\b(?:COUNTIF|IF|CASE|FILTER)\s*\(|\bCASE\b", re.IGNORECASE)
_CUES = frozenset({"in", "from", "for", "of", "at", "via", "through", "with", "by", "on"})

#: Filler words that name a state after "on" ("orders on hold"): never read as nothing.
_STATES = frozenset({("on", "hold")})
#: Filler words that are filler only before these ("users who live in Germany"); before
#: anything else they mean something the data does not hold ("live orders").
_FILLER_ONLY_BEFORE = {
    word: frozenset({"in", "outside", "at", "abroad", "near", "within"})
    for word in ("live", "lives")
}
#: Filler words that are not filler before these: "single item orders", "used items".
_NOT_FILLER_BEFORE = {
    "single": frozenset({"item", "items", "unit", "units"}),
    "used": frozenset({"item", "items", "unit", "units", "goods", "clothes"}),
}


#: Below this length a word one letter off another is as likely a word of its own
#: ("speed" and "spend", "stale" and "sale"): only a dropped or swapped letter is a slip.
_SHORT_WORD = 7


def _dropped_or_swapped(typed: str, known: str) -> bool:
    """Whether ``typed`` is ``known`` with one letter left out ("contry") or two
    neighbouring letters swapped ("reveune"), or the same word."""
    if len(typed) == len(known):  # a swap keeps the letters, a substitution does not
        return sorted(typed) == sorted(known) and _one_edit(typed, known)
    return len(typed) + 1 == len(known) and _one_edit(typed, known)


def _slip(typed: str, known: str) -> bool:
    """Whether ``typed`` could be ``known`` typed with one slip: one letter off, the first
    kept (or the first two swapped), and under seven letters only a letter dropped or two
    swapped ("contry", "reveune"), so a real word ("speed") is no slip of another."""
    if not _same_start(typed, known):
        return False
    if len(typed) < _SHORT_WORD and not _dropped_or_swapped(typed, known):
        return False
    return _one_edit(typed, known)


def _same_start(typed: str, known: str) -> bool:
    """Whether a typo of ``known`` could be ``typed``: the same first letter, or the first
    two letters swapped ("rveenue")."""
    return typed[:1] == known[:1] or (typed[:2] == known[1::-1] and typed[2:3] == known[2:3])


def _meaningful_filler(words: Sequence[str]) -> set[int]:
    """Positions of filler words that mean something where they stand, so a question
    naming a state or kind the data does not hold ("orders on hold", "live orders",
    "used items sold") is refused instead of answered for every row."""
    found = set()
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            (i and (words[i - 1], word) in _STATES)
            or (word in _FILLER_ONLY_BEFORE and following not in _FILLER_ONLY_BEFORE[word])
            or following in _NOT_FILLER_BEFORE.get(word, ())
        ):
            found.add(i)
    return found


#: Words of where people are, between them and a place ("customers based in Germany").
_LOCATED = frozenset({"based", "located", "living", "residing", "resident"})
#: Words that may follow "in"/"from" without naming a value ("in total", "from home").
_KNOWN_WORDS = frozenset(
    "general particular detail details terms term sum average whole percent percentage "
    "website site web store shop catalog catalogue stock people customers users "
    "day days week weeks month months quarter quarters year years time period periods "
    "one two first last latest recent previous past future january february march april "
    "may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday morning evening night hour hours average aggregate "
    "dollars dollar usd minute minutes both either each".split()
)
_SELL = re.compile(r"\b(sell|sells|sold|selling)\b")
_DEFAULT_METRIC_WORDS = re.compile(
    r"\b(best sellers?|best selling|top selling|bestsellers?|most sold|sell the most|"
    r"sells the most|sold the most|most popular|popular)\b"
)


@dataclass
class _Reading:
    """What the passes found so far; consumed token positions are not read twice."""

    text: str
    words: list[str]
    raw: list[str] = field(default_factory=list)
    question: str = ""
    used: set[int] = field(default_factory=set)
    corrections: list[str] = field(default_factory=list)
    #: Measures named only to describe who is counted ("revenue from customers in X").
    descriptions: list[tuple[set[int], str]] = field(default_factory=list)
    #: The measures and periods whose words only name a column the answer shows anyway
    #: (after a ranking or a condition): read only when words are left over.
    shown_of: tuple[list[str], str | None, str | None] | None = None
    #: Descriptions whose people a value names ("customers in Brasil", "female customers").
    valued: list[set[int]] = field(default_factory=list)
    #: The rules of a count naming the rows a statistic is over ("median sale price of
    #: items sold"), as filters on those rows.
    rule_filters: list[Filter] = field(default_factory=list)
    #: Rules of a statistic left out because the rows it is said of have none ("average
    #: sale price of order items": every status).
    wider_rules: list[str] = field(default_factory=list)
    #: Where each measure and each filtered dimension was first named (token positions).
    metric_starts: dict[str, int] = field(default_factory=dict)
    #: Every position where a measure was named by its words ("revenue ... of total
    #: Jeans revenue" names it twice).
    metric_positions: dict[str, list[int]] = field(default_factory=dict)
    dimension_starts: dict[str, int] = field(default_factory=dict)
    value_starts: dict[str, int] = field(default_factory=dict)
    #: Every position where a filtered dimension's value was named ("within Jeans ... of
    #: Jeans revenue" names it twice).
    value_positions: dict[str, list[int]] = field(default_factory=dict)
    #: Dimensions whose values were listed side by side ("men vs women"): one row each.
    listed: set[str] = field(default_factory=set)
    #: Every dimension a value could belong to ("Women": department or gender).
    value_options: dict[str, list[str]] = field(default_factory=dict)
    #: The words that named each value, as typed.
    value_words: dict[str, str] = field(default_factory=dict)
    #: Positions just after a percentage measure ("conversion" + "rate").
    percent_ends: set[int] = field(default_factory=set)
    #: Positions of words right after a comma or semicolon: no phrase spans one.
    breaks: set[int] = field(default_factory=set)
    #: The same, and positions right after a colon (or a dash, read as one).
    pauses: set[int] = field(default_factory=set)
    #: Words the user capitalised ("US"): a value spelt so is meant as a value.
    capitalized: set[str] = field(default_factory=set)
    #: Positions of words already read as a grain or a ranking ("month by month"): a
    #: name may not reach into them ("signups month" is not the signup month).
    claimed: set[int] = field(default_factory=set)
    #: Measures read before the words (a statistic per entity: "the average order
    #: value"), which people named with a value after them describe ("... of male
    #: clients": whose orders).
    stated: list[str] = field(default_factory=list)


def _whose(reading: _Reading, mentions: Sequence[_Mention], start: int, name: str) -> bool:
    """Whether the people ``name`` counts, named at ``start`` after a value, say whose
    rows a measure read before the words is of ("the average order value of male
    clients"): one was read, and "of" (or "from", "among", "for") leads to the value, or
    "and" to the same people said so before ("... and the female clients")."""
    if not reading.stated:
        return False
    words = reading.words
    for m in mentions:
        if m.kind == "value" and m.end == start:
            lead = m.start - 1
            if lead >= 1 and words[lead] in {"the", "our", "all"}:
                lead -= 1
            if lead >= 0 and words[lead] in {"and", "or", "vs", "versus"}:
                return any(said == name for _, said in reading.descriptions)
            return lead >= 0 and words[lead] in {"of", "from", "among", "for"}
    return False


@dataclass(frozen=True)
class _RawCondition:
    """A condition on a measure as read, before what it applies to is known."""

    metric: str
    op: str
    values: tuple[int | float, ...]
    #: The token position where it was cut out: what it applies to ends there.
    position: int
    text: str
    #: The thing the measure was named as one of ("an order value": each order's), which
    #: must be what the condition applies to.
    entity: str | None = None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    kind: str  # metric | dimension | value
    name: str
    value: str = ""
    fuzzy: bool = False


def _whole_of_possessor(
    reading: _Reading, dimensions: Sequence[str], possessors: Sequence[str]
) -> str | None:
    """The group of a share by two breakdowns, one said with "'s": "each category's share
    of ...", the possessor is the part (the group is the other); "what share of each
    department's revenue comes from each category", said after the share, the whole."""
    if len(possessors) != 1:
        return None
    share_at = next(
        (i for i, w in enumerate(reading.words) if w in _SHARE_WORDS), len(reading.words)
    )
    if reading.dimension_starts.get(possessors[0], -1) > share_at:
        return possessors[0]
    return next(name for name in dimensions if name not in possessors)


#: Words between a measure and the narrower measure that says which of its rows
#: ("inventory currently in stock", "inventory items that are still in stock").
_STILL_WORDS = frozenset("currently still now presently that which are is remaining".split())


def _restated_once(
    found: list[_Mention], reading: _Reading, narrowing: Mapping[tuple[str, str], str]
) -> list[_Mention]:
    """A measure named by two different phrases in a row ("catalogue products": the
    products) is named once: the second phrase's other readings (the product breakdown)
    are not asked. Not across a comma, nor for one phrase said twice. A measure followed
    by one that counts only some of its rows ("inventory currently in stock", the unsold
    inventory; "inventory value still in stock", the unsold stock's value) is the first
    over only those rows (``narrowing``)."""
    spans: dict[tuple[int, int], list[_Mention]] = {}
    for mention in found:
        spans.setdefault((mention.start, mention.end), []).append(mention)
    out: list[_Mention] = []
    last: list[_Mention] = []
    for span, mentions in spans.items():
        whole = _narrower_after(last, span, mentions, reading, narrowing)
        if whole is not None:
            out[out.index(last[0])] = whole
            last = [whole]
            continue
        names = {m.name for m in last if m.kind == "metric"}
        if (
            last
            and last[0].end == span[0]
            and len(names) == 1
            and all(m.kind == "metric" for m in last)
            and any(m.kind == "metric" and m.name in names for m in mentions)
            and span[0] not in reading.breaks
            and {singular(w) for w in reading.words[last[0].start : span[0]]}
            != {singular(w) for w in reading.words[span[0] : span[1]]}
        ):
            whole = replace(last[0], end=span[1])
            out[out.index(last[0])] = whole
            last = [whole]
            continue
        out.extend(mentions)
        last = mentions
    return out


def _narrower_after(
    last: list[_Mention],
    span: tuple[int, int],
    mentions: list[_Mention],
    reading: _Reading,
    narrowing: Mapping[tuple[str, str], str],
) -> _Mention | None:
    """The one measure named just before (``last``) over only the rows a measure in
    ``mentions`` counts, with only words such as "currently" or "that are still" between
    them and no comma."""
    if len(last) != 1 or last[0].kind != "metric" or last[0].end > span[0]:
        return None
    gap = range(last[0].end, span[0])
    if any(i in reading.breaks for i in (*gap, span[0])) or any(
        reading.words[i] not in _STILL_WORDS for i in gap
    ):
        return None
    narrowed = {
        narrowing[key]
        for m in mentions
        if m.kind == "metric" and (key := (last[0].name, m.name)) in narrowing
    }
    if len(narrowed) != 1:
        return None
    return replace(last[0], end=span[1], name=narrowed.pop())


#: Two-letter words: a value spelt so in lower case ("from us") is the word, unless
#: capitalised, as is a one-letter value ("m"); one that is no word ("in the uk") is
#: the value.
_SHORT_WORDS = frozenset(
    "am an as at be by do go he hi ie if in is it me my no of oh ok on or so to up us we".split()
)
#: Words that rank by the measure named right after them ("the most revenue").
_RANKING_WORDS = frozenset(
    "most highest biggest largest greatest top best lowest least fewest smallest worst".split()
)


_VS_PREVIOUS = re.compile(
    r"\s*,?\s*\b(?:vs\.?|versus|compared (?:to|with)|against|over|from)\s+(?:the\s+)?"
    r"(?:prior|previous|preceding)\s+(?P<grain>year|quarter|month|week|day)\b"
)
#: "(showing) each year's" before a growth or a measure of a growth series.
_EACH_PERIODS = re.compile(
    r"(?:\b(?:showing|show|with)\s+)?\beach\s+(?:year|quarter|month|week|day)'s\s+"
    r"(?P<kept>growth|change|% change)?(?!\s*share)"
)
#: The same said "over the quarter before it".
_VS_BEFORE = re.compile(
    r"\s*,?\s*\b(?:vs\.?|versus|compared (?:to|with)|against|over|from)\s+(?:the\s+)?"
    r"(?P<grain>year|quarter|month|week|day)\s+before(?:\s+(?:it|that|them))?\b"
)
#: "with the previous month's revenue (next to each month)": the value a growth is from.
_WITH_PREVIOUS = re.compile(
    r"\s*[,:-]?\s*(?:\b(?:with|and|plus|showing|show|including|include)\s+|(?<=,)\s*)"
    r"(?:also\s+)?(?:the\s+)?"
    r"(?:prior|previous|preceding)\s+(?P<grain>year|quarter|month|week|day)(?:'s|s')?"
    r"(?:\s+(?P<what>(?!(?:too|also|as)\b)[a-z]+))?"
    r"(?:\s+(?:next to|beside|alongside|against|for)\s+(?:each|every)\s+"
    r"(?:one|year|quarter|month|week|day)|\s+(?:beside|alongside)(?=\s*[.?!]?\s*$))?\b"
    r"(?:\s+(?:too|as well|also)\b)?"
)
#: Words that only restate the measure beside a growth ("the previous month's value").
_RESTATING_VALUE = frozenset({"value", "values", "figure", "figures", "number", "numbers", "total"})
_SERIES_OF = {"year": "year|yearly|annual|annually", "quarter": "quarter|quarterly",
              "month": "month|monthly", "week": "week|weekly", "day": "day|daily"}  # fmt: skip


def _rows_before_group(before: str, after: str, verb: str) -> tuple[str, str]:
    """The text before and after a condition, with a breakdown said between the rows and
    the condition moved after it: "how many users in each country placed more than 3
    orders" is about the users that did, in each country (not the countries). After "by"
    only for a verb of money or count ("users by country spent over $500"): "orders by
    country with more than 500 orders" is about the countries."""
    group = _GROUP_BETWEEN.search(before)
    if group is None or (group["by"] and verb not in _CONDITION_VERBS):
        return before, after
    return before[: group.start("group")], f" {group['group']} {after}"


def _growth_vs_previous(text: str) -> str:
    """ "Revenue per year and the % growth vs the prior year": a growth series says what
    each period is compared with; the words are not a window of their own (last year).
    "MoM revenue growth, with the previous month's revenue": the value each period's growth
    is from, which a growth series shows anyway; asked of a series with no growth, it asks
    for one."""
    if _GROWTH.search(text):  # "each quarter's growth", "showing each year's revenue"
        text = _EACH_PERIODS.sub(lambda m: m["kept"] or "", text)
    for pattern in (_VS_PREVIOUS, _VS_BEFORE, _WITH_PREVIOUS):
        match = pattern.search(text)
        if match is None:
            continue
        asked = _GROWTH.search(text[: match.start()])
        if not asked and pattern is not _WITH_PREVIOUS:
            continue
        grain = match["grain"]
        series = rf"\b(?:per|by|each|every)\s+(?:{grain})\b|\b(?:{_SERIES_OF[grain]})\b"
        if not re.search(series, text[: match.start()]):
            continue
        what = match.groupdict().get("what")
        if (
            what
            and what not in _RESTATING_VALUE
            and not re.search(rf"\b{re.escape(what)}\b", text[: match.start()])
        ):
            continue  # "... with the previous month's orders": another measure
        # "AOV by year, and show the prior year's number beside it": each year with the
        # one before, which is the growth series (its value and change beside)
        text = text[: match.start()] + ("" if asked else " with the change") + text[match.end() :]
    return text


def _check_none_of_shown(
    model: SemanticModel, conditions: Sequence[Condition], metrics: Sequence[str]
) -> None:
    """Refuse "brands with no products in the Women department" read as the brands'
    Women products kept to brands with none: a group shown has rows of the measure shown,
    so a condition of none on that same measure leaves nothing, and the words more likely
    mean the rows the condition counts (the department limits the products counted)."""
    for condition in conditions:
        none = (condition.op, condition.values) in {("=", (0,)), ("<", (1,)), ("<=", (0,))}
        if none and metrics and condition.metric == metrics[0] and condition.against is None:
            label = model.metric(condition.metric).label.lower()
            per = model.dimensions[condition.per].label.lower()
            raise PlanningError(
                f"A condition of no {label} on the {label} counted would leave no rows; I "
                "cannot tell which rows the other words of the question limit.",
                hint=f"Ask for each {per}'s {label} where you mean to look, and read the "
                f"{per} values missing from it.",
            )


def _past_determiners(words: Sequence[str], at: int) -> int:
    """Where the words before position ``at`` start once "our", "the" and "all" are
    passed ("for our users": the rows after "for")."""
    while at > 0 and words[at - 1] in {"our", "the", "all"}:
        at -= 1
    return at


def _ranked_first(
    reading: _Reading, mentions: Sequence[_Mention], metrics: Sequence[str]
) -> list[str]:
    """``metrics`` with the one a ranking word names first ("which age decade of buyers
    generates the most revenue" ranks by revenue, not by buyers): a ranking orders by
    the first measure."""
    for mention in mentions:
        if mention.kind != "metric" or mention.name not in metrics:
            continue
        j = mention.start - 1
        while j >= 0 and reading.words[j] in {"the", "in", "of", "by"}:
            j -= 1
        if j >= 0 and reading.words[j] in _RANKING_WORDS:
            return [mention.name, *(m for m in metrics if m != mention.name)]
    return list(metrics)


def _counted(reading: _Reading, mention: _Mention) -> bool:
    """Whether ``mention`` is what "how many" / "number of" counts ("how many accounts
    have more than one subscription": the accounts, not a breakdown by account)."""
    before = reading.words[max(0, mention.start - 2) : mention.start]
    return before in (["how", "many"], ["number", "of"], ["count", "of"])


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )  # fmt: skip
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _by_letters(phrases: Sequence[Sequence[str]]) -> dict[str, str]:
    """The words of five letters or more in ``phrases``, keyed by their sorted letters;
    a spelling shared by two words fixes neither."""
    spellings: dict[str, set[str]] = {}
    for words in phrases:
        for word in words:
            if len(word) >= 5:
                spellings.setdefault("".join(sorted(word)), set()).add(word)
    return {key: next(iter(ws)) for key, ws in spellings.items() if len(ws) == 1}


#: Words relative clauses start with ("customers who bought").
_WHO = frozenset({"who", "that", "which", "whose"})


#: Words that may stand between "per" and the measure it divides by: "revenue per the
#: number of customers" is revenue per customer.
_PER_LEADS = (("the",), ("number", "of"), ("the", "number", "of"), ("count", "of"),
              ("the", "count", "of"), ("total",), ("the", "total"))  # fmt: skip


def _per_words(words: Sequence[str], start: int) -> set[int]:
    """The positions of "per" and the words after it when the measure at ``start``
    follows "per" ("per customer", "per the number of customers"); empty otherwise."""
    if start and words[start - 1] == "per":
        return {start - 1}
    for lead in _PER_LEADS:
        at = start - len(lead)
        if at > 0 and tuple(words[at:start]) == lead and words[at - 1] == "per":
            return set(range(at - 1, start))
    return set()


def _listed_beside(words: Sequence[str], start: int, mentions: Sequence[_Mention]) -> bool:
    """Whether the measure at ``start`` is listed beside an earlier one ("users who signed
    up in 2025 and customers who bought in 2025", "... alongside customers who ..."), not
    the people the earlier measure is of ("revenue for customers who ...")."""
    previous = words[start - 1] if start else ""
    if previous in _LISTED_MEASURES:
        return True
    return previous == "with" and any(
        m.kind == "metric" and m.end < start and m.end < len(words) and words[m.end] in _WHO
        for m in mentions
    )


def _listed_at(words: Sequence[str], start: int, breaks: set[int]) -> bool:
    """Whether the word at ``start`` opens an item of a list: after "and" or a comma,
    with "the" between or not ("orders, the cancelled orders and ..."), and "the number
    of" ("the number of orders and the number of cancelled orders")."""
    at = (
        start - 2
        if start >= 2 and words[start - 2 : start] in (["number", "of"], ["count", "of"])
        else start
    )
    at = at - 1 if at and words[at - 1] == "the" else at
    return at in breaks or (at > 0 and words[at - 1] in {"and", "&"})


def _after_against(words: Sequence[str], start: int) -> bool:
    """Whether the word at ``start`` follows words setting it against what came before:
    "vs", "versus", "against", "compared with", "relative to"."""
    previous = words[start - 1] if start else ""
    if previous in _AGAINST:
        return True
    return previous in {"with", "to"} and start >= 2 and words[start - 2] in _AGAINST


def _measures_vs(reading: _Reading) -> bool:
    """Whether "vs" (or "versus", "against") stands between two measures, the second
    named right after it: "items ordered vs items sold"."""
    named = sorted(p for positions in reading.metric_positions.values() for p in positions)
    return any(
        word in {"vs", "versus", "against"}
        and any(p < i for p in named)
        and any(i < p <= i + 2 for p in named)
        for i, word in enumerate(reading.words)
    )


def _shown_order(question: str, planned: Plan) -> Plan:
    """A ranking whose rows are asked in the other order ("top 5 brands by revenue,
    smallest first", "bottom 3 categories, highest first"): the same rows, shown so."""
    if planned.limit is None or planned.order not in ("asc", "desc"):
        return planned
    asked = [way for way, pattern in _SHOWN_ORDER.items() if pattern.search(question)]
    if len(asked) != 1 or asked[0] == planned.order:
        return planned  # none, both, or the ranking's own order restated
    return replace(planned, display=asked[0])


def _superlative_beyond_order(text: str) -> bool:
    """Whether ``text`` has a superlative ("the most orders") outside the words that
    only order a ranking ("highest first")."""
    ordering = [m.span() for m in _ORDERED.finditer(text)]
    return any(
        not any(start <= m.start() < end for start, end in ordering)
        for pattern in (_MOST, _LEAST)
        for m in pattern.finditer(text)
    )


def _check_each_its_value(
    model: SemanticModel, mentions: Sequence[_Mention], words: Sequence[str]
) -> None:
    """Refuses "revenue from Shipped items and revenue from Complete items": one measure
    named twice, each time with its own value of a breakdown, would be read as one
    measure over both values, added up."""
    named = [m for m in mentions if m.kind == "metric"]
    values = [m for m in mentions if m.kind == "value"]
    for first, second in itertools.combinations(named, 2):
        if first.name != second.name:
            continue
        inside = {v.name: v.value for v in values if first.end <= v.start < second.start}
        after = {v.name: v.value for v in values if v.start >= second.end}
        clash = next((d for d in inside if d in after and inside[d] != after[d]), None)
        if clash is not None and _AGAINST & set(words[first.end : second.start]):
            # "orders from Japan vs orders from Korea": the values set against each other
            # are the rows (``_values``), the measure said again for the second one.
            continue
        if clash is None:
            _check_each_qualified(words, first, second, values)
            continue
        label = model.dimensions[clash].label.lower()
        raise PlanningError(
            f"I read {first.name.replace('_', ' ')} twice, once for {inside[clash]} and once "
            f"for {after[clash]}, but I would add the two up instead of showing each.",
            hint=f"Ask by {label}, kept to those values: '{first.name.replace('_', ' ')} by "
            f"{label} for {inside[clash]} and {after[clash]}'.",
        )


#: Words listing a measure again beside itself: "returned orders and total orders".
_BESIDE = frozenset({"and", "plus", "the", "all", "total", "overall"})
#: "the number of items, the number of returned items": the words of a count said again.
_COUNT_WORDS = frozenset({"number", "of", "count"})


def _check_each_qualified(
    words: Sequence[str], first: _Mention, second: _Mention, values: Sequence[_Mention]
) -> None:
    """Refuses "orders and returned orders": one measure listed twice, a value right before
    only one of them, would be read as the measure of those rows alone (every row of the
    answer filtered), so the measure of all rows asked for would be missing. A measure
    said again further on restates it ("returned orders by country, orders placed in
    2024")."""
    own = [[v for v in values if v.end == mention.start] for mention in (first, second)]
    if bool(own[0]) == bool(own[1]):
        return
    # Only listing words between, or none: a mark the words leave out ("returned orders &
    # orders", a comma) between the same word twice ("Email traffic sessions" is one).
    between = words[first.end : (own[1][0].start if own[1] else second.start)]
    if any(word not in _BESIDE | _COUNT_WORDS for word in between):
        return
    if not between and words[first.start : first.end] != words[second.start : second.end]:
        return
    value = (own[0] or own[1])[0].value
    measure = first.name.replace("_", " ")
    raise PlanningError(
        f"I read {measure} twice, once for {value} ones only, but I would show only the "
        f"{value} ones instead of both side by side.",
        hint=f"Ask for each in its own question: '{measure} ...' and '{value} {measure} ...'.",
    )


#: "how many of those were returned": a measure of some of the rows just measured.
_OF_THOSE = frozenset({"those", "them", "these", "which"})


def _check_of_those(words: Sequence[str], mentions: Sequence[_Mention]) -> None:
    """Refuses "orders, and how many of those were returned": the value after "of those"
    would filter every row of the answer, so the measure of all of them would be lost."""
    for at in range(len(words) - 1):
        if words[at] != "of" or words[at + 1] not in _OF_THOSE:
            continue
        before = next((m for m in mentions if m.kind == "metric" and m.end <= at), None)
        value = next((m for m in mentions if m.kind == "value" and m.start > at + 1), None)
        if before is None or value is None:
            continue
        measure = before.name.replace("_", " ")
        raise PlanningError(
            f"'of {words[at + 1]}' asks for the {value.value} ones among the {measure} beside "
            f"all of them, but I would show only the {value.value} ones.",
            hint=f"Ask for each in its own question: '{measure} ...' and "
            f"'{value.value} {measure} ...'.",
        )


def _filtered_as_answer(condition: Condition, filters: Sequence[Filter]) -> Condition:
    """``condition`` with only the filters of its own that the answer keeps as well, with
    the answer's values: a value read as something else ("the Men department" as the
    breakdown's words) or left out ("not in Jeans") is no filter of the condition."""
    own = []
    for mine in condition.filters:
        same = next(
            (f for f in filters if f.dimension == mine.dimension and not f.negate and f.op == "in"),
            None,
        )
        kept = tuple(v for v in same.values if str(v) in mine.values) if same else ()
        if kept:
            own.append(Filter(mine.dimension, kept))
    return replace(condition, filters=tuple(own))


#: Where the question first says where it looks ("in the women's department, which
#: categories ...", "for Germany: which brands ..."), before what it asks.
_LEADING_SCOPE = re.compile(
    r"^\s*(?:(?:so|and|now|ok|okay)\s+)?(?:in|for|within|among|across|inside)\s+"
    r"(?P<scope>[^,:;?]+?)\s*[,:;]?\s+(?=(?:which|what|how|show|list|give|tell)\b)"
)


def _as_shown(
    condition: Condition,
    filters: Sequence[Filter],
    metrics: Sequence[str],
    dimensions: Sequence[str],
    scope: re.Match[str],
) -> Condition:
    """``condition`` on the answer's own figure where the answer shows it and the question
    first said where it looks: a measure per the groups it keeps, shown beside them ("in
    the Women department, which categories have a sell-through rate above 35%"), is
    measured over the rows of that place. Measured over other rows, a group shown at
    34.8% would pass a condition of "above 35%". A value said of the measure ("Jeans
    revenue by brand, only brands with revenue over $10000") is left to the answer."""
    if condition.per not in dimensions or condition.metric not in metrics:
        return condition
    said_where = scope["scope"].lower()
    own = list(condition.filters)
    for said in filters:
        named = all(str(v).lower() in said_where for v in said.values)
        if named and not said.negate and said.op == "in" and said not in own:
            if any(mine.dimension == said.dimension for mine in own):
                return condition
            own.append(said)
    return replace(condition, filters=tuple(own))


#: The window's own unit, as "that year" may name it again.
_WINDOW_UNITS = {"year": "year", "month": "month", "quarter": "quarter", "last_year": "year",
                 "this_year": "year", "last_month": "month", "this_month": "month",
                 "last_quarter": "quarter", "this_quarter": "quarter"}  # fmt: skip


def _window_said_again(text: str, window: TimeWindow) -> str:
    """``text`` without "that year" (or "the same year", "in that period") naming the one
    period the question is in again ("brands with at least 100 items sold that year")."""
    unit = _WINDOW_UNITS.get(window.kind)
    units = f"{unit}|period" if unit else "period"
    return re.sub(
        rf"\b(?:in\s+|during\s+|over\s+)?(?:that|the\s+same)\s+(?:{units})\b(?!')"
        r"(?!\s+(?:last|a\s+year|the\s+year|previous|prior|before|of|one|1)\b)",
        " ",
        text,
    )


#: Bands said after "(fall) into each", "are in each": each band is the part of a share
#: ("users in each age band" are a group).
_INTO_EACH = re.compile(r"\b(?:into|(?:are|is|were|was|fall|falls|fell)\s+in)\s+(?:each|every)\s+"
                        r"(?:of\s+(?:the|these)\s+)?[a-z]+\s+"
                        r"(?:bands?|brackets?|groups?|ranges?|buckets?|tiers?)\b")  # fmt: skip
#: The words before a breakdown that is the part of a share ("what share of revenue comes
#: from each state"); "in each" is a group ("what % of users in each country are women").
_PART_LEADS = tuple([lead, each] for lead in ("from", "into") for each in ("each", "every"))


def _check_ranges_meet(filters: Sequence[Filter]) -> None:
    """Refuses two ranges of one number that no row can be in at once ("customers aged
    18-24 versus customers aged 25-34"): two groups set side by side, not one range."""
    bounds: dict[str, list[tuple[float, float]]] = {}
    for f in filters:
        if f.negate or not all(isinstance(v, int | float) for v in f.values):
            continue
        values = [float(v) for v in f.values]
        span = {
            "between": (min(values), max(values)),
            "=": (values[0], values[0]),
            ">": (values[0], math.inf),
            ">=": (values[0], math.inf),
            "<": (-math.inf, values[0]),
            "<=": (-math.inf, values[0]),
        }.get(f.op)
        if span is not None:
            bounds.setdefault(f.dimension, []).append(span)
    for dimension, spans in bounds.items():
        if len(spans) > 1 and max(low for low, _ in spans) > min(high for _, high in spans):
            said = dimension.replace("_", " ")
            raise PlanningError(
                f"The question gives {said} ranges that no row falls in at once; two groups "
                "set side by side are not read yet.",
                hint=f"Ask for each {said} range on its own, or for the breakdown by {said} "
                "in bands (e.g. 'revenue by age band (under 25, 25-34, 35+)').",
            )


def _check_named_once(subject: _Mention, condition: str, mentions: Sequence[_Mention]) -> None:
    """Refuses "users and users with at least one order": the condition would apply to
    the whole answer, so the things without it would be dropped without a word."""
    if any(
        m.kind == "metric" and m.name == subject.name and m.end <= subject.start for m in mentions
    ):
        raise PlanningError(
            f"I read {subject.name.replace('_', ' ')} on their own and with '{condition}', "
            "but a condition on what is counted applies to the whole answer.",
            hint="Ask for each on its own, or for their share: 'what % of <things> have "
            "<condition>'.",
        )


#: "H1 2025", "the second half of 2024", "2025 H2": six whole months of a year.
_HALF_YEAR = re.compile(
    r"\b(?:h(?P<h>[12])|(?P<which>first|second|1st|2nd)\s+half(?:\s+of)?(?:\s+the\s+year)?)"
    r"\s+(?P<y>20\d\d)\b|\b(?P<y2>20\d\d)\s+h(?P<h2>[12])\b"
)


def _half_as_months(match: re.Match[str]) -> str:
    """A half-year said as the month range the window rules read ("january to june 2025")."""
    first = match["h"] == "1" or match["h2"] == "1" or match["which"] in {"first", "1st"}
    year = match["y"] or match["y2"]
    return f"january to june {year}" if first else f"july to december {year}"


_BuildWindow = Callable[[re.Match[str]], TimeWindow | None]


def _year_range(match: re.Match[str]) -> TimeWindow:
    """The whole years from one to another, either way round ("2025 back to 2022")."""
    low, high = sorted((int(match[1]), int(match[2])))
    return TimeWindow("year_range", years=(low, high), label=f"{low} to {high}")


#: A period of a date column, as a time dimension's expression writes it.
_PERIOD_EXPRESSION = re.compile(
    r"^(?:EXTRACT\((?P<part>YEAR|QUARTER|MONTH) FROM (?P<of>\w+\.\w+)\)"
    r"|DATE\(TIMESTAMP_TRUNC\((?P<truncated>\w+\.\w+), (?P<unit>DAY|WEEK|MONTH|QUARTER|YEAR)\)\))$"
)


def _period_of(model: SemanticModel, name: str) -> tuple[str, str] | None:
    """(grain, date column) of a time dimension that is a period of one date column
    ("signup year": the year of ``users.created_at``); ``None`` for any other."""
    dimension = model.dimensions.get(name)
    if dimension is None or not dimension.time:
        return None
    found = _PERIOD_EXPRESSION.match(" ".join((dimension.expression or "").split()))
    if found is None:
        return None
    grain = found["part"] or found["unit"]
    return grain.lower(), found["of"] or found["truncated"]


@functools.cache
def _time_rules() -> tuple[tuple[re.Pattern[str], _BuildWindow], ...]:
    """The time-window rules of ``_time_window``, first match wins: each pattern,
    compiled once, and what it builds (None: look further)."""
    months = "|".join(MONTHS)
    rules: list[tuple[str, _BuildWindow]] = [
        (r"\byesterday\b", lambda m: TimeWindow("yesterday", label="yesterday")),
        (r"\btoday\b", lambda m: TimeWindow("today", label="today")),
        (r"\b(?:last|past|previous)\s+(\d+)\s+(?:complete|full|whole|completed)\s+weeks?\b",
         lambda m: TimeWindow("complete_weeks", n=int(m[1]),
                              label=f"last {m[1]} complete weeks")),
        (rf"\b(?:(?P<lead>from|between)\s+)?(?P<m1>{months})\.?\s+(?P<d1>\d{{1,2}})"
         rf"(?:st|nd|rd|th)?(?:,?\s+(?P<y1>20\d\d))?\s*(?P<join>to|through|thru|until|till|and|"
         rf"-|\s)\s*(?:(?P<m2>{months})\.?\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
         rf"(?P<y2>20\d\d)\b(?:,?\s*(?:\(\s*)?(?:both\s+(?:days|dates|ends)\s+)?"
         rf"(?:included|inclusive)\s*\)?)?",
         _date_range),
        # "from 2025-01-01 to 2025-03-31" (the dashes read as spaces).
        (r"\b(?:(?P<lead>from|between)\s+)?(?P<y1>20\d\d)[-/ ](?P<n1>\d\d)[-/ ](?P<d1>\d\d)\s*"
         r"(?P<join>to|through|thru|until|till|and|-|\s)\s*"
         r"(?P<y2>20\d\d)[-/ ](?P<n2>\d\d)[-/ ](?P<d2>\d\d)\b"
         r"(?:,?\s*(?:\(\s*)?(?:both\s+(?:days|dates|ends)\s+)?(?:included|inclusive)\s*\)?)?",
         _date_range),
        # "on Dec 1, 2025", "for dec 1 2025" (not the start of a span: "for dec 1 2025 to")
        (rf"\b(?:on|for|during)\s+(?:(?P<m1>{months})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|"
         rf"(?:the\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{months})\.?),?\s+"
         r"(?P<y>20\d\d)\b(?!\s*(?:to|through|thru|until|till|and|-|\u2013)\s*\w)",
         _single_day),
        (r"\bon\s+(?P<y>20\d\d)[-/ ](?P<mn>\d\d)[-/ ](?P<dn>\d\d)\b", _single_day),
        (rf"\b(?:(?P<lead>from|between)\s+)?(?P<m1>{months})\.?\s+(?:of\s+)?(?P<y1>20\d\d)\s*"
         rf"(?:to|through|thru|until|till|and|-)\s*(?P<m2>{months})\.?\s+(?:of\s+)?"
         rf"(?P<y2>20\d\d)\b",
         _month_range),
        (rf"\b(?:(?P<lead>from|between)\s+)?(?P<m1>{months})\.?\s*"
         rf"(?:to|through|thru|until|till|and|-)\s*(?P<m2>{months})\.?,?\s+(?:of\s+)?"
         rf"(?P<y2>20\d\d)\b",
         _month_range),
        (rf"\b(?P<lead>since|from|starting|after|before|prior to|until|till|through|up to)\s+"
         rf"(?:the\s+(?:start|beginning|end)\s+of\s+)?(?P<m>{months})\.?\s+(?:of\s+)?"
         rf"(?P<y>20\d\d)\b(?!\s*(?:to|through|thru|until|till|-)\b)"
         r"(?P<onward>,?\s+(?:onwards?|forward|and\s+later|or\s+later)\b|\s+on\b"
         r"(?=\s*(?:$|[,;.?!]|(?:by|per|each|for|in|broken|split|grouped)\b)))?",
         _month_bound),
        (rf"\b(?P<lead>since|from|on or after|on or before|after|before|prior to|until|till|"
         rf"through|up to)\s+(?:(?P<m1>{months})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|"
         rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{months})\.?),?\s+(?P<y>20\d\d)\b"
         rf"{_ONWARDS}",
         _dated_window),
        (r"\b(?P<lead>since|from|on or after|on or before|after|before|prior to|until|till|"
         r"through|up to)\s+(?P<y>20\d\d)[-/ ](?P<mn>\d\d)[-/ ](?P<dn>\d\d)\b" + _ONWARDS,
         _dated_window),
        (r"\b(?:last|past|previous|trailing|recent)\s+(\d+)\s+days?\b",
         lambda m: TimeWindow("last_days", n=int(m[1]), label=f"last {m[1]} days")),
        (r"\b(?:last|past|previous|trailing|recent)\s+(\d+)\s+weeks?\b",
         lambda m: TimeWindow("last_days", n=7 * int(m[1]), label=f"last {m[1]} weeks")),
        (r"\b(?:last|past|previous)\s+(\d+)\s+(?:complete|full|whole|completed)\s+months?\b",
         lambda m: TimeWindow("complete_months", n=int(m[1]),
                              label=f"last {m[1]} complete months")),
        (r"\b(?:last|past|previous|trailing|recent|most recent|latest)\s+(\d+)\s+months?\b",
         lambda m: TimeWindow("recent_months", n=int(m[1]),
                              label=f"{m[1]} most recent months")),
        (r"\b(\d+)\s+most recent months?\b",
         lambda m: TimeWindow("recent_months", n=int(m[1]),
                              label=f"{m[1]} most recent months")),
        (r"\b(?:last|past|previous|trailing|recent)\s+(\d+)\s+years?\b",
         lambda m: TimeWindow("recent_years", n=int(m[1]), label=f"last {m[1]} years")),
        (r"\b(?:last|previous|prior)\s+(?:full\s+|complete\s+|completed\s+|calendar\s+)?"
         r"week\b",
         lambda m: TimeWindow("last_week", label="last week")),
        (r"\b(?:this|current)\s+week\b|\bweek to date\b|\bwtd\b",
         lambda m: TimeWindow("this_week", label="this week")),
        (r"\b(?:latest|most recent|last)\s+(?:full|complete|completed|whole)\s+"
         r"(?:calendar\s+)?year\b",
         lambda m: TimeWindow("last_year", label="last year")),
        (r"\b(?:last|previous|prior)\s+(?:full\s+|complete\s+|completed\s+|calendar\s+)?month\b",
         lambda m: TimeWindow("last_month", label="last month")),
        (r"\bmonth to date\b|\bmtd\b",
         lambda m: TimeWindow("this_month", label="month to date")),
        (r"\b(?:this|current)\s+month\b",
         lambda m: TimeWindow("this_month", label="this month")),
        (r"\b(?:last|previous|prior)\s+(?:full\s+|complete\s+|completed\s+|calendar\s+)?quarter\b",
         lambda m: TimeWindow("last_quarter", label="last quarter")),
        (r"\bquarter to date\b|\bqtd\b",
         lambda m: TimeWindow("this_quarter", label="quarter to date")),
        (r"\b(?:this|current)\s+quarter\b",
         lambda m: TimeWindow("this_quarter", label="this quarter")),
        (r"\b(?:this|current)\s+year\b(?=.*\b(?:vs\.?|versus|compared|against|than)\b)",
         lambda m: TimeWindow("this_year", label="this year")),
        (r"\b(?:last|previous|prior)\s+(?:full\s+|complete\s+|calendar\s+)?year\b",
         lambda m: TimeWindow("last_year", label="last year")),
        (r"\byear to date\b|\bytd\b|\bso far this year\b|\bthis year so far\b",
         lambda m: TimeWindow("year_to_date", label="year to date")),
        (r"\b(?:this|current)\s+year\b",
         lambda m: TimeWindow("this_year", label="this year")),
        (r"\bq([1-4])\s+(?:of\s+)?(20\d\d)\b",
         lambda m: TimeWindow("quarter", n=int(m[1]), year=int(m[2]),
                              label=f"Q{m[1]} {m[2]}")),
        (r"\b(20\d\d)\s+q([1-4])\b",
         lambda m: TimeWindow("quarter", n=int(m[2]), year=int(m[1]),
                              label=f"Q{m[2]} {m[1]}")),
        (r"\b(" + "|".join(MONTHS) + r")\.?\s+(?:of\s+)?(20\d\d)\b",
         lambda m: TimeWindow("month", year=int(m[2]), month=MONTHS[m[1]],
                              label=f"{m[1].capitalize()} {m[2]}")),
        (r"\b(?:between|from)\s+(20\d\d)\s+(?:and|to|through|until|-)\s+(20\d\d)\b",
         _year_range),
        # "revenue by year 2022 to 2025", "2023-2025": the years from the first to the last
        (r"\b(20\d\d)\s+(?:to|through|until|till)\s+(20\d\d)\b", _year_range),
        (r"\b(20\d\d)\s+(?:vs\.?|versus|compared (?:to|with)|against)\s+(20\d\d)\b",
         lambda m: TimeWindow("years", years=(int(m[1]), int(m[2])),
                              label=f"{m[1]} vs {m[2]}")),
        (r"\b(20\d\d)\s+and\s+(20\d\d)\b",
         lambda m: TimeWindow("years", years=(int(m[1]), int(m[2])),
                              label=f"{m[1]} and {m[2]}")),
        (r"\b(?:before|prior to|until|till|earlier than)\s+(20\d\d)\b",
         lambda m: TimeWindow("before_year", year=int(m[1]), label=f"before {m[1]}")),
        (r"\b(?:through|up to|to the end of)\s+(20\d\d)\b",
         lambda m: TimeWindow("through_year", year=int(m[1]), label=f"through {m[1]}")),
        (r"\b(?:after|later than)\s+(20\d\d)\b",
         lambda m: TimeWindow("after_year", year=int(m[1]), label=f"after {m[1]}")),
        (r"\bsince\s+(20\d\d)\b|\bfrom\s+(20\d\d)\s+(?:on|onwards?|forward|and later)\b",
         lambda m: TimeWindow("since_year", year=int(m[1] or m[2]),
                              label=f"since {m[1] or m[2]}")),
        # "orders from 2025": the orders of that year, not every year since.
        (r"\bfrom\s+(20\d\d)\b",
         lambda m: TimeWindow("year", year=int(m[1]), label=f"in {m[1]}")),
        (r"\b(20\d\d)\b",
         lambda m: TimeWindow("year", year=int(m[1]), label=f"in {m[1]}")),
    ]  # fmt: skip
    return tuple((re.compile(pattern), build) for pattern, build in rules)


@functools.cache
def _time_needs() -> Needs:
    """Which time-window rules may match a question: most name no time at all."""
    return Needs(required(pattern, shortest=2) for pattern, _ in _time_rules())


def _checked_values(
    model: SemanticModel, values: Mapping[str, Sequence[str]]
) -> Mapping[str, Sequence[str]]:
    """``values``, each keyed by one of the model's dimensions; else a ``ValueError``
    naming the keys that are not (read on, they would fail deep in a reading)."""
    unknown = sorted(set(values) - set(model.dimensions))
    if unknown:
        raise ValueError(
            f"values are given for {', '.join(map(repr, unknown))}, which the model has no "
            "dimension of; key the values by the model's dimension names."
        )
    return values


class OfflinePlanner:
    """Maps questions onto a semantic model; ``values`` indexes the data's own values."""

    name = "offline"

    def __init__(
        self,
        model: SemanticModel,
        values: Mapping[str, Sequence[str]] | None = None,
        *,
        min_confidence: float = 0.6,
        same_rows: Mapping[str, Sequence[frozenset[str]]] | None = None,
    ) -> None:
        self.model = model
        #: The data's own values of the indexed dimensions, as given.
        self.values: Mapping[str, Sequence[str]] = _checked_values(model, values or {})
        #: Values naming the same rows in two dimensions ("Seoul", a city and a state):
        #: the pairs of dimensions, per value (``engine._values.same_rows``).
        self.same_rows: Mapping[str, Sequence[frozenset[str]]] = same_rows or {}
        self.min_confidence = min_confidence
        #: Per thread: a panel or dashboard may plan on several threads with one planner.
        self._local = threading.local()
        self._comparison_patterns = self._compile_comparisons()
        self._comparison_needs = Needs(required(p) for _, p in self._comparison_patterns)
        #: Patterns of the rows a duration dates ("per order"), by tables and template.
        self._row_patterns: dict[tuple[frozenset[str], str], re.Pattern[str]] = {}
        #: "per customer country": a breakdown of several words after "per", which a
        #: measure per thing ("revenue per customer") would otherwise take its first word.
        multiword = sorted(
            {
                normalize(w)
                for d in model.dimensions.values()
                if not d.numeric
                for w in d.synonyms
                if len(w.split()) > 1
            },
            key=len,
            reverse=True,
        )
        self._per_breakdown = re.compile(
            rf"\bper\s+({'|'.join(re.escape(w) for w in multiword)})\b" if multiword else r"(?!)()"
        )
        self._row_noun_cache: dict[str, frozenset[str]] = {}
        #: (measure, the count said after it) -> the first measure over only the rows the
        #: second counts ("inventory value currently in stock": the unsold stock's value).
        #: Only a plain count of rows says which rows ("order items revenue" is no part).
        self._narrowing = {
            (broad.name, said.name): narrow.name
            for broad in model.metrics.values()
            for said in model.metrics.values()
            if said.table == broad.table
            and set(said.filters) - set(broad.filters)
            and re.fullmatch(r"COUNT\((?!DISTINCT\b)[\w.]+\)", said.expression, re.IGNORECASE)
            for narrow in model.metrics.values()
            if (narrow.table, narrow.expression) == (broad.table, broad.expression)
            and set(narrow.filters) == set(broad.filters) | set(said.filters)
            and narrow.name != broad.name
        }
        self._row_head_cache: dict[str | None, frozenset[str]] = {}
        self._row_name_cache: frozenset[str] | None = None
        self._weak_values = frozenset(str(v).lower() for v in model.reader.get("weak_values", []))
        self._plain_dimensions = frozenset(model.reader.get("plain_dimensions", []))
        self._sessions = SessionReader(model, values)
        #: Words with a meaning of their own that a typo fix must never replace.
        self._protected = (
            FILLER
            | _PROTECTED
            | _NEGATION_WORDS
            | {"besides", "beside"}
            | {w for d in model.dimensions.values() for w in d.comparatives}
        )
        self._phrases: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
        self._value_spellings: dict[str, set[str]] = {}
        for metric in model.metrics.values():
            if metric.hidden:
                continue  # only shown (a rate's part), never read from a question
            for phrase in {metric.name.replace("_", " "), *metric.synonyms}:
                self._add(phrase, "metric", metric.name)
        for dimension in model.dimensions.values():
            for phrase in {dimension.name.replace("_", " "), *dimension.synonyms}:
                self._add(phrase, "dimension", dimension.name)
        self._bare: dict[tuple[str, ...], tuple[str, ...]] = {}
        bare = bare_column_phrases(model, lambda p: self._phrase_key(p) in self._phrases)
        for phrase, names in bare.items():
            self._bare[self._phrase_key(phrase)] = names
            for name in names:
                self._add(phrase, "dimension", name)
        for dimension_name, column_values in (values or {}).items():
            for value in column_values:
                self._add(str(value), "value", dimension_name, str(value))
        self._add_unaccented(values or {})
        for alias, (dimension_name, value) in model.value_aliases.items():
            self._add(alias, "value", dimension_name, value)
        self._add_named_by_start(values or {})
        self._vocabulary = sorted({w for phrase in self._phrases for w in phrase if len(w) > 3})
        self._close_words = CloseWords(self._vocabulary)
        #: Words a time-word slip is never read in (known as they are).
        self._time_known = frozenset(self._vocabulary) | frozenset(_TIME_WORDS)
        self._indexed = sorted(values or {})
        self._word_kinds: dict[str, set[str]] = {}
        for words, entries in self._phrases.items():
            for w in words:
                self._word_kinds.setdefault(w, set()).update(kind for kind, _, _ in entries)
        self._known = set(self._word_kinds)
        #: Words looked up for a slip (``_named_slip``), and what each is one slip of.
        self._slips: dict[str, str | None] = {}
        #: The model's measure and breakdown words too, for a swap of two neighbouring
        #: letters ("prodcuts", "lenght"), fixed before the patterns read the text.
        named: list[Sequence[str]] = [
            words
            for words, entries in self._phrases.items()
            if any(kind in ("metric", "dimension") for kind, _, _ in entries)
        ]
        named += [tokens(p) for p in model.reader.get("entity_measures", {})]
        self._swappable = {**_by_letters(named), **_SWAPPABLE}
        self._max_len = max((len(p) for p in self._phrases), default=1)
        #: Taught phrases, longest first so "big spenders" wins over "spenders".
        taught = sorted(model.phrases, key=len, reverse=True)
        self._taught = (
            re.compile(r"\b(?:" + "|".join(re.escape(p) for p in taught) + r")\b")
            if taught
            else None
        )
        #: Words read otherwise in a question about one table's rows, by table.
        self._table_taught = {
            table: (
                re.compile(
                    r"\b(?:"
                    + "|".join(re.escape(p) for p in sorted(said, key=len, reverse=True))
                    + r")\b",
                    re.IGNORECASE,
                ),
                said,
            )
            for table, said in model.table_phrases.items()
        }
        #: ``answers``' verdicts, by question.
        self._answers: dict[str, bool] = {}
        self._entity_reader = EntityReader(model, self._phrases)
        self._average_reader = AverageReader(self._entity_reader, self._default_metric("money"))

    #: A single thing named by the start of its name is read so only among this many.
    _NAMED_BY_START_MAX = 100

    def _add_named_by_start(self, values: Mapping[str, Sequence[str]]) -> None:
        """A single thing of a few (a distribution center) named by the first words of its
        name and its noun ("the Memphis distribution center" for "Memphis TN", "the
        Chicago DC"): read as that thing, not as a city of another table. Only where those
        words start no other name and are no name of their own."""
        #: The first words that name one of a few single things, and their nouns' plurals.
        self._name_starts: set[str] = set()
        self._name_nouns: dict[str, str] = {}
        for name in self.model.single_things():
            said = [str(v) for v in values.get(name, ())]
            if not said or len(said) > self._NAMED_BY_START_MAX:
                continue
            dimension = self.model.dimensions[name]
            nouns = {dimension.name.replace("_", " "), *dimension.synonyms}
            whole = {tuple(tokens(normalize(v))) for v in said}
            for value in said:
                words = tokens(normalize(value))
                for size in range(1, len(words)):
                    start = tuple(words[:size])
                    shared = sum(1 for other in whole if other[:size] == start)
                    if shared > 1 or start in whole:
                        continue
                    self._name_starts.add(" ".join(start))
                    for noun in nouns:
                        self._add(f"{' '.join(start)} {noun}", "value", name, value)
                        self._name_nouns[f"{noun}s"] = noun

    @functools.cached_property
    def _names_listed(self) -> re.Pattern[str] | None:
        """Starts of names listed before the things' plural noun (``_name_starts_listed``)."""
        if not self._name_nouns:
            return None
        nouns = "|".join(map(re.escape, sorted(self._name_nouns, key=len, reverse=True)))
        return re.compile(
            rf"\b(?P<items>[\w'-]+(?:\s*,\s*[\w'-]+)*\s*,?\s+(?:and|&|or)\s+[\w'-]+)\s+"
            rf"(?P<noun>{nouns})\b"
        )

    def _name_starts_listed(self, text: str) -> str:
        """``text`` with "the Chicago and Memphis distribution centers" said as "the
        Chicago distribution center and the Memphis distribution center": each start of a
        name listed before the things' plural noun names one of them (see
        ``_add_named_by_start``)."""
        if self._names_listed is None or not (" and " in text or " or " in text or "&" in text):
            return text
        listed = self._names_listed

        def said(found: re.Match[str]) -> str:
            items = [i for i in re.split(r"\s*,\s*|\s+(?:and|&|or)\s+", found["items"]) if i]
            if not all(item.lower() in self._name_starts for item in items):
                return found[0]
            noun = self._name_nouns[found["noun"]]
            return " and the ".join(f"{item} {noun}" for item in items)

        return listed.sub(said, text)

    def _add_unaccented(self, values: Mapping[str, Sequence[str]]) -> None:
        """Each value with accents also read as typed without them ("Sao Paulo", "Bogota"),
        unless that spelling already names something else."""
        taken = set(self._phrases)
        for dimension_name, column_values in values.items():
            for value in map(str, column_values):
                plain = unaccented(value)
                if plain != value and self._phrase_key(plain) not in taken:
                    self._add(plain, "value", dimension_name, value)

    @staticmethod
    def _phrase_key(phrase: str) -> tuple[str, ...]:
        """The key ``_add`` files ``phrase`` under."""
        return tuple(singular(w) for w in tokens(normalize(phrase)) if w not in {"and", "&"})

    def _add(self, phrase: str, kind: str, name: str, value: str = "") -> None:
        raw = [w for w in tokens(normalize(phrase)) if w not in {"and", "&"}]
        words = tuple(singular(w) for w in raw)
        if kind == "value":
            for spelled, word in zip(raw, words, strict=True):
                self._value_spellings.setdefault(word, set()).add(spelled)
        if not words:
            return
        entries = self._phrases.setdefault(words, [])
        if (kind, name, value) not in entries:
            entries.append((kind, name, value))

    # -- guard rails -------------------------------------------------------
    def _check_input(self, question: str) -> str:
        if not question or not question.strip():
            raise PlanningError(
                "The question is empty.",
                hint="Type a business question, e.g. 'revenue by month in 2025'.",
            )
        if len(question) > MAX_QUESTION_CHARS:
            raise PlanningError(
                f"The question is {len(question):,} characters long; the limit is "
                f"{MAX_QUESTION_CHARS:,}.",
                hint="Ask one short question at a time.",
            )
        if _CONTROL.search(question):
            raise PlanningError(
                "The question contains control characters.",
                hint="Retype the question as plain text.",
            )
        if _SQL.search(question):
            raise PlanningError(
                "This looks like SQL, not a question.",
                hint="Start the cell with %%lgda --sql to run SQL (or use `lgda sql`).",
            )
        return normalize(question)

    # -- passes ------------------------------------------------------------
    @property
    def _suggesting(self) -> bool:
        """Planning a suggestion for another question's refusal (no suggestions of its own)."""
        return bool(getattr(self._local, "suggesting", False))

    @_suggesting.setter
    def _suggesting(self, value: bool) -> None:
        self._local.suggesting = value

    @property
    def _on_table(self) -> bool:
        """Reading a question as one about a table's rows (``_on_one_table``): once."""
        return bool(getattr(self._local, "on_table", False))

    @_on_table.setter
    def _on_table(self, value: bool) -> None:
        self._local.on_table = value

    @property
    def _reading_list(self) -> bool:
        """Reading the filters of a list of rows (``_read_lists``): not a list again."""
        return bool(getattr(self._local, "reading_list", False))

    @_reading_list.setter
    def _reading_list(self, value: bool) -> None:
        self._local.reading_list = value

    @property
    def _arrowed(self) -> bool:
        """Reading a question already said plainly (``_said_plainly``), or re-read with
        "with" as "and" (``_with_listed_said``): not said plainly again."""
        return bool(getattr(self._local, "arrowed", False))

    @_arrowed.setter
    def _arrowed(self, value: bool) -> None:
        self._local.arrowed = value

    def plan(self, question: str) -> Plan:
        """Read ``question`` into a plan, or raise ``PlanningError`` saying what was unclear.

        Every word must be read as part of the plan or be one of the filler words
        (``FILLER``); a word left over is a refusal that names it, never a guess. A
        question refused as written is read once more with a restatement in parentheses
        said plainly ("(orders of any status)" as "(any status)"); the first refusal
        stands if that fails too. A question asking which things there are is never
        answered with their number (``things_listed``).
        """
        said = question if self._arrowed else self._said_plainly(question)
        if said != question:
            self._arrowed = True
            try:
                planned = self.plan(said)
            except PlanningError:
                pass  # refused as an answer's columns: read as written, arrows as "to"
            else:
                return replace(planned, question=question)
            finally:
                self._arrowed = False
        planned = self._better_way(question, self._read_shown(question))
        listed = self._with_listed_said(question, planned)
        if listed != question:
            arrowed, self._arrowed = self._arrowed, True
            try:
                return replace(self.plan(listed), question=question)
            finally:
                self._arrowed = arrowed
        planned = self._share_of_the_measure(self._share_of_a_percent(planned))
        planned = self._over_the_things(question, planned)
        self._check_retention(question, planned)
        self._check_price_order(question, planned)
        self._check_time_order(question, planned)
        self._check_every_period(question, planned)
        self._check_which_moved(question, planned)
        self._check_columns_of_ranked(planned)
        self._check_distribution_groups(planned)
        _check_both_counts(question, planned)
        self._check_steps_per_session(planned)
        planned = _both_shown(question, planned)
        return planned if self._reading_list else things_listed(self.model, question, planned)

    def _check_steps_per_session(self, planned: Plan) -> None:
        """ "Average product page views per session": a count of one kind of event over
        the sessions, with that kind kept as a filter of every row, would divide by only
        the sessions that have such an event (about 1 purchase per purchasing session).
        Refused rather than answered over the wrong sessions."""
        funnel = self.model.funnel or {}
        measure = funnel.get("measure")
        if measure is None or "table" not in funnel or "step" not in funnel:
            return  # a model with no funnel has no steps
        from lgda_nb.planner._compile_sessions import step_dimension

        step = step_dimension(self.model)
        if step is None:
            return
        per_session = [
            m for m in planned.metrics if m.startswith("ratio:") and m.endswith(f":{measure}")
        ]
        kept = [f for f in planned.filters if f.dimension == step]
        if not per_session or not kept:
            return
        said = " or ".join(map(str, kept[0].values))
        raise PlanningError(
            f"'{said}' events per {str(measure).rstrip('s')} would be divided by only the "
            f"{measure} that have a {said} event, not by all of them.",
            hint=f"Ask for the number of {said} events and the number of {measure} "
            "separately, and divide one by the other.",
        )

    def _check_distribution_groups(self, planned: Plan) -> None:
        """ "Orders by number of items by category": things counted by their own measure
        per group only where each thing is in one group (an order's country). An order
        has items of several categories, and counting it by its items of each one
        (1 Jeans item, 2 Tops) would answer another question; refused."""
        if planned.by_measure is None or not planned.dimensions:
            return
        metric, _, entity = planned.by_measure.rpartition(":")
        if entity not in self.model.dimensions:
            return
        name = self._not_one_per_thing(entity, list(planned.dimensions))
        if name is None:
            return
        things = self.model.dimensions[entity].label.lower()
        group = self.model.dimensions[name].label.lower()
        raise PlanningError(
            f"Each {things} can have several values of {group}, so {things}s counted by "
            f"their {self.model.metric(metric).label.lower()} cannot be split by {group}.",
            hint=f"Ask for it split by a breakdown each {things} has one value of, or for "
            f"{self.model.metric(metric).label.lower()} by {group}.",
        )

    def _check_columns_of_ranked(self, planned: Plan) -> None:
        """ "Top 5 products by revenue: country": a column shown with single things ranked
        must be one each has one of; refused otherwise, never the top (product, country)
        pairs (as ``_with_entity_columns`` refuses "with their country")."""
        dimensions = [d for d in planned.dimensions if d in self.model.dimensions]
        if (
            planned.limit is None
            or planned.per is not None
            or len(dimensions) < 2
            or dimensions[0] not in self.model.single_things()
        ):
            return
        self._check_one_per_thing(dimensions[0], dimensions[1:])

    def _said_plainly(self, question: str) -> str:
        """``question`` with the marks of a list said as words: an arrow to the columns as
        a dash, "&" as "and", "w/" as "with", the requests of ``SAID_PLAINLY``, and a
        value counted bare with its measure's word."""
        if "w/" in question.lower():  # readers of the words as typed see "with" too
            question = _WITH_SHORT.sub(lambda m: "without " if m[1] else "with ", question)
        for pattern, plain in SAID_PLAINLY:
            question = pattern.sub(plain, question)
        question = spoken_numbers(question)  # "for twenty twenty five orders"
        question = self._people_columns_said(question)
        return self._values_counted_said(self._ands_said(self._arrows_before_columns(question)))

    def _with_listed_said(self, question: str, planned: Plan) -> str:
        """``question`` with "with" before a measure said again for some of its rows
        ("orders by country with the cancelled orders") said as "and", when ``planned``
        read those rows as a filter on the whole answer: both side by side, never the
        measure of those rows alone under the measure's name."""
        if "with" not in question.lower() or not planned.filters:
            return question
        kept = {str(v).lower() for f in planned.filters if not f.negate for v in f.values}
        measured = self._names_said(question, "metric")

        def said(found: re.Match[str]) -> str:
            value = self._phrases.get((singular(found["value"].lower()),), [])
            noun = self._phrases.get((singular(found["noun"].lower()),), [])
            before = self._names_said(question[: found.start()], "metric")
            if not any(kind == "value" and said.lower() in kept for kind, _, said in value):
                return found[0]
            if not any(kind == "metric" and name in before for kind, name, _ in noun):
                return found[0]
            return f"and {found['the'] or ''}{found['value']} {found['noun']}"

        return _WITH_VALUE_NOUN.sub(said, question) if measured else question

    def _values_counted_said(self, question: str) -> str:
        """``question`` with the count of one value said bare ("orders, number cancelled",
        "items, # returned", "the cancelled count") said with the measure's own word
        ("cancelled orders"), so it is the measure of those rows beside the measure, never
        a filter on the whole answer. The word is the nearest one before it (else after it)
        that names a measure of a table with that value's column."""
        question = _VALUE_LAST.sub(self._value_last_said, question)
        if not _VALUE_COUNTED.search(question):
            return question

        def said(found: re.Match[str]) -> str:
            value = found["value"] or found["counted"]
            dimension = self._only_value(value)
            if dimension is None:
                return found[0]  # "number of products": a measure's own name
            before = [w for w in tokens(question[: found.start()].lower()) if w.isalpha()]
            after = [w for w in tokens(question[found.end() :].lower()) if w.isalpha()]
            for word in [*reversed(before), *after]:  # the nearest before it first
                for kind, name, _ in self._phrases.get((singular(word),), []):
                    metric = self.model.metrics.get(name) if kind == "metric" else None
                    if metric is not None and self.model.dimensions[dimension].sql_for(
                        metric.table
                    ):
                        return f"{found['lead'] or ''}{value} {word}"
            return found[0]

        return _VALUE_COUNTED.sub(said, question)

    def _only_value(self, word: str) -> str | None:
        """The dimension whose value ``word`` names, when it names nothing else (no
        measure or breakdown: "returned", "Germany"); else None."""
        entries = self._phrases.get((singular(word.lower()),), [])
        dimension = next((d for kind, d, _ in entries if kind == "value"), None)
        if dimension is None or any(kind != "value" for kind, _, _ in entries):
            return None
        return dimension

    def _check_value_last(self, text: str, question: str) -> None:
        """ "revenue and returned", "users and women": a value said bare after "and" a
        measure, where it could not be read as that measure of its rows beside it
        (``_value_last_said``): both figures, or only those rows? Refused, never the
        measure of those rows alone."""
        for found in _VALUE_LAST.finditer(text):
            if found["sep"].strip() not in {"and", "+", "&"}:
                continue
            value, measure = found["value"], found["measure"]
            if self._only_value(value) is None:
                continue
            typed = re.search(rf"(?i)\b{re.escape(value)}\b", question)
            value = typed.group(0) if typed else value  # "Germany" as typed
            if not any(
                kind == "metric"
                for kind, _, _ in self._phrases.get((singular(measure.lower()),), [])
            ):
                continue
            raise PlanningError(
                f"'{measure} and {value}' could be the {value} {measure} beside all "
                f"{measure}, or only the {value} ones; I cannot tell which.",
                hint=f"Say '{measure} and {value} {measure}' for both side by side, or "
                f"'{value} {measure}' for those alone.",
            )

    def _value_last_said(self, found: re.Match[str]) -> str:
        """``_VALUE_LAST`` with the value said with the measure before it ("items and
        returned items"), when that word names a measure of a table with the value's
        column and the value's word names nothing else; as typed otherwise ("orders from
        China and Germany": a value after a value)."""
        value, measure = found["value"], found["measure"]
        dimension = self._only_value(value)
        if dimension is None:
            return found[0]
        for kind, name, _ in self._phrases.get((singular(measure.lower()),), []):
            metric = self.model.metrics.get(name) if kind == "metric" else None
            if metric is not None and self.model.dimensions[dimension].sql_for(metric.table):
                return f"{measure}{found['sep']}{value} {measure}"
        return found[0]

    def _ands_said(self, question: str) -> str:
        """``question`` with each "&" between two words said as "and" ("items, returned &
        rate"), so a list reads as one; not inside a value's name ("Blazers & Jackets")."""
        if "&" not in question:
            return question

        def said(found: re.Match[str]) -> str:
            pair = (singular(found["a"].lower()), singular(found["b"].lower()))
            return found[0] if pair in self._value_pairs else f"{found['a']} and {found['b']}"

        return _AMPERSAND.sub(said, question)

    @functools.cached_property
    def _value_pairs(self) -> frozenset[tuple[str, str]]:
        """Two words next to each other in a value's name ("blazer", "jacket")."""
        return frozenset(
            (words[i], words[i + 1])
            for words, entries in self._phrases.items()
            if any(kind == "value" for kind, _, _ in entries)
            for i in range(len(words) - 1)
        )

    def _arrows_before_columns(self, question: str) -> str:
        """``question`` with an arrow that leads to what the answer shows said as a dash
        ("worst 5 categories by 2025 item return rate -> items, returned & rate",
        "orders placed in 2024 -> count"). An arrow between two steps of the funnel, two
        moments ("placed -> delivered") or two ends of an order ("biggest -> smallest")
        is left as "to"; so is any arrow with another after it."""
        arrows = list(_ARROW.finditer(question))
        if not arrows:
            return question
        last = arrows[-1]
        before = re.findall(r"[\w%)']+", question[: last.start()].lower())[-1:]
        if not before or not question[last.end() :].strip():
            return question
        word = before[0].removesuffix("_at")  # "(orders.created_at -> delivered_at)"
        steps = {str(step) for step in self.model.funnel.get("steps", ())}
        moments = {w for moment in self.model.moments.values() for w in moment.words}
        if singular(word) in steps | moments | _ORDER_ENDS | {"first", "last"}:
            return question
        after = re.findall(r"\w+", question[last.end() :].lower())[:1]
        if after and all(_PERIOD_END.fullmatch(w) for w in (word, after[0])):
            return question  # "2024 -> 2025", "jan -> dec": a range
        return f"{question[: last.start()].rstrip()} - {question[last.end() :].lstrip()}"

    def _over_the_things(self, question: str, planned: Plan) -> Plan:
        """ "Across the Jeans products, what are the average cost and the average retail
        price?": a statistic of single things' own column said across (over, among) them
        is over them all. Read as one per thing it was each thing's own value under the
        statistic's name; only then is the breakdown dropped."""
        if len(planned.dimensions) != 1 or planned.limit is not None or planned.per:
            return planned
        thing = planned.dimensions[0]
        if thing not in self.model.single_things() or planned.grain or not planned.metrics:
            return planned
        entity = self.model.dimensions[thing]
        own = (entity.column or "").split(".")[0]
        for name in planned.metrics:
            metric = self.model.metric(name)
            if not _OWN_STATISTIC.fullmatch(metric.expression or ""):
                return planned
            if set(_TABLE_COLUMN.findall(metric.expression)) != {own}:
                return planned
        words = "|".join(re.escape(w) for w in sorted({*entity.synonyms, entity.label.lower()}))
        over = re.search(
            rf"\b(?:across|over|among)\s+(?:the\s+|our\s+|all\s+)*(?:[\w&'-]+\s+){{0,3}}?"
            rf"(?:{words})s?\b",
            question.lower(),
        )
        if over is None:
            return planned
        note = f"over all the {entity.label.lower()}s, not one row each"
        return replace(planned, dimensions=(), notes=(*planned.notes, note))

    def _check_one_per_thing(self, thing: str, columns: list[str]) -> None:
        """Refuses a column of ``columns`` that each of the single things ``thing`` names
        has no one value of (a product's country): it is on no table the thing's row
        reaches."""
        name = self._not_one_per_thing(thing, columns)
        if name is not None:
            entity, column = self.model.dimensions[thing], self.model.dimensions[name]
            raise PlanningError(
                f"Each {entity.label.lower()} has no single {column.label.lower()} to show.",
                hint=f"Ask for the {entity.label.lower()}s ranked without it, or for the "
                f"top {entity.label.lower()}s in each {column.label.lower()}.",
            )

    def _not_one_per_thing(self, thing: str, columns: list[str]) -> str | None:
        """The first of ``columns`` that each of the single things ``thing`` names has no
        one value of: one on no table the thing's row reaches."""
        entity = self.model.dimensions[thing]
        own = entity.column.split(".")[0] if entity.column else ""
        for name in columns:
            table = (self.model.dimensions[name].column or "").split(".")[0]
            if name != thing and not (table == own or self.model.reaches(own, table)):
                return name
        return None

    def _share_of_a_percent(self, planned: Plan) -> Plan:
        """ "What share of 2025 buyers were women?": a share is of a count or an amount,
        never of a % ("share of buyers" names the buyer rate). A % that goes with a count
        (the model's ``rates``) is read as that count, the buyers; any other is refused
        rather than answered as one % divided by another; without a part, the % itself is
        what was asked."""
        if not planned.share or not planned.metrics:
            return planned
        metric = self.model.metric(planned.metrics[0])
        if metric.unit != "percent":
            return planned
        counts = {rate: count for count, rate in self.model.reader.get("rates", {}).items()}
        count = counts.get(metric.name)
        if count is None and not planned.filters and not planned.share_within:
            # "the gross margin in % of each country": the % itself, by the breakdown
            return replace(planned, share=False, share_of_rows=False)
        if count is None or len(planned.metrics) > 1:
            raise PlanningError(
                f"A share of {metric.label.lower()} would be one % taken of another.",
                hint=f"Ask for {metric.label.lower()} by a breakdown, or for the share of a "
                "count or an amount.",
            )
        return replace(planned, metrics=(count,))

    def _share_of_the_measure(self, planned: Plan) -> Plan:
        """ "Categories by returned items, with each one's share of all returned items": a
        value the measure already counts by ("Returned" of returned items) restates it, so
        the share is of all of the measure, not of the rows of every value (it was 100%
        for each group)."""
        if not planned.share or not planned.metrics or len(planned.filters) != 1:
            return planned
        (said,) = planned.filters
        dimension = self.model.dimensions.get(said.dimension)
        metric = self.model.metric(planned.metrics[0])
        if said.op != "in" or said.negate or len(said.values) != 1 or dimension is None:
            return planned
        counted = f"{dimension.sql_for(metric.table)} = '{said.values[0]}'"
        if counted not in metric.expression:
            return planned
        return replace(planned, filters=(), share_of_rows=False)

    def _read_shown(self, question: str) -> Plan:
        return self._buyers_kept(question, _shown_order(question, self._read(question)))

    def _better_way(self, question: str, planned: Plan) -> Plan:
        """ "Best" and "worst" follow the measure ranked: the worst return rate or delivery
        time is the highest, the best the lowest (a metric's ``better``). Read again with
        those words said so; a reading that changes more than the order is refused. A %
        of sessions that did not reach a step ("cart abandonment": carts without a
        purchase) is a rate of failures, so its worst is the highest too."""
        failures = bool(planned.session_rate) and any(f.negate for f in planned.session_rate)
        if (
            planned.order not in {"asc", "desc"}
            or not planned.metrics
            or planned.rank_by
            or (self.model.metric(planned.metrics[0]).better != "lower" and not failures)
            or not _BEST_WORST.search(question)
        ):
            return planned
        said = _BEST_WORST.sub(
            lambda m: "lowest" if m[0].lower() == "best" else "highest", question
        )
        label = (
            "a % of sessions that did not reach a step"
            if failures
            else self.model.metric(planned.metrics[0]).label.lower()
        )
        try:
            again = self._read_shown(said)
        except PlanningError:
            again = None
        flipped = {"asc": "desc", "desc": "asc"}[planned.order]
        if again is not None and again == replace(
            planned, order=again.order, question=said, interpretation=again.interpretation
        ):
            if again.order == planned.order:
                return planned  # the order was said by other words ("highest first")
            if again.order == flipped:
                note = f"'best' and 'worst' of {label}: the lowest is the best"
                return replace(again, question=question, notes=(*again.notes, note))
        raise PlanningError(
            f"For {label} lower is better, so 'best' and 'worst' rank it the other way "
            "round, and I could not read the question so.",
            hint="Say 'highest' or 'lowest' instead of 'best' or 'worst'.",
        )

    def _check_retention(self, question: str, plan: Plan) -> None:
        """A question about retention is answered with a measure of it: a heading such as
        "Retention for the 2025 first-order cohorts: ..." names the cohorts, and what is
        asked after it must measure the retention, never leave it out."""
        if not re.search(r"\bretention\b", question, re.IGNORECASE):
            return
        if any(
            "retention" in " ".join((m.label, *m.synonyms)).lower()
            for m in map(self.model.metric, plan.metrics)
        ):
            return
        raise PlanningError(
            "The question asks about retention, but the answer would not measure it.",
            hint="Ask e.g. 'next month retention by first order month in 2025', or 'what % "
            "of new customers ordered again the next month'.",
        )

    def _window_moment(self, text: str) -> tuple[tuple[list[Moment], str] | None, str]:
        """The moments a remark may date the time window by ("shipped during 2024 (by
        ship date)", "(by inventory created date)", "by month (month the order was
        placed)"), with the remark, and the text without it. A window is on the measure's
        own date otherwise."""
        for said in (*_BY_MOMENT_DATE.finditer(text), *_PERIOD_OF_MOMENT.finditer(text)):
            word = said["word"]
            moments = [m for m in self.model.moments.values() if word in m.words]
            if moments:
                return (moments, said[0].strip()), text[: said.start()] + " " + text[said.end() :]
        return None, text

    def _rule_on(self, metric: Metric, found: Filter) -> bool:
        """Whether ``metric`` has a rule on the filter's column, which the filter's value
        replaces ("items returned": the Returned items, not the items the rule keeps)."""
        dimension = self.model.dimensions.get(found.dimension)
        column = dimension.column if dimension is not None else None
        return column is not None and any(
            column in self.model.filter_sql(rule) for rule in metric.filters
        )

    def _value_said_as(self, reading: _Reading, found: Filter, words: Sequence[str]) -> bool:
        """Whether a filter's one value was read from one of ``words`` ("shipped": the
        Shipped status)."""
        return len(found.values) == 1 and (
            reading.value_words.get(str(found.values[0]), "").lower() in words
        )

    def _share_measure(self, reading: _Reading, metrics: list[str]) -> str:
        """The one measure a share is of: the first named after the share's words
        ("Men vs Women (product department) share of revenue": revenue, not the products
        the department's words named), else the first named."""
        said = _SHARE.search(reading.text)
        if said is not None:
            at = len(tokens(reading.text[: said.start()]))
            after = [m for m in metrics if reading.metric_starts.get(m, -1) >= at]
            if after:
                return min(after, key=lambda m: reading.metric_starts[m])
        return metrics[0]

    def _check_one_share(self, reading: _Reading, metrics: Sequence[str], kept: str) -> None:
        """A share is of one measure: measures listed with the one kept ("what share of
        items and revenue came from Jeans") are refused, never left out unsaid."""
        kept_at = reading.metric_starts.get(kept, -1)
        for name in metrics:
            at = reading.metric_starts.get(name, -1)
            if name == kept or at < 0 or kept_at < 0:
                continue
            gap = reading.words[min(at, kept_at) + 1 : max(at, kept_at)]
            before = [w for w in reading.words[max(0, at - 2) : at] if w != "the"]
            asked = bool({"count", "counts"} & set(reading.words[at : at + 3])) or (
                before[-2:] == ["number", "of"] or before[-1:] == ["show"]
            )  # "..., with the order count", "show the orders too": a measure of its own
            # "orders and revenue", or two side by side: "share of total orders revenue"
            if (
                asked
                or (not gap and self._measures_abut(reading, min(at, kept_at)))
                or (len(gap) <= 5 and any(w in {"and", "&", "plus"} for w in gap))
            ):
                labels = [self.model.metric(m).label.lower() for m in (kept, name)]
                raise PlanningError(
                    f"A share is of one measure, and I read two: {labels[0]} and {labels[1]}.",
                    hint=f"Ask for the share of {labels[0]} and the share of {labels[1]} in "
                    "questions of their own.",
                )

    @staticmethod
    def _measures_abut(reading: _Reading, at: int) -> bool:
        """Whether the words at ``at`` and after it stand with only a space between them
        ("orders revenue"), not a bracket or a comma ("customers (orders ...)")."""
        found = list(TOKEN.finditer(reading.text))
        if at + 1 >= len(found):
            return False
        return not reading.text[found[at].end() : found[at + 1].start()].strip()

    def _values_of_dropped(
        self, reading: _Reading, metrics: Sequence[str], kept: str, filters: Sequence[Filter]
    ) -> list[Filter]:
        """The values the measures a share leaves out name, as filters of its part:
        "cancelled orders in Brasil as a % of all orders" is the share of orders whose
        status is Cancelled, not of every order in Brasil."""
        found = []
        for name in metrics:
            at = reading.metric_starts.get(name, -1)
            if name == kept or not 0 <= at < len(reading.words):
                continue
            alias = self.model.value_aliases.get(reading.words[at])
            if alias is None or any(f.dimension == alias[0] for f in filters):
                continue
            found.append(Filter(alias[0], (alias[1],)))
        return found

    def _buyers_kept(self, question: str, planned: Plan) -> Plan:
        """ "Average age of users who bought": people said with a verb of buying are the
        buyers. Where the plan read them as the people's rows of another measure (the
        verb was passed over as a filler word), the question is read again with the
        verb said as a condition ("who bought at least one item"); if that fails too,
        it is refused, never answered over everyone."""
        text = normalize(question)  # "ppl who've made a purchase"
        said = _PEOPLE_WHO_BOUGHT.search(text)
        if said is None or self._reads_buyers(planned):
            return planned
        measure = self.model.reader.get("never", {}).get("bought")
        counted = self.model.metrics.get(str(measure)) if isinstance(measure, str) else None
        words = row_words(self.model, counted.table) if counted is not None else ()
        if counted is not None and words:
            item = singular(tokens(words[0])[-1]) if tokens(words[0]) else ""
            again = f"{text[: said.start('verb')]}bought at least one {item}"
            try:
                return replace(self._read(f"{again}{text[said.end() :]}"), question=question)
            except PlanningError:
                pass
        raise PlanningError(
            f"I could not tell how '{said.group(0).strip()}' limits the answer.",
            hint="Say what they bought, e.g. 'users who bought at least one item'.",
        )

    def _reads_buyers(self, planned: Plan) -> bool:
        """Whether ``planned`` counts the buyers, or keeps people by a condition on what
        they bought, did or spent."""
        buyers = self.model.metrics.get(str(self.model.reader.get("buyers", "")))
        if buyers is None:
            return True  # a model without buyers has nothing to keep
        if buyers.name in planned.metrics or planned.session_rate or planned.funnel:
            return True
        if any(c.per == buyers.entity for c in planned.conditions):
            return True
        return any(self.model.metric(m).table == buyers.table for m in planned.metrics
                   if m in self.model.metrics)  # fmt: skip

    def _check_time_order(self, question: str, planned: Plan) -> None:
        """ "Oldest first" is time order, which only a series has: over groups that are
        no periods ("users by age band, oldest first") it is refused, not dropped."""
        said = _OLDEST_FIRST.search(question)
        if said is None or not planned.metrics or planned.grain is not None:
            return
        if any(
            self.model.dimensions[name].time
            for name in planned.dimensions
            if name in self.model.dimensions
        ):
            return  # "users by signup year": a dimension ordered like time
        raise PlanningError(
            f"'{said.group(0)}' asks for time order, and this answer has no periods to put in it.",
            hint="Ask by a period (by month, by year) for a series in time order, or say "
            "'highest first' or 'lowest first' to order by the measure.",
        )

    def _check_which_moved(self, question: str, planned: Plan) -> None:
        """ "Which markets were down in revenue 2025 vs 2024?": only the groups whose change
        went that way, which a comparison of every group (the change beside each) does not
        answer. Refused, not answered with all of them; a ranking ("which 5 grew the
        most") or a condition on the change is answered."""
        if not (planned.compare and planned.dimensions) or planned.limit or planned.rank_by:
            return
        if planned.conditions or not _WHICH.search(question):
            return
        said = _MOVED.search(question)
        if said is None or _MOST.search(question) or _LEAST.search(question):
            return
        measure = self.model.metric(planned.metrics[0]).label.lower()
        group = self.model.dimensions[planned.dimensions[0]].label.lower()
        raise PlanningError(
            f"'{said[0]}' asks for only the groups that went that way, and I can only show "
            "every group with its change.",
            hint=f"Ask for the change of each group (e.g. '{measure} by {group}, with the % "
            "change') and read the sign.",
        )

    def _check_every_period(self, question: str, planned: Plan) -> None:
        """ "Which brands had a returned item in every month of 2025?", "how many
        customers ordered in every month of 2025": things that did something in all the
        periods, which a series per period ("in every month": each month) does not answer.
        Refused for things listed, things with a condition, and things counted once each
        (customers); "revenue in every month of 2025" is each month's revenue."""
        said = _EVERY_PERIOD.search(question)
        if said is None or planned.grain is None:
            return
        things = bool(planned.conditions) or (
            bool(planned.dimensions)
            and bool(_WHICH.search(question) or re.search(r"\bwith\b", question[: said.start()]))
        )
        people = self.model.metrics.get(self.model.reader.get("people", ""))
        acted = _DID_IN_EVERY.search(question)  # "customers (who) ordered in every month"
        counted = (
            people is not None
            and acted is not None
            and any(
                (metric := self.model.metrics.get(name)) is not None
                and metric.entity == people.entity
                for name in planned.metrics
            )
        )
        if things or counted:
            raise PlanningError(
                f"'{said[0]}' can mean each {said['period']} on its own or all of them "
                "together, and I can only answer each one on its own.",
                hint=f"Ask per {said['period']} ('... by {said['period']} in 2025') to see "
                f"each {said['period']}.",
            )

    def _check_price_order(self, question: str, planned: Plan) -> None:
        """ "Most expensive first" orders by a price or a cost: refused over any other
        measure ("orders by category, most expensive first" cannot mean the most orders,
        nor "revenue by brand" the brands that earn most)."""
        said = _PRICE_FIRST.search(question)
        if said is None or not planned.metrics:  # a list orders by its own price column
            return
        measures = [self.model.metric(name) for name in planned.metrics]
        if all(m.unit == "money" and _PRICE_WORDS.search(f"{m.name} {m.label}") for m in measures):
            return
        measured = ", ".join(name.replace("_", " ") for name in planned.metrics)
        raise PlanningError(
            f"'{said['sup']} first' orders by a price or a cost, and {measured} is not one.",
            hint="Ask for the price or cost measure (average retail price by brand, most "
            "expensive first), or say 'highest first' to order by the measure asked for.",
        )

    def _read(self, question: str) -> Plan:
        """The plan of ``question``, read as written and, if refused, restated.

        A restated breakdown ("by dc (product's dc)") is read once, with its qualifier;
        an aside naming only the table ("avg retail price by category (products)") is
        read without it first, since the table is what the measure already counts."""
        question = _RESTATED.sub(lambda m: f"{m['whose']}'s {m['what']}", question)
        question = self._without_owner_remark(question)
        question = _TWO_REMARKS.sub(r"(\1) (\2)", question)
        labels = _LABELS.search(question)
        # rows labelled as said, or a dictated question's request for figures read apart
        early = (
            self._labelled(question, labels)
            if labels is not None
            else self._as_said_aloud(question, listed=True)
        )
        if early is not None:
            return early
        for trimmed, named in self._table_remarks(question):
            try:
                plan = self._read(trimmed)
            except PlanningError:
                continue
            counted = self.model.metric(plan.metrics[0]).table if plan.metrics else None
            if not named & self._tables_read(plan, counted):
                rows = " or ".join(sorted(t.replace("_", " ") for t in named))
                raise PlanningError(
                    f"The question names the {rows} table, but the answer would count "
                    f"rows of {str(counted).replace('_', ' ')}.",
                    hint="Leave the table out, or ask for a measure of that table's rows.",
                )
            return replace(plan, question=question)
        for trimmed, table, word in self._people_of(question):
            return self._read_people_of(question, trimmed, table, word)
        try:
            planned = self._plan(question)
        except PlanningError as first:
            without = (
                self._with_date_checks(question)
                or self._without_shown_measures(question)
                or self._without_display_order(question)
                or self._as_share_by(question)
                or self._as_share_of_lead(question)
                or self._without_shown_columns(question)
                or self._without_context(question, first)
                or self._without_lead_question(question)
                or self._as_said_aloud(question)
                or self._without_column_list(question)
                or self._as_which_listed(question)
                or self._without_report_name(question, first)
                or self._without_first_change(question)
                or self._without_rate_formula(question)
                or self._as_top_one(question, first)
                or self._as_date_of_row(question)
                or self._without_said_unit(question)
                or self._without_buyer_rule(question)
                or self._without_lifetime(question)
                or self._on_one_table(question)
                or self._as_breakdown_first(question)
                or self._without_restated_sql(question)
                or self._as_defined(question, first)
                or self._with_short_slips_fixed(question, first)
                or self._without_restated_period(question)
                or self._without_restated_entity_measure(question)
                or self._as_distribution(question)
                or self._with_counted_value_after(question)
            )
            if without is not None:
                return without
            restated = rows_of_any(question)
            if restated == question:
                raise
            try:
                planned = self._plan(restated)
            except PlanningError:
                raise first from None
            return replace(planned, question=question)
        return self._figures_of_found(question, planned)

    def _figures_of_found(self, question: str, planned: Plan) -> Plan:
        """ "Brands with a sell-through rate under 30% - list them with sold units, total
        units and the rate": the figures asked of the things a condition finds, read as
        the ones the answer shows anyway when it shows every one of them, not as measures
        of their own ("the rate" said again, "sold units" as items sold). Any plan whose
        rows a request to show figures said last would change is refused first
        (``_check_nothing_kept``)."""
        asked = _SHOW_ASKED.search(question)
        if asked is not None:
            # "What share of 2025 orders were cancelled? Give the shipped count too.": what
            # is asked to be shown never changes which rows are counted
            self._check_nothing_kept(question, question[: asked.start()], planned)
        if not planned.conditions or not any(p.search(question) for p in _SHOWN_REMARKS):
            return planned
        shown = self._without_shown_measures(question)
        if shown is not None and shown.conditions == planned.conditions:
            return shown
        return planned

    def _check_nothing_kept(self, question: str, rest: str, planned: Plan) -> None:
        """Refuse a plan whose filters or conditions come from a request to show figures
        (said after the question as ``question[len(rest):]``) when the question read
        without it keeps other rows: a value named there is a figure asked for, not a
        filter of the answer."""
        try:
            plain = self._read(rest)
        except PlanningError:
            return
        if set(planned.filters) <= set(plain.filters) and set(planned.conditions) <= set(
            plain.conditions
        ):
            return
        raise PlanningError(
            f"'{question[len(rest) :].strip(' ?.')}' names figures to show, and reading them "
            "would change which rows the answer counts.",
            hint="Ask for that figure in a question of its own, or leave it out.",
        )

    def _without_display_order(self, question: str) -> Plan | None:
        """The plan of a list or breakdown with the order its rows are shown in said after
        it ("which customers spent more than $1,000 in 2025? biggest spenders first",
        "..., sorted by stock value, highest first"), read without those words and ordered
        so, or ``None``. Only when the words name a direction and no measure but one of
        the plan's, and the plan is rows by a breakdown that no other order was asked for."""
        said = [m for m in _DISPLAY_ORDER.finditer(question) if m["sup"] or m["dir"]]
        if not said:
            return None
        rest = question
        for match in reversed(said):
            rest = f"{rest[: match.start()]} {rest[match.end() :]}"
        rest = re.sub(r"[\s,;:-]+$", "", rest.strip()) or question
        directions = {
            "asc"
            if (m["dir"] or "").lower().startswith("asc")
            or re.fullmatch(_LOW_WORDS, (m["sup"] or "").lower())
            else "desc"
            for m in said
        }
        parts = [part for m in said for part in (m["by"], m["what"], m["of"]) if part]
        named = {w for part in parts for w in tokens(part.lower())} - _RANKED_ROWS - FILLER
        if len(directions) != 1 or rest == question:
            return None
        try:
            planned = things_listed(self.model, rest, self._read(rest))
        except PlanningError:
            return None
        (order,) = directions
        if (
            not planned.dimensions
            or not planned.metrics
            or planned.grain
            or planned.compare
            or planned.growth
            or planned.rank_by
            or planned.order not in {"auto", order}
        ):
            return None
        metrics = list(planned.metrics)
        if named:
            by = [m for m in metrics if named <= self._measure_words(m)]
            if not by:
                return None
            metrics.remove(by[0])
            metrics.insert(0, by[0])
        return replace(planned, question=question, order=order, metrics=tuple(metrics))

    def _with_date_checks(self, question: str) -> Plan | None:
        """The plan of ``question`` with its checks that a moment has a date or none
        ("orders with no ship date", "where delivered_at is not null") as rules on the
        measured rows' column for that moment, or ``None``. Only when the rest reads in
        full and every check has exactly one such column; the compiler refuses an
        answer that would leave a rule out."""
        rest, checks = cut_date_checks(self.model, question)
        if not checks:
            return None
        try:
            planned = self._read(rest)
        except PlanningError:
            return None
        if planned.share or planned.top_percent is not None or planned.top_count is not None:
            return None  # "what % of orders have no ship date": the rule would keep the whole
        tables = {self.model.metric(m).table for m in planned.metrics}
        if planned.rows is not None:
            tables.add(planned.rows)
        if len(tables) != 1:
            return None
        (measured,) = tables
        rules = []
        for check in checks:
            column = check_column(self.model, check, measured)
            if column is None:
                return None
            rules.append(f"{'dated' if check.dated else 'undated'}:{column}")
        return replace(
            planned, question=question, rules=tuple(dict.fromkeys((*planned.rules, *rules)))
        )

    def _as_share_by(self, question: str) -> Plan | None:
        """The plan of "browser share of sessions in 2025" read as "share of sessions in
        2025 by browser", when the words before "share" name a breakdown, or ``None``."""
        match = _BREAKDOWN_SHARE.search(question)
        if match is None:
            return None
        words = [singular(w) for w in tokens(normalize(match["by"]))]
        if self._breakdown_named(words) is None:
            return None
        said = f"{question[: match.start()]}share of {match['rest']} by {match['by']}"
        try:
            planned = self._read(said + question[match.end() :])
        except PlanningError:
            return None
        if (
            planned.share
            and planned.filters
            and planned.share_within is None
            and not {f.dimension for f in planned.filters} & set(planned.dimensions)
        ):
            # "browser share of sessions in California": the breakdown that owns the share
            # is the part, so a value only keeps the rows the shares are of (California's
            # sessions), not the part of each browser's total over every state.
            planned = replace(planned, share_of_rows=True)
        return replace(planned, question=question)

    def _without_shown_measures(self, question: str) -> Plan | None:
        """The plan of ``question`` read without a remark that asks for measures the
        answer shows anyway ("Cancellation rate for 2025 orders by gender, with the order
        count and cancelled count for each": a rate is shown with its part and whole;
        "What share of registered users are women? Show the female count and the total
        user count beside the percentage."), or ``None``. Every measure the remark names
        must be one the answer shows (``_shows``); it never adds one."""
        for remark in _each_remark(question):
            said = remark["items"].replace("#", " number ")  # "# cancelled"
            said = re.sub(*ONES_NAMED, said, flags=re.IGNORECASE)  # "..., the sold ones"
            items = [i for i in re.split(r"\s*(?:,|&|\+|\band\b|\bplus\b)\s*", said) if tokens(i)]
            if not items:
                continue
            # "the prior year's customers beside each year": where it goes, not what
            items = [_PLACED_BESIDE.sub("", i) for i in items]
            items = _whole_and_part(items)
            # "the category and department revenue": the noun said once for both
            last = tokens(items[-1].lower())[-1]
            items = (
                [
                    f"{i} {last}"
                    if len([w for w in tokens(i.lower()) if w not in _SHOWN_FILLER]) == 1
                    and last not in tokens(i.lower())
                    and tokens(i.lower())[-1] not in _COUNT_WORDS  # "the order count" is whole
                    and singular(tokens(i.lower())[-1]) == tokens(i.lower())[-1]  # "units" too
                    and last not in _SHARE_WORDS | _RATE_SUFFIX  # "... revenue and the %"
                    # nor before the things that meet a condition ("users with orders")
                    and not _CONDITION_PART.match(items[-1])
                    else i
                    for i in items[:-1]
                ]
                + [items[-1]]
            )
            # "with the prior year's figure and YoY growth %": the growth is asked, read with
            # the rest; the figures beside it are what it shows anyway
            asked = [i for i in items if _GROWTH.search(i.lower())]
            if len(asked) == len(items):
                asked = []  # nothing but the growth: shown by a comparison, or not at all
            items = [i for i in items if i not in asked]
            rest = question[: remark.start()] + question[remark.end() :]
            if asked:
                rest = f"{rest.rstrip(' ?.!')} with {' and '.join(asked)}"
            try:
                planned = self._read(rest)
            except PlanningError:
                continue
            if asked and not (planned.growth or planned.compare):
                continue
            if planned.limit == 1 and re.search(r"\b(?:both|each)\b", remark[0], re.I):
                # "Cancelled or Returned: which status has more orders? Show the order
                # count for both": every value listed, the most first, not the top one
                listed = [f for f in planned.filters if f.dimension in planned.dimensions]
                if not any(f.op == "in" and not f.negate and len(f.values) > 1 for f in listed):
                    continue
                planned = replace(planned, limit=None)
            if planned.metrics and all(
                # "repeat customers": a taught phrase, or what it means ("customers with ...")
                self._shows(planned, item)
                or self._shows(planned, self._read_taught(normalize(item), []))
                or _ordered_in_time(planned, item)
                for item in items
            ):
                note = f"'{remark[0].strip(' ?.,;')}' is shown in the answer"
                return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _without_column_list(self, question: str) -> Plan | None:
        """The plan of ``question`` read without the list of the answer's columns said
        in brackets ("Users by country [country, users]", "Item return rate by category
        (category, items, returned items, return rate %)"), or ``None``. Each column must
        be a breakdown or period the answer is by, or a figure it shows anyway
        (``_shows``); the list never adds one. The plan notes it."""
        for listed in _BRACKETED_COLUMNS.finditer(question):
            if listed["open"] == "(" and question[listed.end() :].strip(" .?!"):
                continue  # a remark in parentheses, unless it ends the question
            rest = f"{question[: listed.start()]} {question[listed.end() :]}".strip()
            items = [
                i for i in re.split(r"\s*(?:,|&|\+|\band\b|\bw/)\s*", listed["items"]) if tokens(i)
            ]
            try:
                planned = self._read(rest)
            except PlanningError:
                continue
            measured = [m for m in planned.metrics if m in self.model.metrics]
            measure_words = {w for m in measured for w in self._measure_words(m)}
            if planned.metrics and all(
                self._labels_rows(planned, item)
                or {singular(w) for w in tokens(normalize(item))} <= measure_words
                or self._shows(planned, item)
                or self._shows(planned, self._read_taught(normalize(item), []))
                for item in items
            ):
                note = f"'{listed['items'].strip()}' are the answer's columns"
                return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _labels_rows(self, planned: Plan, item: str) -> bool:
        """Whether ``item`` names what labels the answer's rows: a breakdown it is by ("band"
        of the age bands, "channel", "dept") or its period ("month")."""
        words = {singular(w) for w in tokens(normalize(item)) if w not in _ARTICLES}
        dimensions = [d for d in planned.dimensions if d in self.model.dimensions]
        labels = self._breakdown_words(dimensions) | {planned.grain or ""} - {""}
        return bool(words) and words <= labels

    def _names_share_rows(self, planned: Plan, words: Sequence[str]) -> bool:
        """Whether ``words`` name the whole or the part of a share of the rows that reached
        a moment ("of the orders that have been delivered, what % arrived within 5 days"):
        the moment's words ("the delivered count"), or the condition's own amount and
        unit ("the within-5-days count", "# within 5")."""
        timed = [c for c in planned.conditions if c.metric.startswith("duration:")]
        if not planned.share_of_measured or len(timed) != 1:
            return False
        _, unit, _, _, end = timed[0].metric.split(":")[:5]
        moment = self.model.moments.get(end)
        said = set(words)
        if moment is not None and said <= {singular(w) for w in moment.words}:
            return True
        amounts = {str(v) for v in timed[0].values}
        return bool(said & amounts) and said <= amounts | _CONDITION_WORDS | {
            unit.lower(),
            singular(unit.lower()),
        }

    def _shows(self, planned: Plan, item: str) -> bool:
        """Whether the answer of ``planned`` shows the measure ``item`` names: one of its
        measures by its own name or in its words ("returned count": the returned items),
        with the value a filter keeps ("China's revenue", "the female count": a share's
        part), "the total" of a share or a rate's whole, or the share or rate itself."""
        grain = planned.grain
        # "all items of each country", "the orders per country": each row's own
        owner = _EACH_OWNER.search(item.lower())
        if owner is not None and self._breakdown_named(owner["words"].split()) in (
            planned.dimensions
        ):
            item = item[: owner.start()]
        # "order items (any status)": every row, as a rate's whole counts them anyway
        item = (
            _ANY_STATUS.sub(" ", item)
            if any(self.model.metric(m).unit == "percent" for m in planned.metrics)
            else item
        )
        periods = {grain, "period", _PERIODICAL.get(grain, grain)} if grain else set()
        window = planned.time_window
        years = {str(y) for y in (*window.years, window.year) if y} if window else set()
        words = [  # "each month's revenue" beside a running total: the month's own;
            # "each country's order count": the group's own; "the 2025 total": the window's
            singular(w.removesuffix("'s"))
            for w in tokens(normalize(item).replace("%", " percent "))
            if w not in _SHOWN_FILLER
            and w.removesuffix("'s") not in periods | years
            and not (w.endswith("'s") and self._breakdown_named([w[:-2]]) in planned.dimensions)
        ]
        whole = planned.share or planned.top_count is not None or planned.top_percent is not None
        rates = [m for m in planned.metrics if self.model.metric(m).unit == "percent"]
        # "the prior year's AOV", "the previous month's count": a series' change is shown
        # with the value it is from
        earlier = planned.growth and bool(set(words) & _EARLIER)
        words = [w for w in words if not (earlier and w in _EARLIER)]
        if (
            earlier
            and len(planned.metrics) == 1
            and set(words)
            <= {singular(w) for w in tokens(self.model.metric(planned.metrics[0]).label.lower())}
        ):
            words = []  # "the prior year's cost": the series' own measure, by a word of its name
        # "give both and the % change": a comparison's two values and its change in percent
        compared = planned.compare and (
            set(words) <= _PERCENT_CHANGE and bool({"change", "growth"} & set(words))
            if words
            else "both" in tokens(item.lower())
        )
        # "with that day's count beside it": each period's own value, which a series shows
        # (beside a rolling average or a running total too)
        own = bool(grain) and any(
            w.removesuffix("'s") in periods
            for w in tokens(normalize(item))  # "monthly" too
        )
        if planned.share and self._names_share_rows(planned, words):
            words = []  # "the delivered count", "the within-5-days count": its whole, its part
        if not words or compared:  # "and the total": a share's, or the whole of a rate
            beside = whole or (len(planned.metrics) > 1 and len(rates) < len(planned.metrics))
            return len(planned.metrics) == 1 if earlier else bool(beside or compared or own)
        values = {
            w
            for w in words
            for f in planned.filters
            if self._value_named([w], f.dimension) in f.values
        }
        # "the department revenue" beside a share within each department: its group's
        # total, which such a share shows (and "the category revenue": each row's own)
        groups = (
            {w for w in words if self._breakdown_named([w]) in planned.dimensions}
            if planned.share_within
            else set()
        )
        # "the department revenue" beside each department's share: each row's own
        own_rows = (
            set()
            if planned.share_within or not planned.share
            else {w for w in words if self._breakdown_named([w]) in planned.dimensions}
        )
        rest = [w for w in words if w not in values | groups | own_rows]
        if not rest:  # "the female count": the part of a share ("the category count" is
            # how many categories: not shown); "the department total": its group's total
            said_total = {"total", "overall"} & set(tokens(normalize(item)))
            return (bool(values) and whole and not groups) or bool(groups and said_total)
        if set(rest) <= _SHARE_WORDS | _RATE_SUFFIX:  # "beside the percentage"
            return whole or bool(rates)
        named = {name for kind, name, _ in self._phrases.get(tuple(rest), []) if kind == "metric"}
        total = bool({"total", "all", "overall"} & set(tokens(normalize(item))))
        # a measure shown, by its own name of two words or more in any order ("units sold"
        # beside a sell-through rate: its sold units; "the items" alone beside an item
        # return rate stays refused below: all of them, or those sold?)
        own_names = [
            [singular(w) for w in tokens(n.lower())]
            for name in planned.metrics
            for n in (self.model.metric(name).label.lower().removesuffix(" %"),
                      *self.model.metric(name).synonyms)
        ]  # fmt: skip
        if len(rest) > 1 and frozenset(rest) in {frozenset(n) for n in own_names}:
            return True
        # "the item count" of "brands with at least 100 order items": the condition's
        # measure, shown by its label
        kept = any(
            m in self.model.metrics
            and [singular(w) for w in tokens(self.model.metric(m).label.lower())] == rest
            for m in (c.metric for c in planned.conditions if c.per in planned.dimensions)
        )
        if named - set(planned.metrics) and not total and not kept:
            return False  # another measure, or "the items" beside a rate: all, or sold?
        # another measure, not shown; else "the returned count", "total inventory units",
        # by their words; "the number who've ordered" beside a share of the things that
        # meet a condition: its part
        return (
            kept
            or rest in own_names
            or (
                (not named or (total and bool(rates)))  # "total units" beside a sell-through
                and (
                    any(
                        set(rest) <= {singular(w) for w in self._measure_words(m)}
                        for m in planned.metrics
                        if m not in rates  # a rate's words ("returned share") name no count
                    )
                    or (
                        planned.share
                        and bool(planned.conditions)
                        and bool(_CONDITION_PART.match(item))
                    )
                    # "purchasing sessions", "those that went on to purchase": a conversion's
                    or self._sessions.shows(item, planned.session_filters, planned.session_rate)
                )
            )
        )

    def _without_shown_columns(self, question: str) -> Plan | None:
        """The plan of a list of things asked with the columns it shows anyway ("which
        customers spent more than $1,000 in 2025? list their user id and what they
        spent", "customers with lifetime spend over $1,000: user id, spend"): each thing's
        id and the measure, read without them, or ``None``."""
        match = _SHOWN_COLUMNS.search(question)
        if match is None:
            return None
        tail = question[match.end() :]
        if match["tail"].startswith(","):
            tail = f", {tail}"
        rest = question[: match.start()] + tail
        if not set(tokens(match["cols"].lower())) - _COUNT_WORDS - {"the", "total", "how", "many"}:
            return None  # "products never ordered - count": how many, not a column
        head = question[: match.start()]
        if ":" in question[match.start() : match.start("cols")]:
            head = ""  # said after a colon already: read as it is, or not at all
        try:
            planned = things_listed(self.model, rest, self._read(rest))
        except PlanningError:
            return self._columns_listed(head, match["cols"], tail)
        if len(planned.dimensions) != 1 or len(planned.metrics) != 1:
            return self._columns_listed(head, match["cols"], tail)
        thing = self.model.dimensions[planned.dimensions[0]]
        # its own names and its column's words (a customer's: customer, user, id)
        named = (thing.name, thing.label, *thing.synonyms, thing.sql_for(""))
        known = {w for s in named for w in tokens(s.lower().replace("_", " "))}
        known |= self._measure_words(planned.metrics[0])
        said = _SPENT_SAID.sub(" spend ", match["cols"].lower())
        window = planned.time_window
        years = {str(y) for y in (*window.years, window.year) if y} if window else set()
        shown = {singular(w) for w in known} | {"and", "their", "the", "its", *years}
        dimensions = self._columns_of_each(said, shown, thing.name)
        if dimensions is None:
            return self._columns_listed(head, match["cols"], tail)
        return replace(planned, question=question, dimensions=dimensions)

    def _columns_of_each(self, said: str, shown: set[str], thing: str) -> tuple[str, ...] | None:
        """The list's breakdowns for the columns ``said`` after a list of ``thing``
        ("user id, country and 2025 spend": the thing, and the country each has one of),
        the words in ``shown`` being its own and its measure's; ``None`` when a column is
        not read so (not a column, or one a thing has many of)."""
        extra: list[str] = []
        for item in re.split(r"\s*(?:,|&|\+|\band\b)\s*", said):
            words = [w for w in tokens(item) if singular(w) not in shown]
            if not words:
                continue
            column = self._column_named(words)
            if column is None or column == thing:
                return None
            extra.append(column)
        try:
            return tuple(self._with_entity_columns([thing], extra, 1, None))
        except PlanningError:
            return None  # "category" of a customer: many

    def _columns_listed(self, head: str, columns: str, tail: str) -> Plan | None:
        """The plan of a list of things whose columns were asked for after it, read as
        the columns said after a colon ("Who were our ten biggest spenders in 2025?
        Please give user id, country and 2025 spend": "...: user id, country and
        spend"), or ``None`` (and when ``head`` is empty: they were said so already). A
        year said of a column is the list's own window."""
        items = [i for i in re.split(r"\s*(?:,|&|\+|\band\b)\s*", columns) if i]
        if not head.strip() or any(len(tokens(i)) > _COLUMN_WORDS for i in items):
            return None  # said after a colon already, or a sentence, not columns
        years = re.findall(r"\b(?:19|20)\d\d\b", columns)
        if any(year not in head for year in years):
            return None  # "2025 spend" after a list of 2025: that list's own year
        said = re.sub(r"\b(?:19|20)\d\d\s+", "", columns)
        said = re.sub(r"\bids\b", "id", said, flags=re.IGNORECASE)
        head = head.rstrip(" ?.")
        notes: tuple[str, ...] = ()
        try:
            if tail.strip(" .?!"):
                # "..., so the local teams can send thank-you notes": said after the
                # columns, left out only where the list is read the same without it
                with_tail, without = self._read(head + tail), self._read(head)
                bare = (replace(p, notes=(), question="") for p in (with_tail, without))
                if next(bare) != next(bare):
                    return None
                notes, tail = with_tail.notes, ""
            planned = self._read(f"{head}: {said}{tail}")
            listed = self._read(head)
        except PlanningError:
            return None
        kept = ("limit", "order", "per", "grain", "time_window", "filters")
        if (
            not planned.dimensions
            or any(getattr(planned, name) != getattr(listed, name) for name in kept)
            or planned.dimensions[: len(listed.dimensions)] != listed.dimensions
            or (listed.dimensions and planned.metrics != listed.metrics)
        ):
            return None  # the columns would change what is listed, not only show more
        return replace(planned, notes=(*planned.notes, *notes))

    def _measure_words(self, name: str) -> set[str]:
        """The words of a measure's label and synonyms."""
        metric = self.model.metric(name)
        return {w for s in (metric.label, *metric.synonyms) for w in tokens(s.lower())}

    def _as_share_of_lead(self, question: str) -> Plan | None:
        """The plan of a share whose whole is said first ("Of all orders placed in 2025,
        what percentage had 3 or more items?") read as "what percentage of all orders
        placed in 2025 had 3 or more items?", or ``None``."""
        match = _SHARE_OF_LEAD.match(question)
        if match is None:
            return None
        try:
            whole = match["whole"] or match["head"]
            planned = self._read(f"{match['ask']} of {whole} {match['rest']}")
        except PlanningError:
            return None
        return replace(planned, question=question)

    def _without_context(self, question: str, refused: PlanningError) -> Plan | None:
        """The plan of ``question`` without a sentence or clause that only tells why it is
        asked ("Warehouse planning: ...", "We're designing a loyalty tier. ...", "... -
        trying to plan shifts"), or ``None``. Such a part is left out only when reading
        the whole question read none of its words (each is one ``refused`` names, or a
        stopword), it says no number and no word that restricts or orders anything
        ("only", "top", "not", ...), and the rest is read in full; the plan notes it.

        A view of the figures (``_COMMENTARY``: "I think it's a lot but I'm not sure",
        "my boss thinks it got worse", "people keep calling about those") is left out
        whatever its words, when it names no number and no value or breakdown the rest
        does not."""
        unread = {w.lower() for w in refused.unread}
        for context, rest in _context_splits(question):
            said = [w for w in tokens(normalize(context)) if w not in STOPWORDS | MANNER]
            # A view of the figures ("I think it's a lot but I'm not sure") may say "but"
            # and "not" of what it believes; it restricts nothing. Its words may have been
            # read as a measure ("people keep calling"), so none need be left unread.
            # One naming a value or breakdown the rest does not ("I think mostly Germany")
            # is read as any other part.
            opened = _COMMENTARY.match(context)  # what the view is of, after its holder
            view = (
                opened is not None
                and not _RELAYED.search(context[opened.end() :])
                and not self._names_more(context[opened.end() :], rest)
            )
            if not view and (
                not any(w in unread for w in said) or _RESTRICTING.search(context.lower())
            ):
                continue
            if re.search(r"\d", context) and not _PERIOD_ONLY.search(context):
                continue
            try:
                planned = self._read(rest)
            except PlanningError:
                continue
            if re.search(r"\d", context) and not _period_restated(context, planned.time_window):
                continue  # "We're reviewing Q3. ... between July and September 2025": the same
            if view:
                note = f"read without '{context.strip(' .:;-,')}', a view of the figures"
                return replace(planned, question=question, notes=(*planned.notes, note))
            rest_words = set(tokens(normalize(rest)))
            heading = question.lstrip().startswith(context.strip())
            if (
                not heading
                and said
                and all(
                    any(k in {"dimension", "metric"} for k, _, _ in self._phrases.get((w,), []))
                    for w in map(singular, said)
                )
            ):
                continue  # "...? country": a column asked for last, not why it is asked
            if not all(w in unread for w in said) and not (
                heading
                and self._restates([w for w in said if w not in rest_words], unread, planned)
            ):
                continue
            note = f"read without '{context.strip(' .:;-')}', which asks for nothing"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _without_owner_remark(self, question: str) -> str:
        """``question`` without a remark that says whose a breakdown named elsewhere in it
        is ("Top 3 distribution centers by 2025 rev (product's DC)": the DC of each item's
        product, as the model reaches it), so the owner is not read as a column of its
        own. Only when the owner names a table's row and the remark's breakdown is named
        outside it."""
        for remark in _OWNER_REMARK.finditer(question):
            named = self._breakdown_named([singular(w) for w in tokens(remark["what"].lower())])
            if named is None or singular(remark["whose"].lower()) not in self._row_heads():
                continue
            outside = f"{question[: remark.start()]} {question[remark.end() :]}".strip()
            if named in self._names_said(outside, "dimension"):
                return outside
        return question

    def _names_more(self, part: str, rest: str) -> bool:
        """Whether ``part`` names a value or a breakdown that ``rest`` does not."""

        def named(text: str) -> set[tuple[str, str, object]]:
            return {
                (kind, name, value)
                for phrase, kind, name, value in self._phrases_in(text)
                if kind in {"value", "dimension"} and (len(phrase) > 1 or phrase[0] not in FILLER)
            }

        return not named(part) <= named(rest)

    def _names_said(self, text: str, kind: str) -> set[str]:
        """The model's names of ``kind`` ("metric", "dimension") that any phrase of
        ``text`` says, overlapping phrases included."""
        return {name for _, said, name, _ in self._phrases_in(text) if said == kind}

    def _phrases_in(self, text: str) -> Iterator[tuple[tuple[str, ...], str, str, object]]:
        """Each phrase of ``text`` (its words made singular) that names something of the
        model, overlapping phrases included, with what it names: (kind, name, value)."""
        words = [singular(w) for w in tokens(normalize(text))]
        for n in range(1, min(self._max_len, len(words)) + 1):
            for i in range(len(words) - n + 1):
                phrase = tuple(words[i : i + n])
                for kind, name, value in self._phrases.get(phrase, []):
                    yield phrase, kind, name, value

    def _without_lead_question(self, question: str) -> Plan | None:
        """The plan of the request that follows a question and answers it ("Do men or
        women spend more per order? Could you give me 2025 AOV split by customer
        gender?"), or ``None``. Only when the question names no number, period or
        restriction (``_LEAD_KEEPS``), each name of the model in it is a measure,
        breakdown or value the request's plan has too, and the request is read in full;
        the plan notes it."""
        match = _LEAD_QUESTION.match(question)
        if match is None or _LEAD_KEEPS.search(match["lead"]):
            return None
        try:
            planned = self._read(match["ask"])
        except PlanningError:
            return None
        if not self._names_only_of(match["lead"], planned):
            return None
        note = f"read as the request after '{match['lead'].strip()}'"
        return replace(planned, question=question, notes=(*planned.notes, note))

    def _names_only_of(self, text: str, planned: Plan) -> bool:
        """Whether every measure, breakdown or value ``text`` names is one of ``planned``:
        a measure it shows (or one a measure it shows is built from), a breakdown it is
        by (or a value of one), a value it keeps."""
        metrics = {m for m in planned.metrics if m in self.model.metrics}
        measure_words = {w for m in metrics for w in self._measure_words(m)}
        breakdown_words = self._breakdown_words(
            [d for d in planned.dimensions if d in self.model.dimensions]
        )
        kept = {(f.dimension, str(v)) for f in planned.filters for v in f.values}

        built = [self.model.metrics[m].expression for m in metrics]

        def covered(kind: str, name: str, value: str) -> bool:
            if kind == "metric":  # "spend ... per order": revenue, which AOV is built from
                return name in metrics or any(
                    self.model.metric(name).expression in b for b in built
                )
            if kind == "dimension":
                return name in planned.dimensions
            return name in planned.dimensions or (name, value) in kept

        words = [singular(w) for w in tokens(normalize(text))]
        at = 0
        while at < len(words):
            for size in range(min(self._max_len, len(words) - at), 0, -1):
                named = self._phrases.get(tuple(words[at : at + size]))
                if named:
                    break
            else:
                at += 1
                continue
            said = set(words[at : at + size])
            if not any(covered(*entry) for entry in named) and not (
                said <= measure_words | breakdown_words | STOPWORDS
            ):
                return False
            at += size
        return True

    def _as_said_aloud(self, question: str, *, listed: bool = False) -> Plan | None:
        """The plan of a question said with no punctuation (dictated), read with a
        question mark before the request that follows it ("which brands have at least
        100 order items ... above 12 percent show the item count ..."), or ``None``.
        Each place a request starts is tried, the last first; the plan notes it.
        ``listed``: only a request for figures ("show the ...", "give me the ..."), which
        is read so before the question as said, and refused when it cannot be: read as
        one clause, its figures would be taken for what the question counts."""
        if _PUNCTUATED.search(question):
            return None
        asks = list((_ASK_LISTED if listed else _ASK_SAID).finditer(question))
        refused: PlanningError | None = None
        parts = [(ask.start(), ask.end(), "?") for ask in reversed(asks)]
        lead = _LEAD_SAID.match(question)
        if lead is not None and not listed:  # "of the 2024 signups how many never ..."
            parts.append((lead.start("gap"), lead.end("gap"), ","))
        for start, end, mark in parts:
            if len(question[:start].split()) < _MIN_WORDS_BEFORE_ASK:
                continue
            said = f"{question[:start]}{mark} {question[end:]}"
            try:
                planned = self._read(said)
            except PlanningError as error:
                refused = refused or error
                continue
            note = f"read as '{question[:start].strip()}{mark}', then what follows"
            return replace(planned, question=question, notes=(*planned.notes, note))
        if listed and refused is not None:
            raise refused
        return None

    def _as_which_listed(self, question: str) -> Plan | None:
        """The plan of a tile that names things by a condition, then their columns after a
        dash ("Customers who spent more than $800 in 2025 - user id, country, 2025
        spend"), read as the question "Which customers spent ...? user id, ...", or
        ``None``; the plan notes it."""
        tile = _CONDITIONED_TILE.match(question)
        if tile is None:
            return None
        try:
            planned = self._read(f"Which {tile['things']}{tile['condition']}? {tile['rest']}")
        except PlanningError:
            return None
        note = f"read as which {tile['things'].lower()}{tile['condition']}"
        return replace(planned, question=question, notes=(*planned.notes, note))

    def _without_report_name(self, question: str, refused: PlanningError) -> Plan | None:
        """The plan of ``question`` with a heading's name for the report it is for left
        out ("2024 review: top 5 categories", "Q3 2025 recap - revenue by month"), the
        rest of the heading kept: its period or place applies to what follows. Only
        the words ``_REPORT_NAMES`` holds, each one the reading left unread, and only
        when what is left is read in full; the plan notes it."""
        unread = {w.lower() for w in refused.unread}
        named = unread & _REPORT_NAMES
        if not named:
            return None
        for context, rest in _context_splits(question):
            if not question.lstrip().startswith(context.strip()):
                continue  # a heading only
            words = [w for w in tokens(normalize(context)) if w not in STOPWORDS]
            dropped = [w for w in words if w in named]
            if not dropped or len(dropped) == len(words):
                continue  # nothing named, or only the name: the context reading's
            kept = re.sub(rf"\b(?:{'|'.join(map(re.escape, dropped))})\b", " ", context, flags=re.I)
            try:
                planned = self._read(f"{kept.strip(' -:')}: {rest}")
            except PlanningError:
                continue
            note = f"read without '{' '.join(dropped)}', the name of the report it is for"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _as_distribution(self, question: str) -> Plan | None:
        """The plan of "sale_price of items sold, $50 buckets -> item count" read as the
        distribution of that number ("distribution of sale_price of items sold ..."), or
        ``None``: buckets of a width say what is counted in each. Only when the question
        names buckets of a width and not a distribution itself."""
        said = normalize(question)  # "bucketed in $250": in $250 buckets
        if not _WIDTH_BUCKETS.search(said) or re.search(r"\bdistribution\b", said):
            return None
        try:
            planned = self._read(f"distribution of {question.strip()}")
        except PlanningError:
            return None
        return replace(planned, question=question)

    def _without_first_change(self, question: str) -> Plan | None:
        """The plan of a series with its growth, asked with a remark that spells out its
        first change ("each month of 2025 (January compared with Dec 2024)", "across 2025
        (Jan vs Dec 2024 and so on)"), read without the remark: each period is compared
        with the one before, the first with the one before the window. Only when the
        remark names the window's first period and the one before it."""
        said = question
        remark = _FIRST_CHANGE.search(said)
        if remark is None:
            said = recased(normalize(question), question)
            remark = _FIRST_CHANGE_BARE.search(said)
        if remark is None:
            return None
        try:
            planned = self._read(said[: remark.start()] + " " + said[remark.end() :])
        except PlanningError:
            return None
        first = _first_periods(planned)
        if not planned.growth or first is None:
            return None
        later_said = _period_said(remark["later"], str(planned.grain))
        earlier_said = _period_said(remark["earlier"], str(planned.grain))
        if later_said is None or earlier_said is None:
            return None
        (later, later_year), (earlier, earlier_year) = later_said, earlier_said
        later_year = later_year or first[0][1]
        if (later, later_year) != first[0] or (earlier, earlier_year or later_year) != first[1]:
            return None
        note = f"'{remark.group(0).strip(' ()')}' read as the first period's change"
        return replace(planned, question=question, notes=(*planned.notes, note))

    def _as_top_one(self, question: str, refused: PlanningError) -> Plan | None:
        """The plan of "top customer by revenue in each country" read as "top 1 customer
        ...": a superlative before one thing, said in the singular, with no number."""
        said = getattr(refused, "top_one", None)
        if said is None:
            return None
        word, thing = said
        pattern = re.compile(rf"\b({re.escape(word)})\s+(?={re.escape(thing)}\b)", re.IGNORECASE)
        text = question if pattern.search(question) else normalize(question)  # "top cust"
        if len(pattern.findall(text)) != 1:
            return None
        try:
            planned = self._read(pattern.sub(r"\1 1 ", text))
        except PlanningError:
            return None
        return replace(planned, question=question)

    def _as_date_of_row(self, question: str) -> Plan | None:
        """The plan of "when was the first order placed", "what is the latest order date"
        or "earliest signup date" read as "date of the first order": the row first or
        last by its table's own date, and that date. A verb of another moment ("when did
        the last order ship") is not read so."""
        found = _WHEN_WAS.match(question) or _RANKED_DATE.match(question)
        if found is None:
            return None
        rank = _SAID_RANK.get(found["rank"].lower(), found["rank"])  # "first user": earliest
        try:
            rest = _ROW_VERB.sub("", found["rest"])
            planned = self._read(f"date of the {rank} {found['what']}{rest}")
        except PlanningError:
            return None
        return replace(planned, question=question)

    def _without_restated_period(self, question: str) -> Plan | None:
        """The plan of "revenue last month (the last complete calendar month in the
        data)" read without the remark: it names the very period the rest of the question
        is read over, and nothing else. ``None`` when no remark does."""
        for remark in re.finditer(r"\(([^()]{3,80})\)", question):
            said, rest = remark.group(1), question[: remark.start()] + question[remark.end() :]
            restated, left = self._time_window(normalize(said))
            if restated is None or any(
                w not in STOPWORDS and w not in _PERIOD_FILLER for w in tokens(left)
            ):
                continue
            try:
                planned = self._read(rest)
            except PlanningError:
                continue
            window = planned.time_window
            if window is None or replace(window, label="") != replace(restated, label=""):
                continue
            note = f"'({said.strip()})' read as the period asked, said again"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _without_restated_entity_measure(self, question: str) -> Plan | None:
        """The plan of "average order size (items per order) in 2025" read without the
        remark: it names, by another of its names, the measure of each thing the rest
        names ("order size" and "items per order" are both the items of each order,
        ``reader.entity_measures``). ``None`` when no remark does."""
        named = self.model.reader.get("entity_measures", {})
        for remark in re.finditer(r"\(([^()]{3,60})\)", question):
            # "(articles per order)": the model's taught words too
            said = " ".join(tokens(self._read_taught(normalize(remark.group(1)), [])))
            rest = question[: remark.start()] + question[remark.end() :]
            spoken = " ".join(tokens(normalize(rest)))
            if said not in named or not any(
                other != said
                and target == named[said]
                and re.search(rf"\b{re.escape(other)}\b", spoken)
                for other, target in named.items()
            ):
                continue
            try:
                planned = self._read(rest)
            except PlanningError:
                continue
            note = f"'({remark.group(1).strip()})' read as another name of the measure asked"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _with_short_slips_fixed(self, question: str, refused: PlanningError) -> Plan | None:
        """The plan of ``question`` with a slip in a four-letter word that names a measure
        or breakdown fixed ("avg oder value", "never placed an oder"), or ``None``. Four
        letters are too short to fix up front, as ``_named_slip`` fixes longer words:
        "even", "send" and "ties" are words of their own. So only words the reading left
        unread are fixed, and only when the whole question is then read; noted."""
        fixed: dict[str, str] = {}
        for word in {w.lower() for w in refused.unread}:
            if len(word) == 4 and word.isalpha() and word not in self._known:
                meant = self._slipped(word)
                if meant is not None:
                    fixed[word] = meant
        if not fixed:
            return None
        said = re.sub(r"[A-Za-z]+", lambda m: fixed.get(m.group(0).lower(), m.group(0)), question)
        try:
            planned = self._plan(said)
        except PlanningError:
            return None
        notes = tuple(f"read '{w}' as '{m}'" for w, m in sorted(fixed.items()))
        return replace(planned, question=question, notes=(*planned.notes, *notes))

    def _without_restated_sql(self, question: str) -> Plan | None:
        """The plan of "order return rate by customer age decade (decade = floor(age/10)*10)"
        read without the remark: it spells out, as SQL, a breakdown or measure the rest of
        the question reads (the model's own expression, written without its table names).
        A remark with other SQL is left to refuse."""
        for remark in _SQL_REMARK.finditer(question):
            said = _canonical_sql(remark["said"].rpartition("=")[2])
            if not said or not any(ch in said for ch in "(*/+-"):
                continue
            named = {
                name
                for name, dimension in self.model.dimensions.items()
                if _canonical_sql(dimension.own_sql()[0]) == said
            } | {
                name
                for name, metric in self.model.metrics.items()
                if not metric.filters  # a rule the remark leaves out is not restated
                and _canonical_sql(metric.expression) == said
            }
            if not named:
                continue
            try:
                planned = self._read(question[: remark.start()] + " " + question[remark.end() :])
            except PlanningError:
                continue
            if not named & {*planned.dimensions, *planned.metrics}:
                continue
            note = f"'{remark['said'].strip()}' read as how the model computes it"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _as_breakdown_first(self, question: str) -> Plan | None:
        """The plan of "(rank the) distribution centers (ranked) by stock value, highest
        first" read as "stock value by distribution center, highest first", when the words
        before "by" name a breakdown (even one that names a count too), or ``None``. Only
        when the plan is by that breakdown alone."""
        # as written, else as spelt out ("rank the states of Brasil after the number of")
        match = _BREAKDOWN_FIRST.match(question) or _BREAKDOWN_FIRST.match(normalize(question))
        if match is None:
            return None
        named = self._breakdown_named([singular(w) for w in tokens(match["things"].lower())])
        if named is None:
            return None
        try:
            planned = self._read(
                f"{match['rest']} by {match['things']}{match['where'] or ''}{match['tail']}"
            )
        except PlanningError:
            return None
        if planned.dimensions != (named,) or not planned.metrics:
            return None
        return replace(planned, question=question)

    def _on_one_table(self, question: str) -> Plan | None:
        """The plan of a question about one table's rows with the words that mean that
        table's own measures there read so (``table_phrases``: "How many units are
        sitting in stock unsold?": inventory units, not items sold), or ``None``. Only
        when the question names a measure of that table as written, and every measure
        of the plan is that table's."""
        if self._on_table:
            return None  # read once: "units" means "inventory units", which says units
        named = self._names_said(question, "metric")
        for table, (pattern, said) in self._table_taught.items():
            if not pattern.search(question) or not any(
                self.model.metric(name).table == table for name in named
            ):
                continue

            def meaning(match: re.Match[str], said: Mapping[str, str] = said) -> str:
                return said[match[0].lower()]

            # the words left out first ("units currently in stock": what is in stock),
            # then read as what they mean there ("units received": inventory units)
            for read in (
                re.sub(r"\s{2,}", " ", pattern.sub("", question)),
                pattern.sub(meaning, question),
            ):
                planned = self._read_on(table, read)
                if planned is not None:
                    note = f"read as a question about {table.replace('_', ' ')}"
                    return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _read_on(self, table: str, question: str) -> Plan | None:
        """The plan of ``question`` if every measure of it is ``table``'s, else ``None``."""
        self._on_table = True
        try:
            planned = self._read(question)
        except PlanningError:
            return None
        finally:
            self._on_table = False
        if planned.metrics and all(self.model.metric(m).table == table for m in planned.metrics):
            return planned
        return None

    def _without_lifetime(self, question: str) -> Plan | None:
        """The plan of "customers with more than $1,000 in lifetime revenue" read without
        "lifetime": a measure of each customer over all their time, which is what a
        question without a period measures. Only when the rest has no period."""
        if _LIFETIME.search(question) is None:
            return None
        try:
            planned = self._read(_LIFETIME.sub(" ", question))
        except PlanningError:
            return None
        if planned.time_window is not None or planned.compare or planned.grain:
            return None
        return replace(planned, question=question)

    def _without_buyer_rule(self, question: str) -> Plan | None:
        """The plan of "how many customers (people who bought at least one item) of each
        gender" read without the remark: buying one item is what makes someone counted
        as a buyer. Only when the rest reads as a count of buyers, by a measure that counts
        the people of bought rows (the revenue rule's), and the remark says nothing more."""
        said = _BUYER_RULE.search(question)
        if said is None:
            return None
        try:
            planned = self._read(question[: said.start()] + " " + question[said.end() :])
        except PlanningError:
            return None
        people = self.model.metrics.get(self.model.reader.get("people", ""))
        buyers = [
            name
            for name in planned.metrics
            if people is not None
            and (metric := self.model.metrics.get(name)) is not None
            and metric.unit == "count"
            and metric.entity == people.entity
            and metric.filters  # the rule that makes people buyers
        ]
        # "the average age of our customers (anyone who bought at least one item)": the
        # people kept by having bought, which the remark says again
        bought = planned.conditions and all(
            (c.op, c.values) == (">=", (1,))
            and (metric := self.model.metrics.get(c.metric)) is not None
            and bool(metric.filters)
            for c in planned.conditions
        )
        if not bought and (not buyers or planned.conditions):
            return None
        note = f"'{said.group(0).strip(' ()?')}' read as what makes a customer"
        return replace(planned, question=question, notes=(*planned.notes, note))

    def _without_said_unit(self, question: str) -> Plan | None:
        """The plan of "average delivery time in days" read without "in days": only when
        every measure read without it is counted in that unit, as its own name says
        ("Average days from order to delivery"). A unit the measure is not counted in
        ("shipping time in hours") stays refused."""
        said = _SAID_UNIT.search(question)
        if said is None:
            return None
        try:
            planned = self._read(question[: said.start()] + question[said.end() :])
        except PlanningError:
            return None
        unit = said["unit"].lower()
        timed = [m for m in planned.metrics if unit in self.model.metric(m).label.lower().split()]
        if not timed or planned.metrics[0] not in timed:
            return None
        return replace(planned, question=question)

    def _without_rate_formula(self, question: str) -> Plan | None:
        """The plan of a measure asked with a remark that spells out its formula in its
        parts' words ("item return rate (returned items / all items)", "sell-through rate
        (sold units as a % of all inventory units)", "gross profit (revenue less COGS)"),
        read without the remark. Only when the rest reads as one rate whose part and whole
        the model names (``reader.rate_parts``, ``reader.rate_wholes``, which it may show
        beside it) or one measure whose two parts it names in order
        (``reader.formula_parts``), and the formula names them in that order, one on each
        side (``_names``): "(cost minus revenue)" is no profit. The plan notes it."""
        for remark in (*_FORMULA_REMARK.finditer(question), *_FORMULA_TAIL.finditer(question)):
            said = _SHARE_OF.sub(_share_as_formula, remark["said"])
            marker = _FORMULA.search(said)
            if marker is None:
                continue
            try:
                planned = self._read(question[: remark.start()] + " " + question[remark.end() :])
            except PlanningError:
                continue
            if not planned.metrics or planned.conditions:
                continue
            measure = planned.metrics[0]
            reader = self.model.reader
            parts = [reader.get(kind, {}).get(measure) for kind in ("rate_parts", "rate_wholes")]
            if None in parts:
                parts = list(reader.get("formula_parts", {}).get(measure) or [None])
            if None in parts or not set(planned.metrics[1:]) <= set(parts):
                continue  # the measure, and what it is shown with
            named, _, formula = said.rpartition("=")  # "(profit = revenue minus cost)"
            if named and not self._names(named, measure):
                continue
            marker = _FORMULA.search(formula)
            if marker is None:
                continue
            before, after = formula[: marker.start()], formula[marker.end() :]
            if len(parts) != 2 or not (  # a formula of two measures
                self._names(before, str(parts[0])) and self._names(after, str(parts[1]))
            ):
                continue  # "(cost minus revenue)" is no profit
            note = f"'{said.strip()}' read as the formula of the measure asked for"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _names(self, said: str, measure: str) -> bool:
        """Whether ``said`` names ``measure`` in its words: every word of it is one of the
        measure's, and it has the words every name of the measure has ("all sessions" is
        not "sessions with a home page view")."""
        metric = self.model.metric(measure)
        phrases = [
            {singular(w) for w in tokens(p.lower())} - _FORMULA_FILLER
            for p in (metric.label, *metric.synonyms)
        ]
        taught = self._read_taught(normalize(said), [])  # "cost of the articles sold"
        words = {singular(w) for w in tokens(taught)} - _FORMULA_FILLER
        return (
            bool(words) and words <= set().union(*phrases) and set.intersection(*phrases) <= words
        )

    def _restates(self, said: Sequence[str], unread: set[str], planned: Plan) -> bool:
        """Whether each word of ``said`` that the reading read names a measure, breakdown,
        value or share the plan has anyway ("Stock check: how many units are still
        unsold?": "stock" is the unsold stock measured). Words the rest says again are
        left out of ``said`` by the caller ("UK category mix - what % of UK revenue ...")."""
        names: set[str] = set()
        for name in planned.metrics:
            if name in self.model.metrics:
                names |= self._measure_words(name)
        names |= self._breakdown_words(
            [d for d in planned.dimensions if d in self.model.dimensions]
        )
        # "UK category mix - what % of UK revenue ...": its values and its share, read too
        names |= {w for f in planned.filters for v in f.values for w in tokens(str(v).lower())}
        shared = planned.share or planned.share_of_rows
        return all(
            w in unread or w in names or singular(w) in names or (shared and _SHARE.search(w))
            for w in said
        )

    def _as_defined(self, question: str, refused: PlanningError) -> Plan | None:
        """The plan of ``question`` with a term it defines said as its definition ("AUR
        (i.e. revenue per item sold)", "(AUR = revenue per item sold)", "By dead stock I
        mean ..."), or ``None`` (``_read_definitions``). Only for a term the reading of
        the whole question left unread (a word ``refused`` names), and only when the
        question so said is read in full; the plan notes the definition it read."""
        from lgda_nb.planner._read_definitions import definitions

        unread = {w.lower() for w in refused.unread}
        if not unread:
            return None
        for defined in definitions(question):
            if not unread & set(tokens(normalize(defined.term))):
                continue
            try:
                planned = self._read(defined.question)
            except PlanningError:
                continue
            note = f"'{defined.term}' read as you defined it: {defined.definition}"
            return replace(planned, question=question, notes=(*planned.notes, note))
        return None

    def _compared_beyond(self, text: str, dimensions: Sequence[str]) -> bool:
        """Whether ``text`` sets things against each other beyond the name of a breakdown
        it reads ("first vs repeat orders in 2025" is a breakdown, not 2025 against 2024)."""
        named = [
            synonym
            for name in dimensions
            for synonym in self.model.dimensions[name].synonyms
            if _COMPARE.search(synonym) and re.search(rf"\b{re.escape(synonym)}\b", text)
        ]
        for synonym in named:
            text = re.sub(rf"\b{re.escape(synonym)}\b", " ", text)
        return not named or bool(_COMPARE.search(text))

    def _people_of(self, question: str) -> Iterator[tuple[str, str, str]]:
        """The question without the words for a table's people (``reader.people_of``)
        where they only say whose the rows, places and breakdowns are ("sessions from
        website visitors in Texas": the sessions in Texas; "by visitor city": by city),
        that table and the words; nothing when no such words stand there."""
        for table, words in self.model.reader.get("people_of", {}).items():
            people, placed = _people_patterns(tuple(words))
            named = people.search(question)
            if named is None:
                continue
            trimmed = placed.sub("", question)
            trimmed = people.sub(
                lambda m: "" if self._breakdown_at(m.string[m.end() :]) else m.group(0),
                trimmed,
            )
            # "sessions from London visitors": the place said before them
            trimmed = people.sub(
                lambda m: "" if _PLACE_BEFORE.search(m.string[: m.start()]) else m.group(0),
                trimmed,
            )
            if trimmed != question:
                yield trimmed, table, named[0].strip()

    def _breakdown_at(self, text: str) -> bool:
        """Whether ``text`` starts with a word for a dimension ("cities by sessions")."""
        said = " ".join(tokens(text)[:3])
        return any(
            f"{said} ".startswith(f"{synonym} ")
            for dimension in self.model.dimensions.values()
            for synonym in dimension.synonyms
        )

    def _read_people_of(self, question: str, trimmed: str, table: str, word: str) -> Plan:
        """The plan of ``trimmed`` (``_people_of``) when it counts rows of ``table`` and
        reads nothing of another table: the people's places are that table's own columns
        ("website visitors in Texas": the events' state, not the users' state)."""
        try:
            plan = self._read(trimmed)
        except PlanningError:
            return self._plan(question)  # refused as written, naming the words
        counted = self.model.metric(plan.metrics[0]).table if plan.metrics else None
        read = self._tables_read(plan, counted)
        if read != {table}:
            others = sorted(t.replace("_", " ") for t in read - {table}) or ["no table's rows"]
            raise PlanningError(
                f"'{word}' names the people the {table.replace('_', ' ')} rows record, "
                f"but the answer would read {' and '.join(others)}.",
                hint=f"Ask for a measure of {table.replace('_', ' ')} by or in a place of "
                f"theirs, or leave '{word}' out.",
            )
        return replace(plan, question=question)

    def _labelled(self, question: str, labels: re.Match[str]) -> Plan:
        """ "... - label the rows 'first' and 'repeat'": the names asked for the rows are
        read as a restatement when the answer names its rows so anyway, and refused when
        it does not (an answer never renames its values)."""
        trimmed = (question[: labels.start()] + question[labels.end() :]).strip(" -,;")
        plan = replace(self._read(trimmed), question=question)
        from lgda_nb.planner._compile import compile_plan

        sql = compile_plan(plan, self.model).lower()
        named = re.findall(r"['\"]([^'\"]+)['\"]", labels.group(0))
        missing = [n for n in named if f"'{n.lower()}'" not in sql]
        if missing:
            raise PlanningError(
                "The rows cannot be named " + ", ".join(repr(n) for n in missing) + ": an "
                "answer names its rows by their values.",
                hint="Ask without the names; the answer shows each row's own value.",
            )
        return plan

    def _tables_read(self, plan: Plan, counted: str | None) -> set[str]:
        """The table whose rows ``plan`` counts and the tables of its breakdowns and
        filters ("revenue by brand (products)": brand is read from products)."""
        read = {counted} if counted else set()
        for name in (*plan.dimensions, *(f.dimension for f in plan.filters)):
            dimension = self.model.dimensions.get(name)
            if dimension is not None and counted:
                read |= set(re.findall(r"\b([a-z_]\w*)\.", dimension.sql_for(counted)))
        return read

    def _table_named(self, words: str) -> str | None:
        """The table of the model whose rows ``words`` name (its catalog words or name)."""
        said = " ".join(singular(w) for w in tokens(words))
        return next(
            (
                name
                for name, table in self.model.catalog.items()
                if said in table.words or said == " ".join(map(singular, tokens(name)))
            ),
            None,
        )

    def _table_remarks(self, question: str) -> Iterator[tuple[str, frozenset[str]]]:
        """The question without a remark that names the table it reads ("(products)",
        "(orders table, any status)", "in the events table", "(order_items join
        products)", "events table: ..."), and the tables named, for each such remark."""
        lowered = question.lower()
        for pattern, keep, needs in _TABLE_REMARKS:
            if needs not in lowered:
                continue  # a precheck: the text the pattern cannot match without
            for remark in pattern.finditer(question):
                named = [self._table_named(t) for t in re.split(r"\s+join\s+", remark["table"])]
                if not named or None in named:
                    continue
                kept = remark.expand(keep)
                trimmed = f"{question[: remark.start()]}{kept}{question[remark.end() :]}"
                yield trimmed.strip(), frozenset(t for t in named if t is not None)

    def answers(self, question: str) -> bool:
        """Whether ``plan`` reads ``question``, remembered per question (bounded).

        For the follow-up questions an answer suggests: they are built from the
        model's labels, so the same few are checked after every answer. The planner
        never changes once built (a new model or value index builds a new one), so
        neither does the verdict.
        """
        known = self._answers.get(question)
        if known is None:
            try:
                self.plan(question)
            except LGDAError:
                known = False
            else:
                known = True
            if len(self._answers) >= _ANSWERS_KEPT:
                self._answers.clear()
            self._answers[question] = known
        return known

    def _but_not(self, question: str, text: str, absent: re.Match[str]) -> Plan:
        """ "How many customers bought in 2024 but not in 2025": the things counted in the
        first period, with a condition of none of the verb's measure in the second
        (``text`` is the question normalized, ``absent`` the second period's clause)."""
        said = text[: absent.start("but")].rstrip(" ,") + text[absent.end() :]
        first = self._read(recased(said, question))
        return self._in_two_periods(
            question, first, before=text[: absent.start()], second=absent["second"],
            verb_said=absent["verb"], test=("=", 0), refusal=PlanningError(
                "I read things done in one period but not in another, but not which things "
                "or which two periods.",
                hint="Ask as 'how many customers bought in 2024 but not in 2025'.",
            ),
        )  # fmt: skip

    def _in_both(self, question: str, text: str, both: re.Match[str]) -> Plan:
        """ "How many customers bought in both 2024 and 2025": the things counted in the
        first period, with a condition of at least one of the verb's measure in the
        second (``text`` is the question normalized, ``both`` the two periods' clause)."""
        earlier, later = both["first"] or both["first2"], both["second"] or both["second2"]
        said = f"{both['verb']} in {earlier}"
        first = self._read(recased(text[: both.start()] + said + text[both.end() :], question))
        return self._in_two_periods(
            question, first, before=text[: both.start()], second=f"in {later}",
            verb_said=both["verb"], test=(">=", 1), refusal=PlanningError(
                "I read things done in two periods, but not which things or which periods.",
                hint="Ask as 'how many customers bought in both 2024 and 2025'.",
            ),
        )  # fmt: skip

    def _in_two_periods(
        self,
        question: str,
        first: Plan,
        *,
        before: str,
        second: str,
        verb_said: str,
        test: tuple[str, int],
        refusal: PlanningError,
    ) -> Plan:
        """The things ``first`` counts in its period, kept by ``test`` (an operator and a
        number) on the verb's measure of each in the ``second`` period ("in 2025");
        ``before`` is the question up to the clause of the periods."""
        window, rest = self._time_window(second)
        measures = self.model.reader.get("never", {})
        verb = verb_said.split(maxsplit=1)[0]
        first, per = self._things_of(first, before)
        metric = self.model.metric(first.metrics[0]) if len(first.metrics) == 1 else None
        if (
            window is None
            or rest.strip(" ,")
            or metric is None
            or per is None
            or metric.unit != "count"
            or first.time_window is None
            or first.grain
            or first.conditions
            or verb not in measures
        ):
            raise refusal
        measure = never_measure(self.model, measures[verb], before)
        op, value = test
        kept = Condition(measure, per, op, (value,), window=window.described())
        return replace(first, question=question, conditions=(kept,))

    @staticmethod
    def _check_share_of_described(text: str, reading: _Reading, filters: Sequence[Filter]) -> None:
        """ "what % of customers in China have more than one order": the value names the
        whole and the condition the part, a share this reader cannot take yet; refused,
        never answered as China's share of the customers with more than one order."""
        rows = _SHARE_ROWS.search(text)
        if rows is None:
            return
        named = rows["rows"]
        for f in filters:
            words = [reading.value_words.get(str(v), str(v)).lower() for v in f.values]
            if any(re.search(rf"\b{re.escape(w)}\b", named) for w in words):
                raise PlanningError(
                    "A share of the things of one value that meet a condition is not "
                    "supported yet.",
                    hint="Ask for the two counts, with and without the condition.",
                )

    @staticmethod
    def _check_counted_by(text: str) -> None:
        """ "how many by number of orders" (or "by item count") with nothing read as
        counted by that number: refused, never answered as one total."""
        found = re.search(
            r"\bby\s+(?:the\s+|their\s+|its\s+)?(?:(?:number|count)\s+of\s+(?P<what>[a-z]+)|"
            r"(?P<counted>[a-z]+)\s+count\b)",
            text,
        )
        if found is not None and found["counted"]:  # "orders by item count: items, orders"
            raise PlanningError(
                f"I read 'by {found['counted']} count' but not what to count by it.",
                hint=f"Ask for the things counted by it alone, e.g. 'orders by "
                f"{found['counted']} count'.",
            )
        if found is not None:
            raise PlanningError(
                f"I read 'by the number of {found['what']}' but not what to count by it.",
                hint=f"Name the things counted, e.g. 'customers by the number of "
                f"{found['what']} they bought in'.",
            )

    def _check_by_measure(
        self, reading: _Reading, mentions: Sequence[_Mention], metrics: Sequence[str]
    ) -> None:
        """ "orders by revenue", "customers by revenue": a measure said right after "by",
        with no breakdown or ranking read, is not a breakdown; refused, never answered as
        two totals side by side."""
        if len(metrics) < 2:
            return
        for mention in mentions:
            before = reading.words[max(0, mention.start - 2) : mention.start]
            if mention.kind != "metric" or not (before[-1:] == ["by"] or before == ["by", "the"]):
                continue
            at = mention.start - (1 if before[-1] == "by" else 2) - 1  # the word before "by"
            if at >= 0 and _AGENT_BEFORE.fullmatch(reading.words[at]):
                continue  # "items ordered by customers aged 65+": who did it
            said = self.model.metric(mention.name).label.lower()
            other = next(self.model.metric(m).label.lower() for m in metrics if m != mention.name)
            raise PlanningError(
                f"I read 'by {said}', but {said} is a measure, not a breakdown.",
                hint=f"Ask for the top things by it ('top 10 customers by {said}'), for both "
                f"side by side ('{other} and {said}'), or for a breakdown ('{said} by "
                "country').",
            )

    def _check_things_ranked_per_period(self, reading: _Reading, first: str, grain: str) -> None:
        """'top 5 orders by value in each month': single things ranked within each period,
        which a plan cannot say; refused, never read as the top 5 months."""
        things = self.model.metrics.get(first)
        start = reading.metric_starts.get(first)
        if things is None or things.entity is None or start is None or start < 1:
            return
        if reading.words[start - 1].isdigit() or reading.words[start - 1] in _RANKING_AGGREGATES:
            raise PlanningError(
                f"Single {things.label.lower()} ranked within each {grain} are not supported yet.",
                hint=f"Ask for the top {things.label.lower()} of one {grain}, e.g. with 'in "
                f"March 2025', or for the {grain}s ranked.",
            )

    def _check_top_things(
        self, reading: _Reading, metrics: Sequence[str], dimensions: Sequence[str]
    ) -> None:
        """'top 10 customers by spend, ...': the things named right after the number are
        what is ranked; a reading that ranks some other breakdown by their count instead
        (the top 10 countries by customers) is refused."""
        for name in metrics:
            things = self.model.metrics.get(name)
            start = reading.metric_starts.get(name)
            if things is None or things.entity is None or start is None or start < 1:
                continue
            if reading.words[start - 1].isdigit() and things.entity not in dimensions:
                raise PlanningError(
                    f"I read the top {reading.words[start - 1]} {things.label.lower()}, but "
                    "could not read the rest of the question around them.",
                    hint=f"Ask for the top {things.label.lower()} by one measure, with the "
                    "columns to show after 'with their'.",
                )

    def _check_superlative_things(self, reading: _Reading, metrics: Sequence[str]) -> None:
        """'best customer in each country', 'top customer in each country by revenue': a
        superlative before the things a measure counts, with no number read, asks for
        the things ranked; counting them instead would drop the ranking, so it is
        refused."""
        for name in metrics:
            things = self.model.metrics.get(name)
            start = reading.metric_starts.get(name)
            if things is None or things.entity is None or start is None or start < 1:
                continue
            word = reading.words[start - 1]
            if word in _SUPERLATIVE_BEFORE_THINGS:
                label = things.label.lower()
                refused = PlanningError(
                    f"I read '{word} {reading.raw[start]}' but not how many {label} to "
                    "rank, or by what.",
                    hint=f"Say both, e.g. 'top 1 {singular(label)} by revenue in each country' "
                    f"or 'top 5 {label} by revenue'.",
                )
                thing = reading.raw[start].lower()
                if singular(thing) == thing and not thing.endswith("s"):
                    refused.top_one = (word, thing)  # "top customer": one of them, asked again
                raise refused

    def _things_of(self, first: Plan, before: str) -> tuple[Plan, str | None]:
        """The plan counting the things of a "but not" clause, and what they are: the
        entity its measure counts (customers), the breakdown of a distinct count
        ("different products sold"), or a keyed breakdown named before the verb, whose
        distinct values the measure's rows then count ("products sold in 2024")."""
        if len(first.metrics) != 1:
            return first, None
        name = first.metrics[0]
        if name.startswith("distinct_in:"):
            return first, name.rsplit(":", 1)[-1]
        metric = self.model.metrics.get(name)
        if metric is None or metric.entity is not None:
            return first, metric.entity if metric else None
        words = {singular(w) for w in tokens(before)[-4:]}
        for dim_name, dim in self.model.dimensions.items():
            if dim.key and words & {singular(w) for w in (dim_name, *dim.synonyms)}:
                counted = f"distinct_in:{name}:{dim_name}"
                return replace(first, metrics=(counted,)), dim_name
        return first, None

    def _purpose_cut(self, text: str) -> str:
        """``text`` without what the figures are for ("For the weekly ops review - ...",
        "for the markets slide"): it asks for nothing. Kept when a word of its name is one
        of the model's ("for the Germany deck", "for the Jeans review": the country or
        category may be what is asked about)."""
        if "for " not in text:
            return text

        def cut(found: re.Match[str]) -> str:
            named = any((singular(w),) in self._phrases or singular(w) in self._phrase_starts
                        for w in found["words"].split())  # fmt: skip
            # "Prepping for the buying meeting: ...": the clause is left whole to the
            # reading that leaves out what only says why a question is asked
            before = re.search(r"([a-z']+)\s*$", text[: found.start()])
            said = before is not None and before[1] not in FILLER | STOPWORDS | MANNER
            return found[0] if named or said else ""

        return _PURPOSE.sub(cut, text)

    def _people_columns_said(self, text: str) -> str:
        """``text`` with a column of the people said after it ("the country of the
        client", "cities of our Brazilian clients") as the customers' column ("customer
        country", "Brazilian customer cities"): whose column it is, not a count of them
        beside the measure. Left as said before a clause about the people ("of the
        customers who ..."), or after a word before them that names no value ("of our
        repeat customers")."""
        pattern = self._people_columns
        if pattern is None or " of " not in text:
            return text

        def said(found: re.Match[str]) -> str:
            adjective = found["adjective"]
            named = self._phrases.get((singular(adjective.lower()),), []) if adjective else []
            if adjective and not any(kind == "value" for kind, _, _ in named):
                return found[0]
            return f"{adjective + ' ' if adjective else ''}customer {found['column']}"

        return pattern.sub(said, text)

    @functools.cached_property
    def _people_columns(self) -> re.Pattern[str] | None:
        """``_people_columns_said``'s pattern, from the model: the words of the columns
        on the people's table and of the counts of the people."""
        people = self.model.reader.get("people")
        if not people:
            return None
        columns = sorted(
            {
                word
                for d in self.model.dimensions.values()
                if (d.column or "").split(".")[0] == people and not d.key and not d.numeric
                for word in (d.name.replace("_", " "), *d.synonyms)
                if word.isalpha()
            },
            key=len,
            reverse=True,
        )
        nouns = sorted(self._people_nouns, key=len, reverse=True)
        if not columns or not nouns:
            return None
        plural = "|".join(re.escape(n) for n in nouns)
        singular_ = "|".join(re.escape(n.removesuffix("s")) for n in nouns if n.endswith("s"))
        return re.compile(
            rf"\b(?P<column>{'|'.join(re.escape(c) for c in columns)})\s+of\s+"
            r"(?:(?:all\s+)?(?:the|our)\s+)?(?:(?P<adjective>[a-z]+)\s+)??"
            rf"(?:{plural}|{singular_})\b(?!\s+(?:who|that|whose|which|with)\b)",
            re.IGNORECASE,
        )

    @functools.cached_property
    def _people_nouns(self) -> frozenset[str]:
        """The one-word names of the counts of the people (``reader.people``): the words a
        question calls them by."""
        people = self.model.reader.get("people")
        entities = {m.entity for m in self.model.metrics.values() if m.table == people} - {None}
        return frozenset(
            word
            for m in self.model.metrics.values()
            if m.unit == "count" and m.entity in entities
            for word in (m.name, *m.synonyms)
            if word.isalpha()
        )

    @functools.cached_property
    def _phrase_starts(self) -> frozenset[str]:
        """The first word of every phrase the reader knows."""
        return frozenset(key[0] for key in self._phrases if key)

    @functools.cached_property
    def _qualified_column(self) -> re.Pattern[str]:
        """A column named with its table ("products.distribution_center_id"), outside the
        parentheses that restate a breakdown ("by gender (users.gender)")."""
        tables = "|".join(map(re.escape, sorted(self.model.catalog, key=len, reverse=True)))
        return re.compile(rf"(?<![\w.(])(?P<table>{tables})\.(?P<column>[a-z_][a-z0-9_]*)\b")

    def _qualified_said(self, text: str) -> str:
        """``text`` with each column named with its table said as its words (see
        ``_column_of_table``): the table is no breakdown of its own."""
        if "." not in text:
            return text
        return self._qualified_column.sub(self._column_of_table, text)

    def _column_of_table(self, found: re.Match[str]) -> str:
        """A column named with its table, as said: the column alone where a breakdown reads
        it ("products.retail_price": retail_price), else the column of the table's row
        ("products.distribution_center_id": the product's distribution_center_id)."""
        if self._dimensions_on(found[0]):
            return found["column"]
        return f"{row_words(self.model, found['table'])[0]}'s {found['column']}"

    def _group_values_said(self, text: str) -> str:
        """``text`` without "values" after a breakdown's name ("product_category values
        within ...", "top 5 state values by user count"): the breakdown's values are its
        groups, not a measure of money. Not after a single thing ("order values": each
        order's value)."""
        if "values" not in text:
            return text
        for found in reversed(list(re.finditer(r"\bvalues\b", text))):
            before = tokens(text[: found.start()])[-3:]
            for size in range(len(before), 0, -1):
                name = self._breakdown_named(before[-size:])
                if name is not None:
                    if name not in self.model.single_things():
                        text = f"{text[: found.start()].rstrip()} {text[found.end() :].lstrip()}"
                    break
        return text

    @functools.cached_property
    def _moment_column(self) -> re.Pattern[str]:
        """A moment said by its column's name ("shipped_at", read "shipped at") where a
        duration names its ends: before "to", "and", a comma or a bracket, or last."""
        words = sorted(
            {w for moment in self.model.moments.values() for w in moment.words if " " not in w},
            key=len,
            reverse=True,
        )
        return re.compile(
            rf"\b({'|'.join(map(re.escape, words))})\s+at\b"
            r"(?=\s*(?:$|[,;)?.!]|(?:to|and|until|till|in|for|by|across|on)\b))"
        )

    def _moment_columns_said(self, text: str) -> str:
        """``text`` with "from shipped_at to delivered_at" said as "from shipped to
        delivered": the moments of the rows, by their columns' names."""
        if " at" not in text:
            return text
        return self._moment_column.sub(r"\1", text)

    def _plan(self, question: str) -> Plan:  # noqa: PLR0912, PLR0915 - passes share one reading
        """The plan of ``question`` as written (see ``plan``)."""
        text = self._group_values_said(self._qualified_said(self._check_input(question)))
        text = self._name_starts_listed(self._moment_columns_said(text))
        text = self._purpose_cut(_PERIOD_RESTATED.sub(" ", text))
        self._check_value_last(text, question)
        text = groups_first(text, self._names_groups, self._names_measure)
        text = _each_ranked_said(text)
        window_moment, text = self._window_moment(text)
        absent = _BUT_NOT.search(text)
        if absent is not None:
            return self._but_not(question, text, absent)
        twice = _IN_BOTH.search(text)
        if twice is not None:
            return self._in_both(question, text, twice)
        if not self._reading_list:
            from lgda_nb.planner._read_lists import read_list

            listed = read_list(self, question, text)
            if listed is not None:
                return listed
        notes: list[str] = []
        text = self._fix_slips(self._calendar_years(text, notes), notes)
        time_fixes = list(notes)
        text = self._value_rows_said(_said_again_cut(self._read_taught(text, notes)))
        text = self._stay_before(text)
        text = self._from_verbs_cut(text)
        text = self._restated_moments(_unit_out_of_remark(text))
        scoped, text = cut_scoped(self.model, self._phrases, self._any_value_dimensions, text)
        text = timecmp.whole_years(timecmp.cut_restated(text))
        text = spell_statistics(self._time_measures_spelled(text))
        text = spread_statistics(
            self._extremes_listed(text), self._names_number, self._names_measure
        )
        text = self._rate_beside(self._rate_condition(text))
        text = dimension_first_share(split_between(participle_part(text)), self._names_breakdown)
        text, column_hints = cut_column_hints(
            text, self._dimensions_on, lambda name: self.model.dimensions[name].synonyms[0]
        )
        text = self._predicate_first(most_common_as_top(average_how_many(text)))
        text = self._measure_first(plain_phrases(cut_pointers(cut_for_each_end(text))))
        text = self._per_breakdown.sub(r"by \1", text)  # "revenue per customer country"
        key_columns_of, text = self._key_columns_cut(text)
        entity_columns, text = self._entity_columns_cut(text)
        rolling, rolling_unit, text = timecmp.cut_rolling(text)
        raw_bands, text = timecmp.cut_bands(text, question, self.model)
        # "what % of users in China fall into each age band (...)": the bands are the part
        # (the verb as asked: the reading has made "fall into" plain "in")
        bands_part = raw_bands is not None and _INTO_EACH.search(question.lower()) is not None
        text = timecmp.cut_fall_in(text, banded=raw_bands is not None)
        year_earlier, text = timecmp.cut_year_earlier(text)
        text = _growth_vs_previous(text)
        full_text = text
        cohort_reading, text = read_cohort(self.model, text)
        halves, text = timecmp.cut_compared_halves(text)
        window, text = self._time_window(text)
        compare_with: TimeWindow | None
        if halves is not None and window is None and year_earlier is None:
            window, compare_with = halves  # "H1 2025 vs H2 2025"
        else:
            window, compare_with, text = timecmp.cut_second_period(window, text, year_earlier)
        if window is not None:
            notes.append(f"time window: {window.label}")
            text = _window_said_again(text, window)
        durations, duration_rows, text = self._durations(text)
        text = self._restated_moments(text, durations)
        reached, text = self._reached_restated(text, durations, full_text)
        of_time = bool(durations) or any(p.search(text) for p, _ in self._time_measure_phrases)
        if of_time:
            # "slowest first" of a measure of time: the longest first.
            text = _SLOW_FIRST.sub("highest first", _FAST_FIRST.sub("lowest first", text))
        counted_rows, text = cut_distinct_rows(
            self.model, text, self._breakdown_named, self._measure_named
        )
        both, text = cut_both(text, self._breakdown_named, self._value_named)
        if of_time:
            # "the slowest average delivery time": the highest duration ranks first.
            text = re.sub(r"\bslowest\b", "highest", text)
            text = re.sub(r"\b(?:fastest|quickest)\b", "lowest", text)
        bucketed = raw_bands is not None and bool(raw_bands.width) and not raw_bands.subject
        per_entity, text = self._entity_reader.read(text, bucketed=bucketed)
        if per_entity.ranked_only:
            self._check_ranked_period(full_text)
        averages, text = self._average_reader.read(text)
        sessions, text = self._sessions.read(text)
        text, of_measured = self._measured_rows(text)
        timed, text = cut_duration_conditions(
            text, self._moments_of, self._moment_pair, self._first_moment
        )
        if timed:  # "took more than 5 days to get delivered, placed to delivered"
            text = self._restated_moments(text, [c.metric for c in timed])
        self._check_value_after_counted(text)
        raw_conditions, text = self._metric_conditions(text)
        raw_conditions += [
            _RawCondition(c.metric, c.op, c.values, len(tokens(text[: c.start])), c.text)
            for c in timed
        ]
        raw_conditions += [
            _RawCondition(a.metric, a.op, (), a.position, a.text) for a in averages if a.metric
        ]
        any_of, text = self._any_value(text)
        comparisons, text = self._comparisons(text)
        text = _CHRONOLOGICAL.sub(" ", text)
        claims: list[tuple[int, int]] = []
        text, period_of = self._cut_period_owner(text)
        grain = self._grain(text)
        if grain is not None:
            # Every phrase of the grain, overlapping ones too ("by hour" in "by hour of day").
            pattern = rf"(?=({_GRAIN_PATTERNS[grain]}))"
            claims.extend(m.span(1) for m in re.finditer(pattern, text))
        listed_grain = _LISTED_GRAIN.search(text) if grain is None else None
        if listed_grain is not None:
            # "revenue by department and year": the period is the list's last breakdown.
            grain = listed_grain.group("grain")
            claims.append(listed_grain.span("tail"))
        pick = _GRAIN_PICK.search(text) or _GRAIN_WITH.search(text)
        picked_grain = pick is not None and (
            grain is None
            # "orders by weekday: which weekday is busiest": the breakdown's own period.
            or (
                grain == _picked_grain(pick)
                and bool(_MOST.search(text) or _LEAST.search(text))
                and not _ORDERED.search(text)
            )
        )
        # "Which weekday gets the most orders? Show orders by day of week": the period
        # is also asked for as a breakdown of its own, so every one is shown, top first.
        every_period = (
            picked_grain
            and pick is not None
            and grain is not None
            and any(
                m.start(1) < pick.start() or m.end(1) > pick.end()
                for m in re.finditer(rf"(?=({_GRAIN_PATTERNS[grain]}))", text)
            )
        )
        within_period = None
        if (
            not picked_grain
            and pick is not None
            and grain is not None
            and grain in LONGER_PERIODS.get(_picked_grain(pick), ())
            and re.search(rf"\b(?:each|every|per)\s+{grain}\b", text)
        ):
            # "which month had the highest revenue in each year": the months ranked
            # within their own year.
            picked_grain, within_period = True, grain
            claims.extend(m.span() for m in re.finditer(rf"\b(?:each|every|per)\s+{grain}\b",
                                                        text))  # fmt: skip
        if picked_grain and pick is not None:
            grain = _picked_grain(pick)
            claims.append(pick.span())
        natural = {"recent_months": "month", "complete_months": "month",
                   "complete_weeks": "week"}  # fmt: skip
        if (
            grain is not None
            and window is not None
            and natural.get(window.kind) == grain
            and re.search(r"\b(?:each|every) of\b", text)
        ):
            # "week-over-week change for each of the last 6 complete weeks"
            claims.extend(m.span() for m in re.finditer(r"\b(?:each|every) of\b", text))
        if grain is None and window is not None and _EACH_PERIOD.search(text):
            grain = natural.get(window.kind)
            grain = grain or ("day" if window.kind == "last_days" and window.n <= 31 else None)
            if grain is not None:
                claims.extend(m.span() for m in _EACH_PERIOD.finditer(text))
        growth = bool(_GROWTH.search(text)) and grain is not None
        if window is not None and window.kind == "through_year" and grain in _SUBYEAR_GRAINS:
            # "revenue by month through 2025": the months of 2025, as analysts write it.
            window = TimeWindow("year", year=window.year, label=f"in {window.year}")
        cumulative = bool(_CUMULATIVE.search(text))
        if cumulative:
            claims.extend(m.span() for m in _CUMULATIVE.finditer(text))
        if growth:
            claims.extend(m.span() for m in _GROWTH.finditer(text))
            claims.extend(m.span() for m in _GROWTH_PERCENT.finditer(text))
        if _TREND.search(text):
            # "revenue trend": a monthly series; "quarterly GM% trend": the series asked;
            # "trended from 2021 through 2025": over three years or more, a yearly one
            spanned = window is not None and window.kind == "year_range"
            years = window.years[-1] - window.years[0] + 1 if spanned and window else 0
            grain = grain or ("year" if years >= _YEARS_TRENDED_BY_YEAR else "month")
            claims.extend(m.span() for m in _TREND.finditer(text))
        share = bool(_SHARE.search(text) or _EACH_SHARE.search(text))
        if share:  # "share of users by country (%)": the unit of the share, restated
            claims.extend(m.span() for m in re.finditer(r"\(\s*%\s*\)", text))
        funnel = bool(_FUNNEL.search(text))
        compared_years = window is not None and window.kind == "years" and " vs " in window.label
        compare = (
            window is not None
            and bool(_COMPARE.search(full_text))
            and (window.kind in COMPARABLE or (window.kind == "years" and len(window.years) == 2))
        )
        if not compare and grain is None and timecmp.change_between_years(window, full_text):
            # "which country had the biggest increase in revenue from 2024 to 2025": the
            # two years compared, not one total over both.
            assert window is not None
            window = replace(window, kind="years", label=" vs ".join(map(str, window.years)))
            compare = True
        compare, grain, growth, compare_with = timecmp.compared_periods(
            text, window, compare, compare_with, grain, growth, claims
        )
        order, limit, ranking = self._ranking(text)
        ranked_set = None
        if ranking is not None:
            claims.append(ranking.span())
            if re.search(r"\b(from|of|among|for|in)\s+(our\s+|the\s+)?$", text[: ranking.start()]):
                ranked_set = ranking  # "revenue and profit for the top 5 categories by revenue"
        by_change = timecmp.BY_CHANGE.search(text) if compare else None
        superlative = timecmp.superlative_change(text, ranking) if compare else None
        falls_first = difference = False
        if superlative is not None and (
            by_change is None or by_change.start() <= superlative.start() < by_change.end()
        ):  # "top 5 brands by the biggest increase": the superlative says which change
            # "which country had the biggest drop in orders, 2024 vs 2023": the change
            # ranks, lowest first for a fall; the difference itself unless growth or a %
            # is said ("the largest growth", "the biggest % drop").
            difference = superlative["way"] != "growth" and not superlative["pct"]
            by_change = superlative
            falls_first = superlative["way"] in timecmp.FALLS
            if falls_first and limit is not None:
                order = "asc"
        if by_change is not None:
            claims.append(by_change.span())
        elif (
            compare
            and timecmp.CHANGE_WORDS.search(text)
            and (limit or _ranks(_HOW_MANY_MORE.sub(" ", text)))
            and not self._ranked_by_latest(full_text, window)
        ):
            raise PlanningError(
                "A ranking of a comparison can be by the latest value or by the change; "
                "I cannot tell which one you want.",
                hint="Say 'top 5 by growth' (the change in %), or ask for the latest period "
                "ranked on its own.",
            )
        shown_difference = False
        if compare:
            # "and the difference", "how many more ... than": the later minus the earlier
            # beside the change in %; "in one row with both numbers" is how it is shown.
            asked = timecmp.difference_asked(text, full_text)
            timecmp.check_than(full_text, bool(asked))
            shown_difference = bool(asked) and not difference
            claims.extend(asked)
            claims.extend(m.span() for m in _ONE_ROW.finditer(text))
            claims.extend(m.span(w) for m in _BOTH_SHOWN.finditer(text) for w in (1, 2))
        elif by_how := _BY_HOW_MANY_LEFT.search(text):
            # "avg hours to ship by how many orders the customer placed": no breakdown
            # read, and no comparison for a difference; never a second measure.
            raise PlanningError(
                f"I could not read '{by_how[0]} ...' as a breakdown.",
                hint="Ask for a breakdown by one of the model's columns, or by the number "
                "of things in each ('orders by number of items').",
            )
        if picked_grain and limit is None:
            limit = None if every_period else 1
            order = _direction(text)
        sorted_periods = (
            pick is not None and grain == _picked_grain(pick) and bool(_ORDERED.search(text))
        )  # "which weekday had the most orders? every weekday, busiest first"
        if picked_grain or sorted_periods:
            claims.extend(m.span() for m in _MOST.finditer(text))
            claims.extend(m.span() for m in _LEAST.finditer(text))

        words = tokens(text)
        reading = _Reading(
            text=text, words=[self._word(w) for w in words], raw=words, question=question
        )
        reading.stated = list(per_entity.metrics)
        reading.capitalized = {w.lower() for w in re.findall(r"\b[A-Z][\w'&.]*", question)}
        if "'" in question or '"' in question:  # a value in quotes is meant as a value too
            reading.capitalized |= {
                word
                for quoted in _QUOTED.finditer(question)
                for word in tokens((quoted[1] or quoted[2] or "").lower())
            }
        reading.claimed = {
            i
            for i, match in enumerate(TOKEN.finditer(text))
            if any(start <= match.start() and match.end() <= end for start, end in claims)
        }
        spans = [match.span() for match in TOKEN.finditer(text)]
        gaps = [text[before[1] : after[0]] for before, after in itertools.pairwise(spans)]
        reading.breaks = {i + 1 for i, gap in enumerate(gaps) if "," in gap or ";" in gap}
        reading.pauses = reading.breaks | {i + 1 for i, gap in enumerate(gaps) if ":" in gap}
        mentions = self._mentions(reading)
        if self._bare:
            mentions = self._settle_bare(reading, mentions)
        metrics, dimensions, filters, per = self._interpret(reading, mentions, words, limit)
        self._check_value_per_measure(reading, metrics, filters)
        _check_each_its_value(self.model, mentions, reading.words)
        _check_of_those(reading.words, mentions)
        unowned = self._without_owners(reading, dimensions)
        if per in dimensions and per not in unowned:
            # "for each product department": each department, the product says whose
            at = reading.dimension_starts.get(per, -2) + 1
            per = next((d for d in unowned if reading.dimension_starts.get(d) == at), None)
        dimensions = unowned
        dimensions, entity_columns = self._beyond_two(reading, dimensions, entity_columns, limit)
        if key_columns_of is not None and key_columns_of not in dimensions:
            label = self.model.dimensions[key_columns_of].label.lower()
            raise PlanningError(
                f"The {label}'s id and name were asked for, but the answer is not by {label}.",
                hint=f"Ask by {label} ('... by {label}'), or leave out the columns.",
            )
        metrics = [*counted_rows, *(m for m in metrics if m not in counted_rows)]
        conditions = self._conditions_on(raw_conditions, reading, mentions, metrics, dimensions)
        conditions = [_filtered_as_answer(c, filters) for c in conditions]
        metrics = self._listed_with_their_measure(metrics, dimensions, conditions)
        if both is not None:
            conditions = [*conditions, both.condition]
            filters = [*filters, both.values]
        if share and not of_measured and any(c.metric.startswith("duration:") for c in conditions):
            raise PlanningError(
                "A share of things that took some time could be of all of them or only of "
                "those with both moments; I cannot tell which one you want.",
                hint="Ask for the count, e.g. 'how many orders took more than 3 days to ship'.",
            )
        timed_metrics = [m for m in metrics if m in self.model.metrics
                         and self._moments_measured(m) is not None]  # fmt: skip
        if durations or timed_metrics:
            duration = self.model.metric((durations or timed_metrics)[0])
            tables = {duration.table} | {a.table for a in duration.alternatives}

            def describes(name: str) -> bool:
                # "days from receipt to sale for inventory items": whose durations ("for
                # 2025 orders": the year was read as the window).
                at = reading.metric_starts.get(name, 0)
                measured = self.model.metric(name)
                if measured.unit != "count" or measured.table not in tables:
                    return False
                if at > 0 and reading.words[at - 1] in {
                    "for", "of", "among", "across", "from", "a", "an", "each", "every", "per",
                    "all", "any",
                }:  # fmt: skip
                    if reading.words[at - 1] in {"any", "each", "every"}:
                        reading.used.add(at - 1)  # "for any order": every one of them
                    return True  # "for orders", "to sell an inventory item": whose durations
                # The words before it were read already ("for 2025 orders": the year), or
                # they end the question after a comma ("average delivery time in days,
                # delivered orders").
                said = "|".join(re.escape(w) for w in (*measured.synonyms, measured.name))
                lead = r"\b(?:for|among|across|on|over)\s+(?:the\s+|all\s+|our\s+)?(?:\d{4}\s+)"
                last = r",\s*(?:all\s+|the\s+)?(?:\d{4}\s+)?(?:[a-z]+ed\s+)?"
                question = reading.question.lower()
                named = re.findall(rf"\b(?:{said})\b", question)
                # Named once, there: "for 2025 orders: order count, ..." asks for the count.
                return len(named) == 1 and (
                    re.search(rf"{lead}(?:{said})\b", question) is not None
                    or re.search(rf"{last}(?:{said})(?:\s+[a-z]+ed)?\s*[.?!]?\s*$", question)
                    is not None
                )

            if not durations:  # "average delivery time by country for 2025 orders"
                metrics = [m for m in metrics if not describes(m)]
        if durations:
            other_rows = [
                m for m in metrics if describes(m) and self.model.metric(m).table != duration.table
            ] + [f"{rows}s" for rows in duration_rows]
            stays = all(
                self.model.reaches(duration.table, self._dimension_table(d, duration.table))
                for d in (*dimensions, *(f.dimension for f in filters))
            )  # a breakdown the duration's own rows cannot reach picks the rows named
            if other_rows and stays:
                # "days from shipping to delivery for order items": measured on the rows
                # named, which the duration's own rows (orders) would not be.
                first = other_rows[0]
                rows = self.model.metric(first).label.lower() if first in metrics else first
                raise PlanningError(
                    f"I can measure {duration.label.lower()} on {duration.table} rows, not on "
                    f"{rows} yet.",
                    hint=f"Ask for it without '{rows}' to measure it on {duration.table} rows.",
                )
            metrics = [*durations, *(m for m in metrics if not describes(m))]
            filters = self._moments_restated(filters, durations, question)
            claims.extend(m.span() for m in re.finditer(r"\b(on average|how long)\b", text))
        if per_entity.metrics:
            metrics = [*per_entity.metrics, *(m for m in metrics if m not in per_entity.metrics)]
            metrics = self._entities_restated(reading, metrics)
        metrics = self._rows_of_number_statistics(reading, metrics)
        self._check_total_of_average(reading, metrics)
        metrics, dimensions, cohort_notes = apply_cohort(
            self.model,
            cohort_reading,
            metrics,
            dimensions,
            conditions,
            dated=window is not None,
            filters=filters,
        )
        check_people_named(self.model, cohort_reading, metrics, question)
        notes.extend(cohort_notes)
        conditions = never_over_all_time(self.model, cohort_reading, metrics, conditions)
        beside: list[str] = []  # a condition's own measure shown beside the one asked
        if not metrics and conditions and all(c.per in dimensions for c in conditions):
            # "countries with at least 200 orders"; "... with at least 100 orders, which
            # have a cancellation rate above 15%": each condition's measure, side by side
            # when they share their rows.
            tested = self.model.metric(conditions[0].metric).table
            metrics = list(dict.fromkeys(
                c.metric for c in conditions
                if c.against is None and self.model.metric(c.metric).table == tested
            )) or [conditions[0].metric]  # fmt: skip
        elif not filters:
            # "brands with at least 100 items sold, and their revenue": each group's own
            # number beside the measure asked, taken over the same rows as the test (not
            # for "never", whose groups have none).
            tables = {self.model.metric(m).table for m in metrics}
            rules = {tuple(self.model.metric(m).filters) for m in metrics}
            # A condition without a value yet is a comparison with the average (marked
            # below), not a number of its own to show. One a group without rows passes
            # ("below 50%") is shown where it is taken over the very rows of the measure
            # asked ("inventory received in 2024 ... sell-through below 50%").
            beside = [c.metric for c in conditions
                      if c.per in dimensions and c.against is None and c.values
                      and (not passes_at_zero(c)
                           or rules == {tuple(self.model.metric(c.metric).filters)})
                      and c.metric not in metrics
                      and {self.model.metric(c.metric).table} == tables]  # fmt: skip
            metrics += beside
        # A count's rule taken as filters, unless every value was asked for ("any status").
        # A value asked for on the rule's own column replaces the rule, as it does for a
        # measure's rule ("median sale price of items with status Returned").
        valued = {f.dimension for f in filters if f.op == "in" and not f.negate}
        ruled = [
            f for f in reading.rule_filters
            if f not in filters and f.dimension not in any_of and f.dimension not in valued
        ]  # fmt: skip
        filters = [*filters, *comparisons, *ruled]
        conditions = average_conditions(self.model, averages, conditions, filters)
        # Values set side by side ("men vs women") take the comparison's words for
        # themselves; two periods named against each other stay compared, each value's
        # own ("H2 2025 vs H2 2024 sign-ups for UK, DE and FR").
        periods_named = compared_years or compare_with is not None
        compare = (
            compare
            and (periods_named or not reading.listed)
            and self._compared_beyond(full_text, dimensions)
        )
        how_many_of = self._counted_after_how_many(reading, dimensions)
        if how_many_of is not None:
            table = self.model.metric(f"distinct:{how_many_of}").table
            # "how many brands are in the product catalog": the products are where they are
            # how_many_of, not a second measure.
            metrics = [
                m for m in metrics if not (self.model.metric(m).table == table
                                           and self.model.metric(m).unit == "count")
            ]  # fmt: skip
            if not metrics:
                metrics = [f"distinct:{how_many_of}{self._names_counted(reading, how_many_of)}"]
                dimensions = [d for d in dimensions if d != how_many_of]
            elif how_many_of in dimensions:
                # "how many distinct products ... stock": a count of products and another
                # measure; either reading drops words.
                understood = describe_parts(self.model, metrics, dimensions, [])
                label = self.model.dimensions[how_many_of].label.lower()
                raise PlanningError(
                    f"I understood: {understood}, and also a count of distinct {label} "
                    "values; I cannot tell which one you want.",
                    hint=f"Ask for the number of distinct {label} values, or for "
                    f"{understood.lower()}, in separate questions.",
                )
        for name in sorted(reading.listed):
            if name not in dimensions and len(dimensions) < 2:
                dimensions.append(name)
        inferred = False  # the measure came from a verb or a count, not a name
        self._check_unknown_values(reading, mentions)
        if sessions is not None:
            if window is None:
                claims.extend(m.span() for m in _ALL_TIME.finditer(text))
            order, limit = self._ranked(text, dimensions, order, limit, claims)
            if (
                per is not None
                and per in dimensions
                and (len(dimensions) > 1 or grain is not None)
                and (limit is not None or _SUPERLATIVE.search(text))
            ):
                label = self.model.dimensions[per].label.lower()
                other = "period" if len(dimensions) == 1 else "other breakdown"
                raise PlanningError(
                    f"Sessions ranked within each {label} are not supported yet.",
                    hint=f"Ask for the sessions by {label} and {other}, without a ranking.",
                )
            if conditions:
                # "top 5 states by % of sessions with a purchase, only states with at least
                # 500 sessions": never answered with the condition on the groups dropped
                label = self.model.dimensions[conditions[0].per].label.lower()
                raise PlanningError(
                    f"A condition on each {label} cannot be read beside a condition on "
                    "sessions yet.",
                    hint=f"Ask for the sessions and their % by {label}, and read off the "
                    f"{label} values that pass.",
                )
            self._check_coverage(reading, claims, metrics, dimensions, filters)
            return session_plan(
                self.model, question, sessions, metrics=metrics, dimensions=dimensions,
                filters=filters,
                time_window=window, grain=grain, order=order, limit=limit, growth=growth,
                share=share, cumulative=cumulative, compare=compare,
                confidence=0.9 if sessions.funnel else 1.0,
            )  # fmt: skip
        if funnel:
            claims.extend(m.span() for m in _FUNNEL.finditer(text))
            self._check_coverage(reading, claims, [], [], filters)
            return Plan(
                question=question, metrics=(self._funnel_measure(),), filters=tuple(filters),
                time_window=window, funnel=True, order="time", confidence=0.9,
                notes=(*notes, "funnel: sessions reaching each step"),
            )  # fmt: skip
        if not metrics and compare and _GROWTH.search(text):
            fallback = self._default_metric("money")
            if fallback is not None:
                metrics = [fallback]  # "year-over-year growth by category, 2025 vs 2024"
                inferred = True
                notes.append(f"growth read as growth of {fallback.replace('_', ' ')}")
        best_selling = self._default_metric("count") if _DEFAULT_METRIC_WORDS.search(text) else None
        if not metrics and best_selling is not None:
            metrics = [best_selling]
            inferred = True
            notes.append(f"'best selling' read as {best_selling.replace('_', ' ')}")
            claims.extend(m.span() for m in _DEFAULT_METRIC_WORDS.finditer(text))
        if not metrics and _SELL.search(text):
            counted = bool(re.search(r"\bhow many\b", text))
            fallback = self._default_metric("count" if counted else "money")
            if fallback is not None:
                metrics = [fallback]
                inferred = True
                notes.append(f"'sell' read as {fallback.replace('_', ' ')}")
        if metrics and self._measures_sales(metrics[0]):
            claims.extend(m.span() for m in _SELL.finditer(text))
        if metrics:
            claims.extend(m.span() for m in _BOUGHT.finditer(text))
        if len(metrics) > 1:
            # "How much did customers spend": the amount is the answer, customers the subject.
            wanted_unit = "money" if "how much" in text else "count" if "how many" in text else None
            units = [self.model.metric(m).unit for m in metrics]
            if wanted_unit in units and units[0] != wanted_unit:
                first = metrics[units.index(wanted_unit)]
                metrics = [first, *(m for m in metrics if m != first)]
        metrics = self._amount_of_rows(text, metrics, notes)
        if any(self.model.metric(m).unit == "percent" for m in metrics):
            # "cancellation rate for orders placed in 2025 (%)": the rate's unit, restated
            claims.extend(m.span() for m in re.finditer(r"\(\s*%\s*\)", text))
        people = self.model.reader.get("people")
        if (
            len(metrics) == 1
            and people
            and self.model.metric(metrics[0]).table == people
            and self.model.metric(metrics[0]).unit == "count"
            and _BOUGHT.search(text)
        ):
            # "users who have made a purchase": the people who bought, or their share.
            rate = bool(_RATE_WORDS.search(text))
            if rate and conditions:
                # "what % of the people who bought in 2025 bought in more than one order":
                # the buyers are the whole and the condition the part; the buyer rate of
                # every user would answer another question.
                raise PlanningError(
                    "A share of the people who bought that meet a condition is not supported yet.",
                    hint="Ask for the customers with and without the condition, e.g. "
                    "'customers in 2025' and 'customers with more than one order in 2025'.",
                )
            if rate and re.search(r"\bhow many\b", text):
                # "how many have bought, and what percentage is that": two answers, and
                # the count and the share come from different tables; giving one drops one.
                count_label, share_label = (
                    self.model.metric(str(self.model.reader.get(k, ""))).label
                    for k in ("buyers", "buyer_share")
                )
                raise PlanningError(
                    f"I understood: {count_label} and {share_label}, but these measures are "
                    "counted on different tables and cannot be put side by side in one answer.",
                    hint="Ask for one measure at a time.",
                )
            wanted = str(self.model.reader.get("buyer_share" if rate else "buyers", ""))
            if wanted in self.model.metrics:
                metrics = [wanted]
                share = share and not rate
                notes.append(f"people who bought read as {wanted.replace('_', ' ')}")
                if rate:
                    claims.extend(m.span() for m in _RATE_WORDS.finditer(text))
        things = self.model.metrics.get(metrics[0]) if len(metrics) == 1 else None
        if (
            share
            and not of_measured
            and dimensions
            and any(c.per not in dimensions for c in conditions)
            and (grain or things is None or any(c.per != things.entity for c in conditions))
        ):
            # "% of 2024 signups who placed an order, by channel": a rate among each
            # group's things, which a share of the total would silently misstate (without
            # a breakdown it is the share of all of them, read as a measure per entity).
            raise PlanningError(
                "A share of the things that meet a condition is not supported yet.",
                hint="Ask for the number that meet it and the total as two questions, e.g. "
                "'users who placed an order by country' and 'users by country'.",
            )
        if share and len(metrics) > 1:
            kept = self._share_measure(reading, metrics)
            self._check_one_share(reading, metrics, kept)
            filters = [*filters, *self._values_of_dropped(reading, metrics, kept, filters)]
            metrics = [kept]
        if share and len(conditions) > 1 and not of_measured:
            # "what % of users with at least one order have more than one": one condition
            # names the whole, the other the part; a share of every user would misstate it.
            raise PlanningError(
                "A share of things that meet one condition among those that meet another is "
                "not supported yet.",
                hint="Ask for the two counts, each with its own condition.",
            )
        if share and conditions and filters and not (of_measured or dimensions or grain):
            self._check_share_of_described(question.lower(), reading, filters)
        entity_share = share and bool(conditions) and not (dimensions or filters or grain)
        if share and conditions and grain and not (dimensions or filters) and things is not None:
            # "what % of orders had more than 2 items, by year": each period's rate.
            entity_share = all(c.per == things.entity for c in conditions)
        if share and (dimensions or filters or entity_share):
            claims.extend(m.span() for m in _SHARE.finditer(text))
        share_of_rows = self._share_of_rows(reading, metrics, filters) if share else False
        share_within = None
        kept_whole: str | None = None  # the breakdown a share of described rows is within
        if share and len(dimensions) == 2:
            share_within = self._share_within(reading, dimensions)
            if share_within is None:
                first, second = (self.model.dimensions[d].label.lower() for d in dimensions)
                raise PlanningError(
                    f"A share by {first} and {second} can be read two ways: of the grand "
                    f"total, or within each {first} (or {second}).",
                    hint=f"Say which, e.g. 'each {second}'s share within its {first}'.",
                )
        elif share and filters and not share_of_rows:
            share_of_rows = self._share_of_filtered(reading, filters, dimensions) or (
                bands_part and all(f.op == "in" and not f.negate for f in filters)
            )
            whole = self._whole_described(reading, metrics, filters)
            if whole is not None and not dimensions:
                # "what % of orders in China were cancelled" (by year): of China's orders,
                # so the shares are taken within the country the whole is kept to.
                dimensions = [whole]
                kept_whole = whole
        if share and share_within is None:
            # "each month's share of that year's revenue": the period the shares restart in.
            period_share = read_period_share(text, grain, dimensions, window)
            share_within = period_share.within
            claims.extend(period_share.claims)
            if period_share.claims:
                claims.extend(m.span() for m in _SHARE.finditer(text))
        if not metrics and raw_bands is not None:
            raise PlanningError(
                "I read bands in the question but not what to measure in each band.",
                hint="Name the measure, e.g. 'items sold by sale price in $100 buckets'.",
            )
        if not metrics:
            metrics = self._measure_in_values(reading)
        if not metrics:
            self._check_coverage(reading, claims, [], dimensions, filters)
            raise self._not_understood(question, reading, "which measure you want")
        ranked_in = not dimensions or (per is not None and dimensions == [per])
        if limit is not None and ranked_in and not grain and len(metrics) > 1:
            # "top 10 customers by revenue": the things a measure counts, ranked by another;
            # "top 3 customers by spend in each country": ranked within each group.
            things = self.model.metrics.get(metrics[0])
            if things is not None and things.entity is not None:
                metrics.remove(things.name)
                dimensions.insert(0, things.entity)
        elif limit is not None and grain and len(metrics) > 1:
            self._check_things_ranked_per_period(reading, metrics[0], grain)
        if limit is not None:
            self._check_top_things(reading, metrics, dimensions)
        else:
            self._check_superlative_things(reading, metrics)
        if limit is not None and not dimensions and not grain:
            understood = describe_parts(self.model, metrics, dimensions, filters)
            raise PlanningError(
                f"I understood: {understood}, but not what to rank (the top {limit} of what?).",
                hint="Name what to rank, e.g. 'top 5 categories by revenue'.",
            )
        metrics, conditions, scoped_rules, scoped_notes = settle_scoped(
            self.model, scoped, metrics, conditions, beside=beside,
            named_twice=[m for m, at in reading.metric_positions.items() if len(set(at)) > 1],
            text=reading.text,
            waived=[*any_of, *(  # a value picked replaces the rule, but not in a share's whole
                f.dimension for f in filters if f.op == "in" and not f.negate and not share
            )],
        )  # fmt: skip
        notes.extend(scoped_notes)
        base = self.model.metric(metrics[0])
        if period_of is not None and period_of not in tables_in(base.time or ""):
            raise PlanningError(
                f"The {grain} asked for dates the rows of {period_of}; "
                f"{base.label.lower()} is dated otherwise.",
                hint=f"Ask '{base.label.lower()} by {grain}'.",
            )
        moved = {f.dimension: self._reachable(base.table, f, reading).dimension for f in filters}
        filters = [self._reachable(base.table, f, reading) for f in filters]
        self._check_column_hints(column_hints, base.table, dimensions, filters, metrics)
        self._check_readings(question, base.table, metrics, filters, reading)
        ignore_rules, every = self._any_value_rules(text, any_of, base, claims)
        ignore_rules += [r for r in scoped_rules if r not in ignore_rules]
        if ignore_rules:
            notes.append("every " + ", ".join(ignore_rules) + " rule left out, as asked")
        wider = [r for r in reading.wider_rules if r not in ignore_rules]
        if wider:  # "average sale price of order items": every order item, as named
            ignore_rules += wider
            notes.append("the " + ", ".join(wider) + " rule left out: the rows named have none")
        # A value read again on a dimension the measure reaches ("orders from women": the
        # users' gender, not the Women department) moves its breakdown with it when the
        # breakdown was listed or is the whole a share is of.
        dimensions = [
            moved.get(d, d) if d in reading.listed or d == kept_whole else d for d in dimensions
        ]
        if grain and base.time:
            # "users by signup year, per year": a breakdown that is the period itself, of
            # the measure's own date, is the series' period, not a second column of it.
            same = [d for d in dimensions if _period_of(self.model, d) == (grain, base.time)]
            dimensions = [d for d in dimensions if d not in same]
        if (grain or window) and base.time is None:
            raise PlanningError(
                f"{base.label} has no date to filter or group by time.",
                hint="Ask without a time period, e.g. '" + f"{base.label.lower()} by category'.",
            )
        one_with = _ONE_WITH.match(text) if limit is None and dimensions else None
        if one_with is not None and self._breakdown_named(one_with[2].split()) not in dimensions:
            one_with = None  # "orders with the most items": rows with a condition
        if limit is None and order == "auto" and (_WHICH.search(text) or one_with) and dimensions:
            which_word = _WHICH.search(text) or one_with
            assert which_word is not None
            if _MOST.search(text) or _LEAST.search(text):
                order = "asc" if falls_first else _direction(text)
                # "which customer countries ...": any plural word asks for several; a
                # superlative that only orders them ("highest first") picks none.
                named = which_word.group(2).split()
                plural = named[0].endswith("s") or (
                    len(named) == 2
                    and singular(named[1]) != named[1]
                    and self._names_breakdown([singular(named[1])])
                )
                if named[0] in {"is", "was"} and len(named) == 2 and named[1] == "the":
                    # "which is the brand with the most products": one of the groups, as
                    # "which brand ..." asks ("what is the lowest price per department"
                    # asks for each department's)
                    thing = tokens(text[which_word.end() :])[:1]
                    plural = self._breakdown_named([singular(w) for w in thing]) not in dimensions
                limit = None if plural or not _superlative_beyond_order(text) else 1
        elif limit is None and order == "auto" and dimensions:
            if falls_first:
                order = "asc"
            elif re.search(
                r"\b(top|best|highest|most|descending)\b|\b[a-z]+est first\b|\branked\b",
                text,
            ):  # "revenue by country, ranked": the biggest first
                order = _direction(text) if _ORDERED.search(text) else "desc"
            elif re.search(r"\b(bottom|worst|lowest|least|fewest|ascending)\b", text):
                order = "asc"
        elif (
            limit is None
            and order == "auto"
            and grain
            and not (cumulative or growth)
            and (ordered := _ORDERED.search(text))
        ):
            # "orders by weekday, busiest first": every period, the biggest first.
            claims.extend(m.span() for m in _ORDERED.finditer(text))
            if not _BY_PERIOD.match(text, ordered.end()):  # "sorted by hour": in time order
                ascending = _LEAST.search(text) and not _MOST.search(text)
                order = "asc" if ascending or "ascending" in ordered[0] else "desc"
        if order in {"asc", "desc"} and dimensions:
            metrics = self._sorted_by(reading, metrics)
            claims.extend(m.span() for m in _MOST.finditer(text))
            claims.extend(m.span() for m in _LEAST.finditer(text))
            claims.extend(m.span() for m in _ORDERED.finditer(text))
        listed_groups = [d for d in dimensions if d in reading.listed]
        if (
            per is None
            and len(dimensions) == 2
            and len(listed_groups) == 1
            and (limit is not None or _SUPERLATIVE.search(text))
        ):
            # "the top category in the Men's department and in the Women's", "top 3
            # categories for men and women": the ranking restarts in each value listed.
            per = listed_groups[0]
        if (
            per is None
            and picked_grain
            and limit is not None
            and len(dimensions) == 1
            and any(
                f.dimension == dimensions[0] and not f.negate and len(f.values) > 1 for f in filters
            )
        ):
            # "busiest hour of the day for orders, women vs men": the best period of each
            # value listed, not the best value of each period.
            per = dimensions[0]
        if per is not None and per in dimensions and len(dimensions) == 2:
            if limit is None and _SUPERLATIVE.search(text):
                # "the best-selling category in each country": one per group.
                limit = 1
                order = _direction(text)
                claims.extend(m.span() for m in _SUPERLATIVE.finditer(text))
            if limit is not None:
                dimensions = [d for d in dimensions if d != per] + [per]
                claims.extend(m.span() for m in _MOST.finditer(text))
                claims.extend(m.span() for m in _LEAST.finditer(text))
        if (
            per is None
            and limit is not None
            and len(dimensions) == 2
            and not grain
            and reading.dimension_starts.get(dimensions[1], -1) > 0
            and reading.words[reading.dimension_starts[dimensions[1]] - 1] in _GROUPING
        ):
            per = dimensions[1]  # "top 3 brands by revenue by category": 3 in each category
        grain_ranked = picked_grain and dimensions == [per]  # "best month for each brand"
        if per is not None and (
            limit is None or per not in dimensions or (len(dimensions) < 2 and not grain_ranked)
        ):
            per = None  # a grouping word, not a ranking restarted per group
        if entity_columns:
            dimensions = self._with_entity_columns(dimensions, entity_columns, limit, per)
        if within_period is not None:
            if per is not None or dimensions:
                raise PlanningError(
                    f"A {grain} ranked within each {within_period} and also per "
                    "group is not supported yet.",
                    hint=f"Ask for the best {grain} of each {within_period} on its own.",
                )
            per = within_period  # "the best month in each year"
        if (
            per is None
            and grain is not None
            and limit is not None
            and dimensions
            and re.search(rf"\b(each|every|per|by) {grain}\b", text)
        ):
            per = grain  # "which country brought in the most revenue each year"
        time_column = None
        firsts = self.model.reader.get("firsts", {})
        first_cohorts = {firsts.get("month"), firsts.get("year")} & set(dimensions)
        signups = {str(d) for d in self.model.reader.get("cohorts", {}).values()}
        if first_cohorts and not _SIGNUP_WORDS.search(text):
            # "retention for 2025 cohorts (customers whose first order was in each month)":
            # "cohorts" names the first-order cohorts, not a signup breakdown beside them.
            dimensions = [d for d in dimensions if d not in signups]
        signed_up = [
            m for m in _SIGNUP_TIME.finditer(text)
            if not re.match(r"\s+(?:year|month|quarter|week|day|date)s?\b", text[m.end() :])
            # "retention for 2025 cohorts" by first-order month: the first-order cohorts
            and not (first_cohorts and m.group(0).startswith("cohort"))
        ]  # fmt: skip  # "by signup year" is a breakdown; "who signed up in 2025" dates them
        if window is not None and people and signed_up and base.table != people:
            people_time = next(
                (m.time for m in self.model.metrics.values() if m.table == people and m.time),
                None,
            )
            if people_time and self.model.reaches(base.table, people):
                time_column = people_time
                notes.append("time window applied to the signup date")
        if window_moment is not None:
            moments, remark = window_moment
            moment = next((m for m in moments if base.table in m.columns), moments[0])
            column = moment.columns.get(base.table)
            dated_by = time_column or base.time
            if not any(dated_by in m.columns.values() for m in moments):  # else restated
                if column is None or time_column is not None:
                    why = f"{base.label.lower()} is not measured with a {moment.label} date"
                elif grain:
                    why = f"a series by {grain} would still group by the measure's own date"
                elif window is None:
                    why = "the question names no period for it to date"
                else:
                    why = ""
                if why:
                    raise PlanningError(
                        f"'{remark}' cannot date this answer: {why}.",
                        hint=f"Ask without '{remark}' to use the measure's own date, "
                        "or with a period ('in 2025') and no breakdown by period.",
                    )
                # "order items that shipped during 2024 (by ship date)": dated by the
                # shipping, any status now (shipped in 2024 and since delivered too).
                time_column = column
                notes.append(f"time window applied to the {moment.label} date")
                filters = [
                    f
                    for f in filters
                    if not self._value_said_as(reading, f, moment.words) or self._rule_on(base, f)
                ]
        if time_column is not None or (people and base.table == people):
            # "users who signed up" restates users; "that cohort" names one only with a
            # window or a cohort breakdown.
            dated = window is not None or any(self.model.dimensions[d].time for d in dimensions)
            claims.extend(
                m.span()
                for m in _SIGNUP_TIME.finditer(text)
                if dated or not m.group(0).startswith("cohort")
            )
        elif first_cohorts:
            # "2025 cohorts" by first-order month: the breakdown's cohorts, so dated by it
            claims.extend(
                m.span() for m in _SIGNUP_TIME.finditer(text) if m.group(0).startswith("cohort")
            )
        cohort = _SIGNUP_GRAIN.search(text)
        cohorts = self.model.reader.get("cohorts", {})
        if (
            cohort
            and grain == cohort.group(1)
            and base.table != people  # people by month already are signups by month
            and cohorts.get(grain) in self.model.dimensions
        ):
            # "users who signed up in each month": cohorts by signup month, not order month.
            by = cohorts[grain]
            dimensions = [by, *(d for d in dimensions if d != by)]
            grain = None
            notes.append(f"grouped by signup {cohort.group(1)}")
            claims.append(cohort.span())
        if not compared_years and len(metrics) > 1 and _measures_vs(reading):
            # "items ordered vs items sold by category, 2025": the measures side by side,
            # not the year against the one before.
            compare = False
            claims.extend(m.span() for m in re.finditer(r"\b(?:vs|versus|against)\b", text))
        if compared_years and not (compare and grain is None):
            raise PlanningError(
                f"Comparing {window.label if window else 'two years'} side by side is only "
                "supported for a total or per group, not for a series.",
                hint="Ask e.g. 'revenue by category, 2025 vs 2024', or for the series one "
                "year at a time.",
            )
        if compare and grain is not None:
            raise PlanningError(
                "Comparing a period with the one before is only supported for a total or "
                "per group, not for a series.",
                hint="Ask e.g. 'revenue by category last quarter vs the quarter before', or "
                "for the series one period at a time.",
            )
        if compare:
            claims.extend(m.span() for m in _COMPARE.finditer(text))
            claims.extend(m.span() for m in _GROWTH.finditer(text))
            claims.extend(m.span() for m in _RATE_WORDS.finditer(text))
        for span, name in reading.descriptions:
            before = [w for w in reading.words[max(0, min(span) - 4) : min(span)] if w != "the"]
            # "what % of users who ...", "how many users who ...": the clause is the
            # question, and a condition on other rows is not read yet.
            share_of = before[-2:-1] != [] and before[-1] == "of" and before[-2] in _SHARE_WORDS
            if before[-1:] == ["many"] or share_of:
                label = self.model.metric(name).label.lower()
                raise PlanningError(
                    f"A condition on {label} ('{label} who ...') is not supported yet.",
                    hint=f"Ask for {label} with a filter on their own columns, e.g. "
                    f"'{label} by country'.",
                )
            # "revenue from customers in Germany" describes the measure's own rows; "age of
            # customers who bought" would need another entity's condition: not read.
            described = self.model.metric(name)
            buyers = name == self.model.reader.get("buyers") and span in reading.valued
            if _CONDITIONAL.search(described.expression) and not buyers:
                # "from returned items" is a condition, never a plain description; "orders
                # from customers in Brasil" only names who placed them.
                continue
            after = reading.words[max(span) + 1 : max(span) + 2]
            channel = after in (["via"], ["through"]) and any(
                max(span) + 1 < at <= max(span) + 3
                for starts in reading.value_positions.values()
                for at in starts
            )  # "customers acquired through Search": who, by the channel named
            if described.table not in self.model.catalog and not channel:
                # "revenue from new customers": counted on derived rows (first orders),
                # which name some of the people, not merely who; never passed over.
                label = described.label.lower()
                raise PlanningError(
                    f"I cannot limit {base.label.lower()} to {label} yet.",
                    hint=f"Ask for {label} on its own, or for {base.label.lower()} by a "
                    "column of the customers (country, signup year).",
                )
            people = self.model.reader.get("people") if buyers else None
            owner = people if isinstance(people, str) else described.table
            if self.model.reaches(base.table, owner) or time_column is not None:
                reading.used |= span
        # Measures side by side share one table: a measure may be counted on another's
        # table through its alternative there ("orders and revenue": orders via items).
        tables = {self.model.metric(m).table for m in metrics}
        if any(
            all(self.model.on_table(m, table).table == table for m in metrics) for table in tables
        ):
            tables = {base.table}
        if len(tables) > 1 and not self._side_by_side(metrics, dimensions, filters, reading):
            understood = describe_parts(self.model, metrics, dimensions, filters)
            raise PlanningError(
                f"I understood: {understood}, but these measures are counted on different "
                "tables and cannot be put side by side in one answer.",
                hint="Ask for one measure at a time, or for measures of different tables "
                "joined by 'and', each named on its own ('users and customers by country').",
            )
        if window is None or time_column not in (None, base.time):
            # "lifetime spend of customers who signed up in 2024": the window dates the
            # people, and the measure is over all time.
            claims.extend(m.span() for m in _ALL_TIME.finditer(text))
        if not base.additive and not _PERCENTILE_LABEL.match(base.label):
            # "average gross margin": of a rate or an average, the same; never of a median
            claims.extend(self._averages_of_averages(reading, text, metrics))
        if ranked_set is not None:
            metrics = timecmp.ranked_set(self._phrases, text, ranked_set, metrics, share=share)
        grain = timecmp.rolling_grain(rolling, rolling_unit, grain)
        by_measure_width: int | float = 0
        if bucketed and per_entity.by_measure is not None and raw_bands is not None:
            by_measure_width, raw_bands = raw_bands.width, None  # "order values in $50 buckets"
        bands = timecmp.bands_of(self.model, raw_bands, dimensions, base.table)
        if (
            bands
            and limit is None
            and _WHICH.search(question.lower())
            and (_MOST.search(text) or _LEAST.search(text))
        ):
            # "which age band had the most customers": the band words are cut out before
            # the ranking is read, so the ranking would be lost.
            raise PlanningError(
                "I cannot rank bands yet: the answer would list every band.",
                hint="Ask for the measure by the bands and read the highest off the table.",
            )
        if (
            bands
            and per is None
            and len(dimensions) == 2
            and dimensions[1] == bands[0].dimension
            and (limit is not None or _SUPERLATIVE.search(text))
        ):
            # "the top category in each age band": the bands are the groups ranked in.
            per = bands[0].dimension
            if limit is None:
                limit = 1
                order = _direction(text)
        self._check_filters_in_measures(metrics, filters)
        reading.used |= self._rate_restated(reading, metrics)
        if window is not None or grain is not None:
            # "inventory items received in 2024", "order items created in 2025": the
            # moment that dates the rows measured, named beside their period.
            reading.used |= self._own_moment_words(reading, base)
        else:  # "inventory items received per distribution center": right after the rows
            nouns = self._row_heads(base.table)
            reading.used |= {
                i
                for i in self._own_moment_words(reading, base)
                if i > 0 and singular(reading.words[i - 1]) in nouns
            }
        metrics = self._whole_beside_part(reading, metrics)
        self._check_bare_rows(reading, metrics, conditions, question.lower())
        _check_none_of_shown(self.model, conditions, metrics)
        if limit is not None or per is not None or conditions:
            # "show the department, the month and its revenue": the ranking's own columns;
            # "include the average": a condition's measure, which is shown anyway.
            reading.shown_of = ([*metrics, *(c.metric for c in conditions)], grain, per)
        claims.extend(self._restated_units(text, metrics))
        claims.extend(self._either_way(text, metrics))
        if dimensions:  # "first vs repeat orders - how many of each?": the breakdown's rows
            claims.extend(m.span() for m in _OF_EACH.finditer(text))
        if dimensions and share:  # "revenue share by channel - what % does each bring in?"
            claims.extend(m.span() for m in _EACH_SHARE.finditer(text))
        reached_rules = self._reached_rules(reached, metrics, question)
        self._check_coverage(reading, claims, metrics, dimensions, filters)
        self._check_determined_rates(metrics, filters)
        self._check_conditions_across_groups(conditions, dimensions, metrics)
        check_asked(
            self.model,
            text,
            metrics=metrics,
            dimensions=dimensions,
            filters=filters,
            conditions=conditions,
            every=every,
        )
        self._check_distinct(reading, mentions, metrics)
        window, conditions = self._period_of_condition(text, metrics, conditions, window, grain)
        if window is not None or grain is not None:
            # "For each year, how many users placed an order": a period either way.
            self._check_window_owner(text, metrics, conditions)
        metric_spans = [m for m in mentions if m.kind == "metric"]
        guessed_metric = bool(metric_spans) and all(m.fuzzy for m in metric_spans)
        confidence = (
            1.0
            - 0.1 * (len(reading.corrections) + len(time_fixes))
            - (0.1 if guessed_metric else 0.0)
            - (0.1 if inferred else 0.0)
        )
        notes.extend(f"read {c}" for c in reading.corrections)
        if confidence < self.min_confidence:
            raise self._not_understood(question, reading, "what the question asks for")
        if limit is not None and len(metrics) > 1:
            metrics = _ranked_first(reading, mentions, metrics)
        self._check_average_of_distinct(question, metrics)
        if not (growth or compare or cumulative or share or rolling or bands or per):
            metrics = self._with_rate_whole(metrics, per_entity)
        if not (dimensions or grain or limit or per_entity.by_measure or raw_bands):
            self._check_counted_by(text)
            self._check_by_measure(reading, mentions, metrics)
        if shown_difference and not (compare and grain is None):
            raise timecmp.difference_not_of_periods()
        _check_ranges_meet(filters)
        scope = _LEADING_SCOPE.match(text) if conditions else None
        if scope is not None:
            conditions = [_as_shown(c, filters, metrics, dimensions, scope) for c in conditions]
        return Plan(
            question=question,
            metrics=tuple(metrics),
            dimensions=tuple(dimensions),
            filters=tuple(dict.fromkeys(filters)),  # "women ... the female count": one filter
            conditions=tuple(conditions),
            ignore_rules=tuple(ignore_rules),
            rules=tuple(reached_rules),
            time_window=window,
            grain=grain,
            order=order,
            limit=limit,
            per=per,
            per_by_key=self._key_named(question, per),
            share=share and bool(dimensions or filters or entity_share or share_within),
            share_of_rows=share_of_rows and bool(dimensions),
            share_of_measured=of_measured and share,
            share_within=share_within,
            growth=growth,
            cumulative=cumulative,
            compare=compare and grain is None,
            time_column=time_column,
            compare_with=compare_with if compare and grain is None else None,
            rank_by=("difference" if difference else "change") if by_change is not None else None,
            difference=shown_difference and compare and grain is None,
            rolling=rolling,
            bands=bands,
            by_measure=per_entity.by_measure,
            by_measure_width=by_measure_width,
            top_percent=per_entity.top_percent,
            top_count=per_entity.top_count,
            top_per=per_entity.top_per,
            confidence=round(confidence, 2),
            notes=tuple(notes),
        )

    def _with_rate_whole(self, metrics: list[str], per_entity: EntityReading) -> list[str]:
        """A rate asked alone (or beside its whole) with the count it is a rate of beside
        it ("cancellation rate by country": the orders of each country), so a rate of few
        rows is seen as such (``reader.rate_wholes``), and the count of its part where the
        model names one (``reader.rate_parts``: the cancelled orders). Not for measures per
        entity or their buckets."""
        if not metrics or per_entity.by_measure or per_entity.top_percent:
            return metrics
        wholes = self.model.reader.get("rate_wholes", {})
        part = self.model.reader.get("rate_parts", {}).get(metrics[-1])
        if (  # "inventory sell-through rate", "orders and cancellation rate": its part too
            len(metrics) == 2
            and wholes.get(metrics[1]) == metrics[0]
            and part in self.model.metrics
            and part not in metrics
        ):
            return [*metrics, str(part)]
        whole = wholes.get(metrics[0])
        if per_entity.top_count or whole not in self.model.metrics:
            return metrics
        if metrics[1:] not in ([], [whole]):  # the rate alone, or beside its whole
            return metrics
        part = self.model.reader.get("rate_parts", {}).get(metrics[0])
        if part in self.model.metrics and part != whole:
            return [metrics[0], str(part), str(whole)]  # "18 cancelled of 126 orders"
        return [metrics[0], str(whole)]

    def _averages_of_averages(
        self, reading: _Reading, text: str, metrics: Sequence[str]
    ) -> list[tuple[int, int]]:
        """Where "average" says nothing more: said of a rate or an average ("average gross
        margin" is the gross margin; "how old are users on average"), never of a median.
        Not an "average" said right before a total listed beside it ("average sale price
        and average cost" asks the average cost, which is read there or refused, never
        dropped)."""
        found = list(TOKEN.finditer(text))
        totals = {
            start
            for name in metrics
            if (metric := self.model.metrics.get(name)) is not None
            and metric.additive
            and (start := reading.metric_starts.get(name)) is not None
        }
        spans = []
        for i, match in enumerate(found):
            if match.group(0) not in _AVERAGE_WORDS:
                continue
            after = i + 1
            while after < len(found) and found[after].group(0) in _BEFORE_AVERAGED:
                after += 1
            if after not in totals:
                spans.append(match.span())
        return spans

    def _rate_restated(self, reading: _Reading, metrics: Sequence[str]) -> set[int]:
        """A bare "the rate" (or "the %") listed beside the counts of the one rate asked
        ("the orders, the cancelled orders and the rate"): that rate again."""
        rates = [m for m in metrics if m in self.model.metrics and self._percent(m)]
        if len(rates) != 1:
            return set()
        words = reading.words
        return {
            i
            for i, word in enumerate(words)
            if word in {"rate", "%", "percentage"}
            and i not in reading.used
            and _listed_at(words, i, reading.breaks)
        }

    def _percent(self, metric: str) -> bool:
        return self.model.metrics[metric].unit == "percent"

    def _check_average_of_distinct(self, question: str, metrics: Sequence[str]) -> None:
        """ "How many distinct categories did each customer buy from, on average" asks for
        an average of a count per thing, which is not read: refused rather than answered
        with the count over all of them."""
        if not any(m.startswith("distinct") for m in metrics):
            return
        if not re.search(r"\b(?:average|avg|mean)\b", question.lower()):
            return
        others = [self.model.metrics.get(m) for m in metrics if not m.startswith("distinct")]
        if any(m is not None and not m.additive for m in others):
            return  # "average order value and distinct products": the average is that one
        raise PlanningError(
            "An average of a count of distinct values per thing (each customer's number of "
            "categories, averaged) is not supported yet; I would give the count over all "
            "of them.",
            hint="Ask for the count of distinct values over all rows, or by the things "
            "('distinct categories bought by customer').",
        )

    def _says_nothing_here(self, reading: _Reading, i: int, claimed: set[int]) -> bool:
        """Words that say nothing where they stand: "marked" (or "flagged") before a value
        ("orders marked Complete"), "ones" after one ("not counting cancelled ones"),
        "take" opening the question ("take our 5 biggest categories ..."), "looking like"
        ("what's our AOV looking like for 2025")."""
        words = reading.words
        word = words[i]
        after = words[i + 1] if i + 1 < len(words) else ""
        values = {at for spots in reading.value_positions.values() for at in spots}
        if word in _MARKED:
            j = i + 2 if after == "as" else i + 1
            return j in values and j in claimed
        if reading.raw[i].lower() == "ones" and i > 0 and i - 1 in claimed:
            return i - 1 in values or words[i - 1] in self.model.value_aliases
        if word == "as" and i > 0 and words[i - 1] in _MARKED:
            return True
        if word == "take":
            return i == 0
        return (word in _LOOK and after == "like") or (
            word == "like" and i > 0 and words[i - 1] in _LOOK
        )

    def _check_coverage(
        self,
        reading: _Reading,
        claims: list[tuple[int, int]],
        metrics: Sequence[str],
        dimensions: Sequence[str],
        filters: Sequence[Filter],
    ) -> None:
        """Refuse when a word was read as nothing: name it, and say what was understood."""
        matches = list(TOKEN.finditer(reading.text))
        whole = self._whole_of_rows(reading.words)
        states = _meaningful_filler(reading.words)
        claimed = {
            i
            for i, match in enumerate(matches)
            if i in reading.used
            or i in whole
            or (reading.words[i] in FILLER and i not in states)
            or (match.group(0) in FILLER and i not in states)
            or reading.words[i] in self.model.filler
            or any(start <= match.start() and match.end() <= end for start, end in claims)
            or (match.group(0) in _RATE_SUFFIX and i - 1 in reading.percent_ends)
        }
        leftover: list[str] = []
        back: set[str] | None = None  # the breakdowns' words, read when first needed
        for i in range(len(matches)):
            if i in claimed:
                continue
            if reading.raw[i] in _GROUPING and self._groups_next(reading, i, claimed):
                continue
            if reading.words[i] in _COMPARE_VERBS and dimensions:
                continue  # "compare revenue for Men vs Women": the groups, side by side
            if self._says_nothing_here(reading, i, claimed):
                continue
            if i and reading.words[i - 1] in _BACK:
                back = self._breakdown_words(dimensions) if back is None else back
                if reading.words[i] in back:
                    continue  # "revenue from users of that channel": the breakdown again
            leftover.append(reading.raw[i])
        if not leftover or self._key_and_name_restated(leftover, dimensions):
            return
        if reading.shown_of is not None:
            shown = self._shown_words(reading.shown_of[0], dimensions, *reading.shown_of[1:])
            if {singular(w.lower()) for w in leftover} <= shown:
                return
        metrics = [m for m in metrics if m in self.model.metrics or m.startswith("distinct:")]
        understood = describe_parts(self.model, metrics, dimensions, filters)
        said = f"I understood: {understood}. " if understood else ""
        unknown = ", ".join(repr(w) for w in dict.fromkeys(leftover))
        refused = PlanningError(
            f"{said}I did not understand: {unknown}.",
            hint="Rephrase with the measures and breakdowns the model knows, e.g. "
            + "; ".join(self.suggestions(metrics, dimensions))
            + ".",
        )
        refused.unread = tuple(leftover)
        raise refused

    def _side_by_side(
        self,
        metrics: Sequence[str],
        dimensions: Sequence[str],
        filters: Sequence[Filter],
        reading: _Reading,
    ) -> bool:
        """Whether measures of different tables are asked side by side ("users and
        customers by country"): each a measure of the model named on its own, joined by
        "and", and every breakdown and filter reachable from each one's table."""
        if len(metrics) < 2 or any(m not in self.model.metrics for m in metrics):
            return False
        if not self._each_named_on_its_own(metrics, reading):
            return False
        return all(
            self.model.reaches(table, self._dimension_table(dimension, table))
            for table in (self.model.metric(name).table for name in metrics)
            for dimension in (*dimensions, *(f.dimension for f in filters))
        )

    def _each_named_on_its_own(self, metrics: Sequence[str], reading: _Reading) -> bool:
        """Whether the measures are joined by "and" (a comma list may name a measure of
        the rows before it), none said of the rows before ("unsold items and their
        cost") and none a total after "average" ("average cost": the average of what)."""
        starts = sorted(reading.metric_starts.get(m, -1) for m in metrics)
        if starts[0] < 0:
            return False
        averaged = any(
            reading.metric_starts[name]
            and self.model.metric(name).additive
            and reading.words[reading.metric_starts[name] - 1]
            in {"average", "avg", "mean", "median"}
            for name in metrics
        )
        lead = {"number", "of", "the", "count", "total", "a", "our", "distinct", "unique"}
        gaps = [set(reading.words[b + 1 : a]) - lead for b, a in itertools.pairwise(starts)]
        joiners = {"and", "vs", "versus", "plus", "alongside", "beside", "next"}
        # "users, customers and revenue": a list whose last two are joined; the words
        # before are only the list's commas.
        listed = len(gaps) > 1 and gaps[-1] & joiners
        joined = all(
            (between & joiners or (listed and not between))
            and not between & {"their", "its", "those", "them", "these", "they"}
            for between in gaps
        )
        return joined and not averaged

    def _measure_in_values(self, reading: _Reading) -> list[str]:
        """The count a value's own words end with, when no measure was read: "first
        orders vs repeat orders per month" names values whose last word is the orders
        counted. One count for every such value, else none."""
        counts = set()
        for phrase in self.model.value_aliases:
            if " " in phrase and re.search(rf"\b{re.escape(phrase)}\b", reading.text):
                last = singular(phrase.split()[-1])
                named = [n for k, n, _ in self._phrases.get((last,), []) if k == "metric"]
                if named:
                    counts.add(named[0])
        counts = {c for c in counts if self.model.metric(c).unit == "count"}
        return sorted(counts) if len(counts) == 1 else []

    def _shown_words(
        self,
        metrics: Sequence[str],
        dimensions: Sequence[str],
        grain: str | None,
        per: str | None,
    ) -> set[str]:
        """The words that name a column a ranking shows anyway: its breakdowns, its
        period, its measures (by their names and labels), and their keys and names."""
        words = self._breakdown_words(dimensions) | {"id", "name", "include", "with"}
        words |= {period for period in (grain, per) if period in LONGER_PERIODS or period in {
            "year", "week", "hour", "weekday"}}  # fmt: skip
        for name in metrics:
            try:
                metric = self.model.metric(name)
            except (KeyError, PlanningError):
                continue
            for phrase in (name.replace("_", " "), metric.label, *metric.synonyms):
                words |= {singular(w) for w in tokens(normalize(phrase))}
        return words - FILLER

    def _breakdown_words(self, dimensions: Sequence[str]) -> set[str]:
        """The one-word names of the breakdowns asked for, singular."""
        return {
            singular(word)
            for name in dimensions
            for phrase in (name, *self.model.dimensions[name].synonyms)
            for word in tokens(normalize(phrase.replace("_", " ")))
        } | {word for name in dimensions for word in tokens(normalize(name.replace("_", " ")))}

    def _key_named(self, question: str, name: str | None) -> bool:
        """Whether the question names the key of breakdown ``name`` ("show DC id and
        name", "(center id, name)", "by distribution center (id and name)")."""
        dimension = self.model.dimensions.get(name or "")
        if dimension is None or not dimension.key:
            return False
        said = sorted(
            {dimension.name.replace("_", " "), *dimension.synonyms}, key=len, reverse=True
        )
        key = rf"\b(?:{'|'.join(map(re.escape, said))})(?:'s)?\s*(?:\(\s*)?ids?\b"
        return re.search(key, question.lower()) is not None

    def _key_and_name_restated(self, leftover: Sequence[str], dimensions: Sequence[str]) -> bool:
        """Whether the words left only ask for what a breakdown shows anyway: "by
        distribution center (id and name)", "show the DC id and name" (a breakdown with a
        key shows the key beside the value)."""
        keyed = [self.model.dimensions[d] for d in dimensions if self.model.dimensions[d].key]
        if not keyed:
            return False
        allowed = {"id", "ids", "name", "names", "key"}
        # "showing the center's id, name and the count": verbs and articles around them.
        allowed |= {"show", "showing", "include", "including", "with", "its", "the", "and"}
        allowed |= {"plus", "give", "me", "count"}
        for dimension in keyed:
            allowed |= {w for phrase in dimension.synonyms for w in tokens(normalize(phrase))}
        said = {singular(re.sub(r"'s$", "", w.lower())) for w in leftover}
        return bool(said & {"id", "name"}) and said <= {singular(w) for w in allowed}

    @staticmethod
    def _ranked_by_latest(text: str, window: TimeWindow | None) -> bool:
        """Whether a ranking of a comparison names the later year as what it ranks by
        ("top 5 brands by 2025 revenue, with 2024 revenue and the growth")."""
        if window is None or window.kind not in {"year", "years"}:
            return False
        latest = window.year if window.kind == "year" else max(window.years, default=0)
        return bool(latest) and re.search(rf"\bby\s+{latest}\b", text) is not None

    def _period_of_condition(
        self,
        text: str,
        metrics: Sequence[str],
        conditions: list[Condition],
        window: TimeWindow | None,
        grain: str | None,
    ) -> tuple[TimeWindow | None, list[Condition]]:
        """ "How many users placed 3 or more orders in 2025": the people have no date of
        their own in the question (no "signed up"), so the period dates the one condition
        on them, not their signups. "How many 2024 signups placed at least one order":
        the period dates the people by their own words, and the condition takes their
        orders of any date. Only for a plain count of those people (or its share)."""
        if window is None or grain is not None or len(conditions) != 1 or len(metrics) != 1:
            return window, conditions
        (condition,) = conditions
        metric = self.model.metrics.get(metrics[0])
        other = self.model.metrics.get(condition.metric)
        if (
            metric is None
            or other is None
            or condition.ever
            or condition.window is not None
            or metric.unit != "count"
            or metric.entity != condition.per
        ):
            return window, conditions
        if self._dated_apart(text, metric, other) is not None:
            return None, [replace(condition, window=window.described())]
        if self._dated_apart(text, metric, other, named=True) is not None:
            return window, [replace(condition, ever=True)]
        return window, conditions

    def _dated_apart(
        self, text: str, metric: Metric, other: Metric, *, named: bool = False
    ) -> list[Moment] | None:
        """The moments dating ``metric``'s rows when a period could date them or the rows
        of ``other`` (users or their orders): both dated, by different moments, and the
        question naming none of ``metric``'s ("signed up"), or, with ``named``, naming
        one of them. ``None`` otherwise."""
        if not metric.time or not other.time or metric.time == other.time:
            return None
        moments = [m for m in self.model.moments.values() if metric.time in m.columns.values()]
        if any(other.time in m.columns.values() for m in moments):
            return None  # one moment: items and their orders are both placed
        said = any(re.search(rf"\b{re.escape(w)}\b", text) for m in moments for w in m.words)
        # "users who signed up in 2025 with 2 orders": the signups
        return moments if said == named else None

    def _check_window_owner(
        self, text: str, metrics: Sequence[str], conditions: Sequence[Condition]
    ) -> None:
        """Refuse a period, or a breakdown by period, that could date either the things
        counted or their condition ("users who placed an order in 2025": signups of 2025,
        or orders of 2025?) when
        the two are dated by different moments and the question names neither's."""
        for condition in conditions:
            other = self.model.metrics.get(condition.metric)
            if condition.ever or condition.window is not None or other is None:
                continue
            for name in metrics:
                metric = self.model.metrics.get(name)
                moments = self._dated_apart(text, metric, other) if metric else None
                if metric is None or moments is None:
                    continue
                raise PlanningError(
                    f"I cannot tell whether the period dates the {metric.label.lower()} or "
                    f"their {other.label.lower()}: they are dated by different moments.",
                    hint=f"To date the {metric.label.lower()}, name their "
                    f"{moments[0].label if moments else 'date'} ('{metric.label.lower()} by "
                    f"{moments[0].label if moments else 'date'} month'); to date their "
                    f"{other.label.lower()}, ask for one period "
                    f"('{metric.label.lower()} with 2 or more {other.label.lower()} in 2025').",
                )

    def _check_distinct(
        self, reading: _Reading, mentions: Sequence[_Mention], metrics: Sequence[str]
    ) -> None:
        """Refuse "distinct products sold" read as a count of rows of another kind (items
        sold): the word distinct would be dropped and the number would count items."""
        for mention in mentions:
            if mention.kind != "metric" or mention.name not in metrics or mention.start == 0:
                continue
            if reading.words[mention.start - 1] not in _DISTINCT:
                continue
            metric = self.model.metrics.get(mention.name)
            if metric is None:
                continue
            expression = re.sub(r"\s+", "", metric.expression.upper())
            if "COUNT(" not in expression or "COUNT(DISTINCT" in expression:
                continue
            head = singular(reading.words[mention.start])
            if head in self._row_heads(metric.table):
                continue  # "distinct items sold": the rows are the items
            said = " ".join(reading.raw[mention.start - 1 : mention.end])
            raise PlanningError(
                f"I cannot count '{said}' yet: {metric.label} counts "
                f"{row_words(self.model, metric.table)[0]}s, not distinct {head}s.",
                hint=f"Ask for {metric.label.lower()}, or for the number of distinct "
                f"{head} values of another table.",
            )

    @staticmethod
    def _groups_next(reading: _Reading, i: int, claimed: set[int]) -> bool:
        """'by', 'per', 'each' are read when what follows them was read."""
        j = i + 1
        while j < len(reading.words) and reading.words[j] in FILLER | {"each", "every"}:
            j += 1
        return j < len(reading.words) and j in claimed

    def _stay_before(self, text: str) -> str:
        """ "Sit in stock before selling", "stayed on the shelf until being sold": the time
        from the row's first moment to the one named (``_first_moment``), said as the
        time between them ("from received to selling") for the duration reader."""

        def between(match: re.Match[str]) -> str:
            end = match["end"]
            ends = self._moments_of(end)
            if not ends and end.endswith("s"):  # "before it sells": the verb's own word
                end = end[:-1]
                ends = self._moments_of(end)
            start = self._first_moment(ends[0]) if len(ends) == 1 else None
            if start is None:
                return match[0]
            first = self.model.moments[start].words[0]
            lead = match["lead"]
            if match["rows"] is not None:
                tables = set(self.model.moments[start].columns) & set(
                    self.model.moments[ends[0]].columns
                )
                restated = singular(match["rows"]) in self._stay_rows(tables)
                # "does a unit sit in stock": the rows the time is of, said again
                lead = "it " if restated else text[match.start() : match.end("rows")] + " "
            return f"{lead}take from {first} to {end}"

        return _STAY_BEFORE.sub(between, text)

    def _stay_rows(self, tables: set[str]) -> set[str]:
        """The one-word names (singular) of a row of ``tables``: their last words ("item"
        of "inventory item") and the words a question about them uses ("unit")."""
        words = {w for t in tables for w in row_words(self.model, t)}
        words |= {w for t in tables for w in self.model.table_phrases.get(t, {})}
        return {singular(w.split()[-1]) for w in words}

    def _with_counted_value_after(self, question: str) -> Plan | None:
        """The plan of a question refused as written, with a value said between a
        condition's number and what it counts ("more than 50 Jeans products", "at least 20
        men's products") said after them ("more than 50 products in Jeans"), as a
        condition reads its rows' values. A state of the rows ("100 delivered orders") or
        a common word ("product page views") is left as said."""
        said = normalize(question)
        if not _NUMBER_THEN_WORDS.search(said):
            return None
        restated = self._counted_value_said(said)
        if restated == said:
            return None
        try:
            planned = self._read(recased(restated, question))
        except PlanningError:
            return None
        return replace(planned, question=question)

    def _counted_value_said(self, text: str) -> str:
        """``text`` with a value said between a condition's number and what it counts
        said after them (see ``_with_counted_value_after``)."""

        def said(found: re.Match[str]) -> str:
            value = tuple(singular(w) for w in tokens(found["value"]))
            noun = (singular(found["noun"]),)
            named = [name for kind, name, _ in self._phrases.get(value, []) if kind == "value"]
            if not named or any(self.model.ruled(d) for d in named):
                return found[0]
            if found["value"].lower() in self._weak_values:
                return found[0]
            if not any(kind == "metric" for kind, _, _ in self._phrases.get(noun, [])):
                return found[0]
            if (*value, *noun) in self._phrases:
                return found[0]  # "returned items": a measure of its own
            return f"{found['lead']}{found['noun']} in {found['value']}"

        return _NUMBER_THEN_WORDS.sub(said, text)

    def _value_rows_said(self, text: str) -> str:
        """ "Cancelled order items", "returned order lines": the rows of one measure with
        a value, said before a measure's name that the value and its first word name
        too ("cancelled order" is the cancelled orders): read as "order items cancelled",
        the rows with that value, never two measures of different rows."""

        def names(words: tuple[str, ...], wanted: str) -> bool:
            return any(kind == wanted for kind, _, _ in self._phrases.get(words, []))

        parts, at = [], 0
        for match in _VALUE_ROWS.finditer(text):  # every three words, overlapping
            value, head, noun = match["value"], match["head"], match["noun"]
            if match.start() < at or not (
                names((head, singular(noun)), "metric")
                and names((value,), "value")
                and names((value, head), "metric")
            ):
                continue
            parts += [text[at : match.start()], f"{head} {noun} {value}"]
            at = match.end("noun")
        return "".join([*parts, text[at:]])

    def _read_taught(self, text: str, notes: list[str]) -> str:
        """Taught phrases (``[[synonyms]]``, ``[[segments]]``, ``Engine.teach``) read as
        what they mean, once: a meaning is not expanded again."""
        if self._taught is None:
            return text

        def meaning(match: re.Match[str]) -> str:
            said = match.group(0)
            note = f"read '{said}' as '{self.model.phrases[said]}'"
            if note not in notes:  # said twice, noted once
                notes.append(note)
            return self.model.phrases[said]

        return self._taught.sub(meaning, text)

    def _calendar_years(self, text: str, notes: list[str]) -> str:
        """ "calendar 2025", "CY25" as the year 2025; "FY25", "fiscal 2025" too when the
        model says its fiscal years are calendar years (``reader.fiscal_year =
        "calendar"``), else refused: when a fiscal year starts is the business's own."""
        if not _YEAR_NAMED.search(text):
            return text

        def year(match: re.Match[str]) -> str:
            said, digits = match.group(0), match["year"]
            full = digits if len(digits) == 4 else f"20{digits}"
            if match["kind"].startswith(("f", "F")):
                if self.model.reader.get("fiscal_year") != "calendar":
                    raise PlanningError(
                        f"The question names a fiscal year ({said.strip()}), and this model "
                        "does not say when its fiscal year starts.",
                        hint=f"Ask with calendar dates ('in {full}'), or set fiscal_year = "
                        '"calendar" under [reader] in the model file if fiscal years are '
                        "calendar years.",
                    )
                note = f"read '{said.strip()}' as the calendar year {full} (the fiscal year)"
                if note not in notes:
                    notes.append(note)
            return full

        return _YEAR_NAMED.sub(year, text)

    def _fix_slips(self, text: str, notes: list[str]) -> str:
        """Correct a slip in a time word ("monthy", "anual", "quater") and note it, so
        "monthy orders" is a monthly series, not a total without its grain; and two
        neighbouring letters swapped in a word the patterns read ("YoY % chnage")."""
        known = self._time_known

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if len(word) < 4 or word in known:
                return word
            one = singular(word)  # the model's words are singular: "prodcuts"
            for typed, ending in ((word, ""), (one, word[len(one) :])):
                meant = self._swappable.get("".join(sorted(typed)))
                if meant is not None and _one_swap(typed, meant):
                    notes.append(f"read '{word}' as '{meant}{ending}'")
                    return meant + ending
            for time_word in _TIME_WORDS:
                # Slips keep the first letter; four letters allow only a swap ("yaer"),
                # so "near" and "weak" stay words of their own.
                if time_word[0] != word[0] or not _one_edit(word, time_word):
                    continue
                if len(word) == 4 and sorted(word) != sorted(time_word):
                    continue
                notes.append(f"read '{word}' as '{time_word}'")
                return time_word
            return self._named_slip(word, notes)

        return re.sub(r"[a-z]+", fix, text)

    def _named_slip(self, word: str, notes: list[str]) -> str:
        """A slip in a word that names a measure or a breakdown ("oders", "purchse"),
        fixed before the phrases and patterns read the text ("avg oder value", "never
        placed an oder"): one slip as ``_correction`` reads it, of a word of five letters
        or more that is no word the reader knows. A value's word is left to where a value
        is expected."""
        if len(word) < 5 or word in FILLER or word in STOPWORDS or word in self._known:
            return word
        if word in self._slips:
            fixed = self._slips[word]
        else:
            fixed = self._slipped(word)
            if len(self._slips) < _SLIPS_KEPT:  # the words of a session's questions, bounded
                self._slips[word] = fixed
        if fixed is None:
            return word
        notes.append(f"read '{word}' as '{fixed}'")
        return fixed

    def _slipped(self, word: str) -> str | None:
        """The measure's or breakdown's word ``word`` is one slip of (``_named_slip``)."""
        one = singular(word)
        if one in self._known or one in FILLER:
            return None
        meant = self._correction(one, one, values=False)
        if meant is None and one == word and word.endswith("s"):
            # "signpus": a plural whose slip hides it ("-us" stays as typed, as "status")
            one = word[:-1]
            meant = self._correction(one, one, values=False)
        if meant is None or not self._word_kinds.get(meant, set()) & {"metric", "dimension"}:
            return None
        return meant if one == word else plural(meant)

    def _check_ranked_period(self, text: str) -> None:
        """ "Ranking only the products that had 2025 sales" is what the top N% rank when
        the question is of 2025 (``text`` is the question before its period is cut);
        another period there, or none elsewhere, would rank other things."""
        clause = ranked_only(text)
        if clause is None:
            return
        start, end, said = clause
        ranked, _ = self._time_window(said)
        if ranked is None:
            return  # "that had sales": in the period asked
        asked, _ = self._time_window(text[:start] + " " + text[end:])
        if asked is None or replace(ranked, label="") != replace(asked, label=""):
            raise PlanningError(
                "The top share ranks the things with the measure in the period asked; "
                f"ranking those with '{said.strip()}' instead is not supported.",
                hint="Ask for the share in the period the ranking is of, e.g. 'share of 2025 "
                "revenue from the top 10% of products'.",
            )

    def _grain(self, text: str) -> str | None:
        for pattern, grain in _GRAINS:
            if re.search(pattern, text):
                return grain
        return None

    def _ranking(self, text: str) -> tuple[str, int | None, re.Match[str] | None]:
        # "at least 3", "at most 5" are conditions, not rankings.
        text = re.sub(r"\bat (least|most)\b", lambda m: "~" * len(m.group(0)), text)
        top = _TOP.search(text) or _TOP_AFTER.search(text)
        if top:
            return "desc", int(top.group("n")), top
        bottom = _BOTTOM.search(text) or _BOTTOM_AFTER.search(text)
        if bottom:
            return "asc", int(bottom.group("n")), bottom
        which = _WHICH_N.search(text)
        if which:
            n = int(which.group("n"))
            return (_direction(text)), n, which
        one = _TOP_ONE.search(text)  # "top category by revenue": one, as "top 1" is
        if one is not None:
            words = one["thing"].split()
            if self._breakdown_named(words) and all(singular(w) == w for w in words):
                low = one["sup"] in {"bottom", "worst", "lowest"}
                return "asc" if low else "desc", 1, one
        with_most = _N_WITH_MOST.search(text)
        if with_most:
            low = with_most.group("dir") in {"fewest", "lowest", "least", "smallest", "worst"}
            return "asc" if low else "desc", int(with_most.group("n")), with_most
        return "auto", None, None

    def _comparisons(self, text: str) -> tuple[list[Filter], str]:
        """Conditions on numeric dimensions ("priced over $80", "aged 30 to 39",
        "older than 50"), cut out of the text so their words are not read again."""
        found: list[Filter] = []
        while True:
            # The match that starts first, then the longest: "sale price over $100" is
            # the sale price, not the retail price its last word also names.
            patterns = self._comparison_patterns
            matches = [
                (match, dimension)
                for dimension, pattern in (
                    patterns[i] for i in self._comparison_needs.candidates(text)
                )
                if (match := pattern.search(text)) is not None
                and not _AGGREGATE_BEFORE.search(text, 0, match.start())
            ]
            if not matches:
                return found, text
            match, dimension = min(matches, key=lambda m: (m[0].start(), -m[0].end()))
            found.append(self._comparison_filter(dimension, match))
            # A clause about the people before the bound is left to be read.
            start = match.end("clause") if match.groupdict().get("clause") else match.start()
            text = (text[:start] + " " + text[match.end() :]).strip()

    def _check_rows_of(self, measure: str, counted: str, reading: _Reading) -> bool:
        """ "Median sale price of items sold": a statistic of a number over the rows a
        count names by its rule takes that rule as filters (``True``); refused when the
        rule cannot be written as a filter, since answering would silently drop it."""
        first, second = self.model.metric(measure), self.model.metric(counted)
        missing = set(second.filters) - set(first.filters)
        if second.unit == "count" and second.table == first.table and missing:
            if self._rule_drops_counted(measure, counted):
                return False  # "return rate of the items": the rate's own rows, every item
            if not first.additive:
                ruled = [rule_as_filter(self.model, name, first.table) for name in missing]
                if all(f is not None for f in ruled):
                    reading.rule_filters.extend(
                        f for f in ruled if f is not None and f not in reading.rule_filters
                    )
                    return True
            rules = ", ".join(
                self.model.filter_descriptions.get(name, name) for name in sorted(missing)
            )
            raise PlanningError(
                f"{first.label} of {second.label.lower()} would need the rule of "
                f"{second.label.lower()} ({rules}), which {first.label.lower()} does not "
                "follow.",
                hint=f"Ask for {first.label.lower()} of all rows, or for {second.label.lower()}"
                " on its own.",
            )
        return False

    def _wider_rows(self, measure: str, counted: str) -> list[str]:
        """The rules of a statistic of a number (an average, a median) that the rows it
        is said of do not have: "average sale price of order items" is over every order
        item, not only the items sold the average's own rule keeps."""
        first, second = self.model.metric(measure), self.model.metric(counted)
        if first.additive or first.unit == "count" or second.unit != "count":
            return []
        if second.table != first.table or not set(second.filters) < set(first.filters):
            return []
        return [name for name in first.filters if name not in second.filters]

    def _same_rows(self, measure: str, counted: str) -> bool:
        """Whether count ``counted`` only names the rows ``measure`` is taken over: a
        count of the same table whose rules ``measure`` applies too ("the total value of
        all order items"); "median sale price of items sold" names sold items, a rule the
        median does not have, so it is not merely a description."""
        first, second = self.model.metric(measure), self.model.metric(counted)
        return (
            second.unit == "count"
            and second.table == first.table
            and set(second.filters) <= set(first.filters)
            and (not first.additive or first.unit == "money")
        ) or self._rule_drops_counted(measure, counted)

    def _rule_drops_counted(self, measure: str, counted: str) -> bool:
        """Whether the rule of count ``counted`` leaves out the very rows ``measure``
        counts ("return rate of the items": items sold are kept by a rule that drops the
        returned items, which the rate counts). Its rows are then the measure's own
        (every item): with the rule, the rate would be 0 whatever the data."""
        from lgda_nb.planner._read_durations import rule_as_filter

        first, second = self.model.metric(measure), self.model.metric(counted)
        if second.unit != "count" or second.table != first.table:
            return False
        expression = first.expression
        for name in set(second.filters) - set(first.filters):
            ruled = rule_as_filter(self.model, name, first.table)
            if (
                ruled is not None
                and ruled.negate
                and any(f"'{value}'" in expression for value in ruled.values)
            ):
                return True
        return False

    def _word(self, word: str) -> str:
        """A word as the vocabulary spells it: singular, and without a possessive "'s"
        unless the possessive itself is a phrase ("department's" -> department, while
        a value alias such as a department's possessive name stays)."""
        plain = singular(word)
        if word.endswith(("'s", "s'")) and plain not in self._known and word not in self._known:
            stem = singular(word[:-2] if word.endswith("'s") else word[:-1])
            if stem in self._known:
                return stem
        return plain

    def _any_value_dimensions(self, what: str) -> tuple[list[str], int]:
        """The dimensions named by the first words of ``what``, and how many words: by a
        phrase of the model, else by their column's own name ("regardless of status"
        names every status column when several tables have one)."""
        words = [singular(w) for w in tokens(what)]
        for size in (2, 1):
            entries = self._phrases.get(tuple(words[:size]), [])
            names = [name for kind, name, _ in entries if kind == "dimension"]
            if names:
                return names, size
        for size in (2, 1):
            wanted = "_".join(words[:size])
            names = [
                d.name
                for d in self.model.dimensions.values()
                if d.values and (d.column or "").rsplit(".", 1)[-1] == wanted
            ]
            if names and len(words) >= size:
                return names, size
        return [], 0

    def _any_value(self, text: str) -> tuple[list[str], str]:
        """Cut out "regardless of status", "any status": every value counts, so they name
        no breakdown and no filter. Returns the dimensions they name."""
        named: list[str] = []
        start = 0
        while match := _ANY_VALUE.search(text, start):
            lead = " ".join(match.group("lead").split())
            found, size = self._any_value_dimensions(match.group("what"))
            if lead not in _ANY_ONLY or not found:
                start = match.end("lead")
                continue
            named.extend(found)
            end = match.start("what") + len(" ".join(match.group("what").split()[:size]))
            text = (text[: match.start()] + " " + text[end:]).strip()
            start = match.start()
        return named, text

    def _any_value_rules(
        self, text: str, named: Sequence[str], base: Metric, claims: list[tuple[int, int]]
    ) -> tuple[list[str], list[str]]:
        """The model rules of ``base`` about a dimension every value of which was asked
        for ("regardless of status", "across all statuses"): those are left out. Also
        returns those dimensions."""
        dimensions = list(named)
        for match in _ANY_VALUE.finditer(text):
            found, size = self._any_value_dimensions(match.group("what"))
            if found:
                dimensions.extend(found)
                end = match.start("what") + len(" ".join(match.group("what").split()[:size]))
                claims.append((match.start(), end))
        dropped: list[str] = []
        for dimension in dimensions:
            column = self.model.dimensions[dimension].sql_for(base.table)
            dropped += [
                rule
                for rule in base.filters
                if column in self.model.filter_sql(rule) and rule not in dropped
            ]
        return dropped, dimensions

    def _restated_moments(self, text: str, durations: Sequence[str] = ()) -> str:
        """``text`` without a remark naming the two moments of the measure of time right
        before it ("delivery time (placed to delivered)", "transit time in days (ship to
        delivery)"), or of the durations already read (``durations``: "how many days
        does it take for an order to be delivered (placed to delivered)"): it says again
        what is measured, and its words are no filter ("delivered" is no status here).
        A remark naming other moments than the measure's is refused: which time is meant
        is not clear."""
        read = {tuple(name.split(":")[3:5]) for name in durations}
        after = _MOMENTS_AFTER_COLON.search(text) or _MOMENTS_AFTER_TIME.search(text)
        if after is not None and all(self._moments_of(after[w]) for w in ("a", "b")):
            # "median delivery time - order placed to delivered": the remark, said last
            text = f"{text[: after.start()]} ({after['said']}){text[after.end() :]}"
        for remark in _MOMENTS_REMARK.finditer(text):
            said = self._moment_pair(self._moments_of(remark["a"]), self._moments_of(remark["b"]))
            if said is None:
                continue
            measured = (
                said  # one of the durations read: "... AND more than 4 days in transit"
                if said in read
                else next(iter(read))
                if len(read) == 1
                else self._measured_moments(text[: remark.start()])
            )
            if measured is None:
                continue
            if measured != said:
                labels = [self.model.moments[m].label for m in (*measured, *said)]
                raise PlanningError(
                    f"The measure runs from {labels[0]} to {labels[1]}, but the remark after "
                    f"it says from {labels[2]} to {labels[3]}.",
                    hint=f"Ask for the days from {labels[2]} to {labels[3]}, or leave the "
                    "remark out.",
                )
            return (text[: remark.start()] + " " + text[remark.end() :]).strip()
        return text

    def _reached_restated(
        self, text: str, durations: Sequence[str], said_first: str
    ) -> tuple[str | None, str]:
        """ "average delivery time for delivered orders", "average days to ship for orders
        that have shipped", "average transit time for shipped orders": of a measure of
        time, the rows that reached one of its moments are restated (every row it is
        measured on has both), so the words are no filter ("delivered" is no status here)
        and are cut. Returns that moment (checked once the measures are read:
        ``_check_reached``) and the text. A moment dated in ``said_first`` (the text
        before the time window was read: "orders delivered in March 2025") is left to
        the window and the status, and a share's rows to ``_measured_rows``."""
        if _SHARE.search(text):
            return None, text
        pairs = [self._through(*name.split(":")[3:5]) for name in durations]
        pairs += [self._through(*moments) for pattern, moments in self._time_measure_phrases
                  if pattern.search(text)]  # fmt: skip
        if not pairs:
            return None, text
        for moment in sorted(set.intersection(*pairs)):
            words = self.model.moments[moment].words
            said = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            if re.search(rf"\b(?:{said})\s+{_DATED}", said_first):
                continue
            measured, cut = cut_measured_rows(text, len(text), words)
            if measured:
                return moment, cut
        return None, text

    def _through(self, start: str, end: str) -> set[str]:
        """The moments a row measured from ``start`` to ``end`` has reached: those two and
        every moment the model lists between them on a table of both (moments are listed
        in the order a row reaches them: a delivered order has shipped)."""
        names = list(self.model.moments)
        if start not in names or end not in names:
            return {start, end}
        low, high = sorted((names.index(start), names.index(end)))
        tables = set(self.model.moments[start].columns) & set(self.model.moments[end].columns)
        return {
            name
            for name in names[low : high + 1]
            if name in {start, end} or tables & set(self.model.moments[name].columns)
        }

    def _time_measures_spelled(self, text: str) -> str:
        """A model's measure of time under another statistic than its own average ("median
        delivery time", "p90 transit time", "longest shipping time") as the duration it
        averages ("days from placed to delivered"), which any statistic is read of; a unit
        said after it that is the measure's own is part of it."""
        if not _OTHER_STATISTIC.search(text):
            return text
        for pattern, (start, end) in self._time_measure_phrases:
            if not pattern.search(text):
                continue
            unit = f"{self._time_unit(self._measure_between[start, end]) or 'day'}s"
            spelled = (
                f"{unit} from {self.model.moments[start].words[0]} to "
                f"{self.model.moments[end].words[0]}"
            )

            def duration(match: re.Match[str], spelled: str = spelled) -> str:
                # Not the end of another span ("order-to-delivery time", "ship to delivery time").
                before = match.string[: match.start()]
                return match.group(0) if re.search(r"(?:-|\bto\s+)$", before) else spelled

            text = pattern.sub(duration, text)
            said = re.escape(spelled)
            text = re.sub(rf"({said}(?:\s+percentiles)?),?\s+in\s+{unit}\b", r"\1", text)
            text = re.sub(rf"({said})\s+quartiles\b", r"quartiles of \1", text)
        return text

    @functools.cached_property
    def _measure_between(self) -> dict[tuple[str, str], str]:
        """The model's measure of time between two moments, by the moments."""
        return {
            moments: name
            for name in self.model.metrics
            if (moments := self._moments_measured(name)) is not None
        }

    @functools.cached_property
    def _time_measure_phrases(self) -> list[tuple[re.Pattern[str], tuple[str, str]]]:
        """Each measure of the model between two moments of a row ("delivery time"), as a
        pattern of its names, with its two moments."""
        found = []
        for name, metric in self.model.metrics.items():
            moments = self._moments_measured(name)
            if moments is None:
                continue
            names = {name.replace("_", " "), metric.label.lower(), *metric.synonyms}
            said = "|".join(re.escape(n.lower()) for n in sorted(names, key=len, reverse=True))
            found.append((re.compile(rf"\b(?:{said})\b"), moments))
        return found

    def _reached_rules(
        self, reached: str | None, metrics: Sequence[str], question: str
    ) -> list[str]:
        """Rows said to have reached a moment were read as restating the measures of time
        through it; with another measure beside, they would be a filter of that one:
        refused rather than read one way for one measure and another for the other. The
        one exception is the count of those very rows, said as what the measure rests on
        ("average delivery time, with the number of delivered orders it rests on", "...
        behind each figure"): the rows that reached the moment, which the measure of time
        is taken over too, as a rule of the plan. Without such words "delivered orders"
        beside a count could be the status Complete, and is refused."""
        if reached is None:
            return []
        timed = [
            m
            for m in metrics
            if len(pair := self._moments_between(m)) == 2 and reached in self._through(*pair)
        ]
        others = [m for m in metrics if m not in timed]
        if not others:
            return []
        tables = {self.model.metric(m).table for m in timed if m in self.model.metrics}
        counts = {
            self.model.metric(m).table
            for m in others
            if m in self.model.metrics
            and self.model.metric(m).unit == "count"
            and not self.model.metric(m).filters
        }
        column = self.model.moments[reached].columns.get(next(iter(tables), ""))
        if (
            len(tables) == 1
            and counts == tables
            and len(others) == 1
            and column is not None
            and _RESTS_ON.search(question)
        ):
            return [f"dated:{column}"]
        label = self.model.moments[reached].label
        raise PlanningError(
            f"Rows that reached their {label} restate a measure of time through the {label}, "
            "but another measure is asked beside it, for which they would be a filter.",
            hint="Ask for the measure of time and the other measure as two questions.",
        )

    def _moments_between(self, metric: str) -> tuple[str, ...]:
        """The two moments a measure of time runs between (none for another measure)."""
        if metric.startswith("duration:"):
            return tuple(metric.split(":")[3:5])
        moments = self._moments_measured(metric) if metric in self.model.metrics else None
        return moments or ()

    def _measured_moments(self, before: str) -> tuple[str, str] | None:
        """The two moments (from, to) of the model's measure of time ``before`` ends with
        ("delivery time"), its unit after it or not ("..., in days"). A duration said with
        its moments ("days from order to delivery") is read by ``_durations`` first."""
        unit = _UNIT_AT_END.search(before)
        words = tokens(before[: unit.start()] if unit else before)
        for size in range(min(self._max_len, len(words)), 0, -1):
            entries = self._phrases.get(tuple(singular(w) for w in words[-size:]), [])
            names = [name for kind, name, _ in entries if kind == "metric"]
            if names:
                measured = self._moments_measured(names[0])
                if measured is not None:
                    return measured
                break
        # "transit time for US orders (ship to delivery)": the rows it is taken on between
        for scope in range(len(words) - 1, max(0, len(words) - 6), -1):
            if words[scope] in _ROWS_OF | {"of", "in"}:
                return self._measured_moments(" ".join(words[:scope])) if scope else None
        return None

    def _moments_measured(self, metric: str) -> tuple[str, str] | None:
        """The moments (from, to) a model measure's TIMESTAMP_DIFF runs between, if any."""
        diff = time_between(self.model.metrics[metric].expression)
        if diff is None:
            return None
        by_column = {c: m.name for m in self.model.moments.values() for c in m.columns.values()}
        start, end = by_column.get(diff[1]), by_column.get(diff[0])
        return (start, end) if start is not None and end is not None else None

    def _moments_of(self, word: str) -> list[str]:
        return [m.name for m in self.model.moments.values() if word in m.words]

    def _durations(self, text: str) -> tuple[list[str], list[str], str]:
        """Durations between two moments of a row ("average days from an order being
        placed to it shipping"), cut out of the text, as ``duration:`` measures; with the
        words of other rows named in them ("for an order item"), which a breakdown must
        make the duration be measured on."""
        found: list[str] = []
        other_rows: list[str] = []
        if not self.model.moments:
            return found, other_rows, text
        text = _LONGEST_TAKEN.sub(r"\g<agg> time \g<one> \g<row> took", text)
        start = 0
        while lead := _DURATION_LEAD.search(text, start):
            parsed = self._duration_after(text, lead)
            if parsed is None:
                start = lead.end()
                continue
            name, end = parsed
            end = self._per_own_row(text, end, name)
            found.append(name)
            # "average and median days from order to delivery": each statistic named.
            found += [name.replace(f":{name.split(':')[2]}:", f":{other}:", 1)
                      for other in self._other_aggregates(lead)]  # fmt: skip
            rows = self._other_rows_named(text[lead.end() : end], name)
            if rows is not None:  # "days for an order item to ship": checked once planned
                other_rows.append(rows)
            text = (text[: lead.start()] + " " + text[end:]).strip()
            start = lead.start()
        if found:
            text = self._own_rows_restated(text, found[0])
            closing = _UNIT_AT_END.search(text)  # "shortest and longest time ..., in days"
            if closing is not None and all(n.split(":")[1] == "DAY" for n in found):
                said = closing.group(1).rstrip("s").upper()
                found = [n.replace(":DAY:", f":{said}:", 1) for n in found]
                text = text[: closing.start()].strip()
        while pair := _DURATION_PAIR.search(text):
            first, last = self._moments_of(pair["a"]), self._moments_of(pair["b"])
            aggregate = _DURATION_AGGREGATES.get(pair["agg"] or "") or self._on_average(text)
            chosen = self._moment_pair(first, last)
            if chosen is None or aggregate is None:
                break
            unit = (pair["unit2"] or "days").rstrip("s").upper()
            found.append(f"duration:{unit}:{aggregate}:{chosen[0]}:{chosen[1]}")
            text = (text[: pair.start()] + " " + text[pair.end() :]).strip()
        # "How long do items sit in stock before they sell? Average days from stocking to
        # sale": one measure, said twice
        return list(dict.fromkeys(found)), other_rows, text

    def _before_own_rows(self, mention: _Mention, raw_words: Sequence[str]) -> bool:
        """ "Purchase events", "cart events": a value right before the noun of its own
        table's rows names those rows, however common the word is otherwise."""
        if mention.end >= len(raw_words):
            return False
        dimension = self.model.dimensions[mention.name]
        columns = [dimension.column or "", *dimension.columns.values()]
        noun = singular(raw_words[mention.end])
        return any(
            noun in self._row_nouns(column.split(".", 1)[0]) for column in columns if "." in column
        )

    def _set_against_value(
        self, mention: _Mention, mentions: Sequence[_Mention], words: Sequence[str]
    ) -> bool:
        """ "Complete vs cancelled orders": a common word that is one of a breakdown's
        values, set right against a value of the same breakdown that is no common word,
        is that value too."""
        if mention.end >= len(words) or words[mention.end] not in _AGAINST:
            return False
        return any(
            other.kind == "value"
            and other.name == mention.name
            and other.start == mention.end + 1
            and " ".join(words[other.start : other.end]) not in self._weak_values
            for other in mentions
        )

    def _own_rows_restated(self, text: str, name: str) -> str:
        """ "..., 2025 orders": the duration's own rows named alone at the end (once the
        year is read as the window) restate what is measured; they are no count beside."""
        tail = self._rows_pattern(
            name,
            r",\s*(?:(?:for|of|on|among)\s+)?(?:the\s+|all\s+)?(?:{nouns})s?"
            r"(?P<unit>\s*,?\s*(?:in\s+)?(?:days|hours|minutes|weeks))?\s*$",
        ).search(text)
        if tail is None:
            return text
        return f"{text[: tail.start()].strip()}{tail['unit'] or ''}"

    def _per_own_row(self, text: str, end: int, name: str) -> int:
        """Past ", per order" after a duration of orders: each row's own duration is what
        is measured, so "per order" restates it (it is not a count of orders beside)."""
        per = self._rows_pattern(
            name, r"\s*,?\s*(?:per|for each|for every|each)\s+(?:{nouns})s?\b\s*(?=,|$|\s)"
        )
        found = per.match(text, end)
        return found.end() if found else end

    def _rows_pattern(self, duration: str, template: str) -> re.Pattern[str]:
        """``template`` with ``{nouns}`` the words for the rows a duration is measured on
        (its own table's, not every table its moments date: ", order items" after a
        duration of orders names other rows), compiled once per planner (a pattern that
        matches nothing when there are none)."""
        tables = frozenset({self.model.metric(duration).table})
        key = (tables, template)
        pattern = self._row_patterns.get(key)
        if pattern is None:
            words = {w for t in tables for w in row_words(self.model, t)}
            nouns = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            pattern = re.compile(template.replace("{nouns}", nouns) if words else r"(?!)")
            self._row_patterns[key] = pattern
        return pattern

    def _row_nouns(self, table: str) -> frozenset[str]:
        """The one-word nouns for a row of ``table``, singular ("event", "order")."""
        nouns = self._row_noun_cache.get(table)
        if nouns is None:
            words = row_words(self.model, table)
            nouns = frozenset(singular(w) for w in words if " " not in w)
            self._row_noun_cache[table] = nouns
        return nouns

    def _row_name_words(self) -> frozenset[str]:
        """Every word of every table's names for its rows, singular ("inventory", "item")."""
        if self._row_name_cache is None:
            self._row_name_cache = frozenset(
                singular(w)
                for t in self.model.catalog
                for name in row_words(self.model, t)
                for w in name.split()
            )
        return self._row_name_cache

    def _row_heads(self, table: str | None = None) -> frozenset[str]:
        """The last word of each name for a row of ``table``, singular ("item" of "order
        item"); of every table's rows when ``table`` is None. Made once per table."""
        heads = self._row_head_cache.get(table)
        if heads is None:
            tables = self.model.catalog if table is None else (table,)
            heads = frozenset(
                singular(w.rsplit(" ", 1)[-1]) for t in tables for w in row_words(self.model, t)
            )
            self._row_head_cache[table] = heads
        return heads

    @staticmethod
    def _other_aggregates(lead: re.Match[str]) -> list[str]:
        """The statistics named after the first in a duration's lead ("average and median
        days"), as aggregate names."""
        return kinds_named(lead["agg"] or "", _DURATION_AGGREGATES)[1:]

    @staticmethod
    def _on_average(text: str) -> str | None:
        return "avg" if re.search(r"\b(on average|how long)\b", text) else None

    def _cut_period_owner(self, text: str) -> tuple[str, str | None]:
        """ "By order year": a period named with the rows it dates ("order", "signup"
        when those are not a breakdown of their own), read as the period; the table is
        returned so that the measure can be checked to be dated by it."""
        for found in _OWNED_PERIOD.finditer(text):
            word, period = singular(found["owner"]), found["period"]
            if (word, period) in self._phrases or (found["owner"], period) in self._phrases:
                continue
            owners = [t.name for t in self.model.catalog.values() if word in t.words]
            if len(owners) == 1:
                return text[: found.start("owner")] + text[found.end("owner") + 1 :], owners[0]
        return text, None

    def _extremes_listed(self, text: str) -> str:
        """ "youngest, oldest and mean age": the model's extremes of a number (``reader.
        extremes``: youngest is min:age) listed with other statistics of that number, said
        as the statistics ("min, max and mean age"), so each is read of it."""
        extremes = {
            word: named.partition(":")
            for word, named in self._single_extremes.items()
            if word in text and re.search(rf"\b{word}\b", text)  # a precheck, same result
        }
        if not extremes:
            return text
        said = "|".join(map(re.escape, extremes))
        listed = re.compile(
            rf"\b(?P<aggs>(?:{said}|{_LISTED_STATISTIC})(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
            rf"(?:{said}|{_LISTED_STATISTIC}))+)\s+(?P<rest>[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)"
        )
        for found in listed.finditer(text):
            named = [extremes[w] for w in re.findall(said, found["aggs"])]
            number = next(
                (
                    found["rest"].split()[:k]
                    for k in (2, 1)
                    if self._names_number(found["rest"].split()[:k])
                ),
                None,
            )
            if not named or number is None:
                continue
            phrases = self._phrases.get(tuple(singular(w) for w in number), [])
            if {of for _, _, of in named} <= {n for kind, n, _ in phrases if kind == "dimension"}:
                aggs = re.sub(said, lambda m: extremes[m.group(0)][0], found["aggs"])
                return text[: found.start("aggs")] + aggs + text[found.end("aggs") :]
        return text

    @functools.cached_property
    def _single_extremes(self) -> dict[str, str]:
        """The model's one-word extremes and what each is ("youngest": "min:age")."""
        return {
            str(word): str(named)
            for word, named in self.model.reader.get("extremes", {}).items()
            if " " not in str(word) and ":" in str(named)
        }

    def _names_number(self, words: Sequence[str]) -> bool:
        """Whether ``words`` name a numeric breakdown ("retail price")."""
        entries = self._phrases.get(tuple(singular(w) for w in words), [])
        return any(
            kind == "dimension" and self.model.dimensions[name].numeric for kind, name, _ in entries
        )

    def _dimensions_on(self, column: str) -> list[str]:
        """The breakdowns that read ``column`` on some table ("orders.gender": gender)."""
        return [
            name
            for name, d in self.model.dimensions.items()
            if column in {d.column, d.expression, *d.columns.values()}
        ]

    def _check_column_hints(
        self,
        hints: Sequence[str],
        table: str,
        dimensions: Sequence[str],
        filters: Sequence[Filter],
        metrics: Sequence[str] = (),
    ) -> None:
        """Refuse a column named in parentheses that the answer does not group or filter by
        ("by gender (users.gender)" for a measure of orders, which reads orders.gender), or
        measure ("average product cost (products.cost)")."""
        used = {*dimensions, *(f.dimension for f in filters)}
        measured = " ".join(self.model.metric(name).expression for name in metrics)
        for column in hints:
            if re.search(rf"\b{re.escape(column)}\b", measured):
                continue
            if not any(
                self.model.dimensions[name].sql_for(table) == column and name in used
                for name in self._dimensions_on(column)
            ):
                raise PlanningError(
                    f"The question names the column {column}, but the answer would not be "
                    "broken down or filtered by it.",
                    hint="Leave the column out, or name a breakdown that reads it.",
                )

    def _names_breakdown(self, words: Sequence[str]) -> bool:
        """Whether ``words`` name a breakdown by values ("segment", "sales region")."""
        return self._breakdown_named(words) is not None

    def _measured_rows(self, text: str) -> tuple[str, bool]:
        """``text`` read for a share of rows that took some time, asked of the rows that
        reached the later moment ("of the orders that have been delivered, what %
        arrived within 5 days"): the text with that restatement cut, and whether it was."""
        moved = rows_first(text)
        if not _SHARE.search(moved):
            return text, False
        timed, _ = cut_duration_conditions(
            moved, self._moments_of, self._moment_pair, self._first_moment
        )
        if not timed:
            return text, False
        later = timed[0].metric.split(":")[4]
        measured, cut = cut_measured_rows(moved, timed[0].start, self.model.moments[later].words)
        return (cut, True) if measured else (text, False)

    def _amount_of_rows(self, text: str, metrics: list[str], notes: list[str]) -> list[str]:
        """ "How much did items with status Complete bring in": an amount of money asked of
        the rows a count was read from is the money measure 'sell' means on those rows."""
        if len(metrics) != 1 or not _HOW_MUCH_EARNED.search(text):
            return metrics
        counted = self.model.metric(metrics[0])
        money = self._default_metric("money")
        if counted.unit != "count" or money is None:
            return metrics
        if self.model.metric(money).table != counted.table:
            return metrics
        notes.append(f"'how much' read as {money.replace('_', ' ')}")
        return [money]

    def _measure_first(self, text: str) -> str:
        """ "Most customers first" as "sorted by customers, most first": the rows ordered
        by the measure named between. A breakdown or period named between ("busiest hour
        first", "biggest brand first") is what is ordered: "busiest first"."""

        def sorted_by(match: re.Match[str]) -> str:
            words = match["what"].split()
            if self._names_measure(words):
                return f"sorted by {match['what']}, {match['sup']} first"
            named = singular(words[-1])
            if len(words) == 1 and (named in _PERIODS or self._names_breakdown([named])):
                return f"{match['sup']} first"  # "busiest hour first": the groups, by it
            return match.group(0)

        cheap = {"cheapest", "least expensive"}
        text = _PRICE_FIRST.sub(
            lambda m: "lowest" if m["sup"].lower() in cheap else "highest", text
        )
        return _MEASURE_FIRST.sub(sorted_by, text)

    def _either_way(self, text: str, metrics: Sequence[str]) -> list[tuple[int, int]]:
        """ "Inventory units by center (sold and unsold together)", "every item received,
        sold or not": both ways of a moment the measure's rows may have reached restate a
        measure of all of them (none of its rules is on that moment); read as nothing
        more. Said of a measure with such a rule (unsold stock), they are left, refused."""
        if " or " not in text and " and un" not in text:
            return []
        found = []
        for said in _EITHER_WAY.finditer(text):
            moments = [m for m in self.model.moments.values() if said["verb"] in m.words]
            valued = any(kind == "value" for kind, *_ in self._phrases.get((said["verb"],), []))
            if not moments or not metrics or valued:  # "shipped or not": a status too
                continue
            restated = True
            for name in metrics:
                metric = self.model.metrics.get(name)
                columns = (
                    {m.columns.get(metric.table) for m in moments} - {None} if metric else set()
                )
                rules = " ".join(self.model.filter_sql(r) for r in metric.filters) if metric else ""
                restated = (
                    restated
                    and bool(columns)
                    and not any(c is not None and c.split(".")[-1] in rules for c in columns)
                )
            if restated:
                found.append(said.span())
        return found

    def _restated_units(self, text: str, metrics: Sequence[str]) -> list[tuple[int, int]]:
        """Where ``text`` says the unit every measure is taken in ("average delivery time
        in days", "revenue by month, in dollars"): words that restate it, read as nothing
        more. A unit another measure is not taken in ("in hours" of days to deliver, "in
        dollars" of a return rate) is left, so it is refused. "To the cent" (or "rounded to
        2 decimals") restates how amounts and averages are shown, but not of a duration,
        taken in whole units."""
        rounded = [m.span() for m in _TO_THE_CENT.finditer(text)]
        if rounded and any(self._time_unit(m) for m in metrics):
            rounded = []  # a duration is in whole units: "(2 decimals)" asks another number
        if not metrics or ("in " not in text and "(" not in text and "as " not in text):
            return rounded
        if all(m in self.model.metrics and self._percent(m) for m in metrics):
            rounded += [m.span() for m in _IN_PERCENT.finditer(text)]  # "gross margin in %"
        if all(self._money(m) for m in metrics):
            return rounded + [m.span() for m in _IN_MONEY.finditer(text)]
        if any(self._money(m) for m in metrics):
            # "revenue (in $) and units sold": the remark right after an amount's name
            rounded += [
                m.span()
                for m in _IN_MONEY.finditer(text)
                if m[0].lstrip().startswith("(") and self._after_money(text[: m.start()], metrics)
            ]
        units = {self._time_unit(m) for m in metrics}
        if len(units) != 1 or None in units:
            return rounded
        return [m.span() for m in _IN_TIME_UNIT.finditer(text) if singular(m["unit"]) in units]

    def _after_money(self, before: str, metrics: Sequence[str]) -> bool:
        """Whether ``before`` ends with the name of a measure of money among ``metrics``."""
        said = before.rstrip().lower()
        return any(
            said.endswith(name.lower())
            and (len(said) == len(name) or not said[-len(name) - 1].isalnum())
            for metric in metrics
            if self._money(metric)
            for name in (self.model.metric(metric).label, *self.model.metric(metric).synonyms)
        )

    def _money(self, metric: str) -> bool:
        """Whether a measure is an amount of money (revenue, an average order value)."""
        try:
            return self.model.metric(metric).unit == "money"
        except (KeyError, ValueError):
            return False

    def _time_unit(self, metric: str) -> str | None:
        """The unit a measure of time is taken in ("day", "minute"): a duration's own, or
        the one of the TIMESTAMP_DIFF in the model's expression (of a statistic's measure
        per entity: "avg:session_minutes:session_id"); None for any other measure."""
        if metric.startswith("duration:"):
            return metric.split(":")[1].lower()
        named = next((p for p in metric.split(":") if p in self.model.metrics), None)
        if named is None:
            return None
        diff = time_between(self.model.metrics[named].expression)
        return diff[2].lower() if diff is not None and diff[2] else None

    def _check_filters_in_measures(self, metrics: Sequence[str], filters: Sequence[Filter]) -> None:
        """Refuse a filter on a column that another measure is computed from ("the value
        of returned items and the item return rate": the status filter would leave the
        return rate 100%)."""
        if len(metrics) < 2:
            return
        for f in filters:
            dimension = self.model.dimensions.get(f.dimension)
            if dimension is None:
                continue
            for name in metrics:
                metric = self.model.metric(name)
                column = dimension.sql_for(metric.table)
                if _CONDITIONAL.search(metric.expression) and column in metric.expression:
                    raise PlanningError(
                        f"The filter '{dimension.label.lower()}' would also apply to "
                        f"{metric.label.lower()}, which is computed from "
                        f"{dimension.label.lower()} itself.",
                        hint=f"Ask for {metric.label.lower()} on its own, and for the "
                        "filtered measure in a question of its own.",
                    )

    def _check_determined_rates(self, metrics: Sequence[str], filters: Sequence[Filter]) -> None:
        """Refuse a rate whose answer a filter decides: "return rate for orders with status
        Shipped" counts the returned among orders that are all Shipped, 0% by definition
        (and 100% when every row kept is one the rate counts). So is a count of rows of
        one value among rows of others ("cancelled and returned items": the returned
        items among the cancelled ones, 0). A filter that keeps some
        rows of each kind ("cancellation rate of Shipped and Cancelled orders"), or leaves
        values out, is a rate like any other."""
        for name in metrics:
            metric = self.model.metrics.get(name)
            counted = counted_if(metric.expression) if metric is not None else None
            if metric is None or counted is None:
                continue
            column, values = counted
            for f in filters:
                dimension = self.model.dimensions.get(f.dimension)
                if f.op != "in" or f.negate or dimension is None:
                    continue
                if dimension.sql_for(metric.table) != column:
                    continue
                kept = {str(v) for v in f.values}
                rate = self._percent(name)
                if kept & values and (not kept <= values or not rate):
                    continue  # a count of the rows kept that it counts is no rate's 100%
                share = f"{100 if kept <= values else 0}%" if rate else "0"
                said = ", ".join(sorted(kept))
                raise PlanningError(
                    f"{metric.label} counts the rows whose {dimension.label.lower()} is "
                    f"{' or '.join(sorted(values))}, but the question keeps only rows whose "
                    f"{dimension.label.lower()} is {said}: it would be {share} by definition.",
                    hint=f"Ask for {metric.label.lower()} without that filter, or by "
                    f"{dimension.label.lower()}.",
                )

    def _check_conditions_across_groups(
        self, conditions: Sequence[Condition], dimensions: Sequence[str], metrics: Sequence[str]
    ) -> None:
        """Refuse counting values, in each group of another breakdown, by a condition
        that could be taken in the group or over all of them: "how many brands in each
        category have more than 10 products" could count a brand's products in that
        category or in every category (a brand sells in many). Things with a key of their
        own (customers, orders, products) sit in one group each, and a condition that
        only picks the rows of another measure ("revenue by category for brands with
        more than 10 products") is read as it is."""
        for condition in conditions:
            per = self.model.dimensions.get(condition.per)
            if per is None or per.key or condition.per.endswith("_id"):
                continue
            if f"distinct:{condition.per}" not in metrics:
                continue
            others = [d for d in dimensions if d != condition.per]
            if not others:
                continue
            things = plural(per.label.lower())
            group = self.model.dimensions[others[0]].label.lower()
            measure = self.model.metric(condition.metric.split(":")[-1]).label.lower()
            raise PlanningError(
                f"A condition on {things} by {group} could count their {measure} in each "
                f"{group} or in all of them; I cannot tell which.",
                hint=f"Ask for {measure} by {group} and {per.label.lower()}, and read the "
                f"{things} over the limit in each {group}.",
            )

    def _entity_columns_cut(self, text: str) -> tuple[list[str], str]:
        """The columns listed at the end of a ranking of things ("top 10 customers by
        revenue: user id, country and revenue"): the breakdowns among them, with the
        list cut out when every item is a breakdown, an id or a measure. An order said
        after the list ("..., biggest spender first", "sorted by spend") is kept."""
        tail = _ORDER_TAIL.search(text)
        if tail is not None and tail.start() > 0 and tail.group(0).strip(" ,;.?!"):
            key = tail["key"]
            if key is None or re.search(rf"\bby\s+{re.escape(key)}\b", text[: tail.start()]):
                found, cut = self._entity_columns_listed(text[: tail.start()])
                if found:  # the order kept, said plainly ("biggest spender first": highest)
                    said = tail.group(0).strip(" ,;.?!")
                    descending = said.split()[0] in _DESCENDING or "desc" in said or key
                    return found, f"{cut} {'highest first' if descending else said}"
        return self._entity_columns_listed(text)

    def _entity_columns_listed(self, text: str) -> tuple[list[str], str]:
        """The columns listed at the very end (see ``_entity_columns_cut``)."""
        match = _COLUMN_LIST.search(text) or _THEIR_COLUMNS.search(text)
        if match is None:
            return [], text
        items = [
            i.strip().replace("_", " ")
            for i in re.split(r",|\band\b|&", match["list"])
            if i.strip()
        ]
        found: list[str] = []
        kept: list[str] = []  # measures stay to be read: asked again, or asked besides
        before = text[: match.start()]
        for item in items:
            words = [w.removesuffix("'s") for w in item.split() if w not in _ITEM_FILLER]
            if not words or _GROUPING & set(words[:-1]):
                return [], text  # "... and the return rate for each category": a breakdown
            keyed = self._keyed_restated(words, before)
            if keyed is not None:
                found.append(keyed)  # "product id", "name": what the breakdown shows
                continue
            if words[-1] == "id":
                # "order id": the thing ranked; "user id" of orders: each order's user
                owner = self._entity_reader.entities.get(
                    singular(words[0])
                ) or self._entity_reader.person(words[0])  # "user id" of a customer
                if len(words) == 2 and owner is not None:
                    found.append(owner)
                    continue
                return [], text
            if _SPENT.fullmatch(item):
                continue  # "how much they spent": the money measure ranked by, restated
            if self._names_measure(words) or self._entity_reader.measure_named(words):
                kept.append(item)
                continue
            # "customer country": the column by its last word; "a row for all statuses"
            # says more than a column, so the list is not one of columns.
            named = self._column_named(words) or (
                self._column_named(words[-1:]) if len(words) <= 2 else None
            )
            if named is None:
                return [], text
            found.append(named)
        if not found:
            return [], text
        return found, " and ".join([text[: match.start()].rstrip(), *kept])

    def _keyed_restated(self, words: Sequence[str], before: str) -> str | None:
        """The keyed breakdown (products) whose id or name ``words`` restate ("product
        id", "name", "product name"): named before the list, and shown with its key and
        name anyway."""
        if words[-1] not in {"id", "name", "title"} or len(words) > 2:
            return None
        keyed = [
            name
            for name, d in self.model.dimensions.items()
            if d.key and re.search(
                rf"\b(?:{'|'.join(re.escape(normalize(w)) for w in d.synonyms)})\b", before
            )
        ]  # fmt: skip
        if len(keyed) != 1:
            return None
        owner = words[0] if len(words) == 2 else None
        synonyms = {singular(w) for w in self.model.dimensions[keyed[0]].synonyms}
        if owner is not None and singular(owner) not in synonyms:
            return None
        return keyed[0]

    def _with_entity_columns(
        self, dimensions: list[str], columns: list[str], limit: int | None, per: str | None
    ) -> list[str]:
        """``dimensions`` with the columns of the things ranked ("customers ...: country"),
        each a single value per thing; refused for any other answer."""
        if all(c in dimensions for c in columns):
            return dimensions  # the breakdowns asked, restated
        single = len(dimensions) == 1 and dimensions[0] in self.model.single_things()
        if limit is None or per is not None or not single:
            raise PlanningError(
                "Columns listed after the question are read only for a ranking of single "
                "things (top 10 customers: their country).",
                hint="Ask for the breakdown with 'by', e.g. 'revenue by country'.",
            )
        self._check_one_per_thing(dimensions[0], columns)
        return [*dimensions, *dict.fromkeys(c for c in columns if c not in dimensions)]

    def _own_moment_words(self, reading: _Reading, base: Metric) -> set[int]:
        """Positions of the participles naming the moment that dates ``base``'s rows
        ("received", "created"; a noun like "order" says more than the date)."""
        words = {
            word
            for moment in self.model.moments.values()
            if base.time is not None and moment.columns.get(base.table) == base.time
            for word in moment.words
            if word.endswith("ed")
        }
        return {i for i, word in enumerate(reading.words) if word in words}

    def _rows_of_statistic(self, counted: str, metrics: Sequence[str]) -> bool:
        """Whether the rows ``counted`` names are those a statistic already read is taken
        over (a count of the same table beside an average of it)."""
        count = self.model.metrics.get(counted)
        if count is None or count.unit != "count" or count.entity is not None:
            return False
        return any(
            (m := self.model.metrics.get(name)) is not None
            and not m.additive
            and m.unit != "percent"
            and m.table == count.table
            for name in metrics
        )

    def _whole_beside_part(self, reading: _Reading, metrics: list[str]) -> list[str]:
        """Rows named by a bare noun listed beside a rate and the rate's part ("the items,
        the returned items and the rate"): the whole the rate is of (every item), not
        only the rows a count's rule keeps (items sold)."""
        parts = self.model.reader.get("rate_parts", {})
        wholes = self.model.reader.get("rate_wholes", {})
        rates = [m for m in metrics if parts.get(m) in metrics and wholes.get(m)]
        if len(rates) != 1:
            return metrics
        rate = self.model.metric(rates[0])
        whole = str(wholes[rates[0]])
        if whole not in self.model.metrics:
            return metrics
        shown = []
        for name in metrics:
            metric = self.model.metrics.get(name)
            at = reading.metric_starts.get(name)
            bare = (
                metric is not None
                and metric.unit == "count"
                and metric.entity is None
                and bool(metric.filters)
                and metric.table == rate.table
                and at is not None
                and not {"sold", "bought", "purchased"} & set(reading.words[at : at + 3])
            )
            shown.append(whole if bare else name)
        return list(dict.fromkeys(shown))

    def _check_bare_rows(
        self,
        reading: _Reading,
        metrics: Sequence[str],
        conditions: Sequence[Condition] = (),
        question: str = "",
    ) -> None:
        """Refuse rows counted by a bare noun ("the total number of items", "brands with
        100+ items") beside a rate over every row of their table ("item return rate"):
        all items, as the rate counts them, or only those the count's rule keeps (items
        sold)?"""
        plain = [
            m for m in metrics
            if (metric := self.model.metrics.get(m)) is not None and not metric.filters
            and metric.unit == "percent"
        ]  # fmt: skip
        if not plain:
            return
        rate = self.model.metric(plain[0])
        for name in metrics:
            metric = self.model.metrics.get(name)
            at = reading.metric_starts.get(name)
            if (
                metric is None
                or metric.unit != "count"
                or metric.entity is not None  # buyers, orders: things, not the rows
                or not metric.filters
                or metric.table != rate.table
                or at is None
            ):
                continue
            if not {"sold", "bought", "purchased"} & set(reading.words[at : at + 3]):
                raise PlanningError(
                    f"'{reading.raw[at]}' beside {rate.label.lower()} could be all of them, "
                    f"as that rate counts them, or only {metric.label.lower()}; I cannot tell "
                    "which.",
                    hint=f"Say '{metric.label.lower()}', or '{reading.raw[at]} of any status'.",
                )
        for condition in conditions:
            metric = self.model.metrics.get(condition.metric)
            said = re.search(
                r"\b(?:sold|bought|purchased|sells?|ordered|any status|all statuses|every status|"
                r"regardless)\b",
                question,
            )
            if (
                metric is not None
                and metric.unit == "count"
                and metric.entity is None
                and metric.filters
                and metric.table == rate.table
                and not said
            ):
                rows = metric.label.lower().split()[0]
                raise PlanningError(
                    f"The {rows} of the condition beside {rate.label.lower()} could be all of "
                    f"them, as that rate counts them, or only {metric.label.lower()}; I cannot "
                    "tell which.",
                    hint=f"Say '{metric.label.lower()}', or '{rows} of any status'.",
                )

    def _key_columns_cut(self, text: str) -> tuple[str | None, str]:
        """``text`` without "include the product id and name", said of a breakdown with
        a key and a name of its own (its rows show both anyway), and that breakdown: it
        must be the one the answer ranks or groups by."""
        for match in _KEY_COLUMNS.finditer(text):
            named = self._breakdown_named([match["owner"]])
            dimension = self.model.dimensions.get(named or "")
            if dimension is not None and dimension.key and dimension.column != dimension.key:
                return named, (text[: match.start()] + text[match.end() :]).strip()
        return None, text

    def _predicate_first(self, text: str) -> str:
        """ "How many inventory items are still unsold" as "how many unsold inventory
        items": a word said of the rows after "are" that names a measure before them."""
        if not _COUNT_ASKED.search(text) or _SHARE.search(text):
            return text  # "what % of orders were cancelled": a share, read as such
        for match in _PREDICATE.finditer(text):
            said = match["rows"].split()
            for size in (3, 2, 1):
                rows = said[-size:]
                if len(rows) == size and self._names_measure([match["word"], *rows]):
                    # The word goes before the whole noun ("order items were returned":
                    # "returned order items", not "order returned items").
                    whole = [n for n in (3, 2) if size < n <= len(said)]
                    whole = [n for n in whole if self._table_named(" ".join(said[-n:]))]
                    rows = said[-max(whole, default=size) :]
                    start = match.end("rows") - len(" ".join(rows))
                    return f"{text[:start]}{match['word']} {' '.join(rows)}{text[match.end() :]}"
        return text

    def _from_verbs_cut(self, text: str) -> str:
        """``text`` with a verb that only links rows to where they come from read as
        "from" ("items shipped from each distribution center": the center the items
        ship from, not the value Shipped); the verbs are the model's
        (``reader.from_verbs``)."""
        verbs = self.model.reader.get("from_verbs", [])
        if not verbs:
            return text
        said = "|".join(re.escape(str(v)) for v in verbs)
        if "from" in text or "out of" in text:
            text = re.sub(rf"\b(?:{said})\s+(?:from|out of)\b", "from", text)
        return self._shipper_verbs(text, said)

    def _shipper_verbs(self, text: str, said: str) -> str:
        """``text`` with such a verb read as "had" after a breakdown the rows come from
        (``reader.shipped_by``): "which distribution center shipped the most items" is
        the center with the most items sold, not the items whose status is Shipped, as
        "items shipped from each center" is."""
        places = set(self.model.reader.get("shipped_by", []))
        if not places:
            return text
        for match in reversed(list(re.finditer(rf"\b(?:{said})\b", text))):
            verb = match.group()
            if verb.endswith("ing"):
                continue  # "dc shipping time": a measure's noun, not the center's act
            before = text[: match.start()].split()
            if any(
                self._breakdown_named(before[-size:]) in places
                for size in (3, 2, 1)
                if len(before) >= size
            ):
                had = "have" if verb in ("ship", "send") else "has" if verb == "ships" else "had"
                text = f"{text[: match.start()]}{had}{text[match.end() :]}"
        return text

    def _sorted_by(self, reading: _Reading, metrics: list[str]) -> list[str]:
        """``metrics`` with the one the rows are sorted by first ("items sold and revenue
        by brand, sorted by revenue, highest first", "... - top 10 by revenue"): the
        order follows the first."""
        words = reading.words
        for i in range(len(words) - 1):
            if words[i] in {"top", "bottom"}:
                # "..., top 10 by revenue", "top 5 brands by revenue": ranked by it (a
                # number and one word, the things ranked, may come before "by").
                j = i + 2 if words[i + 1].isdigit() else i + 1
                if j + 1 < len(words) and words[j] != "by":
                    j += 1
            elif words[i] in {"sorted", "sort", "ranked", "rank"}:
                j = i + 1 + (words[i + 1] == "them")
            else:
                continue
            if j >= len(words) or words[j] != "by":
                continue
            if j + 1 < len(words) and words[j + 1] in {"the", "their", "its"}:
                j += 1  # "sorted by the profit"
            for n in (3, 2, 1):
                said = tuple(singular(w) for w in words[j + 1 : j + 1 + n])
                named = [
                    name
                    for kind, name, _ in self._phrases.get(said, [])
                    if kind == "metric" and name in metrics
                ]
                if named:
                    return [named[0], *(m for m in metrics if m != named[0])]
        return metrics

    def _rows_of_number_statistics(self, reading: _Reading, metrics: list[str]) -> list[str]:
        """``metrics`` without a count that names the rows a statistic of a number is over
        ("standard deviation of sale price for items sold"): the count's rule becomes
        filters of the statistic (or the question is refused when it cannot)."""
        stats = [m for m in metrics if _NUMBER_STAT.match(m)]
        if not stats:
            return metrics
        kept = []
        for name in metrics:
            at = _past_determiners(reading.words, reading.metric_starts.get(name, 0))
            if (
                name in self.model.metrics
                and at > 0
                and reading.words[at - 1] in _ROWS_OF
                and self.model.metric(name).unit == "count"
                and self.model.metric(name).table == self.model.metric(stats[0]).table
            ):
                if not self._check_rows_of(stats[0], name, reading):
                    self._refuse_conditional_rows(stats[0], name)
                continue
            kept.append(name)
        for span, name in reading.descriptions:  # "for items sold" read as who, not what
            if (
                min(span) > 0
                and reading.words[min(span) - 1] in _ROWS_OF
                and self.model.metric(name).unit == "count"
                and self.model.metric(name).table == self.model.metric(stats[0]).table
                and not self._check_rows_of(stats[0], name, reading)
            ):
                self._refuse_conditional_rows(stats[0], name)
        return kept

    def _refuse_conditional_rows(self, measure: str, counted: str) -> None:
        """ "Median sale price for returned items", where the count's rows are named by a
        condition of its own (``COUNTIF``) that no rule or filter restates: refused, since
        dropping the count would answer over every row."""
        first, second = self.model.metric(measure), self.model.metric(counted)
        if _PLAIN_COUNT.match(second.expression or ""):
            return
        raise PlanningError(
            f"{first.label} of {second.label.lower()} would need the condition of "
            f"{second.label.lower()}, which I cannot apply to {first.label.lower()} yet.",
            hint="Name the rows by a value instead ('... of items with status Returned'), "
            f"or ask for {second.label.lower()} on its own.",
        )

    def _check_total_of_average(self, reading: _Reading, metrics: Sequence[str]) -> None:
        """ "Total retail price of products", "sum of sale price": a sum asked of a number
        the model measures only as an average is refused, not answered with the average."""
        for name in metrics:
            metric = self.model.metrics.get(name)
            if metric is None or not _AVERAGE.match(metric.expression or ""):
                continue
            if "per" in name:
                continue  # "total items per order": an average per thing, said with "total"
            at = _past_determiners(reading.words, reading.metric_starts.get(name, 0))
            before = reading.words[max(0, at - 2) : at]
            said = " ".join(before) if before == ["sum", "of"] else " ".join(before[-1:])
            if said in {"total", "sum", "sum of"}:
                raise PlanningError(
                    f"'{said}' asks for a sum, and {metric.label.lower()} is an average.",
                    hint=f"Ask for the {metric.label.lower()}, or for revenue or cost to add "
                    "up amounts.",
                )

    def _entities_restated(self, reading: _Reading, metrics: list[str]) -> list[str]:
        """``metrics`` without a count of the entities a statistic per entity is already
        over, when it only says which of them ("90th percentile of order value for 2025
        orders", "average session length for sessions in 2025")."""
        from lgda_nb.planner._entity import parse_statistic

        over = {
            statistic.entity
            for name in metrics
            if (statistic := parse_statistic(name, self.model)) is not None and statistic.entity
        }

        def restates(name: str) -> bool:
            metric = self.model.metrics.get(name)
            if metric is None or metric.entity not in over or metric.filters:
                return False  # "for returned items" names rows by a rule: not restated
            at = _past_determiners(reading.words, reading.metric_starts.get(name, 0))
            if at > 0 and reading.words[at - 1] in {"for", "among", "across", "over"}:
                return True
            # "for 2025 orders", "for sessions in 2025": the period was read already; so
            # is ", 2025 orders" at the very end.
            said = "|".join(re.escape(w) for w in (*metric.synonyms, metric.name))
            lead = r"\b(?:for|among|across|over)\s+(?:the\s+|all\s+|our\s+)?(?:[\w-]+\s+){0,2}?"
            tail = (  # "..., 2025 orders, in days": the unit may follow
                rf",\s+(?:the\s+|all\s+|our\s+)?(?:[\w-]+\s+){{1,2}}(?:{said})"
                r"(?:\s*,?\s*(?:in\s+)?(?:days|hours|minutes|weeks))?\s*[.?!]*\s*$"
            )
            question = reading.question.lower()
            counted = "|".join(re.escape(singular(w)) for w in (*metric.synonyms, metric.name))
            asked = rf"\b(?:{counted})\s+counts?\b|\b(?:number\s+of|how\s+many)\s+(?:{said})\b"
            if re.search(asked, question):
                return False  # "for 2025 sessions, ..., with the session count": asked for
            return bool(re.search(rf"{lead}(?:{said})\b", question) or re.search(tail, question))

        return [m for m in metrics if not restates(m)]

    def _value_named(self, words: Sequence[str], dimension: str) -> str | None:
        """The value of ``dimension`` ``words`` name ("men's": Men), if one."""
        said = tuple(singular(w.removesuffix("'s")) for w in words)
        for key in (said, tuple(w.removesuffix("'s") for w in words)):
            for kind, name, value in self._phrases.get(key, []):
                if kind == "value" and name == dimension:
                    return value
        return None

    def _measure_named(self, words: Sequence[str]) -> str | None:
        """The model measure ``words`` name ("buyers", "website sessions"), if one."""
        entries = self._phrases.get(tuple(singular(w) for w in words), [])
        return next((name for kind, name, _ in entries if kind == "metric"), None)

    def _breakdown_named(self, words: Sequence[str]) -> str | None:
        """The breakdown by values ``words`` name ("segments", "regions"), if one."""
        entries = self._phrases.get(tuple(singular(w) for w in words), [])
        return next(
            (
                name
                for kind, name, _ in entries
                if kind == "dimension" and not self.model.dimensions[name].numeric
            ),
            None,
        )

    def _column_named(self, words: Sequence[str]) -> str | None:
        """The dimension ``words`` name as a column of the things ranked: a breakdown, or
        a number each thing has one of ("top 10 customers ...: their age")."""
        entries = self._phrases.get(tuple(singular(w) for w in words), [])
        dimensions = [name for kind, name, _ in entries if kind == "dimension"]
        return self._breakdown_named(words) or next(iter(dimensions), None)

    def _names_groups(self, words: Sequence[str]) -> bool:
        """Whether ``words`` name a breakdown that is no period ("brands", not "signup
        years"): groups a measure can rank."""
        name = self._breakdown_named(words)
        return name is not None and not self.model.dimensions[name].time

    @functools.cached_property
    def _rate_parts(self) -> dict[str, list[str]]:
        """The model's rates by the measure each counts as its part."""
        rates: dict[str, list[str]] = {}
        for name, part in self.model.reader.get("rate_parts", {}).items():
            rates.setdefault(part, []).append(name)
        return rates

    def _rate_of(self, said: str, rates: dict[str, list[str]]) -> str | None:
        """The one rate ``said`` names as its rows and part ("orders cancelled", "orders
        that were returned", "items returned"): its part is those rows with the mark said,
        and its whole counts every one of those rows."""
        words = [w for w in said.split() if w not in _SHARE_ROW_FILLER]
        if not words:
            return None
        # "orders cancelled"; "orders that were returned": a part's label in any order
        named_words = {singular(w) for w in words}
        named = self._measure_named(words) or next(
            (
                part
                for part in rates
                if named_words
                == {singular(w) for w in tokens(self.model.metric(part).label.lower())}
            ),
            None,
        )
        rows = self._measure_named(words[:1])  # the whole, said first
        wholes = self.model.reader.get("rate_wholes", {})
        meant = [r for r in rates.get(named or "", []) if self._all_rows_of(wholes.get(r), rows)]
        return meant[0] if len(meant) == 1 else None

    def _rate_condition(self, text: str) -> str:
        """ "Countries where more than 15% of 2025 orders were cancelled" (also "in which
        countries were more than ..."): a condition on the share of a rate's part, said
        as the rate ("countries with a cancellation rate more than 15% in 2025"); left as
        it is when no one rate counts that part of those rows."""
        rates = self._rate_parts
        if not rates:
            return text

        def rate(match: re.Match[str]) -> str:
            meant = self._rate_of(f"{match['rows']} {match['part']}", rates)
            if meant is None:
                return match.group(0)
            year = f" in {match['year']}" if match["year"] else ""
            label = self.model.metric(meant).label.lower().removesuffix("%").strip()
            things = match.groupdict().get("things")
            lead = f"{things} " if things else ""
            return f"{lead}with a {label} {match['op']} {match['n']}%{year}"

        for pattern in (_SHARE_CONDITION_IN, _SHARE_CONDITION, _SHARE_CONDITION_HAD):
            text = pattern.sub(rate, text)
        return text

    def _rate_beside(self, text: str) -> str:
        """ "Top 10 countries by order count, with the % of those orders cancelled": a
        share asked beside another measure, of rows the model's rate counts as its part,
        is that rate ("with the cancellation rate"), taken within each group; read as a
        share of the answer's rows, the part would filter the other measure as well."""
        rates = self._rate_parts
        if not rates:
            return text

        def rate(match: re.Match[str]) -> str:
            meant = self._rate_of(match["rows"], rates)
            if meant is None:
                return match.group(0)  # "% of sessions with a purchase": no rate of all sessions
            return f"{match['lead']} the {self.model.metric(meant).label.lower()}"

        return _SHARE_BESIDE.sub(rate, text)

    def _all_rows_of(self, whole: str | None, rows: str | None) -> bool:
        """Whether the measure ``whole`` counts every row of the table the measure
        ``rows`` is of ("all items": every order item, of any status)."""
        if whole is None or rows is None:
            return False
        counted = self.model.metric(whole)
        return (
            counted.table == self.model.metric(rows).table
            and _PLAIN_COUNT.match(counted.expression or "") is not None
        )

    def _names_measure(self, words: Sequence[str]) -> bool:
        """Whether ``words`` name a measure ("average retail price")."""
        return self._measure_named(words) is not None

    def _first_moment(self, end: str) -> str | None:
        """The moment a row of ``end``'s first table starts with: the model's first moment
        that table records ("took 3 days to ship": from being placed)."""
        tables = list(self.model.moments[end].columns)
        first = next((n for n, m in self.model.moments.items() if tables[0] in m.columns), None)
        return None if first == end else first  # nothing comes before a row's first moment

    def _moment_pair(self, first: Sequence[str], last: Sequence[str]) -> tuple[str, str] | None:
        """The one pair of moments, one from each list, that a table records together."""
        pairs = [
            (a, b)
            for a in first
            for b in last
            if a != b and set(self.model.moments[a].columns) & set(self.model.moments[b].columns)
        ]
        return pairs[0] if len(pairs) == 1 else None

    def _duration_after(self, text: str, lead: re.Match[str]) -> tuple[str, int] | None:
        """The duration a lead word starts: ``(measure name, end)``, or ``None``. Read:
        "from/between X to/and Y", "X to Y" after a statistic ("avg days order to
        delivery"), and "to Y [after X]" ("average days for an order to be delivered after
        it's placed"; without "after", from the row's first moment)."""
        words = list(TOKEN.finditer(text, lead.end()))[:16]
        ends = self._duration_ends(words, bool(lead["agg"]))
        if ends is None:
            return None
        first, last, i = ends
        chosen = self._moment_pair(first, last)
        named = kinds_named(lead["agg"] or "", _DURATION_AGGREGATES)
        aggregate = named[0] if named else self._on_average(text)
        if chosen is None or aggregate is None or not last:
            return None
        end = words[i - 1].end()
        unit_word = lead["unit2"] or lead["unit"]
        after = re.match(r",?\s+in\s+(minutes|hours|days|weeks)\b", text[end:])
        if after is not None:
            unit_word, end = after.group(1), end + after.end()
        unit = "DAY" if unit_word in {"time", "duration"} else unit_word.rstrip("s").upper()
        return f"duration:{unit}:{aggregate}:{chosen[0]}:{chosen[1]}", end

    def _duration_ends(
        self, words: Sequence[re.Match[str]], stated: bool
    ) -> tuple[list[str], list[str], int] | None:
        """The moments a duration runs from and to, and the index of the word past them;
        ``stated`` when a statistic was named (which lets "from" be left out)."""
        i = 0
        while i < len(words) and (
            self._duration_filler(words[i].group(0))
            or [w.group(0) for w in words[i : i + 2]] in (["on", "average"], ["in", "average"])
        ):
            i += 2 if words[i].group(0) in {"on", "in"} else 1
        if stated and i < len(words) and words[i].group(0) == "to":
            last, i = self._moment_at(words, i + 1)  # "days (for an order) to ship"
            if i < len(words) and words[i].group(0) in _MOMENT_NOUNS:
                i += 1
            if i < len(words) and words[i].group(0) in {"after", "since", "once", "when"}:
                since, i = self._moment_at(words, i + 1)
                return (since, last, i) if since else None
            start = self._first_moment(last[0]) if last else None  # from the row's start
            return [start] if start else [], last, i
        implied = i == len(words) or words[i].group(0) not in {"from", "between"}
        if implied and not stated:
            return None
        i = 0 if implied else i + 1  # "avg days order to delivery": "from" left out
        first: list[str] = []
        while i < len(words) and words[i].group(0) not in _DURATION_TO:
            word = words[i].group(0)
            if self._moments_of(word):
                first = self._moments_of(word)  # the last moment word before "to"
            elif not self._duration_filler(word):
                return None
            i += 1
        last, i = self._moment_at(words, i + 1)
        if i < len(words) and words[i].group(0) in _MOMENT_NOUNS:
            i += 1  # "to the delivery date": the moment's own noun
        if implied and not first:
            return None
        return first, last, i

    def _moments_restated(
        self, filters: list[Filter], durations: Sequence[str], question: str
    ) -> list[Filter]:
        """``filters`` without a value that only names a moment of the durations asked
        ("median hours to ship (orders that shipped)": the rows that reached it, which a
        duration keeps anyway; not the status Shipped, which a delivered order has left),
        unless the question names the column ("status")."""
        moments = {
            w for d in durations for m in d.split(":")[3:] for w in self.model.moments[m].words
        }
        lowered = question.lower()
        said = re.findall(r"[a-z]+", lowered)
        kept = []
        for f in filters:
            label = self.model.dimensions[f.dimension].label.lower()
            restated = (
                f.op == "in"
                and not f.negate
                and all(str(v).lower() in moments for v in f.values)
                and label not in said
                and all(  # "that shipped": said of the rows; "returned items" picks them
                    re.search(
                        r"\b(?:that|which)\s+(?:(?:have|has|had|were|was|got)\s+)?(?:been\s+)?"
                        + re.escape(str(v).lower())
                        + r"\b",
                        lowered,
                    )
                    for v in f.values
                )
            )
            if not restated:
                kept.append(f)
        return kept

    def _moment_at(self, words: Sequence[re.Match[str]], i: int) -> tuple[list[str], int]:
        """The moments the first word at or after ``i`` that is not filler names (none if
        another word comes first), and the index past it."""
        while i < len(words):
            word = words[i].group(0)
            i += 1
            if said := self._moments_of(word):
                for name in said:  # "first order": the rest of the moment's own name
                    rest = self.model.moments[name].label.split()
                    following = [w.group(0) for w in words[i : i + len(rest) - 1]]
                    if rest[:1] == [word] and following == rest[1:]:
                        i += len(rest) - 1
                        break
                return said, i
            if not self._duration_filler(word):
                return [], i
        return [], i

    def _duration_filler(self, word: str) -> bool:
        """Whether ``word`` may sit among the moments of a duration: a linking word, or a
        person's or row's possessive ("between a user's registration and ...")."""
        if word in _DURATION_FILLER:
            return True
        if singular(word) in self._row_name_words():
            return True  # "days for an inventory item to sell", "for a product to ship"
        if not word.endswith("'s"):
            return False
        stem = singular(word[:-2])
        reader = self._entity_reader
        return (
            stem in self._row_heads() or stem in reader.entities or reader.person(stem) is not None
        )

    def _other_rows_named(self, span: str, duration: str) -> str | None:
        """The words in ``span`` (the words of a duration) for the rows of another table
        its moments are recorded on ("days for an order item to ship" beside a duration
        of orders), which it is not measured on by default; ``None`` when there are none."""
        own = self.model.metric(duration).table
        others = {a.table for a in self.model.metric(duration).alternatives}
        named = [
            (len(w), w, t)
            for t in (own, *others)
            for w in row_words(self.model, t)
            if re.search(rf"\b{re.escape(w)}s?\b", span)
        ]
        if not named:
            return None
        _, words, table = max(named)
        return words if table != own else None

    def _check_value_after_counted(self, text: str) -> None:
        """Refuse "customers who had 2 or more orders returned": the value said after the
        things a condition counts could narrow them (2 returned orders) or what the
        answer counts (customers with a returned item and 2 orders of any status). With
        at least one the two are the same."""
        for said in _COUNT_THEN_WORD.finditer(text):
            if re.fullmatch(r"at least 1|1 or more|more than 0|over 0", said["amount"]):
                continue  # one is enough either way: "at least one item returned"
            value = next(
                (
                    v
                    for d in self.model.dimensions
                    if (v := self._value_named([said["word"]], d)) is not None
                ),
                None,
            )
            if value is not None and self._measure_named([said["things"]]) is not None:
                raise PlanningError(
                    f"In '{said[0]}' I cannot tell whether '{said['word']}' is said of the "
                    f"{said['things']} counted or of what the answer counts.",
                    hint=f"Ask with '{said['word']}' on its own for the answer's rows, or "
                    "name a measure of those things if the model has one ('customers with at "
                    "least 2 cancelled orders').",
                )

    def _metric_conditions(  # noqa: PLR0912, PLR0915 - one pass over the leads, each kind in turn
        self, text: str
    ) -> tuple[list[_RawCondition], str]:
        """Conditions on a measure ("with more than 3 items", "who spent over $500", "with
        revenue over 10000"), cut out of the text; what they apply to is the word before,
        found after reading."""
        found: list[_RawCondition] = []
        start = 0
        while lead := _CONDITION_LEAD.search(text, start):
            text = self._value_after_count(text, lead)
            amount, metric, end = self._amount_first(text, lead)
            entity: str | None = None
            if amount is None:  # "with revenue over 10000", "have an item return rate above 10%"
                metric, after_metric = self._metric_after(text, lead.end())
                if metric is not None and self._numeric_named(text[lead.end() : after_metric]):
                    # "products with retail price over $80": each row's own number, a
                    # filter read below, not a measure of each product
                    metric = None
                article = _ARTICLE.match(text, lead.end()) if metric is None else None
                if article is not None:
                    rate, after_rate = self._metric_after(text, article.end())
                    if rate is None:  # "an average delivery time": a measure that is one
                        rate, after_rate = self._average_after(text, article.end())
                    # "an item return rate above 10%", "an average retail price above $60"
                    # ("a retail price over $50" is each row's number, read below)
                    said = text[article.end() : after_rate]
                    if rate is not None and (
                        self.model.metric(rate).unit == "percent"
                        or re.match(r"(?:average|avg|mean|median)\b", said)
                    ):
                        metric, after_metric = rate, after_rate
                if metric is None:  # "had an order value over $250": each order's revenue
                    metric, entity, after_metric = self._entity_measure_after(text, lead.end())
                # "an average sale price of items sold above $60"
                after_metric = self._past_own_rows(text, after_metric, metric)
                amount = _CONDITION_AMOUNT.match(text, after_metric) if metric else None
                if amount is not None:
                    end = self._past_days(text, amount.end(), metric)
            verb = lead.group("lead").split()[-1]
            one = _AT_LEAST_ONE.match(text, lead.end()) if amount is None else None
            if one is None and amount is None and verb in _SOME_VERBS:
                one = _SOME.match(text, lead.end())
            if one is not None and verb in _AT_LEAST_ONE_VERBS:
                counted, after = self._counted_after(text, one.end())
                if one.end() == one.start() and _IN_AMOUNT.match(text, after):
                    counted = None  # "bought products from 3 categories": how many is after
                if counted is not None and self.model.metric(counted).unit == "count":
                    found.append(
                        _RawCondition(
                            counted, ">=", (1,), len(tokens(text[: lead.start()])),
                            text[lead.start() : after].strip(),
                        )
                    )  # fmt: skip
                    text = (text[: lead.start()] + " " + text[after:]).strip()
                    start = lead.start()
                    continue
            if amount is not None and metric is None and verb in _CONDITION_VERBS:
                metric = self._default_metric(_CONDITION_VERBS[verb])
            if amount is None or metric is None:
                start = lead.end()  # "with" of something else: read by the other passes
                continue
            if self._other_unit(amount.group(0), metric):
                start = lead.end()
                continue
            each = _EACH_AFTER.match(text, end)  # "more than $150 of revenue each"
            end = each.end() if each is not None else end
            before, rest = _rows_before_group(text[: lead.start()], text[end:], verb)
            found.append(
                _RawCondition(
                    metric, *self._amount(amount), len(tokens(before)),
                    text[lead.start() : end].strip(), entity,
                )
            )  # fmt: skip
            text = (before + " " + rest).strip()
            start = len(before)
            if (also := self._and_condition(before, rest, lead["lead"])) is not None:
                return [*found, *also[0]], also[1]
        return found, text

    def _past_days(self, text: str, at: int, metric: str | None) -> int:
        """Past "days" after a condition's amount on a measure counted in days ("an average
        delivery time of more than 4 days"); ``at`` otherwise."""
        if metric is None or not _IN_DAYS.search(self.model.metric(metric).expression):
            return at
        said = _DAYS_AFTER.match(text, at)
        return said.end() if said is not None else at

    def _average_after(self, text: str, at: int) -> tuple[str | None, int]:
        """ "average delivery time" after position ``at``: a measure that is an average
        already (its own words do not say so), and its end; (None, ``at``) otherwise."""
        said = _AVERAGE_WORD.match(text, at)
        if said is None:
            return None, at
        metric, end = self._metric_after(text, said.end())
        if metric is None or not self.model.metric(metric).expression.startswith("AVG("):
            return None, at
        return metric, end

    def _and_condition(
        self, before: str, rest: str, lead: str
    ) -> tuple[list[_RawCondition], str] | None:
        """A second condition on the same rows after "and" ("brands with at least 100
        items and an item return rate above 12%"), read as if its lead were said again:
        the conditions from there on and the text left, or ``None`` when the words after
        "and" are no condition of the same rows."""
        again = re.match(r"\s*,?\s*and\s+", rest)
        if again is None:
            return None
        said = f"{before} {lead} {rest[again.end() :]}".strip()
        found, text = self._metric_conditions(said)
        position = len(tokens(before))
        if not found or found[0].position != position or not found[0].text.startswith(lead):
            return None
        return found, text

    def _other_unit(self, amount: str, metric: str) -> bool:
        """Whether ``amount`` is said in a unit ``metric`` is not taken in: "revenue above
        10%" (a share, not this measure), "more than $100k of stock" (money, not a count)."""
        if re.search(r"%|percent", amount):
            return self.model.metric(metric).unit != "percent"
        return bool(re.search(r"\$|dollars|usd", amount)) and not self._money(metric)

    def _past_own_rows(self, text: str, at: int, metric: str | None) -> int:
        """Past "of items sold", "of the orders" right after a measure at ``at``: the rows it
        is taken on, said again; ``at`` where none is said (or there is no measure)."""
        said = _OF_ROWS.match(text, at)
        if said is None or metric is None or metric not in self.model.metrics:
            return at
        nouns = self._row_nouns(self.model.metric(metric).table)
        return said.end() if singular(said["noun"]) in nouns else at

    def _entity_measure_after(self, text: str, at: int) -> tuple[str | None, str | None, int]:
        """A measure per thing named after ``at`` ("an order value", "a lifetime spend"):
        the measure, the thing it is of, and where the words end; ``None``s when none."""
        article = _ARTICLE.match(text, at)
        start = article.end() if article is not None else at
        following = list(TOKEN.finditer(text, start))[:3]
        for size in range(len(following), 0, -1):
            if text[start : following[size - 1].end()].count(",") or not following:
                continue
            named = self._entity_reader.measure_of([m.group(0) for m in following[:size]])
            if named is not None and named.count(":") == 1:
                metric, entity = named.split(":")
                if metric in self.model.metrics:
                    return metric, entity, following[size - 1].end()
        return None, None, at

    def _value_after_count(self, text: str, lead: re.Match[str]) -> str:
        """``text`` with a value said before the counted things of a condition put after
        them: "with at least 2 Jeans items" is "with at least 2 items in jeans", so the
        count is the condition and the value a filter of what it counts ("had a Jeans
        item" too, after a verb that reads "a" as at least one)."""
        amount = _CONDITION_AMOUNT.match(text, lead.end())
        if amount is None and lead.group("lead").split()[-1] in _AT_LEAST_ONE_VERBS:
            amount = _AT_LEAST_ONE.match(text, lead.end())
        if amount is None or self._metric_after(text, amount.end())[0] is not None:
            return text
        following = list(itertools.islice(TOKEN.finditer(text, amount.end()), self._max_len))
        for size in range(len(following), 0, -1):
            words = tuple(singular(m.group(0)) for m in following[:size])
            said = [name for kind, name, *_ in self._phrases.get(words, []) if kind == "value"]
            if said:
                start, end = following[0].start(), following[size - 1].end()
                metric, after = self._metric_after(text, end)
                if metric is None or self.model.metric(metric).unit != "count":
                    return text
                table = self.model.metric(metric).table
                if any(tables_in(self.model.dimensions[d].sql_for(table)) == {table} for d in said):
                    return text  # "100 delivered orders": a kind of the rows, not a value
                counted, value = text[end:after].strip(), text[start:end]
                return f"{text[:start]}{counted} in {value}{text[after:]}"
        return text

    def _counted_after(self, text: str, at: int) -> tuple[str | None, int]:
        """The measure named at ``at`` and where it ends, unless a number of each row is
        named there in more words ("have a unit cost above $50": each product's cost, not
        "have a unit")."""
        counted, after = self._metric_after(text, at)
        words = text[at:].split()
        said = len(text[at:after].split())
        longer = range(said + 1, min(len(words), 4) + 1)
        if counted is not None and any(self._numeric_named(" ".join(words[:n])) for n in longer):
            return None, after
        return counted, after

    def _numeric_named(self, said: str) -> bool:
        """Whether ``said`` is the name of a number of each row (a numeric breakdown)."""
        words = " ".join(tokens(said))
        return any(
            words in {normalize(w) for w in (d.name.replace("_", " "), *d.synonyms)}
            for d in self.model.dimensions.values()
            if d.numeric
        )

    @staticmethod
    def _amount(match: re.Match[str]) -> tuple[str, tuple[int | float, ...]]:
        """The operator and numbers of a condition's amount."""
        groups = match.groupdict()
        if groups["low"] is not None:
            return "between", (_number(float(groups["low"])), _number(float(groups["high"])))
        words = " ".join((groups["op"] or groups["after"] or "").split())
        if groups.get("plus"):
            words = "or more"  # "3+ orders"
        value = groups["value"] or groups["bare"]
        return _COMPARISON_OPS.get(words, "="), (_number(float(value)),)

    def _metric_after_amount(self, text: str, at: int) -> tuple[str | None, int]:
        """The measure after a condition's amount ("3 items", "$150 of revenue", "$100
        worth of sales") and where the condition ends."""
        metric, end = self._metric_after(text, at)
        of = _AMOUNT_OF.match(text, at) if metric is None else None
        if of is not None:
            metric, end = self._metric_after(text, of.end())
        return metric, max(end, at)

    def _amount_first(
        self, text: str, lead: re.Match[str]
    ) -> tuple[re.Match[str] | None, str | None, int]:
        """A condition's amount right after its lead and the measure after the amount
        ("with more than 3 items", "more than $150 of revenue", "bought in more than one
        order", "bought from 3 different categories"), and where it ends."""
        amount = _CONDITION_AMOUNT.match(text, lead.end())
        inside = _IN_AMOUNT.match(text, lead.end()) if amount is None else None
        if inside is not None:
            amount = _CONDITION_AMOUNT.match(text, inside.end())
        if amount is None:
            return None, None, lead.end()
        metric, end = self._metric_after_amount(text, amount.end())
        verb = lead.group("lead").split()[-1]
        if metric is None:
            metric, end = self._distinct_after(text, amount.end(), verb)
        elif inside is not None:
            metric = self._things_among(metric, verb)
        return amount, metric, end

    def _things_among(self, metric: str, verb: str) -> str:
        """ "bought in more than one order": the orders among the rows the verb names
        (items bought), not every order; ``metric`` when the verb names no rows."""
        verbs = self.model.reader.get("distinct_rows", {})
        entity = self.model.metric(metric).entity
        if verb not in verbs or entity is None or self.model.metric(metric).unit != "count":
            return metric
        return distinct_in_metric(self.model, str(verbs[verb]), entity) or metric

    def _distinct_after(self, text: str, at: int, verb: str) -> tuple[str | None, int]:
        """ "bought from more than 3 (different) categories": the distinct things among the
        rows the verb names (``reader.distinct_rows``), as the measure of a condition."""
        verbs = self.model.reader.get("distinct_rows", {})
        if verb not in verbs:
            return None, at
        found = _DISTINCT_WORD.match(text, at)
        start = found.end() if found else at
        following = list(TOKEN.finditer(text, start))[:2]
        for size in (2, 1):
            words = [m.group(0) for m in following[:size]]
            dimension = self._breakdown_named(words) if len(words) == size else None
            if dimension is None:
                continue
            name = distinct_in_metric(self.model, str(verbs[verb]), dimension)
            if name is not None:
                return name, following[size - 1].end()
        return None, at

    def _key_table(self, dimension: str) -> str:
        """The table whose rows ``dimension``'s key names, or "" without a key."""
        found = self.model.dimensions.get(dimension)
        return (found.key or "").split(".")[0] if found is not None else ""

    def _counts_rows(self, metric: str) -> bool:
        """Whether ``metric`` counts every row of its table (``COUNT(x)``), not some."""
        counted = self.model.metrics.get(metric)
        return (
            counted is not None
            and counted.unit == "count"
            and _PLAIN_COUNT.match(counted.expression or "") is not None
        )

    def _keyed_by(self, metric: str) -> str | None:
        """The dimension whose key a plain count of rows counts ("number of products":
        each product), for a condition on each of them."""
        if not self._counts_rows(metric):
            return None
        table = self.model.metrics[metric].table
        keyed = [name for name in self.model.dimensions if self._key_table(name) == table]
        return keyed[0] if len(keyed) == 1 else None

    def _listed_with_their_measure(
        self, metrics: list[str], dimensions: Sequence[str], conditions: Sequence[Condition]
    ) -> list[str]:
        """ "Products with more than 10 items sold": the products listed with the
        condition's measure, as "which products ..." are, not with a count of each
        product (always 1)."""
        if len(metrics) != 1 or not self._counts_rows(metrics[0]):
            return metrics
        table = self.model.metrics[metrics[0]].table
        for name in dimensions:
            on = [c for c in conditions if c.per == name and c.against is None]
            if (
                on
                and self._key_table(name) == table
                and not any(passes_at_zero(c) for c in on)  # "never sold": nothing to show
                and all(c.metric in self.model.metrics for c in on)
            ):
                return list(dict.fromkeys(c.metric for c in on))
        return metrics

    def _rows_measured(self, reading: _Reading, subject: _Mention, metrics: Sequence[str]) -> bool:
        """Whether a condition's subject names the rows a measure is over, not a breakdown:
        "average retail price of products that were never sold" is one average over those
        products (by product, each would be its own price); "how many products have ..."
        is one count of them."""
        key_table = self._key_table(subject.name)
        measured = [self.model.metrics.get(m) for m in metrics]
        if (
            not key_table
            or not measured
            or any(m is None or m.table != key_table for m in measured)
        ):
            return False
        if all(m is not None and m.unit == "count" for m in measured):
            # "how many products have more than 10 items sold": one count, not a row per
            # product (each would count 1); "products with ..." still lists them.
            return _COUNT_ASKED.search(reading.question.lower()) is not None
        at = _past_determiners(reading.words, subject.start)
        return at > 0 and reading.words[at - 1] in {"of", *_ROWS_OF}

    def _metric_after(self, text: str, at: int) -> tuple[str | None, int]:
        """The measure named right after position ``at`` (longest phrase), and its end."""
        following: list[re.Match[str]] = []
        end = at
        for match in TOKEN.finditer(text, at):
            if len(following) == self._max_len or text[end : match.start()].strip():
                break
            following.append(match)
            end = match.end()
        words = [singular(m.group(0)) for m in following]
        for size in range(len(words), 0, -1):
            entries = self._phrases.get(tuple(words[:size]), [])
            metric = next((name for kind, name, _ in entries if kind == "metric"), None)
            if metric is not None:
                return metric, following[size - 1].end()
        return None, at  # nothing read: the words after are left to the other passes

    def _conditions_on(
        self,
        raw: Sequence[_RawCondition],
        reading: _Reading,
        mentions: Sequence[_Mention],
        metrics: list[str],
        dimensions: list[str],
    ) -> list[Condition]:
        """Each condition on the thing named just before it: an entity a measure counts
        (orders, customers) or a breakdown (countries). Refused when neither."""
        conditions = []
        # "the Suits category": a value's own breakdown word, part of the value's phrase
        named = {(m.end, m.name) for m in mentions if m.kind == "value"}
        for each in raw:
            subject = max(
                (
                    m
                    for m in mentions
                    if m.end <= each.position
                    and m.kind != "value"
                    and (m.start, m.name) not in named
                ),
                key=lambda m: (
                    m.end,
                    m.kind == "dimension" and not self._counts_it(reading, m, mentions),
                ),
                default=None,
            )
            per = None
            counted = self._counted_before(subject, each, reading, mentions)
            if counted is None:
                counted = self._timed_rows_before(subject, each, mentions)
            if counted is not None:
                per, subject = counted, None
            end = min(each.position, len(reading.words))  # a condition cut from the very end
            between = range(subject.end, end) if subject is not None else range(0)
            valued = self._value_phrases(reading, mentions, between)
            if subject is not None and all(
                reading.words[i] in _RELATIVE
                or reading.words[i] in FILLER
                or reading.words[i] in self.model.filler  # "products in the catalog"
                or i in valued  # "products in the Women department [that were never sold]"
                for i in between
            ):
                reading.used |= set(between)
                if subject.kind == "dimension":
                    # "countries with at least 200 orders": one row per country that passes.
                    per = subject.name
                    reading.used |= set(range(subject.start, subject.end))
                    if per not in dimensions and not self._rows_measured(reading, subject, metrics):
                        dimensions.append(per)
                elif subject.kind == "metric" and subject.name in self.model.metrics:
                    per = self.model.metrics[subject.name].entity or self._keyed_by(subject.name)
                    _check_named_once(subject, each.text, mentions)
            if per is None:
                raise PlanningError(
                    f"I could not tell what '{each.text}' applies to.",
                    hint="Put the condition right after what it describes: a breakdown "
                    "('<breakdown> with at least 200 <measure>') or what a measure counts "
                    "('<counted things> with more than 3 <measure>').",
                )
            if each.entity is not None and per != each.entity:
                raise PlanningError(
                    f"'{each.text}' names a measure of each {each.entity.removesuffix('_id')}, "
                    "not of what it is said of.",
                    hint="Put the condition on the things it measures, e.g. 'orders with an "
                    "order value over $100'.",
                )
            # "orders with more than 3 items" counts every item of the order; "customers
            # with at least 5 items sold" keeps the rule the verb names.
            metric = self._entity_reader.measure_for(each.metric, per, [each.text])
            own = self._values_after(reading, mentions, each.position)
            if (
                subject is not None
                and subject.kind == "dimension"
                and subject.name == per
                and per not in self.model.single_things()  # a product has one category
            ):
                # "Which Women department categories have ...", "categories in the Men
                # department with ...": the groups named so
                own += self._values_before(mentions, subject)
                own += tuple(
                    Filter(m.name, (m.value,))
                    for m in mentions
                    if m.kind == "value" and m.start in between and m.end - 1 in between
                )
            conditions.append(Condition(metric, per, each.op, each.values, filters=own))
        return conditions

    def _values_after(
        self, reading: _Reading, mentions: Sequence[_Mention], position: int
    ) -> tuple[Filter, ...]:
        """Values said right after a condition and joined to it by "in", "on", "from"...
        ("more than 50 products in the Men department", "spent over $500 on Jeans"): the
        rows its measure is taken over. A value after anything else ("..., in the Men
        department", "... were cancelled") is left to the answer alone."""
        found: dict[str, list[str]] = {}
        at, joined = position, False
        for mention in sorted((m for m in mentions if m.kind == "value"), key=lambda m: m.start):
            if mention.start < at:
                continue
            between = reading.words[at : mention.start]
            joined = joined or any(w in _CONDITION_JOINS for w in between)
            if not joined or not all(
                w in _CONDITION_JOINS or w in _CONDITION_LINKS or self._names_breakdown([w])
                for w in between
            ):
                break
            found.setdefault(mention.name, []).append(mention.value)
            at = mention.end
        return tuple(Filter(name, tuple(values)) for name, values in found.items())

    @staticmethod
    def _values_before(mentions: Sequence[_Mention], subject: _Mention) -> tuple[Filter, ...]:
        """Values said right before the groups a condition is on, as words of their name
        ("Which Women department categories have a sell-through rate above 35%?", "Jeans
        brands with ..."): the groups are those values' groups, so their measure is taken
        over those rows too. A value said before anything else ("Jeans revenue from
        customers who spent over $500") is left to the answer alone."""
        found: list[Filter] = []
        at = subject.start
        for mention in sorted(
            (m for m in mentions if m.kind in {"value", "dimension"} and m.end <= at),
            key=lambda m: -m.end,
        ):
            if mention.end != at:
                break
            if mention.kind == "dimension":  # "Women department": the value's own word
                if not found and any(
                    m.kind == "value" and m.name == mention.name and m.end == mention.start
                    for m in mentions
                ):
                    at = mention.start
                    continue
                break
            found.append(Filter(mention.name, (mention.value,)))
            at = mention.start
        return tuple(found)

    @staticmethod
    def _value_phrases(reading: _Reading, mentions: Sequence[_Mention], span: range) -> set[int]:
        """Positions in ``span`` of values and the cue before each ("in the Women
        department"): filters of the things a condition is about, not another subject."""
        found: set[int] = set()
        for mention in mentions:
            if mention.kind != "value" or mention.start not in span:
                continue
            found.update(range(mention.start, mention.end))
            at = mention.start - 1
            if at in span and reading.words[at] == "the":
                at -= 1
            if at in span and reading.words[at] in _CUES:
                found.update(range(at, mention.start))
            own = next(  # "the Suits category": the value's breakdown word after it
                (m for m in mentions if m.kind == "dimension" and m.start == mention.end
                 and m.name == mention.name and m.end - 1 in span),
                None,
            )  # fmt: skip
            if own is not None:
                found.update(range(own.start, own.end))
        return found

    def _counts_it(
        self, reading: _Reading, mention: _Mention, mentions: Sequence[_Mention]
    ) -> bool:
        """Whether "how many" before a word that is both a breakdown and a count of
        things with an entity asks for the count ("how many accounts have more than one
        subscription"), not a breakdown that passes the condition."""
        if not _counted(reading, mention):
            return False
        return any(
            m.kind == "metric"
            and (m.start, m.end) == (mention.start, mention.end)
            and m.name in self.model.metrics
            and self.model.metrics[m.name].entity is not None
            for m in mentions
        )

    def _timed_rows_before(
        self, subject: _Mention | None, condition: _RawCondition, mentions: Sequence[_Mention]
    ) -> str | None:
        """ "Orders from customers in Germany took more than 5 days to be delivered": a
        duration said after people who only describe the rows is a condition on the rows
        the duration is measured on (the orders), not on the people. Their entity, or
        ``None``."""
        if subject is None or subject.kind != "metric" or subject.name not in self.model.metrics:
            return None
        if not condition.metric.startswith("duration:"):
            return None
        timed = self.model.metric(condition.metric).table
        if self.model.metrics[subject.name].table == timed:
            return None
        rows = [
            m
            for m in mentions
            if m.kind == "metric"
            and m.end <= subject.start
            and m.name in self.model.metrics
            and self.model.metrics[m.name].table == timed
        ]
        if not rows:
            return None
        return self.model.metrics[rows[-1].name].entity or self._keyed_by(rows[-1].name)

    def _counted_before(
        self,
        subject: _Mention | None,
        condition: _RawCondition,
        reading: _Reading,
        mentions: Sequence[_Mention],
    ) -> str | None:
        """ "Customers by country who spent over $1000": "who" is the customers a measure
        counts, not the breakdown named between them; the entity, or ``None``."""
        if subject is None or subject.kind != "dimension":
            return None
        relative = condition.text.startswith(("who ", "whose "))
        if not relative and condition.text.split(" ", 1)[0] not in _PEOPLE_DID:
            return None
        counted = max(
            (m for m in mentions if m.end <= subject.start and m.kind != "value"),
            key=lambda m: m.end,
            default=None,
        )
        if counted is None or counted.kind != "metric" or counted.name not in self.model.metrics:
            return None
        if not relative and not self._counts_people(counted.name):
            return None  # "which countries have placed 200 orders": the countries
        if not all(
            reading.words[i] in _GROUPING_CUES or reading.words[i] in FILLER
            for i in range(counted.end, subject.start)
        ):
            return None
        return self.model.metrics[counted.name].entity

    def _compile_comparisons(
        self,
    ) -> list[tuple[Dimension, re.Pattern[str]]]:
        """The comparison patterns of each numeric dimension, built once per model."""
        compiled: list[tuple[Dimension, re.Pattern[str]]] = []
        people_number = self._people_number()
        for dimension in self.model.dimensions.values():
            if not dimension.numeric:
                continue
            names = sorted(
                {dimension.name.replace("_", " "), *dimension.synonyms, *dimension.numeric_words},
                key=len,
                reverse=True,
            )
            subject = "|".join(re.escape(normalize(n)) for n in names)
            comparatives = "|".join(
                re.escape(w) for w in sorted(dimension.comparatives, key=len, reverse=True)
            )
            patterns = [
                rf"\b(?P<subject>{subject})\s+(?:(?:is|was|of|at)\s+)?{_COMPARISON}"
                rf"{_units(dimension.suffixes)}{_INCLUSIVE}"
            ]
            if comparatives:
                patterns.append(rf"\b(?P<comparative>{comparatives})\s+than\s+{_AMOUNT}")
                # "60 or older", "30 years or younger": the bound counts.
                patterns.append(
                    r"\b(?P<value>\d+(?:\.\d+)?)(?:\s+years?(?:\s+old)?)?\s+or\s+"
                    rf"(?P<comparative>{comparatives})\b(?P<bound>)"
                )
            for suffix in dimension.suffixes:
                # "between 30 and 40 years old, inclusive": a range before the unit.
                patterns.append(
                    r"(?:\b(?:between|from)\s+)?(?P<low>\d+(?:\.\d+)?)\s+(?:and|to)\s+"
                    rf"(?P<high>\d+(?:\.\d+)?)\s+{re.escape(suffix)}\b{_INCLUSIVE}"
                )
            for suffix in dimension.suffixes:
                patterns.append(
                    rf"(?:(?P<op>{_OP_WORDS})\s+)?(?P<value>\d+(?:\.\d+)?)\s+{re.escape(suffix)}"
                    rf"(?:\s+(?P<after>{_AFTER_WORDS}))?\b"
                )
            if dimension is people_number:
                patterns += self._said_of_people(dimension)
            compiled += [(dimension, re.compile(p)) for p in patterns]
        return compiled

    def _people_number(self) -> Dimension | None:
        """The one number of the people said in their own terms ("older", "younger"),
        which a bare number said of them is ("users over 65": their age); ``None`` when
        the model has no such dimension, or several."""
        people = self.model.reader.get("people")
        said = [
            d
            for d in self.model.dimensions.values()
            if d.numeric and d.comparatives and (d.column or "").split(".")[0] == people
        ]
        return said[0] if len(said) == 1 else None

    def _said_of_people(self, dimension: Dimension) -> list[str]:
        """ "Users over 65", "how many of our users are 65+", "customers who are under
        25": a one- or two-digit bound right after a plural noun for the people, with no
        unit after it (not "customers over 5 orders"), is on ``dimension``."""
        nouns = sorted(word for word in self._people_nouns if word.endswith("s"))
        if not nouns:
            return []
        after = "|".join(rf"(?<=\b{re.escape(noun)} )" for noun in nouns)
        lead = rf"(?:{after})(?:(?:who|that)\s+(?:are|were)\s+|(?:are|were)\s+)?"
        ends = (
            r"(?:\s+years?\s+old)?(?=\s*(?:$|[,.;:?!)]|(?:by|in|from|who|that|and|with|per|"
            r"for|across|during|since|on|vs|each|living|based)\b))"
        )
        # "users who came in via Search are under 25": a clause about them between (kept
        # to be read as usual), no other thing named in it ("whose orders were over 5").
        others = sorted(
            {
                word
                for m in self.model.metrics.values()
                if m.unit == "count"
                for word in (m.name, *m.synonyms)
                if word.isalpha() and word not in nouns
            }
        )
        words = rf"(?:(?!(?:whose|{'|'.join(others)})\b)[a-z']+\s+)"
        clause = rf"(?:{after})(?P<clause>{words}{{1,5}}?)(?:are|were)\s+"
        return [
            rf"{lead}(?P<op>{_OP_WORDS})\s+(?P<value>\d{{1,2}}){ends}",
            rf"{lead}(?P<value>\d{{1,2}})(?:(?P<plus>\+)|\s+(?P<after>{_AFTER_WORDS})){ends}",
            rf"{clause}(?P<op>{_OP_WORDS})\s+(?P<value>\d{{1,2}}){ends}",
            rf"{clause}(?P<value>\d{{1,2}})(?:(?P<plus>\+)|\s+(?P<after>{_AFTER_WORDS})){ends}",
        ]

    @staticmethod
    def _comparison_filter(dimension: Dimension, match: re.Match[str]) -> Filter:
        groups = match.groupdict()
        if groups.get("comparative"):
            op = dimension.comparatives[groups["comparative"]]
            if groups.get("bound") is not None and op in {"<", ">"}:
                op += "="  # "60 or older"
            return Filter(dimension.name, (_number(float(groups["value"])),), op=op)
        if groups.get("low") and groups.get("high"):
            low, high = float(groups["low"]), float(groups["high"])
            return Filter(dimension.name, (_number(low), _number(high)), op="between")
        words = " ".join((groups.get("op") or "").split())
        after = " ".join((groups.get("after") or "").split())
        if groups.get("plus"):
            after = "or more"  # "aged 65+"
        op = _COMPARISON_OPS.get(words) or _COMPARISON_OPS.get(after) or "="
        return Filter(dimension.name, (_number(float(groups["value"])),), op=op)

    def _time_window(self, text: str) -> tuple[TimeWindow | None, str]:
        # "year to date vs the same period last year": the period before, a year back.
        text = _SO_FAR.sub("year to date", text)
        text = _SAME_PERIOD.sub("the period before", text)
        if len(_HALF_YEAR.findall(text)) == 1:  # two halves compared: not read yet
            text = _HALF_YEAR.sub(_half_as_months, text)
        rules = _time_rules()
        for index in _time_needs().candidates(text):
            pattern, build = rules[index]
            match = pattern.search(text)
            if match:
                window = build(match)
                if window is None or (
                    window.kind == "year"
                    and _AMOUNT_BEFORE.search(text, 0, match.start())
                    and _COUNTED_AFTER.match(text, match.end())
                ):
                    continue  # "more than 2000 inventory items": an amount, not the year
                before = re.search(_WINDOW_LEAD, text[: match.start()])
                start = before.start() if before else match.start()
                rest = text[:start] + " " + text[match.end() :]
                if window.kind == "year":  # "users in 2025, and their revenue in 2025"
                    said = re.escape(match.group(0))
                    rest = re.sub(rf"\b(?:(?:in|during|for)\s+)?{said}\b", " ", rest)
                return _within_year(rest.strip(), window)
        return None, text

    def _mentions(self, reading: _Reading) -> list[_Mention]:
        """Known phrases, longest first, after correcting words nobody would mean as typed."""
        words = reading.words
        fuzzy: set[int] = set()
        for i, word in enumerate(words):
            raw = reading.raw[i] if i < len(reading.raw) else word
            if (
                len(raw) < 5
                or word in self._protected
                or word in self._known
                or word in STOPWORDS
                or word in _KNOWN_WORDS
                or not word.isalpha()
            ):
                continue
            cued = (i > 0 and words[i - 1] in _CUES) or raw in reading.capitalized
            close = self._correction(word, raw, values=cued) or _filler_typo(raw)
            if close:
                reading.corrections.append(f"'{raw}' as '{close}'")
                words[i] = close
                fuzzy.add(i)
        found: list[_Mention] = []
        i = 0
        while i < len(words):
            if words[i] not in self._known and words[i] not in {"and", "&"}:
                i += 1  # no phrase starts with a word no phrase has
                continue
            for size in range(min(self._max_len, len(words) - i), 0, -1):
                phrase = tuple(w for w in words[i : i + size] if w not in {"and", "&"})
                if size > 1 and phrase and (words[i] in {"and"} or words[i + size - 1] in {"and"}):
                    continue
                entries = self._phrases.get(phrase)
                if entries and any(i < j < i + size for j in reading.breaks):
                    # "orders, cancellation rate": two measures, not "order cancellation rate".
                    entries = [entry for entry in entries if entry[0] == "value"]
                if entries and "and" in words[i : i + size]:
                    # "orders and cancellation rate" is two measures, not "order cancellation
                    # rate"; only a value is spelled with an "and" ("Outerwear & Coats").
                    entries = [entry for entry in entries if entry[0] == "value"]
                entries = self._singular_named(reading.raw, i + size - 1, phrase, entries)
                if entries and len({j in reading.claimed for j in range(i, i + size)}) == 1:
                    typo = any(j in fuzzy for j in range(i, i + size))
                    for kind, name, value in entries:
                        found.append(_Mention(i, i + size, kind, name, value, fuzzy=typo))
                    i += size
                    break
            else:
                i += 1
        return _restated_once(found, reading, self._narrowing)

    def _singular_named(
        self,
        raw: Sequence[str],
        last: int,
        phrase: tuple[str, ...],
        entries: list[tuple[str, str, str]] | None,
    ) -> list[tuple[str, str, str]] | None:
        """``entries`` of ``phrase`` (ending at word ``last``) without a measure the model
        names in the singular when the last word is typed as the plural of what a count
        measure counts: "average orders per month" are orders counted, not "average
        order" (the average order value); a name spelled in the plural ("cost of unsold
        items") stands, as do counts."""
        if not entries or len(phrase) < 2 or last >= len(raw):
            return entries
        word = raw[last].lower()
        if word == singular(word) or singular(word) not in self._counted_nouns:
            return entries
        return [
            e for e in entries
            if e[0] != "metric" or self.model.metrics[e[1]].unit == "count"
            or (phrase, e[1]) in self._plural_names
        ]  # fmt: skip

    @functools.cached_property
    def _plural_names(self) -> frozenset[tuple[tuple[str, ...], str]]:
        """(phrase key, measure) of the measures' names that end in a plural as the model
        spells them ("cost of unsold items", "return rate of orders")."""
        return frozenset(
            (self._phrase_key(name), metric.name)
            for metric in self.model.metrics.values()
            for name in (metric.label, *metric.synonyms)
            if (last := tokens(normalize(name))[-1:]) and last[0] != singular(last[0])
        )

    @functools.cached_property
    def _counted_nouns(self) -> frozenset[str]:
        """Single words that name a count measure alone ("order", "customer")."""
        return frozenset(
            singular(name.lower())
            for metric in self.model.metrics.values()
            if metric.unit == "count"
            for name in (metric.name, *metric.synonyms)
            if " " not in name and "_" not in name
        )

    def _settle_bare(self, reading: _Reading, mentions: list[_Mention]) -> list[_Mention]:
        """Bare column names ("status") as the dimension on the measure's table."""
        bare = {
            (m.start, m.end): self._bare[phrase]
            for m in mentions
            if (phrase := tuple(reading.words[m.start : m.end])) in self._bare
            and all(
                o.kind == "dimension" and o.name in self._bare[phrase]
                for o in mentions
                if (o.start, o.end) == (m.start, m.end)
            )
        }
        return settle_bare(self.model, mentions, bare) if bare else mentions

    def _correction(self, word: str, raw: str, *, values: bool) -> str | None:
        """The known word a typo stands for: one slip of the keyboard, or a close spelling.

        Values are only corrected for one slip and only where a value is expected
        (after "in", "from"... or capitalised), so "Atlantis" never quietly becomes
        "Atlanta" nor "comes" "home"; names of measures and dimensions may be a
        little further off.
        """
        for candidate in self._close_words.matches(word, n=3, cutoff=0.75):
            kinds = self._word_kinds.get(candidate, set())
            is_value = "value" in kinds
            # A word that also names a measure or a breakdown ("order", "purchase") is
            # corrected as one wherever it stands ("oders", "purchse").
            named = bool(kinds & {"metric", "dimension"})
            if is_value and not values and not named:
                continue
            if is_value and values:
                # Compare what was typed with the value as the data spells it.
                spellings = self._value_spellings.get(candidate, {candidate})
                if any(_one_edit(raw, spelled) for spelled in spellings):
                    return candidate
                if not named:
                    continue
            if _slip(raw, candidate) or _slip(word, candidate):
                return candidate  # not "pending" for "spending", nor "speed" for "spend"
        return None

    def _interpret(  # noqa: PLR0912, PLR0915 - one decision per kind of mention, kept together
        self,
        reading: _Reading,
        mentions: list[_Mention],
        raw_words: list[str],
        limit: int | None,
    ) -> tuple[list[str], list[str], list[Filter], str | None]:
        """Measures, breakdowns, value filters and the dimension a ranking restarts in.

        Marks the words it read in ``reading.used``; a negation ("excluding",
        "other than", "outside") carries over a list of values ("X, Y and Z").
        """
        words = reading.words
        per: str | None = None
        last_value: tuple[int, str, bool] | None = None  # end, dimension, negated
        grouped_ends: set[int] = set()
        loose: dict[str, set[int]] = {}
        deferred: list[tuple[set[int], str, int]] = []
        qualifiers: set[int] = set()
        metrics: list[str] = []
        said_again: str | None = None  # a measure named again, as the last one named
        dimensions: list[str] = []
        values: dict[tuple[str, bool], list[str]] = {}
        grouped: set[str] = set()
        spans: dict[tuple[int, int], list[_Mention]] = {}
        named_dimensions = {m.name for m in mentions if m.kind == "dimension"}
        dimension_ends = {m.end: m.name for m in mentions if m.kind == "dimension"}
        for mention in mentions:
            spans.setdefault((mention.start, mention.end), []).append(mention)
        for (start, _end), group in sorted(spans.items()):
            span = set(range(start, _end))
            before = words[max(0, start - 3) : start]
            # "by brand for products": a cue after the grouping word starts a condition.
            cut = max((i for i, w in enumerate(before) if w in _CUES - {"by", "per"}), default=-1)
            previous = words[start - 1] if start else ""
            grouping = bool(_GROUPING_CUES & set(before[cut + 1 :])) or bool(
                before and before[-1].isdigit()
            )
            if grouping and start in reading.breaks and _end < len(words):
                # "top 5 categories by items sold, department = Men": a column named
                # with its value after a comma is a filter, not one more breakdown.
                followed = {m.name for m in mentions if m.kind == "value" and m.start == _end}
                grouping = not followed & {m.name for m in group if m.kind == "dimension"}
            counting = (
                previous in _COUNTING
                and (
                    previous not in _DISTINCT or words[start - 2 : start - 1] in (["of"], ["many"])
                )
            ) or ("how" in before and "many" in before)
            kinds = {m.kind for m in group}
            # "across the product catalog": the whole of them, named by the model's word
            # for all the rows ("catalog", "range").
            whole = (
                previous in {"the", "our", "entire", "whole"}
                and "across" in before
                and _end < len(words)
                and words[_end] in self.model.filler
            )
            all_the = start >= 2 and words[start - 2 : start] in (["all", "the"], ["all", "our"])
            if (
                (previous == "all" or whole or all_the)
                and "dimension" in kinds
                and ("metric" not in kinds or metrics)
            ):
                # "across all products", "across all the products": over all of them, not
                # by product
                lead = start - 2 if all_the else start - 1
                reading.used |= span | set(range(lead, start))
                if lead >= 1 and words[lead - 1] == "across":
                    reading.used |= {lead - 1}
                continue
            if (
                previous in {"its", "their"}
                and dimensions
                and any(m.kind == "dimension" and self.model.dimensions[m.name].key for m in group)
            ):
                # "for each center, how many countries were its products sold to": the
                # rows that make up each group, not a breakdown by every one of them.
                if words[max(0, start - 3) : start - 1] in (["many", "of"], ["number", "of"]):
                    said = " ".join(words[start:_end]).removesuffix("s") + "s"
                    raise PlanningError(
                        f"'How many of its {said}' could count the {said} themselves or "
                        "their rows; I cannot tell which.",
                        hint=f"Ask for the number of distinct {said}, or for the items.",
                    )
                reading.used |= span | {start - 1}
                continue
            choice: _Mention | None = None
            aggregated = _AGGREGATE_WORDS.get(previous) is not None and any(
                m.kind == "dimension" and self.model.dimensions[m.name].numeric for m in group
            )  # "the maximum retail price": of the number, not the model's average of it
            if "metric" in kinds and "dimension" in kinds and aggregated:
                choice = next(
                    m
                    for m in group
                    if m.kind == "dimension" and self.model.dimensions[m.name].numeric
                )
            elif "metric" in kinds and "dimension" in kinds:
                prefer = "dimension" if grouping and not counting else "metric"
                if prefer == "metric" and any(
                    m.kind == "metric" and m.name in metrics for m in group
                ):
                    prefer = "dimension"
                choice = next(m for m in group if m.kind == prefer)
            elif "metric" in kinds:
                choice = next(m for m in group if m.kind == "metric")
            elif "dimension" in kinds:
                choice = next(m for m in group if m.kind == "dimension")
            following = words[_end] if _end < len(words) else ""
            if (
                choice is not None
                and choice.kind == "metric"
                and following in {"who", "that", "which", "whose"}
                and any(m.kind == "metric" for m in mentions if m.start != start)
                and (bool(metrics) or previous in {"for", "from", "among", "amongst"})
                and not _listed_beside(words, start, mentions)
            ):
                reading.descriptions.append((span, choice.name))
                continue  # "for users who joined in 2024": a description, not a measure
            after_value = (
                choice is not None
                and choice.kind == "metric"
                and self.model.metric(choice.name).unit == "count"
                and start not in reading.pauses  # "for Search - items, ...": a list
                and any(
                    m.kind == "value"
                    and m.end == start
                    and words[max(0, m.start - 2) : m.start]
                    not in (["number", "of"], ["count", "of"], ["how", "many"])
                    and words[max(0, m.start - 1) : m.start] not in _DISTINCT_BEFORE
                    for m in mentions
                )
            )  # "Complete orders" names rows; "the number of settled payments" and "how
            # many distinct Jeans products" count them;
            # an amount after a value ("customers in Germany spend") is a measure
            alias = self.model.value_aliases.get(words[start])
            one_word = _end - start == 1
            names_value = (
                choice is not None
                and choice.kind == "metric"
                and alias is not None
                and (one_word or self.model.metric(choice.name).unit == "count")
            )
            counting_of = words[start - 2 : start - 1] in (["number"], ["count"], ["amount"])
            of_rows = (
                (previous in {"of", "in", "across"} and not counting_of)
                or (
                    previous in {"all", "the", "our", "my", "their"}
                    and words[start - 2 : start - 1] in (["of"], ["in"], ["across"], ["over"])
                    and words[max(0, start - 3) : start - 2] not in (["number"], ["count"])
                )
                or (
                    previous in {"any", "an", "a", "single", "one"}
                    and self._rows_lead(words, start)
                )
            )  # "number of customers" is a count, not the rows of the measure before
            ruled = False
            if choice is not None and choice.kind == "metric" and of_rows and metrics:
                ruled = self._check_rows_of(metrics[-1], choice.name, reading)
                for earlier in metrics[:-1]:  # "min, max and average sale price of items sold"
                    if not self.model.metric(earlier).additive:
                        ruled = self._check_rows_of(earlier, choice.name, reading) or ruled
            wider = (
                self._wider_rows(metrics[-1], choice.name)
                if choice is not None and choice.kind == "metric" and of_rows and metrics
                else []
            )  # "average sale price of order items": every order item, whatever its status
            reading.wider_rules += [r for r in wider if r not in reading.wider_rules]
            rows_of = (
                choice is not None
                and choice.kind == "metric"
                and of_rows
                and bool(metrics)
                and (ruled or bool(wider) or self._same_rows(metrics[-1], choice.name))
            )  # "average sale price of items sold": the rows the average is over
            if rows_of:  # "on any single order item": the words that lead to them
                reading.used |= {i for i in range(max(0, start - 3), start)
                                 if words[i] in {"any", "single", "one"}}  # fmt: skip
            if (
                choice is not None
                and choice.kind == "metric"
                and (metrics or (after_value and _whose(reading, mentions, start, choice.name)))
                and not names_value  # "revenue from returned items": a filter, read below
                and (
                    previous in {"from", "to", "among", "amongst", "for"} or after_value or rows_of
                )
            ):
                reading.descriptions.append((span, choice.name))
                placed = self._placed_in(words, _end, mentions, each=previous == "from")
                if after_value or placed is not None:
                    reading.valued.append(span)
                    reading.used |= placed or set()
                continue  # "revenue from customers (based) in Germany": who, not what
            prefix = " ".join(words[max(0, start - 4) : start]) + " "
            negated = bool(_NEGATION.search(prefix))
            if (
                choice is not None
                and choice.kind == "metric"
                and alias
                and negated
                and (one_word or self.model.metric(choice.name).unit == "count")
            ):
                # "not counting returns": leave the status out, do not measure it.
                dimension_name, value = alias
                values.setdefault((dimension_name, True), [])
                if value not in values[(dimension_name, True)]:
                    values[(dimension_name, True)].append(value)
                reading.used |= span | self._negation_words(words, start)
                continue
            counted = (
                choice is not None
                and choice.kind == "metric"
                and self.model.metric(choice.name).unit == "count"
            )
            if (
                choice is not None
                and choice.kind == "metric"
                and metrics
                and alias
                and (one_word or counted)
                and not _listed_at(words, start, reading.breaks)
            ):
                # "sales of returned items": a second measure that names a status is a filter;
                # listed beside the first ("orders and cancelled orders", "the orders, the
                # cancelled orders and the rate") it is a measure.
                dimension_name, value = alias
                values.setdefault((dimension_name, False), [])
                if value not in values[(dimension_name, False)]:
                    values[(dimension_name, False)].append(value)
                reading.used |= span
                continue
            qualified = [
                m for m in mentions if m.kind == "dimension" and m.start == _end
            ]  # "by orders, country = China" names no country of the orders
            qualifies = _end not in reading.breaks and bool(qualified)
            with_value = any(
                m.kind == "value" and m.start == d.end and m.name == d.name
                for d in qualified
                for m in mentions
            )
            if (
                choice is not None
                and choice.kind == "metric"
                and qualifies
                and (previous in _GROUPING | {"of", "the", "and", "&"} or (
                    previous == "with" and with_value))
                and self.model.metric(choice.name).unit == "count"
            ):  # fmt: skip
                # "by customer gender": whose gender, not a second measure ("where product
                # department = Women": the products' department, named with its value).
                reading.used |= span
                qualifiers |= span
                continue
            placed = self._placed_in(words, _end, mentions)
            if (
                choice is not None
                and choice.kind == "metric"
                and metrics
                and placed is not None
                and not _per_words(words, start)  # "orders per customer in Brazil": a ratio
                # "revenue and orders from Japan", "revenue and users in Japan": a second
                # measure listed, not who the first one's rows are of.
                and previous not in _LISTED_MEASURES
                and start not in reading.breaks
                and self._counts_people(choice.name)
            ):
                # "excluding customers from China": the people the values describe.
                reading.descriptions.append((span, choice.name))
                reading.valued.append(span)
                reading.used |= placed
                continue
            if (
                choice is not None
                and choice.kind == "metric"
                and metrics
                and self._counts_people(choice.name)
                and _made_by(words, start, _end)
            ):
                # "how many orders did customers place", "orders placed by customers": who
                # made the rows the measure counts, not a second measure.
                reading.descriptions.append((span, choice.name))
                reading.used |= span
                continue
            if (
                choice is not None
                and choice.kind == "metric"
                and metrics
                and _after_against(words, start)
                and (
                    any(name == choice.name for _, name in reading.descriptions)
                    or self._rows_of_statistic(choice.name, metrics)
                )
            ):
                # "delivery time for orders from the US compared with orders from China",
                # "average sale price of items with status Complete compared with items with
                # status Returned": the rows described again for the value set against the
                # first.
                reading.descriptions.append((span, choice.name))
                reading.used |= span
                continue
            divides = _per_words(words, start) if choice is not None and metrics else set()
            if choice is not None and choice.kind == "metric" and divides:
                first = self.model.metric(metrics[-1])
                second = self.model.metric(choice.name)
                if not first.additive and second.unit == "count" and first.table == second.table:
                    # "average sale price per item sold": the average is already per row.
                    reading.used |= span | divides
                    continue
                # "revenue per buyer": one measure divided by another; "revenue by brand,
                # with units sold and revenue per unit sold": the measure named again, as a
                # measure of its own beside the first.
                if said_again is None:
                    metrics[-1] = f"ratio:{metrics[-1]}:{choice.name}"
                elif (ratio := f"ratio:{said_again}:{choice.name}") not in metrics:
                    metrics.append(ratio)
                said_again = None
                reading.used |= span | divides
                continue
            if (
                choice is not None
                and choice.kind == "metric"
                and not metrics
                and (
                    previous in {"for", "among", "from"}
                    or (previous in _LEAVING_OUT and placed is not None)
                )
                and self.model.metric(choice.name).unit == "count"
            ):
                reading.used |= placed or set()
                # "for customers in Spain, the top 3 categories by revenue": who, if a
                # measure follows; the measure itself if none does.
                deferred.append((span, choice.name, _end))
                continue
            if choice is not None and choice.kind == "metric":
                reading.metric_starts.setdefault(choice.name, start)
                reading.metric_positions.setdefault(choice.name, []).append(start)
                said_again = choice.name if choice.name in metrics else None
                if choice.name not in metrics:
                    metrics.append(choice.name)
                reading.used |= span
                if self.model.metric(choice.name).unit == "percent":
                    reading.percent_ends.add(_end - 1)
                continue
            dimension = self.model.dimensions.get(choice.name) if choice is not None else None
            aggregate = _AGGREGATE_WORDS.get(previous) or _AGGREGATE_WORDS.get(
                " ".join(words[max(0, start - 2) : start])
            )
            if (
                choice is not None
                and choice.kind == "dimension"
                and dimension is not None
                and dimension.numeric
                and aggregate
            ):
                # "the highest retail price", "average age": an aggregate of the number;
                # "minimum and maximum retail prices", "min, max and median age": several.
                found = [(start - 1, aggregate)]
                at = start - 2
                while at >= 0 and (
                    words[at] in _AGGREGATE_WORDS
                    or (words[at] == "and" and at >= 1 and words[at - 1] in _AGGREGATE_WORDS)
                ):
                    if words[at] == "and":
                        reading.used.add(at)
                        at -= 1
                    elif (
                        words[at] in _RANKING_AGGREGATES
                        and at == found[0][0] - 1
                        and found[0][1] not in {"min", "max"}  # "smallest, largest and ..."
                    ):
                        break  # "the highest median price": ranks by the median
                    found.insert(0, (at, _AGGREGATE_WORDS[words[at]]))
                    at -= 1
                for position, kind in found:
                    name = f"{kind}:{choice.name}"
                    if name not in metrics:
                        metrics.append(name)
                    reading.metric_starts.setdefault(name, position)
                    reading.used.add(position)
                reading.used |= span
                continue
            numeric = dimension is not None and dimension.numeric
            if choice is not None and choice.kind == "dimension" and numeric and not grouping:
                continue  # "users age" with no "by": not one row per age
            if (
                choice is not None
                and choice.kind == "dimension"
                and previous in {"every", "all", "any"}
                and following in _EXCEPT
            ):
                # "for every category except Jeans": all of them but one, not a breakdown
                # ("in each status other than Complete" is one row for each).
                reading.used |= span | {start - 1}
                loose[choice.name] = span
                continue
            if choice is not None and choice.kind == "dimension":
                reading.dimension_starts.setdefault(choice.name, start)
                if choice.name not in dimensions:
                    dimensions.append(choice.name)
                each_of = start >= 3 and (  # "in each of those countries": one group each
                    words[start - 3] in {"each", "every"}
                    and words[start - 2] == "of"
                    and words[start - 1] in {"those", "these", "the"}
                )
                if each_of:
                    grouping = True
                    reading.used |= {start - 3, start - 2, start - 1}
                    per = per or choice.name
                if {"vs", "versus"} & set(words[start:_end]):
                    grouping = True  # "revenue for first vs repeat orders": one row each
                # "by department and gender", "by department and customer gender"
                joined = previous in {"and", "&"} or (
                    start >= 2 and words[start - 2] in {"and", "&"} and start - 1 in qualifiers
                )
                chained = joined and any(end < start for end in grouped_ends)
                subject = all(w in FILLER for w in words[:start]) and following in _SUBJECT
                # "category revenue, 2025 vs 2024", "department revenue in Q3": a breakdown
                # named right before the measure, at the start of a clause.
                named_before = (
                    not self.model.dimensions[choice.name].key
                    and (start == 0 or start - 1 in reading.breaks or previous in _COMPARE_VERBS)
                    and any(m.kind == "metric" and m.start == _end for m in mentions)
                    and not any(m.kind == "value" and m.start == _end for m in mentions)
                )
                if grouping or chained or counting or subject or named_before:
                    # "by country", "by country and gender", "how many brands",
                    # "categories with the most revenue": a breakdown or what is counted.
                    grouped.add(choice.name)
                    grouped_ends.add(_end - 1)
                    reading.used |= span
                else:
                    # read only if it names a filter's values (each time it is said)
                    loose[choice.name] = loose.get(choice.name, set()) | span
                if set(words[max(0, start - 2) : start]) & {"each", "every", "per", "within"}:
                    per = per or choice.name  # "top 2 brands in each category"
                continue
            value_mentions = [m for m in group if m.kind == "value"]
            if not value_mentions:
                continue
            # "New York city": a dimension named in the question settles which one's value.
            named = [m for m in value_mentions if m.name in named_dimensions]
            mention = (named or value_mentions)[0]
            reading.value_options[mention.value] = [m.name for m in named or value_mentions]
            original = " ".join(raw_words[mention.start : mention.end])
            reading.value_words[mention.value] = original
            weak = original.lower().removesuffix("'s") in self._weak_values or (
                len(original) < 2 or original.lower() in _SHORT_WORDS
            )
            cued = (
                previous in _CUES
                or previous in {"'s", "only", "just"}
                or raw_words[mention.start] in reading.capitalized
                or self._before_own_rows(mention, raw_words)
                # "complete vs cancelled orders": set against a plain value of its own
                or self._set_against_value(mention, mentions, words)
                # "with status complete", "status is returned": after its own column's name
                or dimension_ends.get(start - 1 if previous == "is" else start) == mention.name
            )
            if weak and not cued and mention.name not in self._plain_dimensions:
                continue
            if (len(original) < 2 or original.lower() in _SHORT_WORDS) and raw_words[
                mention.start
            ] not in reading.capitalized:
                continue  # "from us" is the speaker, "from the US" or "US" the country
            negate = negated
            if negated:
                reading.used |= self._negation_words(words, start)
            elif last_value is not None and last_value[1] == mention.name:
                between = set(words[last_value[0] : start])
                listed = between & {"and", "or", "nor"} and between <= {"and", "or", "nor", "the"}
                if listed or (between <= {"the"} and start in reading.breaks):
                    # "outside Japan and Germany", "... and the US", "excluding A, B and C"
                    negate = last_value[2]
                gap = words[last_value[0] : start]
                links = [w for w in gap if w in _SET_AGAINST]
                # "female customers versus male customers": the same noun after each value.
                noun = gap[: gap.index(links[0])] if links else []
                repeated = bool(noun) and words[mention.end : mention.end + len(noun)] == noun
                if not negate and links and (between <= _SET_AGAINST | _LINK_LEADS or (
                    repeated and len(links) == 1 and gap == [*noun, links[0]]
                )):  # fmt: skip
                    # "men vs women", "men and women": each value is a row of the answer.
                    reading.listed.add(mention.name)
                    reading.used |= set(range(last_value[0], start))
                    if repeated:
                        reading.used |= set(range(mention.end, mention.end + len(noun)))
                elif not negate and (
                    any(w in _AGAINST for w in gap)
                    or (gap in (["with"], ["to"]) and _COMPARE_VERBS & set(words[:start]))
                ):
                    # "China revenue 2025 vs Japan", "Jeans in 2024 relative to Shorts",
                    # "compare Facebook with Search signups": the values set against each
                    # other are the rows, whatever is said between them (read as usual).
                    reading.listed.add(mention.name)
                    reading.used |= {
                        last_value[0] + i
                        for i, w in enumerate(gap)
                        if w in _AGAINST | {"with", "to"}
                    }
            last_value = (mention.end, mention.name, negate)
            reading.value_starts.setdefault(mention.name, start)
            reading.value_positions.setdefault(mention.name, []).append(start)
            reading.used |= span
            values.setdefault((mention.name, negate), [])
            if mention.value not in values[(mention.name, negate)]:
                values[(mention.name, negate)].append(mention.value)
        filters = [
            Filter(dimension=name, values=tuple(vals), negate=negate)
            for (name, negate), vals in values.items()
        ]
        for (name, negate), vals in values.items():
            known = self.values.get(name) or sorted(
                {v for d, v in self.model.value_aliases.values() if d == name}
            )
            if not negate and len(vals) > 1 and len(known) == len(vals) and set(known) == set(vals):
                # "how many were first orders and how many were repeat orders": naming every
                # value of a dimension keeps every row, so it asks to see each one.
                reading.listed.add(name)
        for span, name, _ in deferred:
            if metrics:
                reading.descriptions.append((span, name))
            else:
                metrics.append(name)
                reading.metric_starts.setdefault(name, min(span))
                reading.used |= span
        # "the Nike brand" names the filter's dimension; "by country" groups by it; a
        # dimension named with neither is not read ("that signup cohort").
        filtered = {f.dimension for f in filters}
        for name, span in loose.items():
            if name in filtered:
                reading.used |= span
            elif name in grouped and reading.raw[max(span)].endswith(("'s", "s'")):
                reading.used |= span  # "within each department, % of the department's ..."
        dimensions = [d for d in dimensions if d in grouped]
        return metrics, dimensions, filters, per

    def _share_of_rows(
        self, reading: _Reading, metrics: Sequence[str], filters: Sequence[Filter]
    ) -> bool:
        """'share of purchase sessions from each browser': the values name the whole
        (they sit between 'share of' and the measure), so shares are of the rows shown.
        The measure may have been named before as well: in "top 5 brands in Jeans by
        revenue, with each brand's share of total Jeans revenue" the whole is the
        mention after the share's word. A value said inside the measure's name there
        names the whole too ("each one's share of all 2025 returned-item sales", "share
        of total Jeans returned items")."""
        share_at = next((i for i, w in enumerate(reading.words) if w in _SHARE_WORDS), None)
        name = metrics[0].split(":")[-1] if metrics else ""
        if share_at is None or not filters:
            return False
        after = [at for at in reading.metric_positions.get(name, []) if at > share_at]
        metric_at, metric_end = (after[0], after[0] + 1) if after else (-1, -1)
        if not after:
            metric_at, metric_end = self._named_after(reading.words, name, share_at)
        if metric_at < 0:
            metric_at = reading.metric_starts.get(name, -1)
            metric_end = metric_at
        if metric_at < 0:
            return False
        whole = set(reading.words[share_at + 1 : metric_end])
        return all(
            any(share_at < at < metric_at for at in reading.value_positions.get(f.dimension, []))
            or (metric_end > share_at and f.op == "in" and not f.negate
                and all(singular(str(v).lower()) in whole for v in f.values))
            for f in filters
        )  # fmt: skip

    @functools.cached_property
    def _metric_names(self) -> dict[str, list[tuple[str, ...]]]:
        """Each measure's names as the reader keys them (singular words)."""
        names: dict[str, list[tuple[str, ...]]] = {}
        for key, entries in self._phrases.items():
            for kind, name, _ in entries:
                if kind == "metric":
                    names.setdefault(name, []).append(key)
        return names

    def _named_after(self, words: Sequence[str], metric: str, at: int) -> tuple[int, int]:
        """Where measure ``metric`` is named again after word ``at`` (start, end), or
        (-1, -1): the words of one of its names, in a row."""
        names = self._metric_names.get(metric, [])
        for start in range(at + 1, len(words)):
            for key in names:
                if tuple(words[start : start + len(key)]) == key:
                    return start, start + len(key)
        return -1, -1

    def _beyond_two(
        self,
        reading: _Reading,
        dimensions: list[str],
        entity_columns: list[str],
        limit: int | None,
    ) -> tuple[list[str], list[str]]:
        """An answer has at most two breakdowns. More are the columns of a ranking of
        single things ("top 5 products by revenue with their brand and category"), which
        ``_with_entity_columns`` checks, or refused: never one dropped unsaid. After a
        grouping word ("... by brand and category") they would restart the ranking."""
        if len(dimensions) <= 2:
            return dimensions, entity_columns
        second = reading.dimension_starts.get(dimensions[1], -1)
        grouped = second > 0 and reading.words[second - 1] in _GROUPING
        if limit is not None and dimensions[0] in self.model.single_things() and not grouped:
            return dimensions[:1], [*dimensions[1:], *entity_columns]
        labels = [self.model.dimensions[d].label.lower() for d in dimensions]
        raise PlanningError(
            f"The question asks for {len(labels)} breakdowns ({', '.join(labels)}); an "
            "answer is broken down by at most two.",
            hint=f"Ask by {labels[0]} and {labels[1]}, and for the rest in a question of its own.",
        )

    def _without_owners(self, reading: _Reading, dimensions: list[str]) -> list[str]:
        """ "By the product's distribution center", "by product department": the product
        says whose distribution center or department, it is not a breakdown of its own."""
        starts = {reading.dimension_starts.get(name, -1): name for name in dimensions}
        owners = {
            name
            for at, name in starts.items()
            if at >= 0
            and at + 1 in starts
            and (
                reading.raw[at].endswith(("'s", "s'"))
                or self._names_rows_of(reading.raw[at], name, starts[at + 1])
            )
        }
        return [name for name in dimensions if name not in owners]

    def _names_rows_of(self, word: str, owner: str, owned: str) -> bool:
        """Whether ``word`` (the mention of dimension ``owner``) is the noun of the rows
        dimension ``owned`` is a column of, and ``owner`` a column of those rows too."""
        tables = [
            (self.model.dimensions[name].column or "").split(".", 1)[0] for name in (owner, owned)
        ]
        if tables[0] != tables[1] or not tables[0]:
            return False
        return singular(word) in self._row_nouns(tables[0])

    @staticmethod
    def _share_within(reading: _Reading, dimensions: Sequence[str]) -> str | None:
        """Which of two breakdowns the shares restart in: the one after "within" or "of
        its", else the one that is not the possessor ("each category's share ... by
        department"). ``None`` when the question does not say."""
        for name in dimensions:
            start = reading.dimension_starts.get(name, -1)
            before = reading.words[max(0, start - 3) : start]
            if start < 0:
                continue
            if before[-3:-1] in (["each", "of"], ["one", "of"], ["all", "of"]):
                # "each of its categories": the parts, of the other breakdown's whole
                others = [d for d in dimensions if d != name]
                return others[0] if len(others) == 1 else None
            if "within" in before or {"its", "their"} & set(before[-1:]):
                return name
            if before[-2:] in (["of", "the"], ["of", "that"], ["of", "each"]) and reading.raw[
                start
            ].endswith(("'s", "s'")):
                return name  # "each status's share of the country's orders"
            named = reading.words[start]
            words = reading.words
            if any(words[i - 2 : i] == ["of", "that"] and words[i] == named
                   for i in range(2, len(words))):  # fmt: skip
                return name  # "as a % of that department"
        # "for each country, what share of its revenue ...": the group named with "each"
        # before the "its" that refers back to it.
        its = next((i for i, w in enumerate(reading.words) if w in {"its", "their"}), -1)
        each = [
            name
            for name in dimensions
            if 0 <= reading.dimension_starts.get(name, -1) < its
            and {"each", "every"} & set(reading.words[max(0, reading.dimension_starts[name] - 2)
                                                      : reading.dimension_starts[name]])
        ]  # fmt: skip
        valued = any(reading.value_positions.get(name) for name in dimensions)
        if len(each) == 1 and not valued:
            return each[0]
        possessors = [
            name
            for name in dimensions
            if reading.raw[reading.dimension_starts.get(name, 0)].endswith(("'s", "s'"))
        ]
        return _whole_of_possessor(reading, dimensions, possessors)

    @staticmethod
    def _whole_described(
        reading: _Reading, metrics: Sequence[str], filters: Sequence[Filter]
    ) -> str | None:
        """The dimension whose one value describes the rows a share is of: "what % of
        orders in China were cancelled" names China between the measure and the verb
        that brings in the part ("were cancelled"), so the share is of China's orders.
        ``None`` unless exactly one filter sits there and at least one comes after. A value
        said right after "% of" ("how many of Brasil's orders got cancelled, and what % of
        Brasil's orders is that") names the whole wherever the part is said."""
        words = reading.words
        named = OfflinePlanner._whole_named_after_share(reading, filters)
        if named is not None:
            return named
        share_at = next((i for i, w in enumerate(words) if w in _SHARE_WORDS), len(words))
        metric_at = reading.metric_starts.get(metrics[0].split(":")[-1] if metrics else "", -1)
        verb_at = next(
            (i for i in range(max(metric_at, share_at) + 1, len(words)) if words[i] in PART_VERBS),
            None,
        )
        if verb_at is None:
            # "what % of orders from Germany returned", "share of German orders returned":
            # a participle after every other value names the part, as the verb would.
            firsts = [min(reading.value_positions.get(f.dimension) or [-1]) for f in filters]
            last = max(firsts, default=-1)
            if last > metric_at and reading.raw[last].lower().endswith("ed"):
                verb_at = last
        if verb_at is None or metric_at < share_at:
            return None
        sides: dict[bool, list[Filter]] = {True: [], False: []}
        for f in filters:
            positions = reading.value_positions.get(f.dimension) or [share_at]
            before = [share_at < at < verb_at for at in positions]
            if any(before) != all(before) or not all(at > share_at for at in positions):
                return None  # a value on both sides, or none read: not this shape
            sides[all(before)].append(f)
        kept = sides[True][0] if len(sides[True]) == 1 else None
        plain = kept is not None and kept.op == "in" and not kept.negate and len(kept.values) == 1
        others = {f.dimension for f in sides[False]}
        if kept is None or not plain or not others or kept.dimension in others:
            return None
        return kept.dimension

    @staticmethod
    def _whole_named_after_share(reading: _Reading, filters: Sequence[Filter]) -> str | None:
        """The dimension of the one plain value said right after "% of" (or "share of",
        "the", a period between: "% of Brasil's 2025 orders"), when another filter names
        the part."""
        words = reading.words
        for f in filters:
            if f.op != "in" or f.negate or len(f.values) != 1:
                continue
            for at in reading.value_positions.get(f.dimension, []):
                lead = [w for w in words[max(0, at - 4) : at] if w not in {"the", "our"}]
                lead = [w for w in lead if not re.fullmatch(r"20\d\d", w)]
                if lead[-2:-1] and lead[-1] == "of" and lead[-2] in _SHARE_WORDS:
                    others = {g.dimension for g in filters if g is not f}
                    if others and f.dimension not in others:
                        return f.dimension
        return None

    @staticmethod
    def _share_of_filtered(
        reading: _Reading, filters: Sequence[Filter], dimensions: Sequence[str] = ()
    ) -> bool:
        """'within the Women department, what share of the department's revenue': the
        filtered dimension named again as the whole makes the shares of the rows shown.
        So do values said anywhere when the part is a breakdown after "from each" ("for
        the US, what share of revenue comes from each state", "... from each state in the
        US": of the US's revenue, not each state's share of its own total over every
        country)."""
        filtered = {f.dimension for f in filters if f.op == "in" and not f.negate}
        for name in filtered:
            positions = reading.value_positions.get(name, [])
            if any("within" in reading.words[max(0, at - 3) : at] for at in positions):
                return True
        share_at = next((i for i, w in enumerate(reading.words) if w in _SHARE_WORDS), None)
        if share_at is None or not dimensions or len(filtered) != len(filters):
            return False
        if filtered & set(dimensions):
            return False  # "each department (Men vs Women)": the breakdown's own values
        parts = [
            at
            for at in (reading.dimension_starts.get(d, -1) for d in dimensions)
            if at > share_at
            and reading.words[max(0, at - 2) : at] in _PART_LEADS
            and not reading.raw[at].endswith(("'s", "s'"))
        ]
        # The breakdown after "comes from each" ("fall into each") is the part: every
        # value only says whose total the whole is ("for the US", "revenue from the US",
        # "... in the US").
        return bool(parts)

    def _reachable(self, table: str, f: Filter, reading: _Reading) -> Filter:
        """The filter on a dimension the measured table reaches, when the value allows one
        ("registered users who are women": gender, not the Women department)."""
        if f.op != "in" or self.model.reaches(table, self._dimension_table(f.dimension, table)):
            return f
        for other in reading.value_options.get(str(f.values[0]), []):
            # every value must allow it: "Men vs Women department" names the department
            # after the last value, so "Women" is read as no gender
            allowed = all(other in reading.value_options.get(str(v), [other]) for v in f.values)
            if (
                allowed
                and other != f.dimension
                and self.model.reaches(table, self._dimension_table(other, table))
            ):
                values = tuple(
                    self.model.value_aliases.get(str(v).lower(), (other, v))[1] for v in f.values
                )
                return replace(f, dimension=other, values=values)
        return f

    def _check_readings(
        self,
        question: str,
        table: str,
        metrics: Sequence[str],
        filters: Sequence[Filter],
        reading: _Reading,
    ) -> None:
        """Refuse a value that names something in two dimensions the measure reaches
        ("orders from New York": the state or the city), offering both readings."""
        for f in filters:
            if f.op != "in" or f.dimension in reading.listed:
                continue
            for value in f.values:
                options = [
                    name
                    for name in reading.value_options.get(str(value), [])
                    if self.model.reaches(table, self._dimension_table(name, table))
                ]
                if len(options) < 2 or self._one_place(str(value), options):
                    continue
                raise self._two_readings(question, metrics, str(value), options, reading)

    def _one_place(self, value: str, options: Sequence[str]) -> bool:
        """Whether every reading of ``value`` keeps the same rows ("Seoul" the city or
        the state): the data says so (``same_rows``), so either is the answer."""
        pairs = self.same_rows.get(value, ())
        return all(frozenset({options[0], other}) in pairs for other in options[1:])

    def _two_readings(
        self,
        question: str,
        metrics: Sequence[str],
        value: str,
        options: Sequence[str],
        reading: _Reading,
    ) -> PlanningError:
        """The refusal that lists each reading, with a question that pins each one down."""
        typed = reading.value_words.get(value, value)
        found = re.search(rf"(?i)\b{re.escape(typed)}\b", question)
        words = found.group(0) if found else typed
        measure = describe_parts(self.model, metrics, [], [])
        readings, questions = [], []
        for name in options:
            label = self.model.dimensions[name].label.lower()
            shown = self.model.value_aliases.get(words.lower(), (name, value))
            shown_value = shown[1] if shown[0] == name else value
            readings.append(f"{label} is {shown_value}")
            pinned = re.sub(rf"(?i)\b({re.escape(words)})\b", rf"\1 {label}", question, count=1)
            if pinned != question and self._plans_on(pinned, name):
                questions.append(f"'{pinned}'")
        said = "; or ".join(readings)
        hint = (
            "Say which, e.g. " + " or ".join(questions) + "."
            if questions
            else "Name the one you mean next to the value."
        )
        return PlanningError(
            f"'{words}' can be read two ways here: {measure} where {said}.", hint=hint
        )

    def _plans_on(self, question: str, dimension: str) -> bool:
        """Whether ``question`` plans with a filter on ``dimension`` (a suggestion works)."""
        if self._suggesting:
            return False
        self._suggesting = True
        try:
            planned = self.plan(question)
        except LGDAError:
            return False
        finally:
            self._suggesting = False
        return any(f.dimension == dimension for f in planned.filters)

    def _dimension_table(self, name: str, base: str) -> str:
        from lgda_nb.planner._model import tables_in

        tables = tables_in(self.model.dimensions[name].sql_for(base))
        return next(iter(tables), base)

    @staticmethod
    def _negation_words(words: list[str], start: int) -> set[int]:
        """Positions of the negation just before ``start`` ("not counting", "other than")."""
        found: set[int] = set()
        for j in range(max(0, start - 4), start):
            if words[j] in _NEGATION_WORDS:
                found |= set(range(j, start))
                break
        return found

    @staticmethod
    def _rows_lead(words: Sequence[str], start: int) -> bool:
        """Whether the words before ``start`` lead to the rows a measure is over: "on any
        (single)", "of an"."""
        at = start - 1
        while at > 0 and words[at] in {"any", "an", "a", "single", "one"}:
            at -= 1
        leads = {"of", "in", "across", "over", "on"} if at < start - 1 else set()
        return at < start - 1 and words[at] in leads

    def _check_value_per_measure(
        self, reading: _Reading, metrics: Sequence[str], filters: Sequence[Filter]
    ) -> None:
        """ "Revenue from Japan and orders from China": a measure named between two values
        of one breakdown that are not listed side by side gives each measure its own
        value; one answer would give both measures over both values together: refused."""
        starts = sorted(
            (reading.metric_starts[m], m) for m in metrics if m in reading.metric_starts
        )
        for f in filters:
            positions = reading.value_positions.get(f.dimension, [])
            if f.negate or len(f.values) < 2 or f.dimension in reading.listed:
                continue
            for (first_at, first), (second_at, second) in itertools.pairwise(starts):
                if any(first_at < p < second_at for p in positions) and any(
                    p > second_at for p in positions
                ):
                    label = self.model.dimensions[f.dimension].label.lower()
                    measures = [self.model.metric(m).label.lower() for m in (first, second)]
                    raise PlanningError(
                        f"I read {measures[0]} and {measures[1]} each with its own "
                        f"{label}, but one answer would give both over every {label} named, "
                        "added up.",
                        hint=f"Ask for each on its own, or for both by {label}: "
                        f"'{measures[0]} and {measures[1]} by {label} for "
                        f"{' and '.join(map(str, f.values))}'.",
                    )

    def _counts_people(self, name: str) -> bool:
        """Whether the measure ``name`` counts the people (customers, buyers): a count of
        the key the people's own table counts."""
        metric = self.model.metric(name)
        return metric.unit == "count" and metric.entity in self._people_keys

    @functools.cached_property
    def _people_keys(self) -> frozenset[str]:
        """The keys the people's own table counts (``reader.people``), found once."""
        people = self.model.reader.get("people")
        return frozenset(
            m.entity for m in self.model.metrics.values() if m.table == people and m.entity
        )

    @staticmethod
    def _placed_in(
        words: Sequence[str], end: int, mentions: list[_Mention], *, each: bool = False
    ) -> set[int] | None:
        """Whether a value follows the words ending at ``end`` after "in" or "from", a
        word of where they are between ("customers based in Germany", "located in"), or
        with ``each``, a breakdown after "in each": the positions of those words (empty when
        none), or None when neither follows."""
        at = end
        while at < len(words) and words[at] in _LOCATED:
            at += 1
        if (
            each
            and words[at : at + 2] in (["in", "each"], ["in", "every"])
            and any(m.kind == "dimension" and m.start == at + 2 for m in mentions)
        ):  # "orders from customers in each country": who placed them, by their column
            return set(range(end, at))
        if at >= len(words) or words[at] not in {"from", "in", "of"}:
            return None
        if not any(m.kind == "value" and m.start == at + 1 for m in mentions):
            return None
        return set(range(end, at))

    def _whole_of_rows(self, words: Sequence[str]) -> set[int]:
        """Positions of "across the whole" before the model's word for all the rows
        ("average unit cost across the whole catalog", "across our entire range"): over
        every row, which the answer is anyway."""
        found: set[int] = set()
        for i, word in enumerate(words):
            if word != "across":
                continue
            j = i + 1
            while j < len(words) and words[j] in {"the", "our", "whole", "entire"}:
                j += 1
            if j > i + 1 and j < len(words) and words[j] in self.model.filler:
                found |= set(range(i, j))
        return found

    def _check_unknown_values(self, reading: _Reading, mentions: list[_Mention]) -> None:
        """'revenue from Atlantis': a filter the data cannot match is an error, not ignored."""
        covered = {i for m in mentions for i in range(m.start, m.end)}
        words = reading.words
        for i in range(1, len(words)):
            word = words[i]
            if (
                words[i - 1] not in {"in", "from", "via", "at", "through", "for"}
                or i in covered
                or word in STOPWORDS
                or word in _KNOWN_WORDS
                or word in FILLER
                or word in MONTHS
                or word in _NEGATION_WORDS  # "from outside the US": the value comes after
                or word.isdigit()
                or len(word) < 3
            ):
                continue
            known = [
                self.model.dimensions[name].label.lower()
                for name in self._indexed
                if name in self.model.dimensions
            ]
            typed = reading.raw[i] if i < len(reading.raw) else word
            original = re.search(re.escape(typed), reading.question, re.IGNORECASE)
            typed = original.group(0) if original else typed
            raise PlanningError(
                f"I could not find {typed!r} in the data.",
                hint="Filter values must exist in the data"
                + (f" ({', '.join(known[:6])}, ...)" if known else "")
                + "; check the spelling, or ask without that filter.",
            )

    def _measures_sales(self, metric: str) -> bool:
        """Whether ``metric`` counts what is sold ("units sold", "revenue sold"), so that
        "sold" restates it; on other rows ("inventory that has been sold") it is a condition."""
        sold = {
            self.model.metric(name).table
            for name in self.model.reader.get("sell", {}).values()
            if name in self.model.metrics
        }
        return not sold or self.model.metric(metric).table in sold

    @staticmethod
    def _ranked(
        text: str,
        dimensions: Sequence[str],
        order: str,
        limit: int | None,
        claims: list[tuple[int, int]],
    ) -> tuple[str, int | None]:
        """ "Which browser has the highest ...": the order and how many, for answers read
        before the other ranking rules."""
        if not dimensions:
            return order, limit
        if limit is None and order == "auto" and (_MOST.search(text) or _LEAST.search(text)):
            order = _direction(text)
            which = _WHICH.search(text)
            if which is not None and not which.group(2).split()[0].endswith("s"):
                limit = 1
        if order in {"asc", "desc"}:
            for pattern in (_MOST, _LEAST, _ORDERED):
                claims.extend(m.span() for m in pattern.finditer(text))
        return order, limit

    def _funnel_measure(self) -> str:
        measure = self.model.funnel.get("measure")
        if not measure or measure not in self.model.metrics:
            raise PlanningError(
                "This model describes no funnel.",
                hint="Add a [funnel] section (table, session, step, steps, measure) to the "
                "model file.",
            )
        return str(measure)

    def _default_metric(self, unit: str) -> str | None:
        """The measure 'sell' means (the model's ``reader.sell``), else its first of that unit."""
        preferred = self.model.reader.get("sell", {}).get(unit)
        if preferred in self.model.metrics:
            return str(preferred)
        return next(
            (m.name for m in self.model.metrics.values() if m.unit == unit and m.additive), None
        )

    @staticmethod
    def _counted_after_how_many(reading: _Reading, dimensions: list[str]) -> str | None:
        """The dimension right after "how many" / "number of" ("how many different brands")."""
        words = reading.words
        for i in range(len(words) - 1):
            pair = (words[i], words[i + 1])
            if pair not in {("how", "many"), ("number", "of"), ("count", "of")}:
                continue
            j = i + 2
            while j < len(words) and words[j] in {"different", "distinct", "unique", "the"}:
                j += 1
            for name in dimensions:
                if reading.dimension_starts.get(name) == j:
                    return name
        return None

    def _names_counted(self, reading: _Reading, dimension: str) -> str:
        """``":name"`` when the count is of a keyed dimension's names ("how many distinct
        product names"), which repeat, rather than of the things themselves."""
        start = reading.dimension_starts.get(dimension, -1)
        if not self.model.dimensions[dimension].key or start < 0:
            return ""
        return ":name" if {"name", "names"} & set(reading.words[start : start + 3]) else ""

    def _not_understood(self, question: str, reading: _Reading, what: str) -> PlanningError:
        examples = self.suggestions()
        return PlanningError(
            f"I could not work out {what} in {question.strip()[:120]!r}.",
            hint="Questions I can answer look like: " + "; ".join(examples) + ".",
        )

    def repair(self, plan: Plan, sql: str, error: Exception) -> Plan | None:
        """Nothing to try differently: the same question always gives the same plan.

        The engine asks planners to repair SQL that failed; planners that can
        use the error (a language model) return a new plan, this one declines so
        the user gets the error instead of a different question's answer.
        """
        return None

    def suggestions(self, metrics: Sequence[str] = (), dimensions: Sequence[str] = ()) -> list[str]:
        """Up to three questions this planner answers, closest to what was understood."""
        close: list[str] = []
        if self._suggesting:
            return close
        labels = [self.model.metric(m).label.lower() for m in metrics if ":" not in m][:1]
        dims = [self.model.dimensions[d].label.lower() for d in dimensions]
        if labels or dims:
            measure = labels[0] if labels else None
            candidates = []
            if measure and dims:
                candidates.append(f"{measure} by {' and '.join(dims)}")
            if measure:
                candidates += [f"{measure} by month", f"{measure} last year"]
            if dims and not measure:
                candidates += [f"{self._first_label()} by {dims[0]}"]
            self._suggesting = True
            try:
                for candidate in candidates:
                    try:
                        self.plan(candidate)
                    except LGDAError:
                        continue
                    close.append(candidate)
            finally:
                self._suggesting = False
        return (close + [q for q in self._defaults() if q not in close])[:3]

    def _first_label(self) -> str:
        return next(iter(self.model.metrics.values())).label.lower()

    def _defaults(self) -> list[str]:
        """Questions this planner can answer, from the model's own metrics (not those
        that ask which rows count: their bare names are refused)."""
        names = [n for n, m in self.model.metrics.items() if not m.ask_which] or list(
            self.model.metrics
        )
        suggest = self.model.reader.get("suggest", [])
        picks = [n for n in suggest if n in names] or names[:3]
        dims = list(self.model.dimensions)
        preferred = self.model.reader.get("suggest_dimensions", [])
        dim = next((d for d in preferred if d in dims), dims[0] if dims else None)
        out = [f"{self.model.metrics[picks[0]].label.lower()} by month"]
        if dim and len(picks) > 1:
            label = self.model.dimensions[dim].synonyms[1:2] or (dim,)
            out.append(f"top 5 {label[0]} by {self.model.metrics[picks[1]].label.lower()}")
        if len(picks) > 2:
            out.append(f"how many {self.model.metrics[picks[2]].label.lower()} last year")
        return out


def _made_by(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the people named from ``start`` to ``end`` made the rows counted: a verb
    of making follows them ("did customers place"), or they follow "by" after one
    ("orders placed by customers")."""
    if end < len(words) and words[end] in _MADE:
        return True
    return start >= 2 and words[start - 1] == "by" and words[start - 2] in _MADE


#: A request after the question to show both (or each) of the values it set against
#: each other: "? Show both.", "? Show both counts.", "? Give the sessions for each."
_SHOW_BOTH = re.compile(
    r"[?.;:,\u2014-]\s*(?:and\s+)?(?:please\s+)?(?:show|give|list|include)\s+(?:me\s+|us\s+)?"
    r"(?:(?:the\s+)?[a-z]+\s+(?:for|of)\s+)?(?:both|each)\b",
    re.IGNORECASE,
)


def _both_shown(question: str, planned: Plan) -> Plan:
    """ "Chrome vs Safari - which had more sessions in 2025? Show both.": the values set
    against each other are all shown, the most first, not the top one alone."""
    if planned.limit != 1 or not _SHOW_BOTH.search(question):
        return planned
    listed = [
        f
        for f in planned.filters
        if f.dimension in planned.dimensions and not f.negate and f.op == "in" and len(f.values) > 1
    ]
    if not listed:
        return planned
    note = f"every one of {', '.join(map(str, listed[0].values))} shown, as asked"
    return replace(planned, limit=None, notes=(*planned.notes, note))


def _check_both_counts(question: str, planned: Plan) -> None:
    """ "How many signed up via Organic last year, and how many of those bought
    anything": two counts, the second of the first one's rows. Read as one measure with
    no condition or share of those rows, one of the two counts would be left out
    unsaid: refused."""
    if not _OF_THOSE_CHAINED.search(normalize(question)) or len(planned.metrics) != 1:
        return
    if planned.conditions or planned.share or planned.session_rate or planned.funnel:
        return
    raise PlanningError(
        "I cannot answer a second 'how many' about the first one's rows yet ('... and how "
        "many of those ...'): one of the two counts would be left out.",
        hint="Ask one count at a time, e.g. 'users who signed up last year' and then "
        "'users who signed up last year and bought something'.",
    )
