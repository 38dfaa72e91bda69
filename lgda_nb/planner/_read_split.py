"""A breakdown named before the word for a share: "browser share of sessions within each
traffic source", "gender split of users in each country, as percentages".

The breakdown named first is what the shares are of, so the question is read as "share
of sessions within each traffic source by browser": the other group, named with "in
each", "for each" or "within each", is where the shares restart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lgda_nb.planner._text import Rewrites

_SPLIT = re.compile(
    r"\b(?P<before>(?:[a-z][\w'-]*\s+){1,3}?)(?:share|shares|split|mix)\s+of\s+(?P<rest>[^?.;!]*)"
)
_EACH = re.compile(r"\b(?:in|for|across|within)\s+(?:each|every)\b")
_AS_PERCENT = re.compile(r",?\s*\b(?:as|in)\s+(?:a\s+)?(?:percentages?|percents?|%|shares?)\b")


#: "countries by orders", "rank the brands by revenue, lowest first": the groups named
#: before the measure they are ranked by.
_GROUPS_FIRST = re.compile(
    r"^(?:(?:please\s+)?(?:rank|sort|order|list|show(?:\s+me)?|give\s+me)\s+)?"
    r"(?:the\s+|our\s+|all\s+(?:the\s+|our\s+)?)?"
    r"(?P<groups>[a-z]+(?:\s+(?!(?:ranked|sorted|ordered)\b)[a-z]+)?)\s+"
    r"(?:(?:ranked|sorted|ordered)\s+)?by\s+(?:the\s+)?"
    r"(?P<measure>[a-z]+(?:\s+[a-z]+){0,3}?)"
    r"(?=\s*[,;:(?.]|\s+(?:in|for|during|from|since|between|highest|lowest|largest|smallest|"
    r"biggest|most|least|fewest|ascending|descending|among|last|this|excluding|except)\b|\s*$)"
)


def groups_first(
    text: str,
    names_groups: Callable[[Sequence[str]], bool],
    names_measure: Callable[[Sequence[str]], bool],
) -> str:
    """``text`` with groups named before the measure they are ranked by ("countries by
    orders", "rank brands by revenue, lowest first") said the usual way round ("orders
    by countries, lowest first"); unchanged unless the first words name groups (and no
    measure) and the words after "by" a measure."""
    found = _GROUPS_FIRST.match(text)
    if found is None:
        return text
    groups, measure = found["groups"].split(), found["measure"].split()
    if not names_groups(groups) or names_measure(groups) or not names_measure(measure):
        return text
    return f"{found['measure']} by {found['groups']}{text[found.end() :]}"


def dimension_first_share(text: str, names_breakdown: Callable[[Sequence[str]], bool]) -> str:
    """``text`` with a breakdown named before "share of" / "split of" moved after it as
    "by <breakdown>", and the group named with "each" as "within each"; unchanged when
    the words before name no breakdown or no group follows."""
    found = _SPLIT.search(text)
    if found is None:
        return text
    words = found.group("before").split()
    for k in range(len(words)):
        named = words[k:]
        if not names_breakdown(named):
            continue
        rest = found.group("rest")
        if _EACH.search(rest) is None:
            return text
        rest = _AS_PERCENT.sub(" ", _EACH.sub("within each", rest, count=1)).strip()
        lead = " ".join(words[:k])
        start = found.start("before")
        return f"{text[:start]}{lead} share of {rest} by {' '.join(named)}{text[found.end() :]}"
    return text


#: "% of orders cancelled": a participle right after the rows a share is of.
_PARTICIPLE_PART = re.compile(
    r"(?:%|\bpercent|\bpercentage|\bpct|\bshare|\bproportion|\bfraction)\s+of\s+"
    r"(?:all\s+|the\s+|our\s+)?(?P<noun>[a-z]+s)\s+(?P<part>[a-z]+ed)\b"
    # an object after it makes it the rows' own verb ("sessions included a purchase")
    r"(?!\s+(?:a|an|the|any|some|one|no|more|at|something|anything|with|to|up)\b)"
)
#: A breakdown after the part: the shares are within each group.
_GROUPED = re.compile(r"\b(?:by|per|for each|in each|across|within each)\b")
#: Verbs that bring in the part of a share after the rows it is of ("were cancelled").
PART_VERBS = frozenset(
    "were was are is got get gets came come comes ended end ends had have has".split()
)
#: One of them later on ("... placed in 2025 were cancelled").
_LATER_VERB = re.compile(rf"\b(?:{'|'.join(sorted(PART_VERBS))})\b")


def participle_part(text: str) -> str:
    """``text`` with "% of orders cancelled by country" said as "% of orders that were
    cancelled by country": the participle names the part, as the verb does ("what % of
    orders were cancelled, by country" is of each country's orders). Unchanged without a
    breakdown after it, and when a verb follows later, where the participle describes
    the whole ("% of orders placed in 2025 were cancelled")."""
    found = _PARTICIPLE_PART.search(text)
    if found is None or _LATER_VERB.search(text, found.end()):
        return text
    if not _GROUPED.search(text, found.end()):
        return text  # one share: the model's rate reads it ("% of orders returned")
    return f"{text[: found.start('part')]}that were {text[found.start('part') :]}"


#: Two words set against each other, said last: "men vs women", "male or female".
_TWO_VALUES_BEFORE = re.compile(r"\b[a-z]+\s+(?:vs\.?|versus|or)\s+[a-z]+\s*$")
#: A column named in parentheses after the words for it: "by gender (orders.gender)".
_COLUMN_HINT = re.compile(r"\(\s*(?P<table>[a-z_]\w*)\.(?P<column>[a-z_]\w*)\s*\)")


def cut_column_hints(
    text: str, columns: Callable[[str], Sequence[str]], name_of: Callable[[str], str]
) -> tuple[str, list[str]]:
    """Columns named in parentheses ("(orders.gender)") that restate a breakdown, cut out
    with the breakdowns that read them (``columns`` gives those of one ``table.column``).
    Each must then be a breakdown or filter of the answer on that very column. After two
    values set against each other, the name (``name_of``) of the one breakdown that reads
    the column stays in the parentheses: it settles whose values they are ("men vs women
    (orders.gender)" are genders, not departments)."""
    hints: list[str] = []

    def cut(match: re.Match[str]) -> str:
        column = f"{match['table']}.{match['column']}"
        read_by = columns(column)
        if not read_by:
            return match.group(0)  # not a column of the model: left for a refusal
        hints.append(column)
        if len(read_by) == 1 and _TWO_VALUES_BEFORE.search(match.string, 0, match.start()):
            return f" ({name_of(read_by[0])}) "
        return " "

    return _COLUMN_HINT.sub(cut, text), hints


_HOW_MANY_PER = (
    r"how many (?P<x>[a-z][\w'-]*(?: [a-z][\w'-]*)??) (?:(?:are|r|is|do|does|go|get|happen|"
    r"occur|are logged|get logged) )?"
    r"(?:there )?(?P<in>in|into|per|on|for) (?:an?|each|the|one|every) (?P<y>[a-z][\w'-]*)"
)
#: "how many orders does a customer place", "how many items does an order contain".
_HOW_MANY_VERB = (
    r"how many (?P<x>[a-z][\w'-]*(?: [a-z][\w'-]*)??) (?:does|do|did|will) "
    r"(?:an?|each|the|one|every|the average|the typical|a typical) (?P<y>[a-z][\w'-]*) "
    r"(?:typically |usually |normally )?(?:have|has|contain|contains|include|includes|place|"
    r"places|make|makes|get|gets|hold|holds|buy|buys|see|sees|generate|generates|log|logs|"
    r"carry|carries)"
)
#: "how many events does the average website session have": the average said of the one.
_HOW_MANY_OF_AVERAGE = (
    r"how many (?P<x>[a-z][\w'-]*(?: [a-z][\w'-]*)??) (?:does|do|did) "
    r"(?:the average|the typical|an average|a typical) (?P<y>[a-z][\w'-]*(?: [a-z][\w'-]*)??) "
    r"(?:have|contain|include|hold|see|get|generate|log)"
)
#: "in average how many articles has an order": "has" before the one.
_HOW_MANY_HAS = (
    r"how many (?P<x>[a-z][\w'-]*(?: [a-z][\w'-]*)??) (?:has|have) (?:an?|each|one|every) "
    r"(?P<y>[a-z][\w'-]*)"
)
#: "on average how many items are in an order", "how many events per session on average"
#: ("in average", as a French speaker says it).
_AVERAGE_HOW_MANY = (
    re.compile(rf"\b(?:on|in) (?:average|avg),? {_HOW_MANY_PER}\b"),
    re.compile(rf"\b{_HOW_MANY_PER},? on (?:average|avg)\b"),
)
_AVERAGE_HOW_MANY_VERB = (
    re.compile(rf"\b(?:on|in) (?:average|avg),? {_HOW_MANY_VERB}\b"),
    re.compile(rf"\b{_HOW_MANY_VERB},? on (?:average|avg)\b"),
    re.compile(rf"\b{_HOW_MANY_OF_AVERAGE}\b"),
    re.compile(rf"\b(?:on|in) (?:average|avg),? {_HOW_MANY_HAS}\b"),
)


#: "orders by how many items are in them", "... by how many items they have": grouped
#: by the number of those things in each.
_BY_HOW_MANY = re.compile(
    r"\bby how many (?P<x>[a-z]+) (?:are in (?:them|it|each(?: one)?)|"
    r"(?:they|each(?: one)?|it) (?:have|has|contains?|holds?))\b"
    # "by how many items are in the order": the same, the thing named again.
    r"|\bby how many (?P<y>[a-z]+) (?:are|were) in (?:the|an?|each) [a-z]+\b"
)


def average_how_many(text: str) -> str:
    """ "On average how many items are in an order" as "average number of items in an
    order", and "how many events does a session have on average" as "average number of
    events per session", which the reader knows as measures per entity; "by how many
    items are in them" as "by number of items"."""
    for pattern in _AVERAGE_HOW_MANY:
        text = pattern.sub(
            lambda m: (
                f"average number of {m['x']} {'in' if m['in'] == 'into' else m['in']} an {m['y']}"
            ),
            text,
            count=1,
        )
    # "how many orders does a customer place on average": the verb only links them.
    for pattern in _AVERAGE_HOW_MANY_VERB:
        text = pattern.sub(lambda m: f"average number of {m['x']} per {m['y']}", text, count=1)
    return _BY_HOW_MANY.sub(lambda m: f"by number of {m['x'] or m['y']}", text)


#: "split between A and B", "divided between ...": the values a breakdown is split into;
#: not a range of numbers ("split between 10 and 20").
_SPLIT_BETWEEN = re.compile(
    r"\b(?P<verb>split|divided|divide|broken down|broken out|shared|compare|compared)\s+"
    r"between\b(?!\s+(?:\$|-)?\d)"
)


def split_between(text: str) -> str:
    """ "revenue split between first orders and repeat orders": "between" names the values
    the measure is split into, read as "across" (a breakdown kept to those values)."""
    return _SPLIT_BETWEEN.sub(
        lambda m: "compare across" if m["verb"].startswith("compare") else "split across", text
    )


#: "the most common browser across all website events", "3 most frequent categories
#: among items sold": the values with the most rows of the kind named.
_MOST_COMMON = re.compile(
    r"\b(?:the\s+)?(?:(?P<n>\d+)\s+)?most\s+(?:common|frequent)\s+(?P<what>[a-z][\w ]*?)\s+"
    r"(?:among|across|amongst)\s+(?:all\s+(?:the\s+|our\s+)?|our\s+|the\s+)?"
    r"(?=[a-z])(?!\d)"
)


def most_common_as_top(text: str) -> str:
    """ "The most common browser across all website events" as "top 1 browser by website
    events": a ranking of values by the number of rows named after them. Left alone
    without those rows ("the most common category": of products, or of items sold?)."""
    return _MOST_COMMON.sub(lambda m: f"top {m['n'] or 1} {m['what']} by ", text, count=1)


#: "Show the order count for each": "for each" with nothing after it restates the
#: breakdown already named.
_FOR_EACH_END = re.compile(r"\s+for\s+(?:each|every)(?:\s+(?:one|of them))?(?=\s*(?:[?.!;]|$))")


def cut_for_each_end(text: str) -> str:
    """``text`` without a "for each" that ends a sentence ("show the order count for
    each"): each value of the breakdown is shown anyway."""
    return _FOR_EACH_END.sub("", text)


#: "orders with more than 3 items in them": "in them" only points back at the rows.
_IN_THEM = re.compile(r"\s+in\s+(?:them|it)\b(?=\s*(?:[?.,;!]|and\b|$))")
#: "give both totals and the % change": "both" before the figures only counts them.
_BOTH_FIGURES = re.compile(
    r"\bboth\s+(?=(?:the\s+)?(?:totals?|figures?|numbers?|values?|amounts?|periods?)\b)"
)
#: "website session length": a session is a visit to the site anyway.
_WEB_SESSION = re.compile(r"\b(?:website|web|site|online)\s+(?=sessions?\s+(?:length|duration)\b)")
#: "how long is the average session": the average of the thing's length.
_HOW_LONG = re.compile(
    r"\bhow long (?:is|was|are|were) (?:the |an? )?(?P<stat>average|typical|mean|median) "
    r"(?P<thing>[a-z]+(?: (?!in\b)[a-z]+)?)\b"
)


#: "how many days does it take (on average) for an order to ship", "how long does it
#: usually take orders to be delivered after they ship, in days", "how many days, on
#: average, does it take us to ship an order": the average time.
_HOW_LONG_TAKES = re.compile(
    r"\b(?:on\s+average\s*,?\s*)?how\s+(?:many\s+(?P<unit>minutes|hours|days|weeks)|long)"
    r"(?:\s*\(\s*in\s+(?P<unit2>minutes|hours|days|weeks)\s*\))?(?:\s*,?\s*on\s+average\s*,)?"
    r"\s+(?:does|do|did)\s+it\s+(?:usually\s+|typically\s+|normally\s+)?take\s+"
    r"(?:us\s+|you\s+|we\s+)?(?:,?\s*on\s+average\s*,?\s+)?"
    r"(?:for\s+)?(?=[a-z])(?![^.?!]*\bfirst\s+(?:order|purchase))"  # the signup phrase below
)


def _takes(match: re.Match[str]) -> str:
    unit = match["unit"] or match["unit2"]
    if unit is None:
        said = re.search(r"\bin\s+(minutes|hours|days|weeks)\b", match.string[match.end() :])
        unit = said.group(1) if said else "time"
    return f"average {unit} for "


def cut_pointers(text: str) -> str:
    """``text`` without words that only point back at what was named ("in them",
    "both" before the totals), and "how long is the average X" as "average X length"."""
    text = _HOW_LONG_TAKES.sub(_takes, _BOTH_FIGURES.sub("", _IN_THEM.sub("", text)))
    if _HOW_LONG.search(text):
        text = re.sub(r",\s*(in (?:minutes|hours|days|weeks))\b", r" \1", text)
        text = _HOW_LONG.sub(
            lambda m: f"{'average' if m['stat'] == 'typical' else m['stat']} {m['thing']} length",
            text,
        )
    return _WEB_SESSION.sub("", text)


#: Phrasings said the plain way: (pattern, replacement), in order.
_PLAIN = Rewrites(
    (re.compile(pattern), plain)
    for pattern, plain in (
        (r"\baren't\b", "are not"),
        (r"\bisn't\b", "is not"),
        (r"\banything but\b", "other than"),
        (
            r"\s*\b(?:over|in|across|during)\s+(?:their|its|his|her|the)\s+(?:whole\s+)?lifetimes?\b",
            "",
        ),
        (r"\bacross all time\b", "all time"),
        (r"\balongside\b(?!\s+(?:the\s+)?(?:count|number|total)\b)", "with"),
        (r",?\s*\bside by side\b", ""),
        (
            r"\b(?:(?:the|our)\s+)?(?:standard|default|usual)\s+"
            r"(?=(?:age|price)\s+(?:bands?|groups?|brackets?))",
            "the ",
        ),
        # "on average, how many days pass between a customer's orders"
        (
            r"\bon (?:average|avg),?\s+how many (minutes|hours|days|weeks) (?:do(?:es)?\s+)?"
            r"(?:pass|passed|elapse|elapsed|go by|went by|are there)\s+(between|from)\b",
            r"average \1 \2",
        ),
        (
            r"\bhow many (minutes|hours|days|weeks),? on (?:average|avg),?\s+(?:do(?:es)?\s+)?"
            r"(?:pass|passed|elapse|elapsed|go by|went by|are there)\s+(between|from)\b",
            r"average \1 \2",
        ),
        (
            r"\bfrom (?:the )?(most|highest|largest|biggest) to (?:the )?"
            r"(?:fewest|least|lowest|smallest)\b",
            r"\1 first",
        ),
        (
            r"\bfrom (?:the )?(fewest|least|lowest|smallest) to (?:the )?"
            r"(?:most|highest|largest|biggest)\b",
            r"\1 first",
        ),
        (r",?\s*(?:and\s+)?how many (?:\w+\s+)?(?:did|does) each (?:one\s+)?have\b", ""),
        # Emphasis that restates what is read anyway: "never, not even once", "no orders
        # whatsoever", "(at any time)" after never, "as well", "one number please".
        (r",?\s*\bnot even once\b", ""),
        (r"\s*\bwhatsoever\b", ""),
        # "i.e." before a restatement, which is read as said; "looking only at" before
        # the rows kept; "the catalog's mean price" is the mean price.
        (
            r"\b(?:i\.\s?e|e\.\s?g)\b\.?,?(?=\s*(?:excluding|including|not|only|without|"
            r"except|counting|ignoring)\b)",
            " ",
        ),
        (r"\b(?:looking|focusing)\s+(?:only\s+)?(?:at|on)\b", ""),
        (r"\bthe\s+(?:catalog|catalogue|overall|whole)'s\b", "the"),
        # Restatements of what is read anyway: "include the count" beside a count,
        # "brand-new customers", "(default bands)", "(the full Monday-to-Sunday week)",
        # "in %" after a share, "bucketed by", "(25th, 50th, 75th)" after quartiles.
        (
            r",?\s*\b(?:and\s+)?(?:include|including|with|show)\s+the\s+(?:count|number)\b(?=\s*[.?!]?$)",
            "",
        ),
        (r"\bbrand[- ]new\b", "new"),
        # "out of all website sessions, what percent ...": the % of those rows.
        (
            r"^\s*(?:out of|of|among)\s+(?:all\s+)?(?:the\s+|our\s+)?"
            r"(?P<rows>(?:(?!\b(?:who|whose|that|which|where|with|having)\b)[a-z ])+?),"
            r"\s*(?:what|the)\s+"
            r"(?:%|percent(?:age)?|share|proportion|fraction)\s+(?!of\b)",
            r"what % of \g<rows> ",
        ),
        (r"\bended up (?:containing|having|including|with)\b", "had"),
        (
            r",?\s*(?:with|and|plus)\s+the\s+(?:\w+\s+)?counts?\s+(?:behind|underlying|under)\s+"
            r"(?:it|them|that)\b",
            "",
        ),
        (
            r"[.?!;,]?\s*\bcount(?:ing)?\s+each\s+session\s+once\b,?(?:\s+in\s+the\s+"
            r"(?:month|week|day|year|quarter|period)\s+of\s+its\s+first\s+event)?",
            "",
        ),
        (
            r"[.?!;,]?\s*\b(?:please\s+)?(?:break|split)\s+(?:it|this|that|them)\s+(?:down|out|up)\s+"
            r"(?=by\b|per\b)",
            " ",
        ),
        (r"\b(average|avg|mean|median)\s+number\s+of\s+(minutes|hours|days|weeks)\b", r"\1 \2"),
        # "a customer's first-ever order ... and how many were repeats"
        (r"\b(?:an?\s+|the\s+)?(?:customer's|customers'|their|his or her)\s+(?=first\b)", ""),
        (r"\bfirst[- ]ever\s+(?=orders?\b)", "first "),
        (r"(\bfirst\s+orders?\b.*\b)repeats\b", r"\1repeat orders"),
        (r"\b(vs|versus)\s+(?:their|its)\s+", r"\1 "),
        (r"\bover\s+(?=all\s+(?!time\b))", "across "),
        (
            r",?\s*\(?\b(?:using\s+)?(?:the\s+)?(?:default|standard|usual)\s+(?:bands|buckets|"
            r"groups|brackets)\b(?:\s+please)?\)?",
            "",
        ),
        (
            r"\s*\(\s*(?:the\s+)?(?:full|complete|whole)\s+(?:monday\s*(?:to|-|through)\s*sunday\s+)?"
            r"(?:calendar\s+)?week(?:\s+before\s+the\s+current\s+one)?\s*\)",
            "",
        ),
        (
            r"(\b(?:share|percentage|percent|proportion)\b.*?),?\s*\(?\s*\bin\s+%\s*\)?(?=\s*[.?!]?$)",
            r"\1",
        ),
        (r"\b(?:bucketed|banded|binned|bucketed)\s+by\b", "by"),
        # "Retention for the January-October 2025 first-order cohorts: cohort size, ...":
        # a heading naming first-order cohorts, read as the first-order month breakdown.
        (
            r"^\s*(?:(?:monthly|next[- ]month)\s+)?retention(?:\s+check\s*:?|\s*:|\s+for\b|\s+of\b|"
            r"\s+(?=by\s+first[- ]order\b.*:))\s*(?=.*\bfirst[- ]order\b)",
            "",
        ),
        (
            r"^\s*(?:for\s+|of\s+|among\s+)?(?:the\s+|our\s+)?(?P<when>[\w ,-]*?)\s*"
            r"\bfirst[- ]order\s+cohorts?\b(?!\s+months?\b)",
            r"by first order month for \g<when>",
        ),
        # "Date each session by its first event", "(each session counted in the month of
        # its first event)", "placing each session in the hour of its first event": the
        # sessions convention, restated.
        (
            r"[.;,]?\s*\(?\s*(?:(?:date|dating|place|placing|put|putting|count|counting|assign|"
            r"assigning)\s+)?(?:each|every|a)\s+sessions?\s+(?:(?:is\s+)?(?:dated|placed|counted|"
            r"assigned|put)\s+)?(?:once\s*,?\s*)?(?:by|in|to)\s+(?:the\s+(?:month|week|day|hour|year|"
            r"quarter|period|weekday)\s+of\s+)?(?:its|their)\s+first\s+event\s*\)?",
            "",
        ),
        (
            r",?\s*\(?\s*sessions\s+(?:are\s+)?(?:dated|placed|counted)\s+(?:by|in)\s+(?:the\s+\w+\s+of\s+)?"
            r"their\s+first\s+event\s*\)?",
            "",
        ),
        # "each session dated by when it started": its first event, restated
        (
            r"[.;,]?\s*\(?\s*(?:each|every|a)\s+sessions?\s+(?:is\s+)?(?:dated|placed|counted)\s+"
            r"(?:by\s+|at\s+)?(?:when\s+it\s+(?:started|began)|its\s+start(?:ing)?(?:\s+time)?)"
            r"\s*\)?",
            "",
        ),
        # "highest rate first", "highest-earning hour first": the order, restated.
        (
            r"\b(highest|largest|biggest|most|lowest|smallest|least)(?:-(?:earning|selling|grossing"
            r"|spending))?\s+(?:rate|median|average|value|revenue|number|count|share|margin|hour|"
            r"day|month|one|ones)\s+first\b",
            r"\1 first",
        ),
        (r"^\s*rank\s+(?:all\s+|the\s+|our\s+|every\s+)?(?=[a-z]+\s+by\b)", ""),
        # "among delivered orders, % delivered in 5 days or less from order placement",
        # "Delivered orders only: percentage that got to the customer no more than 3 days
        # after the order was placed": the share of those orders, said the plain way.
        (
            r"\b(?:among|of|for|from)\s+(?:the\s+|all\s+)?(?P<rows>(?:delivered|shipped)\s+orders)"
            r"(?:\s+only)?\s*[,:;-]\s*(?:what(?:'s|\s+is)?\s+|the\s+)?"
            r"(?:%|percent(?:age)?|share|fraction|proportion)\s+(?:of\s+them\s+)?(?:that\s+|which\s+)?",
            r"what % of \g<rows> were ",
        ),
        (
            r"^\s*(?P<rows>(?:delivered|shipped)\s+orders)\s+only\s*[,:;-]\s*(?:what(?:'s|\s+is)?\s+|"
            r"the\s+)?(?:%|percent(?:age)?|share|fraction|proportion)\s+(?:of\s+them\s+)?(?:that\s+|which\s+)?",
            r"what % of \g<rows> were ",
        ),
        (
            r"\b(?:were\s+)?(?:got|arrived|reached|made\s+it)\s+(?:to\s+)?(?:the\s+)?(?:customer|buyer)\b",
            "delivered",
        ),
        (
            r"\b(?:no\s+more\s+than|at\s+most|within)\s+(\d+)\s+(days?|hours?)\s+(?:after|from|of)\s+"
            r"(?:the\s+order\s+(?:was\s+)?(?:placed|date)|being\s+placed|(?:order\s+)?placement|"
            r"the\s+order\s+being\s+placed)\b",
            r"within \1 \2 of being placed",
        ),
        (
            r"\bin\s+(\d+)\s+(days?|hours?)\s+or\s+(?:less|fewer)\s+(?:after|from|of)\s+"
            r"(?:the\s+order\s+(?:was\s+)?(?:placed|date)|being\s+placed|(?:order\s+)?placement)\b",
            r"within \1 \2 of being placed",
        ),
        # "..., and how much each?", "and how many signups each?": the measure shown
        # beside each thing anyway.
        (
            r",?\s*\band\s+how\s+(?:much|many)\s+(?:[a-z]+\s+)?(?:each|apiece)"
            r"(?:\s+(?:one\s+)?(?:made|had|got|has|brought\s+in|earned))?\s*(?=[?.!]*\s*$)",
            "",
        ),
        # "show each one's order count": its; "by gender - how many users of each?": the
        # count per group, restated.
        (r"\beach\s+(?:one|1)'s\b", "its"),
        (
            r"(\bby\s+[a-z]+(?:\s+[a-z]+)?)\s*[,;:-]?\s*how\s+many\s+[a-z]+\s+(?:of|in|for)\s+each"
            r"(?:\s+(?:one|1))?\s*(?=[?.!]*\s*$)",
            r"\1",
        ),
        # "the 3 busiest days ever in terms of orders", "the 3 months with the most revenue":
        # periods ranked by a measure.
        (
            r"\b(?:the\s+)?(?:(?:top\s+(\d+)\s+(?:busiest\s+|best\s+|biggest\s+)?)|(?:(\d+)\s+"
            r"(?:busiest|best|biggest)\s+))(day|week|month|quarter|year|hour)s\s+(?:ever\s+)?"
            r"(?:by|in\s+terms\s+of|with\s+the\s+(?:most|highest))\s+",
            r"per \3, top \1\2 \3s by ",
        ),
        (
            r"\bthe\s+(\d+)\s+(day|week|month|quarter|year|hour)s\s+(?:ever\s+)?with\s+the\s+"
            r"(?:most|highest)\s+",
            r"per \2, top \1 \2s by ",
        ),
        # "customers whose lifetime spend tops $1,000", "have a lifetime spend north of
        # $500": who spent over it.
        (
            r"\b(?:whose|with\s+an?|have\s+an?|has\s+an?|having\s+an?)\s+(?:total\s+)?"
            r"(?:lifetime\s+|all[- ]time\s+)?(?:total\s+)?spend\s+(?:is\s+|was\s+)?(?:of\s+)?"
            r"(?:over|above|more\s+than|greater\s+than|exceeding|north\s+of|tops|topping|exceeds)\s+",
            "who spent over ",
        ),
        # "users who signed up via Email in 2024": the channel they came from, and the
        # signup kept for the period after it to date them by.
        (
            r"\b(?:who\s+)?(signed\s+up|registered|joined)\s+(?:via|through)\s+"
            r"([a-z]+(?:\s+(?!in\b|during\b|since\b|last\b|this\b|and\b)[a-z]+)?)"
            r"(?=\s+(?:in|during|since|last|this)\s)",
            r"from \2 who \1",
        ),
        # "users who signed up via Facebook": the channel they came from.
        (r"\b(?:who\s+)?(?:signed\s+up|registered|joined|came\s+in)\s+(?:via|through)\s+", "from "),
        # "On average, how many days after signing up does a user place their first order?",
        # "how long (in days) does it take a user to place their first order after
        # registering?": the average days from signup to first order.
        (
            r"\b(?:on\s+average\s*,?\s*)?how\s+(?:many\s+days|long)(?:\s*\(\s*in\s+days\s*\))?\s+"
            r"(?:after\s+(?:signing\s+up|registering|signup|joining)\s+)?(?:does|do)\s+"
            r"(?:it\s+take\s+)?(?:an?\s+|the\s+(?:average\s+|typical\s+)?)?(?:new\s+)?"
            r"(?:user|customer|person|signup|shopper)s?\s+(?:to\s+)?(?:place|make)\s+"
            r"(?:(?:their|a|his\s+or\s+her)\s+)?(?:very\s+)?first\s+(?:order|purchase)"
            r"(?:\s+after\s+(?:signing\s+up|registering|signup|joining))?(?:\s+on\s+average)?",
            "average days from signup to first order",
        ),
        (
            r"(\bfirst\s+order\b[^()]*?)\s*\(\s*(?:only\s+)?(?:users|customers|people)\s+who\s+"
            r"(?:have\s+)?(?:ordered|placed\s+an\s+order|bought)\s*\)",
            r"\1",
        ),
        # "cart-to-purchase conversion ... - show sessions with a cart, how many of those
        # also purchased, and the rate": the counts a conversion shows beside it anyway.
        (
            r"(\b[a-z]+[- ]to[- ][a-z]+\s+conversion(?:\s+rate)?\b.*?)\s*"
            r"(?:[-\u2013\u2014:;.?,]\s*)?(?:show|give|include|with|plus|and)\s+(?:me\s+)?"
            r"(?:(?:sessions?|counts?|number|the|a|an|with|cart|purchases?|purchased|purchasing|how|"
            r"many|of|those|them|these|also|and|rate|conversion|%|too|that|which|went|on|to|"
            r"converted|converting|both|product|views?|viewed|added|bought)(?:[\s,]+|(?=[.?!]?\s*$)))+"
            r"[.?!]?\s*$",
            r"\1",
        ),
        # "incl. % change": with the change.
        (r"\b(?:including|incl\.?)\s+(?=(?:the\s+)?(?:%|percent|pct)\s*change\b)", "with "),
        # "into $50-wide buckets", "per order-value bucket, $75 wide": a bucket width.
        (r"\b(?:in|into)\s+(\$?\d+(?:\.\d+)?)[- ]wide\s+(bucket|band|bin)s?\b", r"in \1 \2s"),
        # "session length (minutes)", "(in days)": the unit said in a remark.
        (r"\s*\(\s*(?:in\s+)?(minutes|hours|days|weeks)\s*\)", r" in \1"),
        # "by order value ($50 wide buckets)": the width said in a remark.
        (
            r"\s*\(\s*(\$?\d+(?:\.\d+)?)((?:[- ](?:years?|dollars?))?)(?:[- ]wide)?\s+"
            r"(bucket|band|bin)s?\s*\)",
            r" in \1\2 \3s",
        ),
        # "how many customers fall into each $250 band of lifetime spend": the amount after.
        (
            r"\b(?:(?:falls?|fell|lands?|sits?)\s+)?(?:in|into)\s+(?:each|every)\s+"
            r"(\$?\d+(?:\.\d+)?)(?:[- ]wide)?\s+(?:bucket|band|bin)\s+of\s+"
            r"(?P<amount>[a-z]+(?:[- ][a-z]+)?)\b",
            r"by \g<amount> in \1 buckets",
        ),
        (
            r"^\s*(?:please\s+)?group\s+(?=(?:\d{4}\s+)?[a-z]+\s+by\b.*\b(?:buckets|bands|bins|steps)\b)",
            "",
        ),
        (
            r"[.;,]?\s*(?:and\s+)?(?:count|show)\s+(?:the\s+)?[a-z]+\s+in\s+each\s+"
            r"(?:bucket|band|bin)\b",
            "",
        ),
        # "user count by age decade (10s, 20s, 30s ...)": the decades spelled out.
        (r"\s*\(\s*\d0s\s*,\s*\d0s\b[^)]*\)", ""),
        # "fall into each of our standard age bands": the default bands.
        (
            r"\b(?:fall|falls|are)\s+(?:in|into)\s+each\s+of\s+(?:our\s+|the\s+)+"
            r"(?:(?:standard|default|usual)\s+)?([a-z]+)\s+(bands|groups|brackets)\b",
            r"by \1 band",
        ),
        # "what % of all orders ended up cancelled": were.
        (r"\bended\s+up\s+(?=[a-z]+ed\b)", "were "),
        # "shipped 2+ days after": 2 or more days.
        (
            r"\b(\d+)\s*\+\s*(?=(?:days?|hours?|weeks?|minutes?|items?|orders?|products?)\b)",
            r"\1 or more ",
        ),
        # "made purchases in 3 or more separate orders", "bought in 2+ distinct orders".
        (r"\bmade\s+(?:a\s+)?purchases?\s+in\b", "bought in"),
        (
            r"\b(bought|purchased)\s+(?:something\s+|anything\s+)?in\s+(\d+)\s*\+\s*",
            r"\1 in \2 or more ",
        ),
        (
            r"(\b(?:bought|purchased)\s+in\s+(?:\d+\s+or\s+more|more\s+than\s+\w+|at\s+least\s+\w+)"
            r"\s+)(?:separate|distinct|different)\s+(?=orders\b)",
            r"\1",
        ),
        # "customers with at least 3 orders with items bought": who bought in 3 orders.
        (
            r"\b(?:who\s+)?(?:have|has|had|with)\s+((?:at\s+least|more\s+than|fewer\s+than|"
            r"less\s+than|at\s+most|exactly)\s+)?(\d+|one|two|three)(\s+or\s+more)?\s+orders?\s+"
            r"(?:with|containing)\s+(?:an?\s+)?(?:items?|something|anything)\s+(?:bought|sold|purchased)\b",
            r"who bought in \1\2\3 orders",
        ),
        # "customers by how many orders they bought something in: for each number of
        # orders, how many customers?": the number of them, the count restated.
        (r"^\s*(?:please\s+)?break\s+down\s+(?:our\s+|the\s+|all\s+)?", ""),
        (r"\bby\s+how\s+many\s+(?=[a-z]+\s+(?:they|it|each)\b)", "by the number of "),
        (r"\b(they\s+(?:bought|purchased))\s+(?:something|anything)\s+in\b", r"\1 in"),
        (
            r"\s*[:;,.-]\s*for\s+each\s+(?:number|count)\s+of\s+[a-z]+\s*,\s*how\s+many\s+"
            r"[a-z]+(?:\s+(?:have|had)\s+(?:it|that))?\s*(?=[?.!]*\s*$)",
            "",
        ),
        # "Country breakdown, all time: ...": the breakdown named first.
        (r"^\s*(?:an?\s+)?([a-z]+(?:\s+[a-z]+)?)\s+(?:breakdown|split)\s*(?=[,:;-])", r"by \1"),
        # "signups next to the number of orders", "users alongside customers": side by side.
        (
            r",?\s*\b(?:alongside|next\s+to|beside|side\s+by\s+side\s+with)\s+(?=the\b|[a-z])",
            " and ",
        ),
        # "our 10 biggest spenders", "biggest spenders first": customers ranked by spend.
        (r"\b(?:biggest|largest|top|highest)\s+spenders?\s+first\b", "highest spend first"),
        (
            r"\b(?:our\s+|the\s+)?(\d+)\s+(?:biggest|largest|top|highest)[- ]spend(?:ers|ing\s+"
            r"customers)\b",
            r"top \1 customers by spend",
        ),
        (
            r"\b(?:how\s+much|what)\s+(?:they|he\s+or\s+she)(?:'ve|\s+have|\s+each)?\s+"
            r"(?:each\s+)?spent\b",
            "spend",
        ),
        # "bucket customers by lifetime spend in $250 steps (0, 250, 500, ...) and count
        # customers per bucket": the verb, the bucket starts and the count restated.
        (r"^\s*(?:(?:could|can|would)\s+you\s+|please\s+)?(?:bucket|bin|band)\s+", ""),
        (r"\s*\(\s*\$?0\s*,\s*\$?\d+\s*,\s*\$?\d+\s*,?\s*(?:\.\.\.|\u2026|etc\.?)\s*\)", ""),
        (
            r",?\s*\band\s+(?:tell\s+me\s+|show\s+(?:me\s+)?|give\s+(?:me\s+)?)?"
            r"(?:how\s+many|the\s+number\s+of|count(?:\s+the)?)\s+[a-z]+\s+"
            r"(?:(?:land|fall|are|sit)\s+)?(?:in|per)\s+(?:each|every)?\s*(?:bucket|band|bin)\b",
            "",
        ),
        (
            r"[.;,]?\s*\blabel(?:l?ed)?\s+(?:the\s+)?(?:buckets|bands|bins)\s+(?:by|with)\s+"
            r"(?:their|its|the)\s+lower\s+(?:bounds?|edges?|ends?)\b",
            "",
        ),
        # "how many orders fall in each $50 order-value bucket": the amount, then the width.
        (
            r"\b(?:(?:falls?|fell|lands?|sits?)\s+)?(?:in|into)\s+(?:each|every)\s+"
            r"(\$?\d+(?:\.\d+)?)(?:[- ](?:years?|dollars?))?\s+"
            r"(?P<amount>[a-z]+(?:[- ][a-z]+)?)\s+(?:bucket|band|bin)\b",
            r"by \g<amount> in \1 buckets",
        ),
        (r"\b(quartiles\s+of\s+[\w ]+?)\s*\(\s*25th,?\s+50th,?\s+(?:and\s+)?75th\s*\)", r"\1"),
        (r"\s*\(\s*unsold\s*\)", ""),
        (r"\s*\(\s*(?:at any time|ever|of any date)\s*\)", " ever"),
        # "(counting every status)", "(every order status counts)": any status.
        (
            r"\b(?:counting\s+(?:every|all|each)\s+(?:[a-z]+\s+)?status(?:es)?|"
            r"(?:every|all|each)\s+(?:[a-z]+\s+)?status(?:es)?\s+counts?|"
            r"(?:every|all)\s+(?:[a-z]+\s+)?status(?:es)?\s+(?:included|counted))\b",
            "any status",
        ),
        (r"\bas well\b", ""),
        # "orders with a single item", "customers who placed only one order": exactly 1
        # ("single" alone is filler, so "a single item" would otherwise read as "item");
        # "never placed a single order" is none at all.
        (
            r"(?<!never )(?<!not )(?<!n't )(?<!no )"
            r"\b(with|having|has|have|had|contain(?:s|ed|ing)?|consist(?:s|ed|ing)?\s+of|placed|made|"
            r"bought\s+in|ordered)\s+"
            r"(?:a\s+single|(?:only|just)\s+(?:one|1|a\s+single)|exactly\s+one)\s+"
            r"(?!(?:number|figure|total|value)\b)(?=[a-z])",
            r"\1 exactly 1 ",
        ),
        # "the middle (median) sale price": the median, named twice.
        (r"\b(?:the\s+)?middle(?:\s+value)?\s*\(\s*(?:the\s+)?median\s*\)", "the median"),
        # "whose retail price beats the catalog average": above the average.
        (
            r"\b(?:beats?|tops?|exceeds?|outdoes)\s+(?:the\s+)?(?:catalog|overall|store|company)"
            r"(?:[- ]wide)?\s+(?:average|mean)\b",
            "is above the average",
        ),
        # "categories where the average retail price is above $80": whose.
        (
            r"\bwhere\s+(?:the|their|its)\s+(?=(?:[a-z%]+\s+){1,4}(?:is|was|are|were)\s+"
            r"(?:above|over|below|under|more|less|at|greater|higher|lower)\b)",
            "whose ",
        ),
        # "new signups per channel, but skip Organic", "and leave Accessories out": excluding.
        (
            r",?\s*\b(?:but\s+|and\s+)?(?:skip|skipping|omit|omitting|leave\s+out|leaving\s+out|"
            r"with\s+the\s+exception\s+of|without\s+counting)\s+",
            " excluding ",
        ),
        (
            r",?\s*\b(?:but\s+|and\s+)?(?:leave|leaving)\s+([a-z][a-z&' ]*?)\s+out\b",
            r" excluding \1",
        ),
        # "top 3 countries by cancellation rate, minimum 100 orders": a condition.
        (
            r",?\s*\b(?:with\s+(?:a\s+)?)?(?:minimum|min)\.?\s+(?:of\s+)?(?=\d+\s+[a-z])",
            " with at least ",
        ),
        # "(cancelled and returned excluded)", ", China excluded": the values left out.
        (
            r"\(\s*([a-z][a-z&' ]*?)\s+(?:excluded|left\s+out|omitted|not\s+counted)\s*\)",
            r" excluding \1 ",
        ),
        (
            r",\s*([a-z][a-z&' ]*?)\s+(?:excluded|left\s+out|omitted|not\s+counted)\b",
            r" excluding \1",
        ),
        # "how many still have never placed an order": still only restates the time.
        (
            r"\bstill\s+(?=(?:have|has|had)\s+(?:never|not|no|zero)\b|never\b|haven't\b|hasn't\b)",
            "",
        ),
        # "how many of the users who signed up in 2023 have placed an order": 2023 signups,
        # the people a condition after them is about (read as "2023 signups who ...").
        (
            r"\b(?:the\s+)?(?:users|people|customers|members|accounts)\s+who\s+(?:signed\s+up|"
            r"registered|joined)\s+(?:in|during)\s+((?:19|20)\d\d)\b(?=\s*,?\s*(?:how\s+many\s+)?"
            r"(?:have|has|had|who)\s+(?:ever\s+|already\s+)?(?:placed|made|ordered|"
            r"bought|purchased)\b)",
            r"\1 signups",
        ),
        # "top 2 customers by spend in every country (user id + spend)": the columns,
        # listed in parentheses at the end.
        (r"\s*\(\s*([a-z]+\s+id\s*(?:,|\+|&|and)\s*[^()]+?)\s*\)\s*([.?!]*)\s*$", r": \1\2"),
        # "are unsold right now": the present state, which the data holds anyway.
        (r"\s*\b(?:right\s+now|at\s+the\s+moment|as\s+of\s+now|at\s+present)\b", ""),
        # "stock value (cost of everything still unsold)": the value, defined again.
        (
            r"(\bvalue\b[^()]*?)\s*\(\s*(?:the\s+)?(?:total\s+)?cost\s+of\s+(?:everything|all|every\s+item|"
            r"all\s+(?:the\s+)?items|the\s+items|items|inventory)\s+(?:that\s+is\s+|that's\s+|still\s+|"
            r"not\s+yet\s+|yet\s+)*(?:unsold|not\s+(?:yet\s+)?sold)\s*\)",
            r"\1",
        ),
        # "revenue in $": the money it is said in, checked against the measures.
        (r"\bin\s+(?:\$(?!\s*\d)|u\.?s\.?\s+dollars\b)", "in dollars"),
        # "the most unsold stock $": its value in money ("$" with no amount after it).
        (r"(?<=[a-z])\s*(?:\(\s*\$\s*\)|\$)(?!\s*\d)", " value"),
        # "user id + spend": and, between words (not "3+ orders").
        (r"(?<=[a-z])\s+\+\s+(?=[a-z])", " and "),
        # "sessions containing each event type": with each.
        (r"\b(?:containing|that\s+contain(?:ed)?)\s+(?=each\b)", "with "),
        # "best month in terms of revenue": by it.
        (r"\bin\s+terms\s+of\b", "by"),
        # "running total ..., separately for each gender": for each.
        (r"\bseparately\s+(?=for\s+each\b|per\b|by\b)", ""),
        # "users who have not a single order": none.
        (r"\b(have|has|had)\s+not\s+(?:a\s+single|one|1|any)\s+(?=[a-z])", r"\1 no "),
        # "bought something in 2023 but then bought nothing": but.
        (r"\bbut\s+then\b", "but"),
        # "... in $200-wide buckets and count them": the count asked already.
        (r"\s+and\s+count\s+them\s*(?=[.?!]*\s*$)", ""),
        # "users in each of our age bands": each of them.
        (r"\beach\s+of\s+our\s+", "each of the "),
        # "for every quarter of 2024 and 2025": each period of them.
        (r"\bfor\s+every\s+(day|week|month|quarter|year)\s+of\b", r"for each \1 of"),
        # "what fraction (%) of sessions": a share, in %.
        (r"\bwhat\s+fraction\b(?:\s*\(\s*(?:in\s+|as\s+an?\s+)?(?:%|percent|pct)\s*\))?", "what %"),
        # "the 4 most recent full weeks": the last 4 complete ones (the partial one left out).
        (
            r"\b(?:the\s+)?(\d+)\s+most\s+recent\s+(?:full|complete|completed|whole)\s+"
            r"(?:calendar\s+)?(days|weeks|months|quarters|years)\b",
            r"the last \1 complete \2",
        ),
        # "full months (not the current partial one)": complete ones, said again.
        (
            r"(\b(?:complete|full|completed|whole)\b[^()]*?)\s*\(\s*(?:not|excluding|leaving\s+out|"
            r"without)\s+(?:the\s+)?(?:current\s+)?(?:partial|incomplete|unfinished|ongoing)\s*"
            r"(?:one|1|day|week|month|quarter|year)?\s*\)",
            r"\1",
        ),
        # "2025 vs 2024 full years", "full year 2024": a year named is whole anyway.
        (
            r"\b((?:19|20)\d\d)\s*,?\s*(?:both\s+)?(?:full|whole|complete|entire)\s+"
            r"(?:calendar\s+)?(?:years?|yrs?)\b",
            r"\1",
        ),
        (
            r"\b(?:the\s+)?(?:full|whole|complete|entire)\s+(?:calendar\s+)?(?:year|yr)\s+"
            r"(?=(?:19|20)\d\d\b)",
            "",
        ),
        # "Mon-Sun weeks": the weeks' own start, restated.
        (r"\bmon(?:day)?\s*(?:-|\u2013|to)\s*sun(?:day)?\s+(?=weeks?\b)", ""),
        # "the prior 30-day stretch": the 30 days before.
        (
            r"\b(?:the\s+)?(?:prior|previous|preceding)\s+(\d+)[- ]days?\s+"
            r"(?:period|stretch|window|span|block)\b",
            r"the \1 days before",
        ),
        # "along with the running total", "together with": with.
        (r"\b(?:along|together)\s+with\b", "with"),
        # "highest-earning hour first": the highest first (money is what earns).
        (r"\b(highest|lowest|top|bottom)[- ](?:earning|grossing)\s+[a-z]+\s+first\b", r"\1 first"),
        (r"[,.;:]?\s*\b(?:just\s+)?(?:one|1|a single) (?:number|figure|total|value)\b", ""),
    )
)


def plain_phrases(text: str) -> str:
    """``text`` with phrasings said the plain way: "aren't" as "are not", "anything but"
    as "other than", "over their lifetime" dropped (all time is the default), "how many
    orders did each have" dropped after a breakdown that shows them."""
    return _PLAIN(text)


#: "(orders of any status)": which rows, restated in parentheses; "any status" says it.
_ROWS_OF_ANY = re.compile(
    r"\(\s*(?!counting\b)[a-z]+(?:\s+[a-z]+)?\s+(?:of|in|with)\s+(any\s+[a-z]+)\s*\)",
    re.IGNORECASE,
)


#: "(every order status counts)", "(counting all statuses)": any status, restated.
_EVERY_STATUS = re.compile(
    r"\(\s*(?:counting\s+(?:every|all|each)\s+(?:[a-z]+\s+)?status(?:es)?|"
    r"(?:every|all|each)\s+(?:[a-z]+\s+)?status(?:es)?\s+(?:counts?|included|counted))\s*\)",
    re.IGNORECASE,
)
#: "(all time, any signup date)": the rows of any date.
_ANY_DATE = re.compile(
    r"\s*\(\s*(?:(?:all[- ]time|ever)\s*,\s*)?(?:any|every)\s+(?:[a-z]+\s+)?date"
    r"(?:\s*,\s*(?:all[- ]time|ever))?\s*\)",
    re.IGNORECASE,
)


def rows_of_any(text: str) -> str:
    """``text`` with "(orders of any status)" or "(every order status counts)" as "(any
    status)" and "(all time, any signup date)" as "ever": the parentheses only restate
    which rows the measure is of."""
    text = _EVERY_STATUS.sub("(any status)", _ROWS_OF_ANY.sub(r"(\1)", text))
    return _ANY_DATE.sub(" ever", text)
