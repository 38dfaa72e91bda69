"""Question text: normalisation, numbers in words, tokens, time and ranking phrases."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "couple": 2, "a couple of": 2,
}  # fmt: skip
MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip

#: Words before a dimension that ask for every one of its values ("regardless of
#: status", "across all statuses", "any status"), longest first within each group.
EVERY_VALUE_LEADS = (
    r"regardless of|irrespective of|no matter (?:the|what)|across all|"
    r"whatever (?:the|their|its)|"
    r"including all|in all|of all|for all|with any|of any|in any|all|any"
)

#: A count said as what a measure rests on: "(the number of delivered orders) it rests on",
#: "(the number of shipped orders) behind each figure". The reader drops the words; the
#: planner reads them as asking for the count of the rows the measure is taken over.
RESTS_ON = r"(?:it|they|that|this)\s+(?:rests?|is\s+based|are\s+based|relies|rely)\s+on\b"
BEHIND_EACH = (
    r"(?:behind|underlying)\s+(?:each|every|the|that)\s+(?:figure|number|average|value|"
    r"percentage|rate|row)s?\b"
)

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DASH = re.compile(rf"\b({_MONTH_WORDS})\.?((?:\s+20\d\d)?)\s*-\s*({_MONTH_WORDS})\b")
#: "Q1 vs Q2 2025", "March vs April 2025": the year said once is each period's (when no
#: other year is said: "each month of 2025 (Jan compared with Dec 2024)" is not).
_SHARED_YEAR = re.compile(
    rf"\b(?P<first>q[1-4]|{_MONTH_WORDS})\.?\s+(?P<link>vs\.?|versus|against|compared (?:with|to))"
    rf"\s+(?P<second>q[1-4]|{_MONTH_WORDS})\.?\s+(?P<year>20\d\d)\b"
)
_YEAR = re.compile(r"\b20\d\d\b")
#: "2023, 2024 and 2025": three or more years listed.
_YEAR_LIST = re.compile(r"\b20\d\d(?:\s*,\s*20\d\d)+\s*,?\s*(?:and|&)\s+20\d\d\b")
_BY_YEAR = re.compile(r"\b(?:per|by|each|every) year\b|\byearly\b|\bannual")
#: A row per year (month) asked in so many words; "annual revenue 2024 vs 2025" is the
#: comparison, its two values side by side.
_EACH_YEAR = re.compile(r"\b(?:per|by|each|every) year\b")
_EACH_MONTH = re.compile(r"\b(?:per|by|each|every) month\b")
_LINK = r"(?:vs\.?|versus|against|compared (?:with|to))"
_LINKED = re.compile(rf"\b{_LINK}\s")
#: "2024 vs 2025": two years set against each other.
_YEARS_AGAINST = re.compile(rf"\b(?P<a>20\d\d)\s+{_LINK}\s+(?P<b>20\d\d)\b")
#: "march 2025 vs april 2025" (the year said once is each month's by then).
_MONTHS_AGAINST = re.compile(
    rf"\b(?P<a>(?P<am>{_MONTH_WORDS})\.?\s+(?P<ay>20\d\d))\s+{_LINK}\s+"
    rf"(?P<b>(?P<bm>{_MONTH_WORDS})\.?\s+(?P<by>20\d\d))\b"
)
#: "one row per year", "a row for each center", "one row a week": a breakdown asked for
#: (of a series, the series restated).
_ROW_PER = re.compile(
    r"\b(?:(?:with|in|as)\s+)?(?:1|one|a|an|a single)\s+row\s+"
    r"(?:per|for each|for every|by|a(?=\s+(?:day|week|month|quarter|year)\b))\s+"
)
#: "2023-2025": a range of years, not two numbers.
_YEAR_DASH = re.compile(r"\b(20\d\d)\s*-\s*(20\d\d)\b")
#: "aged 18-24", "ages 25-34": a range of ages, both included.
_AGED_DASH = re.compile(r"\b(aged?|ages)\s+(\d{1,3})\s*-\s*(\d{1,3})\b(?!\s*-)")
STOPWORDS = frozenset(
    (
        "a an the of in on for to from by per and or with what which who whose how many much "
        "is are was were be been do does did show me give list tell get find pull i we our us my "
        "you your their there this that these those it its as at into over under each all "
        "every total number count amount value overall please can could would should want "
        "know see display break down broken split across compare compared versus vs than "
        "between during within since until up so far most least more less highest lowest top "
        "bottom best worst biggest largest smallest have has had make made generate "
        "generated bring brought along broken out did does ranked rank ranking sorted sort "
        "order ordered group grouped where when while just only about around roughly "
        "approximately also then any some volume level levels breakdown figures numbers "
        "stats statistics data metrics kpi kpis report summary overview sum"
    ).split()
)
_SPACES = re.compile(r"\s+")
TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?%?|%")


_DASHES = re.compile(r"[\u2010-\u2015]")
_ARROWS = re.compile(r"\s*(?:-+>|=+>|[\u2192\u27f6\u2794\u279d\u21d2])\s*")
_ARROW_ENDS = (">", "\u2192", "\u27f6", "\u2794", "\u279d", "\u21d2")
_THOUSANDS = re.compile(r"(\d),(\d{3})")
#: (word, its pattern, its digits), longest word first ("a dozen" before "dozen").
_NUMBER_PATTERNS = [
    (word, re.compile(rf"\b{word}\b"), str(NUMBER_WORDS[word]))
    for word in sorted(NUMBER_WORDS, key=len, reverse=True)
]
#: Numbers said aloud (``spoken_numbers``): units, teens and tens, and their ordinals.
_UNITS = dict(
    zip("one two three four five six seven eight nine".split(), range(1, 10), strict=True)
)
_TEENS = dict(
    zip(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(),
        range(10, 20),
        strict=True,
    )
)
_TENS = dict(
    zip(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(),
        range(20, 100, 10),
        strict=True,
    )
)
_UNIT_ORDINALS = dict(
    zip(
        "first second third fourth fifth sixth seventh eighth ninth".split(),
        range(1, 10),
        strict=True,
    )
)
_TEEN_ORDINALS = {f"{word}th": n for word, n in _TEENS.items() if n > 12} | {
    "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_TENS_ORDINALS = {f"{word[:-1]}ieth": n for word, n in _TENS.items()}
_SPOKEN = re.compile(
    r"\b(?:(?:"
    + "|".join(
        sorted(
            [*_UNITS, *_TEENS, *_TENS, *_UNIT_ORDINALS, *_TEEN_ORDINALS, *_TENS_ORDINALS],
            key=len,
            reverse=True,
        )
    )
    + r"|hundred|thousand)\b(?:[\s-]+(?:and\s+)?(?=[a-z]))?)+"
)
#: A statistic's name as said before what it is of ("std dev", "avg", "90th percentile").
_STAT_SAID = (
    r"(?:std\s*dev|stddev|standard\s+deviation|average|avg|mean|median|variance|minimum|"
    r"maximum|min|max|\d+(?:st|nd|rd|th)\s+percentile|p\d{2})"
)
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
_HALF_OR_QUARTER = re.compile(r"\b(q\s+(?=(?:one|two|three|four)\b)|h\s+(?=(?:one|two)\b))([a-z]+)")
#: Words that start a number said aloud in more than one word, or a tens ordinal.
_SPOKEN_NEEDLES = re.compile(
    r"(?:ty|teen|ten|eleven|twelve|hundred|thousand|tieth|first|second|third|th)[\s-]+[a-z]|tieth\b|"
    r"\b(?:forty|seventy|eighty)\b|\b[qh]\s+(?:one|two|three|four)\b|"
    r"\b(?:sixteen|seventeen|eighteen|nineteen|thousand)\b"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_WORDS})\.?\s+(?:the\s+)?$")
_SPANS = re.compile(r"\b(\d+)-(day|week|month|year)s?\b")
_ONE_SPAN = re.compile(
    r"\b(than|within|least|most|over|under|up to)\s+an?\s+(minute|hour|day|week|month|year)\b"
)
_THOUSAND = re.compile(r"\b(\d+(?:\.\d+)?)k\b")
_MILLION = re.compile(r"\b(\d+(?:\.\d+)?)(?:m|mm)\b")
_PERCENT_AFTER_WORD = re.compile(r"(?<=[a-z])%")


_CLAUSE_DASH = re.compile(r"\s+-+\s+(?=[a-z])")
#: A hurried opening that asks nothing: "quick one -", "quick question:".
_QUICK_ONE = re.compile(
    r"^(?:quick\s+(?:one|question|q)(?:\s+for\s+(?:a|the|my|our)\s+[a-z]+)?\s*[-:,\u2013\u2014]\s*"
    # "sorry if this is obvious, but ...", "I think this is right but: ..."
    r"|(?:sorry|apologies)(?:\s+if\s+this\s+is\s+(?:an?\s+)?(?:obvious|basic|silly|dumb|naive)"
    r"(?:\s+(?:one|question))?)?\s*[,.!:\u2013\u2014-]*\s*(?:but\b\s*)?"
    r"|i\s+think\s+(?:this|it|that)\s+(?:is|'s)\s+(?:right|correct|simple|easy|obvious)\s*,?"
    r"\s*but\s*[:,\u2013\u2014-]?\s*)"
)


def normalize(text: str) -> str:
    """Lower-case, unify quotes and dashes, spell numbers as digits, squeeze spaces.

    A pure function of the text, remembered for the last few hundred texts of question
    size: a question is normalized by the engine (its plan's key) and again by the
    reader."""
    return _remembered(text) if len(text) <= _REMEMBERED_CHARS else _normalized(text)


#: ", i.e. items per order" outside a remark: what it says, as a remark.
_MEANING = re.compile(r"\s*[-,]\s*(?:[a-z]+\s+)?meaning\s+(?=\S)")
_IE = re.compile(r",?\s*\bi\.?\s?e\.?,?\s+(?P<said>[^()?!;]+?)\s*(?=\?|!|;|\.\s|\.$|$)")


def _values_spread(found: re.Match[str]) -> str:
    """ "2025 order values in $50 buckets": the distribution of the values."""
    before = found.string[: found.start()]
    if re.search(r"\b(?:by|per|distribution|histogram|spread)\b", before):
        return found.group(0)
    return f"distribution of {found.group(1)}"


def _came_back(found: re.Match[str]) -> str:
    """ "how many (items) came back" said after returns: the returned ones (read as the
    rows named before them, ``ONES_NAMED``)."""
    if "return" not in found.string[: found.start()]:
        return found.group(0)
    return f"the returned {found['rows'] or 'ones'}"


def _ie_as_remark(text: str) -> str:
    """ "average basket size, i.e. items per order?": "average basket size (items per
    order)?", read as any remark is; one inside a remark is left to it ("AUR (average unit
    retail, i.e. revenue per item sold)"). "- meaning ..." is said so too, and ", ASP
    meaning ..." (the term said again before it)."""
    if "meaning" in text:  # "revenue per customer - meaning revenue divided by ..."
        text = _MEANING.sub(", i.e. ", text)
    if "i.e" not in text and "ie " not in text:
        return text

    def said(found: re.Match[str]) -> str:
        before = text[: found.start()]
        if before.count("(") != before.count(")"):
            return found.group(0)
        return f" ({found['said']})"

    return _IE.sub(said, text)


#: Texts longer than this are not remembered (a question is refused past 2,000).
_REMEMBERED_CHARS = 4096


@functools.lru_cache(maxsize=512)
def _remembered(text: str) -> str:
    return _normalized(text)


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = _ie_as_remark(_QUICK_ONE.sub("", text.lower()))  # "quick one - orders last week?"
    # Each pattern below runs only where the text it needs is (a precheck, same result).
    text = _DASHES.sub("-", text)
    if any(arrow in text for arrow in _ARROW_ENDS):
        # "home -> cart -> purchase", "cart → purchase": a step to the next one.
        text = _ARROWS.sub(" to ", text)
    if "," in text:
        text = _THOUSANDS.sub(r"\1\2", text)
    text = spoken_numbers(text)  # "twenty twenty five", "two hundred and fifty"
    for word, pattern, number in _NUMBER_PATTERNS:
        if word in text:
            text = pattern.sub(number, text)
    if "-" in text:
        text = _SPANS.sub(r"\1 \2s", text)
    if " a" in text:
        text = _ONE_SPAN.sub(r"\1 1 \2", text)  # "more than a week": one week
    if "k" in text:
        text = _THOUSAND.sub(lambda m: _scaled(m[1], 1_000), text)
    if "m" in text:
        text = _MILLION.sub(lambda m: _scaled(m[1], 1_000_000), text)
    if "%" in text:
        text = _PERCENT_AFTER_WORD.sub(" %", text)  # "margin%" is "margin %"
    digits = _DIGIT.search(text) is not None  # the shorthand keeps digits, adds none
    for pattern, plain, needles, numeric in _SHORTHAND:
        # A pattern runs only where its literal text is (a precheck, same result).
        if (digits or not numeric) and any(needle in text for needle in needles):
            text = pattern.sub(plain, text)
    text = _years_listed(_year_shared(text))
    text = _periods_as_series(text)
    if "-" in text:
        # "jan-mar 2025", "mar 2024 - feb 2025": a range of months, not two words.
        text = _MONTH_DASH.sub(r"\1\2 to \3", text)
        text = _YEAR_DASH.sub(r"\1 to \2", text)
        text = _AGED_DASH.sub(r"\1 \2 to \3", text)
        # "top 5 customers by spend - user id and spend": a dash between words parts the
        # question as a colon would (a list after it is read as one).
        text = _CLAUSE_DASH.sub(" : ", text)
    text = text.replace("e-mail", "email").replace("-", " ")
    return _SPACES.sub(" ", text).strip()


def recased(text: str, question: str) -> str:
    """``text``, a part of ``question`` normalized, with the words capitalized in the
    question capitalized again: "US" names the country only as written ("us" is the
    speaker)."""
    for word in set(re.findall(r"\b[A-Z][\w'&]*", question)):
        text = re.sub(rf"\b{re.escape(word.lower())}\b", word, text)
    return text


def spoken_numbers(text: str) -> str:
    """Numbers said aloud as digits: "twenty twenty five" (a year), "two hundred and fifty",
    "sixty five", "twenty fifth" and "ninetieth" (25th, 90th), "november twenty fourth"
    and "december first" (a day of the month), "q four" and "h one". A single word of
    the older list ("five", "twenty") is left to it; "first" or "second" on their own
    stay words ("first orders")."""
    if not _SPOKEN_NEEDLES.search(text):
        return text
    if "a hundred" in text or "a thousand" in text:  # "more than a hundred items"
        text = re.sub(r"\ba\s+(?=(?:hundred|thousand)\b)", "one ", text)

    def spoken(match: re.Match[str]) -> str:
        said = match[0]
        words = [w for w in re.split(r"[\s-]+", said) if w]
        trail = said[len(said.rstrip(" -")) :]
        if words and words[-1] == "and":
            words, trail = words[:-1], f" and{trail}"
        after_month = _MONTH_BEFORE.search(text, 0, match.start()) is not None
        return " ".join(_said_numbers(words, after_month=after_month)) + trail

    text = _SPOKEN.sub(spoken, text)
    if "q " in text or "h " in text:  # "q four", "h one"
        text = _HALF_OR_QUARTER.sub(lambda m: f"{m[1][0]}{_UNITS.get(m[2], m[2])}", text)
    return text


def _said_numbers(words: list[str], *, after_month: bool) -> list[str]:
    """The pieces of a run of number words, each number as digits where said in more
    than one word, as a year, as a tens ordinal or as a day after a month."""
    out: list[str] = []
    at = 0
    while at < len(words):
        word = words[at]
        if word == "and":
            out.append(word)
            at += 1
            continue
        year = _year_said(words, at)
        if year is not None:
            out.append(str(year))
            at += (
                3
                if words[at + 1] in _TENS and at + 2 < len(words) and words[at + 2] in _UNITS
                else 2
            )
            continue
        value, used, ordinal = _number_said(words, at)
        if used == 0:
            out.append(word)
            at += 1
            continue
        piece = " ".join(words[at : at + used])
        if ordinal and (after_month and not out):
            piece = str(value)  # "december first", "november twenty fourth"
        elif ordinal and value >= 20:
            last = value % 10 if value % 100 not in (11, 12, 13) else 0
            piece = f"{value}{_SUFFIX.get(last, 'th')}"  # "twenty fifth", "ninetieth"
        elif not ordinal and (used > 1 or word not in NUMBER_WORDS):
            piece = str(value)  # "sixty five", "two hundred and fifty", "forty"
        out.append(piece)
        at += used
    return out


def _year_said(words: list[str], at: int) -> int | None:
    """The year "twenty twenty five" or "nineteen ninety nine" starting at ``at``."""
    century = {"twenty": 2000, "nineteen": 1900}.get(words[at])
    if century is None or at + 1 >= len(words):
        return None
    second = words[at + 1]
    if second in _TEENS:
        return century + _TEENS[second]
    if second not in _TENS:
        return None
    unit = words[at + 2] if at + 2 < len(words) else ""
    return century + _TENS[second] + _UNITS.get(unit, 0)


def _number_said(words: list[str], at: int) -> tuple[int, int, bool]:
    """The number said by the words from ``at``: its value, how many words say it, and
    whether it is an ordinal (which ends it)."""
    total = current = 0
    used = 0
    last = ""
    for word in words[at:]:
        if word == "and" and last in ("hundred", "thousand"):
            used += 1
            last = word
            continue
        tens_open = last in _TENS or last in ("hundred", "thousand", "and", "")
        if word in _UNITS and (current % 10 == 0) and (last in _TENS or current % 100 == 0):
            current += _UNITS[word]
        elif word in _UNIT_ORDINALS and current % 10 == 0 and tens_open:
            return total + current + _UNIT_ORDINALS[word], used + 1, True
        elif word in _TEENS and current % 100 == 0:
            current += _TEENS[word]
        elif word in _TEEN_ORDINALS and current % 100 == 0:
            return total + current + _TEEN_ORDINALS[word], used + 1, True
        elif word in _TENS and current % 100 == 0:
            current += _TENS[word]
        elif word in _TENS_ORDINALS and current % 100 == 0:
            return total + current + _TENS_ORDINALS[word], used + 1, True
        elif word == "hundred" and current % 100 == current:
            current = max(current, 1) * 100
        elif word == "thousand" and total == 0:
            total, current = max(current, 1) * 1000, 0
        else:
            break
        used += 1
        last = word
    if last == "and":
        used -= 1
    return total + current, used, False


def _year_shared(text: str) -> str:
    """ "Q1 vs Q2 2025" as "q1 2025 vs q2 2025", when no other year is said."""
    if " v" not in text and " against " not in text and " compared " not in text:
        return text
    shared = _SHARED_YEAR.search(text)
    if shared is None or set(_YEAR.findall(text)) != {shared["year"]}:
        return text
    return _SHARED_YEAR.sub(r"\g<first> \g<year> \g<link> \g<second> \g<year>", text)


def _periods_as_series(text: str) -> str:
    """ "revenue 2024 vs 2025, per year", "March vs April 2025, orders in each month": two
    periods set against each other beside a series of their own grain are the series over
    them ("2024 and 2025", "march 2025 to april 2025"). Months are a range only when one
    follows the other; other pairs are left as said. "One row per year" is "per year"."""
    if "row" in text:
        text = _ROW_PER.sub("per ", text)
    if not _LINKED.search(text):
        return text
    if _EACH_YEAR.search(text):
        text = _YEARS_AGAINST.sub(r"\g<a> and \g<b>", text)
    if _EACH_MONTH.search(text):

        def ranged(match: re.Match[str]) -> str:
            a = int(match["ay"]) * 12 + MONTHS[match["am"]]
            b = int(match["by"]) * 12 + MONTHS[match["bm"]]
            if abs(a - b) != 1:
                return match[0]
            first, last = (match["a"], match["b"]) if a < b else (match["b"], match["a"])
            return f"{first} to {last}"

        text = _MONTHS_AGAINST.sub(ranged, text)
    return text


def _years_listed(text: str) -> str:
    """ "signups per year for 2023, 2024 and 2025": three or more years in a row listed
    beside a yearly series are the years from the first to the last. Left as said when
    no series by year is asked (each year's total, or one total over them?)."""
    if "," not in text or not _BY_YEAR.search(text):
        return text

    def spanned(match: re.Match[str]) -> str:
        years = [int(y) for y in _YEAR.findall(match[0])]
        if years != list(range(years[0], years[0] + len(years))):
            return match[0]
        return f"{years[0]} to {years[-1]}"

    return _YEAR_LIST.sub(spanned, text)


def _scaled(number: str, factor: int) -> str:
    value = float(number) * factor
    return str(int(value)) if value.is_integer() else str(value)


def _split_of(match: re.Match[str]) -> str:
    """ "gender split of users" -> "split of users by gender", "status breakdown of orders"
    -> "orders by status"; left as said beside "each"/"within", which reads it whole."""
    if re.search(r"\b(?:each|every|within|per)\b", match.string):
        return match.group(0)
    what, kind, of = match[1], match[2], match[3]
    return f"split of {of} by {what}" if kind == "split" else f"{of} by {what}"


def _month_numbered(match: re.Match[str]) -> str:
    """ "03/2025" -> "march 2025": a month said by its number and its year."""
    name = next(name for name, index in MONTHS.items() if index == int(match["month"]))
    return f"{name} {match['year']}"


#: How many periods of each kind a longer one holds: "show all seven" weekdays.
_PERIODS_IN_ALL = {"seven": "weekday", "7": "weekday", "twelve": "month", "12": "month",
                   "four": "quarter", "4": "quarter", "24": "hour"}  # fmt: skip


def _all_periods(match: re.Match[str]) -> str:
    """ "Which weekdays had the most revenue? Show all seven": every weekday, when the
    question names that period; else the words as they were."""
    period = _PERIODS_IN_ALL[match["n"]]
    named = re.search(rf"\b{period}s?\b", match.string[: match.start()])
    return f"{match['verb']} every {period}" if named else match.group(0)


def _each_brought(match: re.Match[str]) -> str:
    """ "what revenue did each bring in": the verb without "each", which names the rows
    anyway; "what % does each bring in" is left whole, a share asked again."""
    before = match.string[: match.start()]
    share = re.search(r"(?:%|\bpercent(?:age)?|\bshare|\bportion|\bpart)\s*$", before)
    return match.group(0) if share else f"{match[1]} "


#: Days of the retail calendar known by name ("Black Friday", "Cyber Monday").
_NAMED_DAY = (
    r"(?:black\s+friday|cyber\s+monday|small\s+business\s+saturday|thanksgiving(?:\s+day)?|"
    r"christmas(?:\s+eve|\s+day)?|boxing\s+day|new\s+year'?s?(?:\s+eve|\s+day)?|"
    r"valentine'?s?\s+day|prime\s+day|singles'?\s+day|labou?r\s+day|memorial\s+day|easter)"
)
_MONTH_DAY = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?!\d)"
#: The dates a named day stands for: "Nov 24 to Nov 30", "Dec 1, 2025", "Nov 28 - 30".
_DATES_SAID = (
    _MONTH_DAY
    + r"(?:\s*(?:to|through|-|until)\s*(?:"
    + _MONTH_DAY
    + r"|\d{1,2}(?!\d)))?(?:,?\s*(?:19|20)\d\d)?"
)


def _months_joined(match: re.Match[str]) -> str:
    """ "November and December 2024": the two months one after the other, as one range
    ("November to December 2024"); two apart, or in a question that sets them against
    each other or asks for each, they are left as said."""
    first, second = MONTHS[match["a"][:3]], MONTHS[match["b"][:3]]
    if second != first + 1 or _SET_AGAINST.search(match.string):
        return match[0]
    return f"{match['a']} to {match['b']} {match['year']}"


_SET_AGAINST = re.compile(r"\b(?:compar\w*|vs\.?|versus|against|each|every|per|by|both)\b|%")


def _counted_one_two(match: re.Match[str]) -> str:
    """ "how many orders had 1 item, how many had 2, and so on": the orders by their number
    of items; "how many customers bought in exactly 1 order, how many in 2 orders, ...":
    the customers by the number of orders they bought in."""
    things, verb, counted = match["things"], match["verb"], match["counted"].removesuffix("s")
    own = "" if verb in {"had", "have", "contained", "contain"} else f" they {verb}"
    return f"{things} by number of {counted}s{own}"


def _week_dated(match: re.Match[str]) -> str:
    """ "the week starting Monday, Dec 1 2025": that day to six days after it; "the week of
    Dec 3, 2025": the Monday-Sunday week that holds the day (weeks start on Monday)."""
    import datetime as dt

    try:
        day = dt.date(int(match["year"]), MONTHS[match["month"][:3]], int(match["day"]))
    except ValueError:
        return match.group(0)  # no such day: left to be refused
    if match["how"] == "of":
        day -= dt.timedelta(days=day.weekday())
    end = day + dt.timedelta(days=6)
    names = {index: name for name, index in reversed(MONTHS.items())}  # the full names
    said = [f"{names[d.month]} {d.day} {d.year}" for d in (day, end)]
    return f" from {said[0]} to {said[1]}"


def _named_day_dated(match: re.Match[str]) -> str:
    """ "during Black Friday week 2025 (Nov 24 to Nov 30)", "on Cyber Monday 2025 (Dec 1)",
    or said with no brackets ("black friday week 2025 november 24 to november 30"): the
    dates the name stands for, with the name's year when they have none."""
    before = match.string[: match.start()]
    if match["bare"] and re.search(r"\b(?:to|and|through|until)\s*$", before):
        return match[0]  # "from Black Friday to Cyber Monday, Nov 28 to Dec 1": both named
    dates, year = (match["dates"] or match["bare"]).strip(), match["year"]
    if year and not re.search(r"\b(?:19|20)\d\d\b", dates):
        dates = f"{dates} {year}"
    lead = "from" if re.search(r"\b(?:to|through|until|-)\b|-", dates) else "on"
    return f" {lead} {dates}"


_PAST = {"buy": "bought", "purchase": "purchased", "order": "ordered"}
#: "first to last event": what a session's length is from and to.
_FIRST_TO_LAST = (
    r"(?:from\s+)?(?:the\s+)?first\s+to\s+(?:the\s+)?last\s+(?:event|hit|page\s*view)s?"
)


#: Words of a change between two periods: "from q2 to q3" is then the two compared.
_CHANGE_WORDS = re.compile(
    r"\b(?:increase[sd]?|decrease[sd]?|growth|gr[eo]w|grown|change[sd]?|difference|drop(?:ped)?|"
    r"decline[sd]?|rise|rose|fell|fall|jump(?:ed)?|gain(?:ed)?|shift(?:ed)?|went|moved?|vs)\b"
)
_MONTH_SHORT = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _quarters_as_months(match: re.Match[str]) -> str:
    """ "q1 2024 to q4 2025", "between q2 and q3 2025": the months the quarters span,
    "from jan 2024 to dec 2025", "from apr to sep 2025"."""
    if _CHANGE_WORDS.search(match.string):  # "the biggest increase from q2 to q3 2025"
        return match.group(0)
    first, last, year = int(match["first"]), int(match["last"]), match["year"]
    start = _MONTH_SHORT[3 * first - 3] + (f" {match['from_year']}" if match["from_year"] else "")
    return f"from {start} to {_MONTH_SHORT[3 * last - 1]} {year}"


#: Buyers said before a remark that says again who they are.
_BOUGHT_SAID = re.compile(r"\bwho\s+(?:have\s+|has\s+)?(?:ever\s+)?(?:bought|ordered|purchased)\b")


def _buyers_restated(match: re.Match[str]) -> str:
    """ "users who bought at least 1 item (anyone who's bought at least 1 item)": the
    remark says again who the buyers are; any other remark stays."""
    said = _BOUGHT_SAID.search(match.string[: match.start()])
    return "" if said is not None else match.group(0)


def _stepped(match: re.Match[str]) -> str:
    """ "home > product > cart" -> "home to product to cart": each step to the next."""
    return re.sub(r"\s*>\s*", " to ", match.group(0))


def _orders_bought_in(match: re.Match[str]) -> str:
    """ "customers with more than one order, counting orders with items bought": the
    customers who bought in more than one order (the remark says which orders count)."""
    return f"{match['who']} who bought in {match['n']} orders{match['between']}"


def _in_funnel(plain: str) -> Callable[[re.Match[str]], str]:
    """A rule that applies only in a question about the funnel, where what it matches
    restates what the funnel shows (each step's sessions, its % of the step before)."""

    def rule(match: re.Match[str]) -> str:
        return match.expand(plain) if "funnel" in match.string else match[0]

    return rule


def _by_number_of(match: re.Match[str]) -> str:
    """ "how many orders had one item, two items, and so on" as "orders by number of
    items"; left as said after the distribution's own name ("basket size distribution:
    how many orders have 1 item, 2 items, etc"), which reads it already."""
    if "distribution" in match.string[: match.start()]:
        return match.group(0)
    return f"how many {match[1]} by number of {match[2]}s"


def _spaced(match: re.Match[str]) -> str:
    return match[0].replace("_", " ")


#: "timestamp of the very first order", "the very last signup": the date of the first
#: or last row (a row's date is its own time).
TIME_OF_RANKED_ROW = re.compile(
    r"\b(?:(?:timestamp|datetime|date\s+and\s+time|date)\s+of\s+)?the\s+very\s+"
    r"(?=(?:first|last|latest|earliest)\b)"
    r"|\b(?:timestamp|datetime|date\s+and\s+time)\s+of\s+the\s+"
    r"(?=(?:first|last|latest|earliest)\b)",
    re.IGNORECASE,
)


def time_of_ranked_row(said: str) -> str:
    """What ``TIME_OF_RANKED_ROW`` matched, said plainly: "the " after "the very", else
    "date of the "."""
    return "the " if said.lower().startswith("the") else "date of the "


#: Words of another period than all time.
_OTHER_PERIOD = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:last|this|past|previous|since|ytd|mtd|qtd|l\d+d|today|"
    r"yesterday|q[1-4]|h[12])\b"
)


def _all_time_said(match: re.Match[str]) -> str:
    """ "An all-time item return rate": the article alone when the question names no
    other period; as it is otherwise (read, or refused, with the period)."""
    return match.group(0) if _OTHER_PERIOD.search(match.string) else f"{match.group(1)} "


#: A period's word for a series by it ("each year's revenue": yearly revenue).
SERIES_WORDS = {
    "year": "yearly", "month": "monthly", "quarter": "quarterly", "week": "weekly", "day": "daily"
}  # fmt: skip

_GRAINS = r"(?P<grain>day|week|month|quarter|year)"
#: After "by days" or "by years": a number of them ("by days to ship", "by years of age").
_NOT_A_NUMBER_OF = r"(?!\s+(?:to|of|from|between|since|in|old)\b)"

#: Everyday analyst shorthand, spelled out before reading (any dataset's questions use
#: these; a dataset's own abbreviations are synonyms in its model file).
#: Each with the texts one of which it needs to match, and whether it needs a digit.
_Word = str | Callable[[re.Match[str]], str]


def _until_now(match: re.Match[str]) -> str:
    """ "until now" after a period said with "from" ("from March 2025 until today"): from
    then on; "until now" or "to date" alone: nothing more (left as said)."""
    before = match.string[: match.start()]
    if re.search(r"\bfrom\s+(?:[a-z]+\.?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}\s*$", before):
        return "onwards"
    return match[0] if match[0].endswith("date") else ""


def _enumerated(match: re.Match[str]) -> str:
    """ "zero days one day two days and so on" as heard, with the commas: "0 days, 1 day,
    2 days and so on"."""
    said = re.sub(r"^zero\b", "0", match[0])
    return re.sub(r"\s+(?=\d+\s+[a-z]+\b(?!\s+so\b))", ", ", said)


#: "the most", "the largest number of", ...: the highest count of something per row.
_MOST_OF = (
    r"\b(?:the\s+)?(?:most|largest\s+number\s+of|highest\s+number\s+of|biggest\s+number\s+of|"
    r"max(?:imum)?\s+number\s+of)"
)
#: "the number of order items, the returned ones and the rate", "the number of all items
#: and of the sold ones": "ones" are the nearest rows named before (a shorthand rule, and
#: applied to the figures a remark asks for, which are read from the question as written).
ONES_NAMED = (
    r"\b(?P<noun>(?:order\s+|inventory\s+)?(?:items|orders|units|sessions|products|users|"
    r"customers|lines))\b(?P<mid>(?:(?!\b(?:items|orders|units|sessions|products|users|"
    r"customers|lines)\b)[^.?!;])*?)\b(?:the\s+)?(?P<part>returned|cancelled|shipped|delivered|"
    r"completed|sold|unsold|processing|abandoned)\s+ones\b",
    r"\g<noun>\g<mid>the \g<part> \g<noun>",
)
#: A statistic said in a list joined by slashes ("p25/p50/p90", "min / max").
_SLASHED_STAT = (
    r"(?:min|max|minimum|maximum|avg|average|mean|median|p\d{1,2}|\d{1,2}(?:st|nd|rd|th)|stddev)"
)
_SHORTHAND_RULES: tuple[tuple[str, _Word, tuple[str, ...]], ...] = (
    # "between 1 January and 31 March 2025": a day said before its month, as the month
    # first (never a count: "top 5 january orders")
    (
        rf"(?<!top )(?<!first )(?<!last )(?<!bottom )\b([12]?[0-9]|3[01])(?:st|nd|rd|th)?\s+"
        rf"({_MONTH_WORDS})\b(?!\s*-)",  # "the 10th of December": read as said, below
        r"\2 \1",
        tuple(sorted({m[:3] for m in MONTHS})),
    ),
    # a stock planner's notes: "inv units", "qty"
    (r"\binv\b", "inventory", ("inv",)),
    (r"\bqty\b", "count", ("qty",)),
    # "units not sold yet": the unsold ones
    (r"\b(units|items)\s+not\s+(?:yet\s+)?sold(?:\s+yet)?\b", r"unsold \1", ("not ",)),
    # "over the course of 2024": in 2024
    (r"\b(?:over|during)\s+the\s+course\s+of\s+(?=\d{4}\b)", "in ", ("course",)),
    # "for the quarterly review", "for our weekly business review": what the answer is for,
    # not a series by quarter or week
    (
        r",?\s*\b(?:for|in|ahead\s+of)\s+(?:the|our|my|a|this|next)\s+(?:daily|weekly|monthly|"
        r"quarterly|annual|yearly)\s+(?:business\s+)?(?:review|report|recap|deck|pack|meeting|"
        r"update|summary|board\s+pack|board\s+deck|close|call|sync|check-?in)\b",
        " ",
        ("ly ",),
    ),
    # "units in our inventory that haven't been sold yet", "the stock we still haven't
    # sold": the unsold ones
    (
        r"\b(units|items|stock)\b((?:\s+in\s+(?:our\s+|the\s+)?(?:inventory|stock|warehouses?))?)"
        r"\s+(?:that\s+|which\s+)?(?:still\s+)?(?:haven't|have\s+not|hasn't|has\s+not|"
        r"aren't|are(?:\s+still)?\s+not|isn't|is(?:\s+still)?\s+not|weren't|were\s+not)\s+"
        r"(?:yet\s+)?(?:been\s+)?sold(?:\s+yet)?\b",
        r"unsold \1",
        ("n't", " not "),
    ),
    # "in stock (received but not yet sold)", "in stock, i.e. not sold yet": what being in
    # stock means, said again
    (
        r"\b(in\s+stock|on\s+hand|unsold(?:\s+(?:inventory\s+)?(?:units|items|stock))?)"
        r"((?:\s+(?:right\s+now|at\s+the\s+moment|currently|now|today))?)"
        r"\s*\(\s*(?:received\s+(?:but|and)\s+|still\s+)?not\s+(?:yet\s+)?sold(?:\s+yet)?\s*\)",
        r"\1\2",
        ("not ",),
    ),
    (
        r"\b(stock|inventory|units|items)\s+(?:that\s+)?we\s+(?:still\s+)?(?:haven't|have\s+not)\s+"
        r"(?:yet\s+)?sold(?:\s+yet)?\b",
        r"unsold \1",
        ("n't", " not "),
    ),
    # "how much did the unsold stock cost us", "what did our entire inventory cost in
    # total": what the stock cost
    (
        r"\b(?:how\s+much|what)\s+(?:did|has|have)\s+(?:all\s+)?(?:the\s+|our\s+)?"
        r"(?:entire\s+|whole\s+)?((?:unsold\s+)?(?:stock|inventory(?:\s+units|\s+items)?|units))"
        r"(?:\s+(?:that\s+)?we(?:'ve|\s+have)?\s+(?:ever\s+)?(?:received|bought|stocked))?"
        r"\s+cost(?:\s+us)?(?:\s+in\s+total)?",
        r"what is the total cost of the \1",
        (" cost",),
    ),
    # "the average cost of products by category", "the average cost and the average
    # retail price across the products": the products' own cost, averaged over them
    (
        r"\b(average|avg|mean|median)\s+cost\s+of\s+(?:the\s+|our\s+|all\s+)?products\b"
        r"|\b(average|avg|mean|median)\s+cost\b(?=[^?.;]*\b(?:across|among|over)\s+"
        r"(?:the\s+|our\s+|all\s+)?products\b)",
        lambda m: f"{m[1] or m[2]} product cost",
        (" cost",),
    ),
    # "the value at cost of everything still unsold in inventory": the unsold stock's
    # value (stock is valued at cost)
    (
        r"\b(?:the\s+)?value\s+at\s+cost\s+of\s+(?:everything|all\s+(?:the\s+|our\s+)?"
        r"(?:stock|inventory|units|items))\s+(?:that'?s\s+|that\s+is\s+|we\s+have\s+)?"
        r"(?:still\s+|currently\s+)?unsold(?:\s+in\s+(?:inventory|stock))?\b",
        "the value of unsold stock",
        (" cost",),
    ),
    # "each quarter vs the one before": each period with its change from the one before
    (
        r",?\s*(?:for\s+)?each\s+(month|quarter|year|week|day)\s+(?:vs\.?|versus|compared\s+"
        r"(?:with|to)|against)\s+the\s+(?:one|1|\1|previous\s+\1)\s+before(?:\s+it)?\b",
        r" by \1 with growth",
        ("before",),
    ),
    # "bucketed in $250 steps", "in $250 increments": buckets of that width
    (
        r"\b(?:bucketed\s+|grouped\s+|banded\s+)?in\s+(\$?\d+(?:\.\d+)?)\s+(?:steps|increments|"
        r"bands|bins)\b",
        r"in \1 buckets",
        ("steps", "increments", "bands", "bins"),
    ),
    # "(weekday names are fine, no need to sort)": any order will do
    (
        r"\s*\(?\s*(?:[a-z]+\s+names\s+are\s+(?:fine|ok|okay)\s*,?\s*)?no\s+need\s+to\s+"
        r"(?:sort|order|rank)(?:\s+(?:it|them))?\s*\)?",
        "",
        ("no need",),
    ),
    # "events by event_type - row counts": the rows counted, as the measure says
    (r"\s*[-,:]\s*(?:the\s+)?(?:row\s+counts?|counts?\s+of\s+rows)\s*(?=[?.!]*\s*$)", "", ("row",)),
    # "..., with their country and age please": the words, not a column named "please"
    (r"[,\s]+please\s*(?=[?.!]*\s*$)", "", ("please",)),
    # A funnel's own columns asked again: "sessions at each step and each step's % of the
    # step before, steps in order", "I'd like the sessions at the start and at the end as
    # well"; "2025 events" dates the funnel's events
    (
        r"\s*[:,]?\s*(?:with\s+)?(?:the\s+)?sessions\s+at\s+each\s+step(?:\s*,?\s*(?:and\s+)?each\s+"
        r"step'?s\s+%\s+of\s+the\s+(?:step|one)\s+before)?(?:\s*,?\s*(?:and\s+)?steps\s+in\s+order)?",
        _in_funnel(""),
        ("each step",),
    ),
    (
        r"(?<=[?.])\s*(?:i'?d\s+like|please\s+show|show\s+me|show|and)\s+the\s+sessions\s+at\s+the\s+"
        r"start\s+and\s+(?:at\s+)?the\s+end(?:\s+as\s+well|\s+too)?\s*[.!]?",
        _in_funnel(""),
        ("at the start",),
    ),
    (r",\s*(\d{4})\s+events\b", _in_funnel(r", \1"), (" events",)),
    # "(not counting cancelled or returned ones, I think that's the rule)": excluding them
    (
        r"\s*\(\s*(?:not\s+counting|excluding|except(?:\s+for)?|without)\s+(?:the\s+)?(cancelled"
        r"\s+(?:or|and|&)\s+returned)(?:\s+(?:ones|items|orders))?\s*(?:,\s*(?:i\s+think\s+)?"
        r"(?:that'?s|that\s+is)\s+the\s+(?:rule|convention))?\s*\)",
        r", excluding \1 ones",
        ("returned",),
    ),
    # "(every item counts, any status)", "(count every item)": items of any status; said
    # as a sentence of its own ("? Every item counts, whatever its status.") too
    (
        r"\(\s*(?:(?:every|all|each)\s+items?\s+counts?|counts?\s+(?:every|all|each)\s+items?)"
        r"(?:\s*,\s*(?:of\s+)?any\s+status)?\s*\)",
        "(items of any status)",
        ("count",),
    ),
    (
        r"\s*(?<=[.?!;])\s*(?:every|all|each)\s+items?\s+counts?\s*,?\s*(?:whatever|regardless\s+of|"
        r"no\s+matter)\s+(?:its|their|the)\s+status\s*[.!]?",
        " (items of any status)",
        ("count",),
    ),
    # "? Count every status.", ". Include all statuses": of any status, not by status
    (
        r"(?<=[.?;,])\s*(?:please\s+)?(?:count|include)\s+(?:every|each|all|any)\s+"
        r"(?:(?:order|item)\s+)?status(?:es)?\b",
        " regardless of status",
        ("status",),
    ),
    # "(counting every order regardless of status)": orders of any status
    (
        r"\(?\s*counting\s+(?:every|all|each)\s+(order|item)s?\s+(?:regardless\s+of\s+(?:its\s+|"
        r"their\s+)?status|of\s+any\s+status|whatever\s+(?:its|their)\s+status)\s*\)?",
        r"(\1s of any status)",
        ("counting",),
    ),
    # "customers with more than one order, counting orders with items bought": the
    # customers who bought in more than one order; "... have bought in more than one
    # order? only counting orders where they actually bought something" says it again
    (
        r"\b(?P<who>customers|buyers|users|people)\s+(?:who\s+(?:have|had)\s+|with\s+)"
        r"(?P<n>more\s+than\s+(?:one|1)|at\s+least\s+(?:two|2)|(?:two|2)\s+or\s+more)\s+orders?\b"
        r"(?P<between>[^?]*?)[,.?]?\s*(?:all\s+time\s*,\s*)?(?:only\s+)?counting\s+(?:only\s+)?"
        r"orders\s+(?:with\s+(?:items|something)\s+bought|(?:where|in\s+which)\s+they\s+"
        r"(?:actually\s+)?bought\s+(?:something|anything))",
        _orders_bought_in,
        ("counting",),
    ),
    (
        r"(?<=\bbought\sin\s)(?P<said>[^?]*?)[,.?]?\s*(?P<time>all\s+time\s*,\s*)?(?:only\s+)?"
        r"counting\s+(?:only\s+)?orders\s+(?:with\s+(?:items|something)\s+bought|(?:where|in\s+"
        r"which)\s+they\s+(?:actually\s+)?bought\s+(?:something|anything))",
        r"\g<said> \g<time>",
        ("counting",),
    ),
    # "...? product id, name and units sold please": the columns to show, as after a colon
    (
        r"\?\s+((?:[a-z]+\s+)?(?:id|name)\b[a-z ,&]*?)\s*,?\s+please\s*[.!]?\s*$",
        r": \1",
        ("please",),
    ),
    # "which 5 products sold the most units": the products ranked, not "products sold"
    (
        r"\b((?:which|what)\s+(?:\d+\s+)?[a-z]+)\s+sold\s+(?=the\s+(?:most|fewest|least|"
        r"highest|lowest)\b)",
        r"\1 have sold ",
        (" sold the ",),
    ),
    # "average age of our customers", "median customer age", "the quartiles of the age of
    # the clients": of the users who bought
    (
        r"\b((?:average|avg|mean|median)\s+age|age\s+quartiles|quartiles\s+of\s+(?:the\s+)?age)\s+"
        r"of\s+(?:all\s+)?(?:our\s+|the\s+)?(?:customers|buyers|clients|shoppers)\b",
        r"\1 of users who bought at least 1 item",
        ("age of", "age quartiles of"),
    ),
    (
        r"\b(average|avg|mean|median)\s+(?:customer|buyer)\s+age\b",
        r"\1 age of users who bought at least 1 item",
        (" age",),
    ),
    # "how many units were added to our inventory": inventory units added
    (
        r"\b(units|items)\s+(were|was|got|have\s+been|had\s+been)\s+(added|received|stocked)\s+"
        r"(?:to|into|in)\s+(?:our\s+|the\s+)?(?:inventory|stock|warehouses?)\b",
        r"inventory \1 \2 \3",
        (" to ", " into ", " in "),
    ),
    # "inventory units (including ones already sold)": sold or not
    (
        r"\bincluding\s+(?:the\s+)?ones\s+(?:that\s+)?(?:have\s+)?(?:already\s+)?(?:been\s+)?"
        r"sold\b",
        "sold or not",
        ("including",),
    ),
    # "all inventory units ever received": every unit
    (r"\b(units|items|inventory)\s+ever\s+(?:received|stocked|added)\b", r"\1", ("ever ",)),
    # "zero days one day two days and so on": the commas one hears
    (
        r"\b(?:zero|\d+)\s+[a-z]+(?:\s+\d+\s+[a-z]+)+\s+(?:and\s+so\s+on|etc)\b",
        _enumerated,
        ("so on", "etc"),
    ),
    # "how many orders have 1 item, how many have 2, and so on", "how many orders had one
    # item, two items, and so on": by their number of items
    # "for 2025 orders, how many had 1 item, 2 items, ...": how many of those had
    (
        r"\b(?:for|of|among|across)\s+(?:the\s+|our\s+|all\s+)?"
        r"((?:[a-z0-9]+\s+){0,2}?(?:orders|customers|users))\s*,?\s*how\s+many\s+"
        r"(?=(?:have|has|had|contain|contained|bought\s+in|placed|made)\s+"
        r"(?:just\s+|only\s+|exactly\s+)?1\s+[a-z]+\s*,)",
        r"how many \1 ",
        ("how many",),
    ),
    (
        r"\bhow\s+many\s+((?:(?!of\b)[a-z0-9]+\s+)?[a-z]+)\s+(?:have|has|had|contain|contained|with)\s+"
        r"(?:just\s+|only\s+)?"
        r"1\s+([a-z]+?)s?\s*,\s*(?:how\s+many\s+(?:have|has|had|contain|contained|with)\s+)?"
        r"2(?:\s+\2s)?(?:\s*,\s*3(?:\s+\2s)?)?(?:\s*,)?\s*(?:and\s+so\s+(?:on|forth)|etc\.?|\.\.\.)",
        _by_number_of,
        ("how many",),
    ),
    # "how many customers bought in 1 order, 2 orders, 3 and so on": by the number of
    # orders they bought in
    (
        r"\bhow\s+many\s+(?P<things>(?:[a-z]+\s+)?(?:customers|custs|users))\s+"
        r"(?P<verb>bought\s+in|placed|made)\s+"
        r"(?:exactly\s+|only\s+|just\s+)?1\s+(?P<counted>orders?)\s*,\s*2(?:\s+orders)?"
        r"(?:\s*,\s*3(?:\s+orders)?)?(?:\s*,)?\s*(?:and\s+so\s+(?:on|forth)|etc\.?|\.\.\.)",
        _counted_one_two,
        ("how many",),
    ),
    # "how many orders have each number of items": orders by their number of items
    (
        r"\b(?:have|has|had|contain|contains|contained|with)\s+(?:each|every)\s+"
        r"(?=number\s+of\s+[a-z]+)",
        "by ",
        ("number of",),
    ),
    # "orders at each number of items (value)": by their number of items
    (
        r"\b(?:at|for|in)\s+(?:each|every)\s+(number\s+of\s+[a-z]+)(?:\s+values?)?\b",
        r"by \1",
        ("number of",),
    ),
    # "by month for 2025 (month order)": in month order
    (
        r"\(\s*((?:month|date|year|week|quarter|day|calendar|time)\s+order)\s*\)",
        r"in \1",
        (" order)",),
    ),
    # "per month in 2025, month order": in month order
    (
        r"([,.?!])\s*(?=(?:month|date|year|week|quarter|day|calendar|time)\s+order"
        r"(?:\s*,?\s*please)?\s*(?:[.?!]|$))",
        r"\1 in ",
        (" order",),
    ),
    # "which weekday saw the most orders": had the most
    (
        r"\bsaw\s+(?=the\s+(?:most|fewest|least|highest|lowest|biggest|largest|smallest|"
        r"best|worst)\b)",
        "had ",
        ("saw ",),
    ),
    # "timestamp of the very first order": the date of the first order (its own time)
    (TIME_OF_RANKED_ROW.pattern, lambda m: time_of_ranked_row(m.group(0)), ("time", "very ")),
    # "(every unit, sold or not)", ", counting every unit, sold or not": both ways of the
    # moment say it; "every unit" says no more
    (
        r"(?<=[,(])\s*(?:counting\s+|including\s+)?(?:every|each|all)\s+(?:the\s+)?"
        r"(?:unit|item|row|record)s?\s*,?\s*(?=[a-z]+\s+(?:or\s+not|and\s+un))",
        " ",
        ("every ", "each ", "all "),
    ),
    # "above the overall item return rate (all time)": all time, said after the question
    (r"\s*\(\s*(?:over\s+)?all[- ]time\s*\)", ", all time", ("time)",)),
    # "an all-time item return rate above 11%": all time is what a question with no
    # other period is read over anyway
    (r"\b(an?|the)\s+all[- ]time\s+(?=[a-z])", _all_time_said, ("all-time", "all time")),
    # "the value at cost of our unsold stock": of the unsold stock
    (r"\b((?:value|cost|worth)\s+(?:at\s+cost\s+)?of)\s+our\s+", r"\1 ", (" our ",)),
    # "our stock value right now, all DCs combined": every one of them, added up
    (r",?\s*\b(?:across\s+)?all\s+[a-z]+\s+combined\b", "", (" combined",)),
    # "orders worth more than $200 in order value": worth more than $200
    (
        r"\bworth\s+((?:more|less|fewer)\s+than|over|under|at\s+least|at\s+most)\s+"
        r"(\$?\s*\d[\d,.]*k?)\s+in\s+(?:order\s+value|revenue|sales)\b",
        r"worth \1 \2",
        ("worth ",),
    ),
    # "median order-to-delivery days": days from order to delivery
    (
        r"\b([a-z]+)-to-([a-z]+)\s+(days|hours|minutes|weeks)\b",
        r"\3 from \1 to \2",
        ("-to-",),
    ),
    # "still in Processing at the end of the data": statuses are as of the data's end
    (r"\s*\b(?:at|by|as\s+of)\s+the\s+end\s+of\s+the\s+data(?:set)?\b", "", ("end of",)),
    # "show each year's revenue and its % change": yearly revenue, when the question opens
    # so ("each month's share of the year" is a share of the year's own total)
    (
        r"^(\s*(?:(?:show|list|give\s+me|pull)\s+)?)(?:each|every)\s+"
        r"(year|month|quarter|week|day)'s\s+(?!share\b|part\b|portion\b|%)",
        lambda m: f"{m.group(1)}{SERIES_WORDS[m.group(2)]} ",
        ("'s ",),
    ),
    # "its % change on the year before": from the previous year
    (
        r"\b(change|growth)\s+(?:on|from|over|vs\.?|versus|against|compared\s+(?:to|with))\s+"
        r"the\s+(year|month|quarter|week|day)\s+before\b",
        r"\1 vs the previous \2",
        (" before",),
    ),
    (r"\b(change|growth)\s+on\s+the\s+previous\b", r"\1 vs the previous", (" on the",)),
    # "the last complete calendar month": the last full month
    (
        r"\b(last|previous|most\s+recent)\s+(?:complete|completed|full|whole)\s+calendar\s+"
        r"(?=(?:month|quarter|year|week)\b)",
        r"\1 full ",
        ("calendar ",),
    ),
    # "net of cancelled and returned items", "excluding returns and cancellations", "with
    # cancellations and returns excluded": the rows of those statuses left out, said as
    # the filter is read ("revenue excluding cancelled and returned"), not as the
    # measures "returned items" and "cancellations"
    (
        r"\b(?:excluding|excl\.?|net\s+of|less|not\s+counting|ignoring|without)\s+"
        r"(?:the\s+|any\s+|all\s+)?(?:cancell?ed|cancell?ations|cancels)\s+(?:and|&|or)\s+"
        r"(?:returned|returns)(?:\s+(?:order\s+)?(?:items|lines|line\s+items|units|orders|ones))?\b",
        "excluding cancelled and returned",
        ("cancel",),
    ),
    (
        r"\b(?:excluding|excl\.?|net\s+of|less|not\s+counting|ignoring|without)\s+"
        r"(?:the\s+|any\s+|all\s+)?(?:returned|returns)\s+(?:and|&|or)\s+"
        r"(?:cancell?ed|cancell?ations|cancels)(?:\s+(?:order\s+)?(?:items|lines|line\s+items|"
        r"units|orders|ones))?\b",
        "excluding cancelled and returned",
        ("cancel",),
    ),
    (
        r"\b(?:with\s+)?(?:the\s+)?(?:cancell?ations|cancell?ed(?:\s+(?:items|lines|orders))?)"
        r"\s+(?:and|&)\s+(?:returns|returned(?:\s+(?:items|lines|orders))?)\s+"
        r"(?:excluded|removed|taken\s+out|stripped\s+out|left\s+out)\b",
        "excluding cancelled and returned",
        ("cancel",),
    ),
    # "Items which were cancelled or returned do not count.": left out
    (
        r"\b(?:items|orders|lines|order\s+items)\s+(?:which|that)\s+(?:were|are|got)\s+"
        r"(?:cancell?ed\s+(?:or|and)\s+returned|returned\s+(?:or|and)\s+cancell?ed)\s+"
        r"(?:do\s+not|don't|does\s+not|doesn't|shall\s+not|should\s+not)\s+count\b",
        "excluding cancelled and returned",
        ("count",),
    ),
    # "net of returns": the returned rows left out
    (
        r"\b(?:net\s+of|excluding|not\s+counting)\s+(?:the\s+|any\s+)?"
        r"(?:returns|returned\s+(?:items|lines|units|orders))\b",
        "excluding returned",
        ("return",),
    ),
    # "DAU", "WAU", "MAU": daily, weekly and monthly active users
    (r"\bdau\b", "daily active users", ("dau",)),
    (r"\bwau\b", "weekly active users", ("wau",)),
    (r"\bmau\b", "monthly active users", ("mau",)),
    # "(DAU = distinct signed-in users with any event that day)": what active users are
    # anyway, said again; any other definition is left to be read (and refused)
    (
        r"\s*\(\s*(?:daily|weekly|monthly)\s+active\s+users\s*(?:=|:|means|is|are)\s*"
        r"(?:distinct|unique)?\s*(?:signed[- ]in\s+|logged[- ]in\s+)?users\s+(?:with|who\s+had|"
        r"having)\s+(?:any|an|at\s+least\s+1|1\s+or\s+more)\s+events?(?:\s+(?:that|in\s+the|"
        r"each|per|a|in\s+that|on\s+that)\s+(?:day|week|month))?\s*\)",
        "",
        ("active users",),
    ),
    # "in the Jeans category, both departments combined": every department, as said
    (r"\bboth\s+([a-z]+s)\s+(?:combined|together)\b", r"all \1", ("both ",)),
    # "How are our registered users distributed (spread) across the standard age bands?":
    # by them
    (
        r"\bhow\s+(?:are|is)\s+(?:our\s+|the\s+|all\s+)?(.+?)\s+(?:distributed|split|spread"
        r"(?:\s+out)?)\s+(?:across|over|among|between)\s+(?:the\s+)?(?:standard\s+|default\s+|"
        r"usual\s+)?",
        r"\1 by ",
        ("distributed", "split", "spread"),
    ),
    # "avg user age across everyone who's signed up": every user
    (
        r"\s+(?:across|over|among|for)\s+(?:everyone|everybody)\s+(?:who(?:'s|\s+has|\s+have)?\s+"
        r"(?:ever\s+)?signed\s+up|that(?:'s|\s+has)\s+signed\s+up)\b",
        "",
        ("everyone", "everybody"),
    ),
    # "last week, Monday to Sunday (UTC)": what a week and a day are anyway
    (r",?\s*\(?\s*(?:from\s+)?monday\s+(?:to|through|thru|-)\s+sunday\s*\)?", "", ("sunday",)),
    (r"\s*\(\s*utc\s*\)", "", ("utc",)),
    # "users who fired a cart event", "sessions that triggered a purchase event": with one
    (
        r"\b(?:who|that|which)?\s*(?:fired|triggered|had|performed|logged|generated)\s+"
        r"(an?|any)\s+([a-z]+)\s+event\b",
        r" with \1 \2 event",
        (" event",),
    ),
    # "how has the average delivery time varied by order year": the measure by it
    (
        r"\bhow\s+(?:has|have|does|do|did)\s+(.+?)\s+var(?:y|ies|ied)\s+(?=(?:by|across|"
        r"between|from\s+one)\b)",
        r"\1 ",
        ("var",),
    ),
    # "how did monthly revenue move across 2025": how it changed ("move month by month" is
    # the series)
    (
        r"\bhow\s+(did|has|have|does|do)\s+(.+?)\s+(?:move|moved)(?=\s+(?:across|through|over|"
        r"during)\b)",
        r"how \1 \2 change",
        ("move",),
    ),
    # "the new customers we won in 2025": the new customers
    (
        r"\bnew\s+customers\s+(?:(?:that|who)\s+)?(?:we(?:'ve|\s+have)?\s+)?(?:won|gained|added)\b",
        "new customers",
        ("new customers",),
    ),
    # "the sell-through rate of our inventory as a whole": overall
    (r"\bas\s+a\s+whole\b", "overall", ("whole",)),
    # "to ship an order once it has been placed": from placing it, as every order's time is
    (
        r"\s*,?\s*(?:once|after)\s+it\s+(?:has\s+been|is|was|'s|gets|got)\s+placed\b",
        "",
        ("placed",),
    ),
    # "our buyers (anyone who's bought at least one item)": who the buyers are, said again
    (
        r"\s*\(\s*(?:i\.?e\.?\s*,?\s*)?(?:anyone|anybody|everyone|people|users|those|customers)\s+"
        r"(?:who|that)(?:'s|\s+has|\s+have|\s+had)?\s+(?:ever\s+)?(?:bought|ordered|purchased)\s+"
        r"(?:at\s+least\s+1\s+(?:item|order|thing)s?|anything|something)\s*\)",
        _buyers_restated,
        ("(",),
    ),
    # "the shortest time that any order has taken to go from placed to shipped": the time
    # from placed to shipped
    (
        r"\s*,?\s*\b(?:that|which)\s+(?:any|an|each|the|a)\s+(?:order|item|unit)\s+(?:has\s+)?"
        r"(?:taken|took|takes|needed|spent)\s+(?:to\s+go\s+)?(?=from\b)",
        " ",
        ("taken", "took", "takes", "needed", "spent"),
    ),
    # "q1 2024 to q4 2025", "between q1 and q3 2025": a range of quarters is one of months
    (
        r"\b(?:from\s+|(?P<between>between\s+))?q(?P<first>[1-4])(?:\s+(?P<from_year>20\d\d))?\s+"
        r"(?:to|through|thru|until|till|(?(between)and|to))\s+q(?P<last>[1-4])\s+(?P<year>20\d\d)\b",
        _quarters_as_months,
        ("q",),
    ),
    # "biggest increase first": the order is said once
    (
        r"\b((?:biggest|largest|greatest|smallest|steepest|sharpest)\s+(?:increase|growth|gain|"
        r"rise|drop|decline|decrease|fall|change)s?)\s+first\b",
        r"\1",
        ("first",),
    ),
    # "both + % change" after two periods compared: the two are shown anyway
    (
        r"\bboth\s*(?:\+|and|plus|&|,)\s*(?:the\s+)?(?=(?:%|percent(?:age)?)\s+change\b)",
        "with the ",
        ("both",),
    ),
    # "2025 orders by quarter, split into first vs repeat orders": split by them
    (
        r"\bsplit\s+into\b(?!\s+(?:\d+\s+)?(?:days|weeks|months|quarters|years|halves|hours|"
        r"buckets|bands|groups|tiers)\b)",
        "split by",
        ("split",),
    ),
    # "sign-up growth", "registration numbers": the signups counted, not a moment that
    # dates another measure
    (
        r"\b(?:sign[\s-]?up|registration)\s+(?=(?:growth|numbers?|counts?|volumes?|totals?|"
        r"trend)\b)",
        "signups ",
        ("sign", "registration"),
    ),
    # "In % terms, how did signups grow": a growth is in percent anyway
    (
        r"\bin\s+(?:%|percent(?:age)?)\s+terms\s*,?\s*(?=.*\b(?:grow|grew|growth|change)\b)",
        "",
        ("terms",),
    ),
    # "for each year, month with the most returned items": the month with the most
    (
        r"\b(for\s+(?:each|every)\s+[a-z]+\s*,\s*)(?!the\b|which\b|what\b)([a-z]+\s+with\s+the\s+"
        r"(?:most|highest|fewest|lowest|least|biggest|largest|smallest)\b)",
        r"\1the \2",
        ("with the",),
    ),
    # "stock value per dc, biggest -> smallest", "from the biggest market to the smallest"
    (
        r"\b(?:from\s+)?(?:the\s+)?(?:biggest|largest|highest)(?:\s+[a-z]+)?\s+(?:to|->)\s+"
        r"(?:the\s+)?(?:smallest|lowest)\b",
        "largest first",
        ("smallest", "lowest"),
    ),
    (
        r"\b(?:from\s+)?(?:the\s+)?(?:smallest|lowest)(?:\s+[a-z]+)?\s+(?:to|->)\s+"
        r"(?:the\s+)?(?:biggest|largest|highest)\b",
        "smallest first",
        ("biggest", "largest", "highest"),
    ),
    # "funnel ...: sessions per step & % of prev", "each step's % of the one before"
    (
        r"(\b(?:funnel|steps?)\b.*?)%\s+of\s+(?:the\s+)?(?:prev|previous|prior|(?:one|1)\s+before)\b"
        r"(?:\s+(?:step|stage|one))?",
        r"\1% of the previous step",
        ("prev", " before", "prior"),
    ),
    # "put 2024 and 2025 revenue side by side ..., with the % change": the two years
    # compared
    (
        r"\b(?:put\s+)?(20\d\d)\s+and\s+(20\d\d)\s+"
        r"(?=[a-z ]+?[,\s]\s*(?:with|and|plus)\s+(?:the\s+)?(?:%|percent(?:age)?|pct)\s+change\b)",
        r"\1 vs \2 ",
        ("change",),
    ),
    (r"\s+side\s+by\s+side\s+(?=for\s+(?:each|every)\b)", " ", ("side",)),
    # "how many customers bought in 2024 and then again in 2025": and again
    (r"\band\s+then\s+(?=again\b)", "and ", ("then",)),
    # "what pct got there within 3 days of being placed": arrived
    (r"\bgot\s+there\s+(?=within\b|in\s+(?:under|less|at\s+most|\d))", "arrived ", ("there",)),
    # "month over month growth in monthly active users": the series is monthly already
    (
        r"\b((?:over\s+month|mom)\s+(?:growth|change)\s+in\s+)monthly\s+(?=active\s+users\b)",
        r"\1",
        ("monthly",),
    ),
    # "distinct signed-in users who have ever had an event on the site": with any event
    (
        r"\b((?:distinct\s+|unique\s+)?signed[- ]in\s+users)\s+(?:who\s+|that\s+)?(?:have\s+)?"
        r"(?:ever\s+)?had\s+(?:an?|any)\s+events?(?:\s+on\s+the\s+(?:site|website|store))?",
        r"\1 with any event",
        ("had ",),
    ),
    # "give me both half-year totals and the % change": both
    (
        r"\bboth\s+(?:half[- ]?year(?:ly)?|quarter(?:ly)?|year(?:ly)?|month(?:ly)?|period|"
        r"week(?:ly)?|annual)\s+(?:totals|figures|numbers|values|counts)\b",
        "both",
        ("both ",),
    ),
    # "across the 2024 holiday period, November and December 2024": the months named
    (
        r"\b(?:across|during|over|in|for)\s+(?:the\s+|our\s+)?(?:(?:19|20)\d\d\s+)?"
        r"(?:[a-z]+\s+){0,2}?(?:period|season|stretch|campaign)\s*[,:]\s*"
        r"(?=(?:from\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)",
        "in ",
        ("period", "season", "stretch", "campaign"),
    ),
    # "revenue in November and December 2024": one range of months
    (
        r"\b(?P<a>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov)[a-z]*)\s+and\s+"
        r"(?P<b>(?:feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\s+(?P<year>(?:19|20)\d\d)\b",
        _months_joined,
        (" and ",),
    ),
    # "Which categories does our catalog cover?": the ones in it
    (
        r"\b(?:does|do)\s+(?:our|the)\s+(catalog|catalogue|range|assortment|store|shop)\s+"
        r"(?:cover|include|have|carry|offer|span)\b",
        r"are in our \1",
        ("cover", "include", "carry", "offer", "span", " have"),
    ),
    # "How many products do we carry in our catalog today?": what is in it
    (
        r"\b(in\s+(?:our|the)\s+(?:catalog|catalogue|range|assortment))\s+(?:today|now|right\s+now|"
        r"currently|at\s+the\s+moment)\b",
        r"\1",
        ("today", "now", "currently", "moment"),
    ),
    # "Which distribution centers do we operate?": the ones we have
    (r"\b(do|does)\s+we\s+(?:operate|run)\b", r"\1 we have", ("operate", " run")),
    # "? Just the list of categories, please.": what "which" asks for anyway
    (
        r"\?\s*just\s+(?:the\s+)?(?:list|names?)(?:\s+of\s+(?:the\s+)?[a-z ]+?)?,?\s*(?:please)?"
        r"\s*[.!]?\s*$",
        "?",
        ("just",),
    ),
    # "how many orders had 1 item, how many had 2, and so on": a count by that number
    (
        r"\bhow\s+many\s+(?P<things>customers|users|orders|sessions)\s+(?P<verb>had|have|"
        r"contained|contain|bought\s+in|placed|made)\s+(?:exactly\s+)?(?:only\s+)?1\s+"
        r"(?P<counted>[a-z]+)\s*,\s*(?:and\s+)?how\s+many\s+(?:[a-z]+\s+){0,2}?2(?:\s+[a-z]+)?"
        r"\s*,?\s*(?:and\s+so\s+on|etc\.?)",
        _counted_one_two,
        ("so on", "etc"),
    ),
    # "grouped into $50 buckets", "bucketed in $250": in buckets of that width
    (
        r"\b(?:grouped|bucketed|binned|banded|split)\s+(?:in|into|by)\s+(?=\$?\d+\s+(?:buckets|bins))",
        "in ",
        ("grouped", "bucketed", "binned", "banded", "split"),
    ),
    (
        r"\b(?:bucketed|binned)\s+(?:in|into|by)\s+(\$?\d+)\b(?!\s*(?:buckets|bins))",
        r"in \1 buckets",
        ("bucketed", "binned"),
    ),
    # "the spread of sale prices ... in $50 buckets": their distribution
    (r"\bthe\s+spread\s+of\b(?=.*\b(?:buckets|bins)\b)", "the distribution of", ("spread",)),
    # "inventory cost for every unit ever received, sold or not": all of the inventory
    (
        r"\s*\b(?:for|across|over|of)\s+(?:every|each|all(?:\s+the)?)\s+(?:units?|items?)\s+"
        r"(?:(?:we|we've|we\s+have)\s+)?(?:ever\s+)?(?:received|stocked)"
        r"(?:\s*,?\s*(?:whether\s+)?sold\s+or\s+(?:not|unsold))?",
        "",
        ("received", "stocked"),
    ),
    # "the number of sessions they brought in": the sessions
    (
        r"\b(sessions|revenue|orders|customers|users|signups|sales)\s+(?:they|it|each\s+one)\s+"
        r"(?:brought|drove|generated|produced|delivered)(?:\s+in)?\b",
        r"\1",
        ("they ", "it ", "each one"),
    ),
    # "sessions that arrived via Email": from Email
    (
        r"\b(?:that\s+|which\s+)?(?:arrived|came\s+in|landed)\s+(?:via|through)\s+",
        " from ",
        ("via", "through"),
    ),
    # "customers who purchased across 3 or more different orders": in 3 or more orders
    (
        r"\bacross\s+(\d+\s+or\s+more|more\s+than\s+\d+|at\s+least\s+\d+|\d+)\s+"
        r"(?:different\s+|distinct\s+|separate\s+)?orders\b",
        r"in \1 orders",
        ("across",),
    ),
    # "90th pct delivery time": the 90th percentile
    (r"\b(\d+(?:st|nd|rd|th))\s+pct\b", r"\1 percentile", ("pct",)),
    # "customers by orders, whole history": all time
    (r",\s*(?:the\s+)?(?:whole|entire|full)\s+history\b", ", all time", ("history",)),
    # "how many events make up a single session": how many a session has
    (
        r"\bhow\s+many\s+([a-z]+)\s+make\s+up\s+(?:a|an|one|each)\s+(?:single\s+|typical\s+)?"
        r"([a-z]+(?:\s+[a-z]+)?)(?=\s*(?:[?.,]|$))",
        r"how many \1 does a \2 have",
        ("make up",),
    ),
    # "items ordered by customers aged 65+": the items from those customers, not a count of
    # the customers beside them
    (
        r"\b(items|units|lines)\s+(?:ordered|bought|purchased)\s+by\s+"
        r"(?=(?:our\s+|the\s+)?(?:customers|buyers|shoppers|people|clients)\b)",
        r"\1 from ",
        (" by ",),
    ),
    # "revenue when broken down by channel": broken down by channel
    (r"\bwhen\s+(?=(?:broken|split|grouped|sliced|cut|segmented)\s)", "", ("when ",)),
    # "how many of the orders ended up in each status": were in each
    (r"\bended\s+up\s+in\s+(?=(?:each|every)\b)", "were in ", ("ended up",)),
    # "users who triggered at least one cart event": with a cart event
    (
        r"\b(?:who|that|which)?\s*(?:fired|triggered|had|performed|logged|generated)\s+"
        r"(?:at\s+least\s+(?:one|1)|(?:one|1)\s+or\s+more)\s+([a-z]+)\s+events?\b",
        r" with a \1 event",
        (" event",),
    ),
    # "Include the number of delivered orders it rests on.": with that count
    (
        r"[.?;]\s*(?:please\s+)?(?:include|add|show|give)\s+(?:me\s+)?"
        rf"(?=(?:the\s+)?(?:number|count)\s+of\s+[a-z ]+?\s+{RESTS_ON})",
        ", with ",
        ("rest", "based", "rel"),
    ),
    (rf"\s+{RESTS_ON}", "", ("rest", "based", "rel")),
    # "with the number of shipped orders behind each figure": the figures shown
    (rf"\s+{BEHIND_EACH}", "", ("behind", "underlying")),
    # "median transit time, ship to delivery, across all orders that have both dates": a
    # duration is measured only where both of its dates are set, so saying so restates it
    (
        r"\b((?:time|times|days|hours|duration|durations|lag|gap|gaps)\b[^.?;]*?)(\s*,?)\s+"
        r"(?:across|for|over|among|of|on)\s+(?:all\s+)?(?:the\s+)?((?:[0-9]{4}\s+)?[a-z]+)\s+(?:that\s+|which\s+)?"
        r"(?:have|has|had|with)\s+both\s+(?:dates|timestamps)(?:\s+(?:set|recorded|filled|present))?\b",
        r"\1\2 for \3",
        ("both",),
    ),
    # "On average, how many items did each order placed in 2025 contain?": the average
    # per order, of the orders the words after it describe
    (
        r"\b(?:on\s+(?:average|avg),?\s+)?how\s+many\s+([a-z]+)\s+(?:does|do|did)\s+(?:each|an?|the\s+"
        r"average|the\s+typical|a\s+typical)\s+([a-z]+)\s+((?:placed|made|created|shipped|"
        r"delivered)\s+(?:in|during)\s+[a-z0-9 ]+?)\s+(?:contain|have|include|hold)(?:\s+on\s+"
        r"(?:average|avg))?\b",
        r"average \1 per \2 \3",
        ("how many",),
    ),
    # "how did AOV move from quarter to quarter", "evolve quarter by quarter": per quarter
    (
        r"\b(?:(?:move|moved|go|went)\s+)?from\s+(month|quarter|year|week|day)\s+to\s+\1\b",
        r"by \1",
        ("from",),
    ),
    # "how did aov move month by month": its series
    (
        r"\b(?:move|moved|moving|go|went)\s+(?=(month|quarter|year|week|day)\s+(?:by|to|over|"
        r"on)\s+\1\b)",
        "",
        ("move", "moving", "go", "went"),
    ),
    (r"\b(quarter|week|year|day)\s+by\s+\1\b", r"by \1", (" by ",)),
    # "First orders vs repeat orders - what's the average order value of each?": the
    # measure of each of the two named first
    (
        r"^\s*(?P<a>[a-z0-9' ]+?)\s+(?P<vs>vs\.?|versus)\s+(?P<b>[a-z0-9' ]+?)\s*"
        r"(?:-|:|\u2014|\?)\s*what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?"
        r"(?P<m>[a-z0-9' %]+?)\s+(?:of|for|in)\s+each(?:\s+(?:one|group|of\s+them))?\b",
        r"what's the \g<m> of \g<a> vs \g<b>",
        ("each",),
    ),
    # "Which countries placed at least 200 orders, and how many orders did each place?":
    # the count asked beside each (shown anyway where the condition is on it)
    (
        r",?\s+and\s+how\s+many\s+([a-z]+)\s+(?:did|do|does)\s+(?:each|they|each\s+one)\s+"
        r"(?:place|have|make|get|receive|see|sell)\b",
        r", with the number of \1 for each",
        ("how many",),
    ),
    # "the median and 90th-percentile delivery times": each the delivery time's
    (
        r"\b(delivery|shipping|transit|processing|fulfillment|fulfilment|handling|turnaround|"
        r"lead)\s+times\b",
        r"\1 time",
        ("times",),
    ),
    # "between receiving them and selling them": between receiving and selling
    (
        r"\b(between\s+[a-z]+ing)\s+(?:them|it)\s+(and\s+[a-z]+ing)\s+(?:them|it)\b",
        r"\1 \2",
        ("between",),
    ),
    # "avg delivery days by order month": the delivery time, in days
    (
        r"\b(?<!\d\s)(delivery|shipping|transit|processing|fulfillment|fulfilment|handling|"
        r"turnaround|lead)\s+days\b(?!\s+(?:of|from|after|before|between)\b)",
        r"\1 time",
        ("days",),
    ),
    # "over the whole of 2025", "in the entire 2024": the year
    (
        r"\b(?:over|in|across|for|during|throughout)\s+the\s+(?:whole|entire|full)\s+(?:of\s+)?"
        r"(?=(?:19|20)\d\d\b)",
        "in ",
        ("whole", "entire", "full"),
    ),
    # "fall into each of the standard age bands": each band
    (
        r"\b(each|every)\s+of\s+the\s+(?:standard|usual|following|given|listed)\s+",
        r"\1 ",
        ("of the",),
    ),
    # "... in Q4 2025? Please rank them by order count.": ranked by it
    (r"\s*[?.]\s*(?:please\s+)?rank\s+them\s+by\s+", ", ranked by ", ("rank them",)),
    # "how many events does the avg session have": the average per session
    (
        r"\bhow\s+many\s+([a-z]+)\s+(?:does|do|did)\s+(?:the\s+|an?\s+)?(?:avg|average|typical|"
        r"mean)\s+([a-z]+)\s+(?:have|has|contain|include)\b",
        r"average \1 per \2",
        ("how many",),
    ),
    # "the most items anyone has put in a single order", "the largest number of items in
    # one order": the highest per order
    (
        rf"{_MOST_OF}\s+([a-z]+)\s+(?:(?:anyone|any\s+customer|"
        r"someone|a\s+customer|any\s+user)\s+(?:has\s+|have\s+|had\s+|ever\s+)*(?:put|bought|"
        r"ordered|placed|had)\s+)?(?:in|on)\s+(?:a\s+single|1|a|an|any\s+single|any)\s+([a-z]+)\b",
        r"max \1 per \2",
        ("most", "number of"),
    ),
    # "sessions by traffic source x browser": two breakdowns
    (
        r"\b(by|per)\s+((?:[a-z_]+\s+){0,3}?[a-z_]+)\s+(?:x|\u00d7)\s+(?=[a-z])",
        r"\1 \2 and ",
        (" x ", "\u00d7"),
    ),
    # "signups and orders per quarter, next to each other": side by side
    (r"\bnext\s+to\s+each\s+other\b", "side by side", ("each other",)),
    # "delivery time percentiles for 2025 orders: 25th, 50th, 90th": those percentiles of it
    (
        r"\b(?P<m>(?:[a-z]+\s+){0,2}[a-z]+)\s+percentiles\s+(?P<rows>(?:for|of|on|in|across)\s+"
        r"[^:;?]+?)\s*:\s*(?P<list>\d+(?:st|nd|rd|th)?(?:\s*(?:,|and|&|,\s*and)\s*"
        r"\d+(?:st|nd|rd|th)?)+)",
        r"\g<list> percentile of \g<m> \g<rows>",
        ("percentiles",),
    ),
    # "which categories delivered the most gross profit", "the month that delivered the
    # highest revenue": brought in, not the status of delivered orders
    (
        r"\bdelivered\s+(?=(?:the\s+)?(?:most|highest|biggest|largest|best|lowest|least|"
        r"smallest|weakest|strongest|more|less|top)\s+(?:gross\s+|net\s+|total\s+)?(?:profit|"
        r"revenue|sales|margin|turnover|income|earnings|gmv|spend)\b)",
        "had ",
        ("delivered",),
    ),
    # "how many users do we have on file": the users
    (r"\s+on\s+file\b", "", ("on file",)),
    # "How many signed-in users were active on the site in December 2025?": active users
    (
        r"\b(?:signed[- ]in\s+)?users\s+(?:were|are|have\s+been|was)\s+active"
        r"(?:\s+on\s+(?:the\s+|our\s+)?(?:site|website|app|store))?\b",
        "active users",
        ("active",),
    ),
    # "Users by country and gender - a count for each combination please": one row each
    (
        r"\s*[-,:]\s*(?:a|one)\s+(?:count|row|number|figure)\s+(?:for|per)\s+(?:each|every)\s+"
        r"combination\b",
        "",
        ("combination",),
    ),
    # "by age decade (teens, 20s, 30s and so on)": the decades, spelled out
    (
        r"\b(age\s+decades?|decade\s+of\s+age)\s*\((?:[^()]*?\b(?:teens|[1-9]0s)\b[^()]*?)\)",
        r"\1",
        ("0s",),
    ),
    # "the 3 best months of 2025 for new signups": the top 3 by them
    (
        r"\b(?:the\s+)?(\d+)\s+(?:best|biggest|strongest)\s+([a-z]+)\s+(?:(?:of|in)\s+((?:19|20)\d\d)\s+)?"
        r"for\s+([^?.;!]+)",
        lambda m: f"top {m[1]} {m[2]} by {m[4]}" + (f" in {m[3]}" if m[3] else ""),
        ("best", "biggest", "strongest"),
    ),
    # "How many orders did we take in Q4 2025?", "have we taken in total": get
    (
        r"\b(?:did|have|has)\s+we\s+(?:take|taken|receive|received|book|booked)\b",
        "did we get",
        (" we ",),
    ),
    # "How many units did we add to inventory in each quarter": units added to inventory
    (
        r"\bhow\s+many\s+(units|items)\s+did\s+we\s+(?:add|put|receive)\s+(?:to|into|in)\s+"
        r"(?:our\s+|the\s+)?(inventory|stock)\b",
        r"how many \1 added to \2",
        ("did we",),
    ),
    # "the inventory units we received during 2025, whether or not they have since sold"
    (
        r",?\s*whether\s+or\s+not\s+(?:they|it)\s+(?:have|has)\s+(?:since\s+|already\s+)?"
        r"(?:been\s+)?sold\b",
        " sold or not",
        ("whether",),
    ),
    # "with each month's own revenue beside the cumulative figure": the month's
    (r"\b(each\s+[a-z]+'s)\s+own\s+", r"\1 ", ("own",)),
    # "the largest number of items any single order contained": the highest per order
    (
        rf"{_MOST_OF}\s+([a-z]+)\s+(?:any\s+(?:single\s+)?|a\s+single\s+|one\s+)"
        r"([a-z]+)\s+(?:has\s+|have\s+|had\s+|ever\s+)*(?:contained|held|included|contains|had|has)\b",
        r"max \1 per \2",
        ("any", "single", "one"),
    ),
    # "What share of our customers are repeat buyers (i.e. bought in 2+ orders)?": the
    # share that bought in more than one order, the definition said again or not
    (
        r"(?:\b(share|percentage|percent|fraction|proportion)|(?<!\S)(%))(?:\s*\(%\))?\s+of\s+"
        r"(our\s+|all\s+)?((?:(?:19|20)\d\d\s+)?(?:customers|buyers))\s+(?:are|were)\s+repeat\s+"
        r"(?:customers|buyers|purchasers|shoppers)(?:\s*[,-]?\s*(?:(?:i\.?\s?e\.?,?|meaning|that\s+is,?)|"
        r"\()\s*(?:they\s+|who\s+)?(?:bought|purchased|ordered)\s+in\s+(?:more\s+than\s+(?:one|1)|"
        r"2\s*\+|2\s+or\s+more|two\s+or\s+more)\s+(?:distinct\s+|separate\s+|different\s+)?"
        r"orders?\s*\)?)?",
        lambda m: f"{m[1] or m[2]} of {m[3] or ''}{m[4]} bought in more than 1 order",
        ("repeat",),
    ),
    # "which 5 countries gave us the most new customers": had the most
    (
        r"\b(?:gave|give|brought|bring|drove|drive|sent|send)\s+(?:us\s+|in\s+)?(?=(?:the\s+)?"
        r"(?:most|highest|biggest|largest|fewest|lowest|least)\b)",
        "had ",
        ("gave", "give", "brought", "bring", "drove", "drive", "sent", "send"),
    ),
    # "the number of items, the number returned": the noun is said once for both
    (
        r"\b(number\s+of\s+([a-z]+))(\s*,\s*(?:and\s+)?(?:the\s+)?number\s+)(returned|cancelled|"
        r"shipped|delivered|completed|sold|processing)\b",
        r"\1\3of \4 \2",
        ("number",),
    ),
    # "show items, returned and rate", "w/ orders, cancelled and the rate": the noun is
    # said once for both (never a filter on the first)
    (
        r"\b([a-z]+s)(\s*,\s*)(returned|cancelled|shipped|delivered|completed|sold|processing)"
        r"(?=\s*(?:,|and\b|&|\+|$|[.?!]))",
        r"\1\2\3 \1",
        (",",),
    ),
    # "... product id, name and how many came back" after returned units: the returned
    # items (orders); without a word of returns before, coming back is coming again
    (
        r"\bhow\s+many\s+(?:(?P<rows>items|units|orders)\s+)?(?:came|come)\s+back\b",
        _came_back,
        (" back",),
    ),
    (*ONES_NAMED, (" ones",)),
    # "returned and total items", "sold and all units": the noun is said once for both
    (
        r"\b([a-z]+ed|sold)\s+and\s+(total|all)\s+([a-z]+s)\b",
        r"\1 \3 and \2 \3",
        (" and total ", " and all "),
    ),
    # "rank all 10 DCs by unsold units": every one of them, not a top 10
    # ("show all 7 days" after a breakdown by weekday: every weekday, below)
    (
        r"\b(rank|sort|order|list|show|give|include)\s+all\s+\d+\s+"
        r"(?!(?:days|weekdays|months|quarters|hours)\b)",
        r"\1 all ",
        ("all ",),
    ),
    # "show them fewest first": the answer's rows
    (
        r"\bshow\s+them\s+(?=(?:fewest|lowest|highest|most|largest|smallest|biggest|in|"
        r"sorted|ordered|ranked)\b)",
        "show ",
        ("them ",),
    ),
    # SQL said in a question ("count(distinct user_id) from orders where status =
    # 'Complete' group by country"), read as the words it stands for: a value in
    # quotes is the value, a name in snake case its words.
    (r"(?<![\w'])'([^'\n]{1,60}?)'(?![\w'])", r"\1", ("'",)),
    (r'"([^"\n]{1,60}?)"', r"\1", ('"',)),
    # "traffic_source", not "users.traffic_source" (a column named as a remark)
    (r"(?<![\w.])[a-z0-9]+(?:_+[a-z0-9]+)+(?![\w.])", _spaced, ("_",)),
    (r"\bcount\s*\(\s*(?:\*|1)\s*\)(?:\s+(?:of|from)\b)?", "count of", ("count",)),
    (r"\bcount\s*\(\s*distinct\s+([^()]+?)\s*\)", r"number of distinct \1", ("count",)),
    (r"\bcount\s+distinct\b", "number of distinct", ("count",)),
    (r"\bsum\s*\(\s*([^()]+?)\s*\)", r"total \1", ("sum",)),
    (
        r"\b(?:avg|average|mean)\s*\(\s*([^()]+?)\s*\)",
        r"average \1",
        ("avg", "average", "mean"),
    ),
    (r"\bmax\s*\(\s*([^()]+?)\s*\)", r"highest \1", ("max",)),
    (r"\bmin\s*\(\s*([^()]+?)\s*\)", r"lowest \1", ("min",)),
    (r"\bgroup(?:ed)?\s+by\b", "by", ("group",)),
    # "orders where status = 'Complete'": the rows with it ("where do they come from"
    # asks a question of its own)
    (
        r"(?<=[a-z0-9)'])\s+where\s+"
        r"(?!(?:do|does|did|are|is|were|was|can|could|should|would|will)\b)",
        " with ",
        ("where",),
    ),
    (r"\s*(?:!=|<>)\s*", " not ", ("!=", "<>")),
    (r"\s*(?<![<>!=])==?(?!=)\s*", " ", ("=",)),
    (r"\b(\d+)\s*d\b", r"\1 days", ("d",)),
    (r"\b(\d+)\s*(?:wk|wks)\b", r"\1 weeks", ("wk",)),
    (r"\b(\d+)\s*(?:mo|mos|mth|mths)\b", r"\1 months", ("mo", "mth")),
    (r"\b(\d+)\s*(?:yr|yrs)\b", r"\1 years", ("yr",)),
    (r"\b(\d+)\s*(?:h|hr|hrs)\b", r"\1 hours", ("h",)),
    (r"\bqtrs?\b", "quarter", ("qtr",)),
    (r"\bwks?\b", "week", ("wk",)),
    (r"\byrs?\b", "year", ("yr",)),
    (r"\b(?:mos?|mths?)\b", "month", ("mo", "mth")),
    (r"\bincl\b\.?", "including", ("incl",)),
    (r"\bno\.?(?=\s+of\b)", "number", ("no",)),  # "no. of orders"
    (r"\bnb\.?(?=\s+of\b)", "number", ("nb",)),  # "nb of users"
    # "1000 orders or more": at least 1000 orders
    (
        r"\b(\d+(?:\.\d+)?)\s+(?!(?:minute|hour|day|week|month|year)s?\b)([a-z]+)\s+or\s+(?:more|above)\b",
        r"at least \1 \2",
        (" or ",),
    ),
    (
        r"\b(\d+(?:\.\d+)?)\s+(?!(?:minute|hour|day|week|month|year)s?\b)([a-z]+)\s+or\s+(?:less|fewer|below)\b",
        r"at most \1 \2",
        (" or ",),
    ),
    # "orders growth year by year in %": a growth, a rate or a share is in % already
    (
        r"\b(growth|conversion|rate|share)\b([^%]*?)(?:\s*,)?\s+(?:in|as)\s+(?:a\s+)?"
        r"(?:%|percent(?:age)?)\s*(?=[?.!]?\s*$)",
        r"\1\2",
        ("%", "percent"),
    ),
    (r"\bcust(s?)\b", r"customer\1", ("cust",)),
    (r"\bprev\b\.?", "previous", ("prev",)),
    (r"\bdiff\s+(?=[a-z]+s\b)", "different ", ("diff",)),  # "how many diff products"
    (r"\bpx\b", "price", ("px",)),
    (r"\b(?:qtrly|quarterly)\b", "per quarter", ("qtrly", "quarterly")),
    (r"\bmthly\b", "monthly", ("mthly",)),
    (r"\bwkly\b", "weekly", ("wkly",)),
    (r"\byrly\b", "yearly", ("yrly",)),
    (r"\b(?:smth|sth|stuff)\b", "something", ("smth", "sth", "stuff")),
    (r"\b(?:pls|plz)\b", "please", ("pls", "plz")),
    (r"\bavg\b", "average", ("avg",)),
    (r"\bvals?\b", "value", ("val",)),  # "avg order val"
    (r"\bly\b", "last year", ("ly",)),  # "ytd vs same period ly"
    # "people who've made a purchase": the clause that names them, spelt out.
    (r"\b(who|that)'ve\b", r"\1 have", ("'ve",)),
    # "products nobody has ever ordered": never ordered
    (
        r"\b(?:that\s+|which\s+)?(?:nobody|no[\s-](?:one|1)|no customer|no user)\s+"
        r"(?:has\s+|had\s+)?(?:ever\s+)?(?P<verb>ordered|bought|purchased)\b",
        r"never \g<verb>",
        ("nobody", "no 1", "no-1", "no one", "no-one", "no customer", "no user"),
    ),
    # "2025 revenue by months", "break 2025 revenue into months": a series by period
    # (not "by days to ship", a number of days).
    (
        rf"\bby\s+{_GRAINS}s\b{_NOT_A_NUMBER_OF}",
        r"by \g<grain>",
        ("by ",),
    ),
    (
        r"\b(?:split|break|broken|divided?|bucketed|grouped)\b"
        rf"(?P<what>(?:\s+[^\s,;:]+){{0,4}}?)\s+into\s+{_GRAINS}s\b{_NOT_A_NUMBER_OF}",
        r"\g<what> by \g<grain>",
        ("into ",),
    ),
    # "items, returned, pct": the % said last in a list of columns
    (r"\s*[,+&]\s*(?:pct|percent)(?=\s*(?:[.?!;]|$))", ", and the %", ("pct", "percent")),
    (r"\bpct\b", "percent", ("pct",)),
    # "average order items", "avg order units": the items per order, never the average
    # order value beside the items
    (
        r"\b(average|avg|mean)\s+order\s+(?:items?|units?|lines?)(?:\s+count)?\b",
        r"\1 items per order",
        ("order",),
    ),
    # "year-on-year growth", "month on month": British for "over"
    (
        r"\b(?P<period>year|quarter|month|week|day)[\s-]+on[\s-]+(?P=period)\b",
        r"\g<period> over \g<period>",
        (" on ", "-on-"),
    ),
    # "how did revenue move quarter to quarter": from each period to the next, as "over"
    (
        r"\b(?P<period>year|quarter|month|week)[\s-]+to[\s-]+(?P=period)\b",
        r"\g<period> over \g<period>",
        (" to ", "-to-"),
    ),
    (r"\bmom\b", "month over month", ("mom",)),
    # "top 5 categories by YoY revenue growth %, 2024 to 2025": ranked by the change
    # between the periods named, not a yearly series ranked within each year
    (
        r"\bby\s+(?:the\s+)?(?:yoy|year over year|mom|month over month|qoq|quarter over quarter|"
        r"wow|week over week)\s+(?=(?:[a-z%$]+\s+){0,3}?(?:growth|change|increase|decrease)\b)",
        "by ",
        ("yoy", "over", "mom", "qoq", "wow"),
    ),
    (r"\byoy\b", "year over year", ("yoy",)),
    (r"\bqoq\b", "quarter over quarter", ("qoq",)),
    (r"\bwow\b", "week over week", ("wow",)),
    (r"\bdod\b", "day over day", ("dod",)),
    (r"\bchg\b", "change", ("chg",)),
    (r",?\s*(?:-\s*)?\b(?:list|show|give me)\s+them\s+(?=with\b)", " ", ("them",)),
    (r"\b(?:falls?|fell|falling)\s+(?:under|into|within)\b", "in", ("fall", "fell")),
    (r"(%|\bpercent(?:age)?)\s+diff(?:erence)?\b", r"\1 change", ("diff",)),
    (
        r"\bplus\s+(?=(?:the\s+)?(?:%|(?:percent|change|growth|difference)\b))",
        "and ",
        ("plus",),
    ),
    (
        r"\b(?:(?:is|are|was)\s+)?(?:tracking|stacks? up|stacking up)\s+(?:against|to)\b",
        "vs",
        ("track", "stack"),
    ),
    (r"\bconv\b", "conversion", ("conv",)),
    # Everyday misspellings of words the reading passes over or reads.
    (r"\bseperate(ly)?\b", r"separate\1", ("seperate",)),
    (
        r"\b(?:avarage|averge|avrage|avergae)\b",
        "average",
        ("avarage", "averge", "avrage", "avergae"),
    ),
    (r"\brecie(ve[ds]?|ving|pt)\b", r"recei\1", ("recie",)),
    (r"\buntill\b", "until", ("untill",)),
    (r"\bthier\b", "their", ("thier",)),
    (r"\bwich\b", "which", ("wich",)),
    (r"\boccured\b", "occurred", ("occured",)),
    # "stock received in 2025 that's still unsold", "how many units still unsold": the
    # unsold stock, the unsold units
    (
        r"\b(stock|inventory(?:\s+items?)?)\b([^,.;?]*?),?\s+(?:that|which)(?:'s|\s+(?:is|are))\s+"
        r"(?:still\s+)?unsold\b"
        r"|\b(units|items|inventory\s+items|products)()\s+(?:(?:still|currently|yet)\s+)?unsold\b",
        lambda m: f"unsold {m[1] or m[3]}{m[2] or ''}",
        ("unsold",),
    ),
    # "units sitting in stock unsold", "still sitting unsold in stock": unsold, said
    # twice
    (
        r"\b(?:still\s+)?(?:sitting|sit|sits|sat|lying|left)\s+(?:(?:still\s+)?(?:in|on)\s+"
        r"(?:stock|inventory|the\s+shel(?:f|ves)|the\s+warehouse)\s+)?(?:still\s+)?unsold"
        r"(?:\s+(?:in|on)\s+(?:stock|inventory|the\s+shel(?:f|ves)|the\s+warehouse))?\b",
        "unsold",
        ("unsold",),
    ),
    (r"\bl(\d+)d\b", r"last \1 days", ("l",)),
    (r"\bl(\d+)w\b", r"last \1 weeks", ("l",)),
    (
        r"\b((?:day|week|month|quarter|year) over (?:day|week|month|quarter|year))\s*%",
        r"\1 growth %",
        ("%",),
    ),
    (
        r"\b(abandonment|conversion|retention|churn|return|cancellation)\s*%",
        r"\1 rate",
        ("%",),
    ),
    (r"\b(rate|ratio)\s*%", r"\1", ("%",)),
    (r"\b(top|highest|busiest|biggest|largest|best) 1 first\b", r"\1 first", (" 1 first",)),
    (r"\bthru\b", "through", ("thru",)),
    # "customers who bought in 2024 but not in 2025 - how many?": the count asked
    # of what was just named, a tag at the end
    (
        r"\s*(?:-|,|:|;|\u2014|\u2013)\s*how many(?:\s+(?:are there|were there|in total))?"
        r"\s*\??\s*$",
        "",
        ("how many",),
    ),
    # "calendar year 2024", "the 2024 calendar year": the year
    (r"\bcalendar\s+(?=years?\b)", "", ("calendar",)),
    (r"\b(for|in|during|of)\s+(?:the\s+)?year\s+(?=20\d\d\b)", r"\1 ", ("year",)),
    (r"\b(20\d\d)\s+(?:calendar\s+)?year\b(?!\s+(?:to|over|on|vs)\b)", r"\1", ("year",)),
    # "which channels had a 2025 aov above $79": the measure's name, which a condition reads
    (
        r"\baov\s+(?=(?:above|over|below|under|of\s+(?:more|less|at|over|under))\b)",
        "average order value ",
        ("aov",),
    ),
    # "by department, showing product count and average retail price": with them
    (r",?\s+showing\s+(?=(?:the\s+|its\s+|their\s+|each\s+)?[a-z])", " with ", ("showing",)),
    # "how do 2025 units sold and revenue stack up?": those figures, side by side
    (r"\bhow\s+(?:do|does|did)\s+(.+?)\s+stack\s+up\s*(?=[?.!]|$)", r"\1", ("stack",)),
    # "products that have never once been ordered": never
    (r"\bnever\s+once\b", "never", ("once",)),
    # "the first quarter of 2025": Q1 2025
    *(
        (
            rf"\b(?:the\s+)?(?:{word}|{short})\s+quarter\s+(?:of\s+)?(?=20\d\d\b)",
            f"q{n} ",
            ("quarter",),
        )
        for n, word, short in (
            (1, "first", "1st"),
            (2, "second", "2nd"),
            (3, "third", "3rd"),
            (4, "fourth", "4th"),
        )
    ),
    # "plus a running total", "plus the count": one more column
    (r"\bplus\s+(?=(?:a|an|the|its|their)\b)", "and ", ("plus",)),
    (r"\binside\s+(?=each\b|every\b)", "within ", ("inside",)),
    # "days an item sits in stock before it sells", "... stays on the shelf until it is
    # sold": the days for an item to sell (whatever the rows are called: what sells is
    # an item).
    (
        r"\b(?P<unit>days|hours|weeks|time)\s+(?:(?:an?|the|each)\s+)?"
        r"(?P<thing>[a-z]+(?:\s+[a-z]+)?)\s+"
        r"(?:sits?|stays?|waits?|spends?|remains?|is\s+kept|lingers?)\s+"
        r"(?:(?:in\s+(?:stock|inventory|the\s+warehouse)|on\s+(?:the\s+)?shelf|unsold)\s+)?"
        r"(?:before|until)\s+(?:(?:it|they)\s+(?:(?:is|are|gets?|get)\s+)?(?:sells?|sold)|"
        r"selling|being\s+sold|sale)\b",
        r"\g<unit> for an item to sell",
        ("before", "until"),
    ),
    # "how many days does a unit stay in stock before it's sold", "how long did units sit
    # in stock before they sold", "days Outerwear & Coats units spent in stock before
    # selling": the days in stock (of the units named)
    (
        r"\b(?:how\s+many\s+days|how\s+long|(?:the\s+)?(?:number\s+of\s+)?"
        r"(?P<said>days))\s+(?:(?:does|do|did|will|would)\s+)?(?:(?:an?|the|each|our)\s+)?"
        r"(?P<thing>(?:[a-z&']+\s+){0,4}?)(?:units?|items?|products?|stock)\s+"
        r"(?:(?:typically|usually|normally|actually)\s+)?"
        r"(?:sit|sits|sat|stay|stays|stayed|spend|spends|spent|remain|remains|remained)\s+"
        r"in\s+(?:stock|inventory)\s+(?:before|until)\s+(?:(?:it|they)(?:'s|'re|\s+(?:is|are|was|"
        r"were|gets?|got))?\s+|being\s+)?(?:sold|selling|sells?)\b",
        lambda m: (
            ("days in stock" if m["said"] else "average days in stock")
            + (f" of {m['thing'].strip()}" if m["thing"].strip() else "")
        ),
        ("before", "until"),
    ),
    # "which 5 categories sit in stock the longest before selling, on average in days":
    # the most days in stock (on average)
    (
        r"\b(?:sit|sits|sat|stay|stays|stayed|spend|spends|spent|remain|remains|remained)\s+"
        r"in\s+(?:stock|inventory)\s+(?:the\s+)?(?P<most>longest|shortest)\s+(?:before|until)\s+"
        r"(?:(?:it|they)(?:'s|'re|\s+(?:is|are|was|were|gets?|got))?\s+|being\s+)?"
        r"(?:sold|selling|sells?)(?P<average>\s*,?\s+on\s+average)?(?:\s*,?\s+in\s+days)?\b",
        lambda m: (
            ("have the most" if m["most"] == "longest" else "have the fewest")
            + " days in stock"
            + (" on average" if m["average"] else "")
        ),
        ("before", "until"),
    ),
    # "days in stock before sale": the days in stock, which end at the sale
    (
        r"\b((?:days|time)\s+(?:in\s+(?:stock|inventory)|on\s+(?:the\s+)?shelf))\s+(?:before|until)"
        r"\s+(?:(?:it|they)\s+(?:(?:is|are|gets?)\s+)?)?(?:sale|selling|sells?|being\s+sold|sold)\b",
        r"\1",
        ("before", "until"),
    ),
    # "revenue split (by department) within each country": each one's part of the
    # group, a share
    (
        r"\bsplit\s+(?=(?:(?:by|across|between)\s+(?:[a-z']+\s+){1,3})?within\s+(?:each|every)\b)",
        "share ",
        ("split",),
    ),
    # "in ascending order": a direction, not the orders table's rows
    (r"\bin\s+(ascending|descending)\s+order\b", r"\1", ("order",)),
    # "which channel drives the most revenue": the one with the most
    (
        r"\b(?:drives?|drove|driving)\s+(?=(?:the\s+)?(?:most|least|highest|lowest|biggest|"
        r"largest|more|fewer|less)\b)",
        "has ",
        ("driv", "drove"),
    ),
    # "yearly revenue, all years": every year there is
    (
        r"\s*(?:,|\()\s*(?:over\s+|across\s+|for\s+)?all (?:the\s+)?years\s*\)?\s*(?=[?.!]*$)",
        ", all time",
        ("all years", "all the years"),
    ),
    # "customers who bought more than once": more than one order
    (
        r"\b(?:have\s+|has\s+|had\s+)?(?:bought|ordered|purchased|shopped)\s+"
        r"(?:from\s+us\s+)?more than once\b",
        "have more than 1 order",
        ("once",),
    ),
    # "users who never ordered - count by channel": the count, by channel
    (r"(?<=\w)\s*[-,:;]?\s+count\s+(?=by\b)", " ", ("count",)),
    # "Nov '25", "Q3 '24": a year written with two digits
    (
        r"\b((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|q[1-4])\s*'(\d\d)\b",
        r"\1 20\2",
        ("'",),
    ),
    # "... for the board pack", "for the exec deck": who the numbers are for (any other
    # name of what they are for is read by the planner, which knows the model's words)
    (
        r"\s*,?\s*\bfor\s+(?:the|our|my|a|an|this|next)\s+(?:(?:monthly|weekly|quarterly|annual|"
        r"board|exec|executive|leadership|management|investor|team|finance)\s+)*"
        r"(?:pack|deck|meeting|slides?|review|update|memo|presentation)\b",
        "",
        ("pack", "deck", "meeting", "slide", "review", "update", "memo", "presentation"),
    ),
    # "monthly P&L table for FY25: revenue, COGS, ...": the measures listed after it
    (
        r"\b(?:p\s*&\s*l|p\s+and\s+l|profit\s+and\s+loss)(?:\s+(?:table|statement|summary|"
        r"view|report))?\b",
        "",
        ("p&l", "p & l", "p and l", "profit and loss"),
    ),
    # "categories that ran a GM% above the overall": had
    (
        r"\bran\b(?=\s+(?:a\s+|an\s+)?(?:[\w%$]+\s+){0,3}?(?:above|below|over|under|higher|"
        r"lower)\b)",
        "had",
        ("ran",),
    ),
    # "rank countries by number of users": the countries, ranked by it
    (
        r"\brank\s+(?:the\s+|all\s+|our\s+)?(?!the\b|all\b|our\b)([a-z]+(?:\s+[a-z]+)?)\s+by\b",
        r"\1 ranked by",
        ("rank",),
    ),
    # "gender split of users": the split of users by gender (a share, as "split of" is);
    # "status breakdown of orders": the orders by status
    (
        r"\b(?!the\b|a\b|an\b|our\b)([a-z]+(?:\s+(?!of\b)[a-z]+)?)\s+(split|breakdown)\s+"
        r"of\s+(?:the\s+|our\s+|all\s+)?([a-z]+)\b",
        _split_of,
        ("split of", "breakdown of"),
    ),
    # "median transit time (ship to delivery), days": the unit, said last
    (r"\s*,\s*(?:in\s+)?(days|hours|minutes|weeks)\s*(?=[?.!]*\s*$)", r" in \1", (",",)),
    # "split by gender, n per group", "in $50 buckets, n orders per bucket": the count of
    # each row, which is the answer
    (
        r",?\s*\bn\s+(?:[a-z]+\s+)?per\s+(?:group|bucket|band|bin|cohort|segment|row|category)\b",
        "",
        ("n ",),
    ),
    # "n distinct session ids", "n users with 3+ orders", "n orders and n returned", "n who
    # ordered again": the number of them
    (r"(?:^|(?<=[\s(]))n\s+(?=who\b)", "the number ", ("n who",)),
    (
        r"(?:^|(?<=[\s(]))n\s*=?\s+(?=(?:distinct|unique|different|[a-z]+s|[a-z]+ed)\b)",
        "number of ",
        ("n",),
    ),
    # "ordered again the next calendar month": the next month
    (
        r"\b(next|following|previous|prior) calendar (month|year|quarter|week)\b",
        r"\1 \2",
        ("calendar",),
    ),
    # "ordered again the following month": the next one
    (r"\bthe following (day|week|month|quarter|year)\b", r"the next \1", ("following",)),
    # "AOV from year to year": per year
    (r"\b(?:from|over) (hour|day|week|month|quarter|year) to \1\b", r"per \1", (" to ",)),
    (r"\bcxl\b", "cancellation", ("cxl",)),
    # "orders during each month of 2025": in each month
    (r"\bduring (?:each|every) (hour|day|week|month|quarter|year)\b", r"in each \1", ("during",)),
    # "separately for Men and Women": each value its own row, as listed values are
    (r"\s*,?\s*\bseparately\b", "", ("separately",)),
    # "avg session length by browser, longest first": the largest first
    (r"\blongest\s+(?=first\b)", "highest ", ("longest",)),
    (r"\bshortest\s+(?=first\b)", "lowest ", ("shortest",)),
    (r"\bgimme\b", "give me", ("gimme",)),
    # "our 10 most valuable customers by lifetime revenue": the top 10 by it
    (r"\b(\d+)\s+most\s+valuable\b(?=.*\bby\b)", r"top \1", ("valuable",)),
    (r"\bmost\s+valuable\b(?=.*\bby\b)", "top", ("valuable",)),
    # "customers buying in 2025", "distinct buying customers": the buyers, as said
    (r"\bbuying\s+(?=customers?\b)|(?<=\bcustomers)\s+buying\b", " ", ("buying",)),
    # "how many items did customers buy": the items sold
    (
        r"\b(items?|units?)\s+did\s+(?:our\s+)?(?:customers|shoppers|buyers|people|users|we)\s+"
        r"(?:buy|purchase)\b",
        r"\1 sold",
        (" did ",),
    ),
    # "which browser accounts for the most sessions", "how many sessions did each browser
    # account for": a verb, not the users' accounts ("the top 10% account for" is a share)
    (
        r"\baccounts?\s+for\s+(?=the\s+(?:most|least|fewest|highest|lowest|largest|biggest|"
        r"smallest)\b)",
        "has ",
        ("account",),
    ),
    (
        r"\b(did|does|do)\s+each\s+([a-z]+(?:\s+[a-z]+)?)\s+account\s+for\b",
        r"\1 each \2 have",
        ("account for",),
    ),
    (r"\bacq\b", "acquisition", ("acq",)),
    (r"\bcvr\b", "conversion rate", ("cvr",)),
    (r"\bsrc\b", "source", ("src",)),
    (r"\bppl\b", "people", ("ppl",)),
    (r"\bfolks\b", "people", ("folks",)),
    (r"\bw/o\b", "without", ("w/o",)),
    (r"\bw/", "with ", ("w/",)),
    (r"\bvs\.", "vs", ("vs.",)),
    # "p25 / p50 / p90 delivery time", "min/max sale price": statistics listed, not a ratio
    (
        rf"\b(?P<stat>{_SLASHED_STAT})\s*/\s*(?={_SLASHED_STAT}\b)",
        r"\g<stat>, ",
        ("/",),
    ),
    (r"(?<=[a-z])/(?=[a-z])", " per ", ("/",)),
    # "for 2024 and 2025, each source's share of that year's sessions": each year's
    (r"\bthat\s+(?=(?:year|quarter|month|week|day)'s\b)", "each ", ("that",)),
    # "by the year of each customer's first order": of their first order
    (r"\b(?:each|every)\s+[a-z]+'s\s+(?=first\b)", "their ", ("'s first",)),
    # "all time is fine", "over all time": all time
    (r"\b(?:all|any)\s+time\s+is\s+(?:fine|ok|okay|good)\b", "all time", (" is ",)),
    (r"\bover\s+all\s+time\b", "all time", ("over all",)),
    # "... for calendar 2024 - could you tell me what it came to?": asks for what was said
    (
        r"\s*[-,]?\s*(?:could|can|would)\s+you\s+(?:please\s+)?(?:tell|let)\s+me\s+(?:know\s+)?"
        r"what\s+(?:it|that|this)\s+(?:came|comes|adds|added)\s+(?:up\s+)?to\s*(?=[?.!]|$)",
        "",
        ("you ",),
    ),
    # "std dev of sale_price, items sold", "avg and std dev of sale_price, items sold": the
    # statistics over the rows said after them
    (
        rf"^((?:what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+)?(?:the\s+)?{_STAT_SAID}"
        rf"(?:\s*(?:,|and|&|/)\s*(?:the\s+)?{_STAT_SAID})*\s+(?:of\s+)?(?:the\s+)?"
        r"(?:sale[\s_]price|price|cost|retail[\s_]price))\s*,\s*"
        r"(?=(?:items|units)\s+sold\b|sold\s+(?:items|units)\b)",
        r"\1 of ",
        (" sold",),
    ),
    # Careful English learnt after another language ("sorted after the year", "month for
    # month", "how high is the rate", "in the average"): said as a native speaker would.
    (
        r"\b(sort(?:ed)?|ordered|rank(?:ed)?|split|grouped|broken\s+down|divided)\s+after\b",
        r"\1 by",
        ("after",),
    ),
    # "the top 10 brands after revenue", "rank the states of Brasil after the number of
    # clients": ranked by it ("after the signup" stays a moment)
    (
        r"\b((?:(?:top|bottom|best|worst)\s+\d+|\d+\s+(?:top|bottom|best|worst|highest|lowest)|rank|"
        r"split|sort|group)\s+[a-z]+(?:\s+[a-z]+){0,4}?)\s+after\s+(?=(?:the\s+)?[a-z]+(?!\s+(?:date|day|"
        r"month|signup|sign|order|purchase|visit|event)\b))(?!(?:the\s+)?(?:first|last|signup|"
        r"registration|their|its|they|it|that|this|each|every)\b)",
        r"\1 by ",
        ("after ",),
    ),
    # "per country of the user", "split by the gender of the customer": the row's own
    (
        r"(\bby\s|\bper\s|\()\s*(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)\s+of\s+(?:the|their|its|each)\s+"
        r"(user|customer|buyer|product|order)s?\b(?!\s*')",
        r"\1\3's \2",
        (" of the", " of their", " of its", " of each"),
    ),
    (r"\bsum\s+of\s+the\s+(?!sale\s)", "total of the ", ("sum of the",)),
    # "the revenue of the year before", "the orders of the previous month": the prior one's
    (
        r"\bthe\s+(?!(?:same|period|stretch|time|start|end|first|last)\b)([a-z]+(?:\s+[a-z]+)?)"
        r"\s+of\s+the\s+(?:(?:previous|prior|preceding|last)\s+"
        r"(year|quarter|month|week)|(year|quarter|month|week)\s+before)\b",
        lambda m: f"the prior {m[2] or m[3]}'s {m[1]}",
        (" of the ",),
    ),
    (r"\bbeside\s+each\s+other\b", "side by side", ("beside",)),
    # "..., both values side by side", "of both countries side by side": the two shown so
    (
        r"\s*,?\s*(?:of\s+)?(?:both|the\s+two)\s+(?:values|figures|numbers|years|periods|countries|"
        r"markets|groups|ones)\s+(?=side\s+by\s+side\b)",
        " ",
        ("side by side",),
    ),
    # "the revenue of 2024 and the revenue of 2025": one measure of two years, set side by side
    (
        r"\b(?:the\s+)?(?P<m>[a-z]+(?:\s+[a-z]+)?)\s+(?:of|in|for)\s+(?P<a>(?:19|20)\d\d)\s+and\s+"
        r"(?:the\s+)?(?P=m)\s+(?:of|in|for)\s+(?P<b>(?:19|20)\d\d)\b",
        r"\g<m> \g<a> vs \g<b>",
        (" and ",),
    ),
    # "what revenue did they bring in": the rows just counted, said again
    (
        r"\b(what|how\s+much)\s+([a-z]+(?:\s+[a-z]+)?)\s+did\s+they\s+(?:bring\s+in|generate|make|"
        r"earn|produce)\b",
        r"\1 \2",
        (" they ",),
    ),
    # "H2 vs H1 gross profit: both halves and the % change", "both values": both figures
    # (never the revenue, which "value" names)
    (
        r"\bboth\s+(?:(?:halves|periods|quarters|months|weeks|years)(?=\s*,?\s*(?:(?:and|\+|&|with|"
        r"plus)\s+)?(?:the\s+)?(?:%|(?:percent|change|difference|growth|delta)\b))|values\b)",
        "both figures",
        ("both ",),
    ),
    (r"\b(month|quarter|year|week|day)\s+for\s+\1\b", r"\1 by \1", (" for ",)),
    (
        r"\bin\s+(?:the\s+)?order\s+of\s+the\s+(?:years|quarters|months|weeks|days)\b|"
        r"\bin\s+the\s+(?:right|correct|proper)\s+order\b",
        "in chronological order",
        ("order",),
    ),
    (
        r"\b(sort(?:ed)?|order(?:ed)?)\s+by\s+the\s+(year|quarter|month|week|day|date)\b",
        r"\1 by \2",
        ("by the",),
    ),
    (r"\bin\s+(?:the\s+)?average\b", "on average", ("average",)),
    (r"\bhow\s+(?:high|big|large)\s+(is|was|are|were)\s+", r"what \1 ", ("how ",)),
    (r"\bwhich\s+(share|percentage|%)\b", r"what \1", ("which ",)),
    (  # "over the whole time", "(whole time)"
        r"(?:\b(?:over|across|in|for)\s+the\s+|\(\s*(?:(?:over|across|in|for)\s+the\s+)?)"
        r"(?:whole|complete|entire|full)\s+(?:time|history)\b(?:\s*\))?",
        " all time ",
        ("time", "history"),
    ),
    (  # "over the store's whole history", "across our history": all of it
        r"\b(?:over|across|in|for|during|through(?:out)?)\s+(?:the\s+store's|our|the\s+shop's)\s+"
        r"(?:(?:whole|complete|entire|full)\s+)?history\b",
        " all time ",
        ("history",),
    ),
    (  # "over the life of the store"
        r"\b(?:over|during|across|in)\s+the\s+(?:whole\s+|entire\s+)?life(?:time)?\s+of\s+"
        r"the\s+(?:store|shop|business|company)\b",
        " all time ",
        ("life",),
    ),
    # "from March 2025 until today": every day since; "until now" alone adds nothing
    (
        r"\b(?:until|till|up\s+to|to)\s+(?:now|today|date)\b",
        _until_now,
        ("until", "till", "to now", "to today", "to date"),
    ),
    (r"\b(from\s+\d{4})\s+(?:until|till)\s+(\d{4})\b", r"\1 to \2", ("until", "till")),
    (r",?\s*\ball\s+statuses\s+together\b", ", all statuses", ("together",)),
    (r"\b(registered|signed\s+up)\s+themselves\b", r"\1", ("themselves",)),
    (r"\bin\s+the\s+moment\b", "at the moment", ("moment",)),
    (
        r"\b(came|come|comes|coming)\s+(?:to\s+us\s+)?over\s+(?!(?:the\s+)?(?:year|month|"
        r"quarter|week|day|time)s?\b)",
        r"\1 via ",
        (" over ",),
    ),
    # "2025 order values in $50 buckets": how the values spread, as "distribution of"
    # says (not after "by" or a distribution already named)
    (
        r"\b((?:[a-z]+\s+)?values)(?=\s+in\s+\$?\d+(?:\.\d+)?\s*(?:-\s*)?(?:dollar\s+)?"
        r"(?:buckets|bins)\b)",
        _values_spread,
        ("values",),
    ),
    # "average number of events per website session": per session (a session is one on
    # the website)
    (
        r"\b(per|each|every|a|an|one|(?:the|an?)\s+(?:average|typical))\s+(?:website|web|online|"
        r"site)\s+(?=(?:session|visit)s?\b)",
        r"\1 ",
        ("web", "online", "site"),
    ),
    # "histogram of sale price for items sold, $50 buckets": in buckets of that width
    (
        r",\s*(?=\$?\d+(?:\.\d+)?\s*(?:-\s*)?(?:dollar\s+|year\s+|day\s+)?(?:buckets|bins)\b)",
        " in ",
        ("buckets", "bins"),
    ),
    # "only counting brands with at least 100 order items": only those brands
    (
        r"\bonly\s+counting\s+(?=(?:the\s+)?[a-z]+\s+(?:with|that|which|who|having)\b)",
        "only ",
        ("counting",),
    ),
    # "the delivery time quartiles in days - 25th, 50th and 75th": the quartiles said again
    (
        r"\bquartiles\b(?P<mid>[^-:(?.]*?)\s*(?:[-:]\s*|\(\s*)(?:the\s+)?(?:25th|p25)\s*,\s*"
        r"(?:50th|p50|median)\s*,?\s*(?:and|&)\s*(?:75th|p75)(?:\s+percentiles?)?\s*\)?",
        r"quartiles\g<mid>",
        ("quartiles",),
    ),
    # "top 10 brands by product count, ties alphabetical": ties are broken by name anyway
    (
        r",?\s*\(?\s*(?:with\s+)?ties\s+(?:broken\s+)?(?:alphabetical(?:ly)?|by\s+name|"
        r"a\s*-\s*z|a\s+to\s+z)\s*\)?(?=\s*(?:[,.;?!]|$))",
        "",
        ("ties",),
    ),
    # "orders still stuck in Processing": in it
    (r"\bstuck\s+in\s+(?=[a-z])", "in ", ("stuck",)),
    # "on 24.11.2025", "(01.12.2025 until 31.12.2025)": a day written day.month.year
    (
        r"\b(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.((?:19|20)\d\d)\b",
        lambda m: f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}",
        (".",),
    ),
    (r"\b(\d{4}-\d\d-\d\d)\s+(?:until|till)\s+(?=\d{4}-\d\d-\d\d\b)", r"\1 to ", ("until", "till")),
    # "stock value at cost": the stock's value, which is what it cost
    (r"\b(stock|inventory)\s+value\s+at\s+cost\b", r"\1 value", ("at cost",)),
    # "value at cost of unsold stock": what it cost
    (r"\bvalue\s+at\s+cost\b", "cost", ("at cost",)),
    # "revenue divided by the number of customers": revenue per customer
    (r"\bdivided\s+by\s+(?=(?:the\s+)?(?:number|count|total)\s+of\b)", "per ", ("divided",)),
    (r"#\s*(?:of\s+)?", "number of ", ("#",)),
    # "which weekdays had the most revenue? show all seven": every weekday
    (
        r"\b(?P<verb>show|list|give|include)\s+(?:me\s+)?all\s+(?P<n>seven|7|twelve|12|four|4|24)\b"
        r"(?:\s+(?:days|weekdays|months|quarters|hours)\b)?",
        _all_periods,
        ("all ",),
    ),
    # "what revenue did each bring in": of each value listed or each row
    (
        r"\b(did|does|do)\s+each(?:\s+one)?\s+(?=bring|generate|make|earn|produce)",
        _each_brought,
        ("each",),
    ),
    # "how many new customers did we add each month": gained, which they are
    (r"\b(?:did|do)\s+we\s+(?:add|gain|acquire|win|pick\s+up)\b", " ", (" we ",)),
    # "growth in % terms": in %
    (r"\bin\s+(?:%|percent(?:age)?|relative)\s+terms\b", "in %", ("terms",)),
    # "during Black Friday week 2025 (Nov 24 to Nov 30)": the dates the name stands for
    (
        r"\s*\b(?:(?:during|on|over|for|in|from)\s+)?(?:the\s+)?"
        + _NAMED_DAY
        + r"(?:\s+(?:week|weekend))?(?:\s+(?P<year>(?:19|20)\d\d))?\s*(?:\(\s*(?P<dates>"
        + _DATES_SAID
        + r")\s*\)|,?\s*(?P<bare>"
        + _DATES_SAID
        + r"))",
        _named_day_dated,
        ("(", "friday", "monday", "saturday", "thanksgiving", "christmas", "day", "eve", "easter"),
    ),
    # "from Black Friday to Cyber Monday, Nov 28 to Dec 1, 2025": the dates said after
    (
        r"\b(?:from|between)\s+"
        + _NAMED_DAY
        + r"\s+(?:to|and|through|until)\s+"
        + _NAMED_DAY
        + r"\s*,\s*(?:from\s+)?(?="
        + _MONTH_DAY
        + ")",
        "from ",
        ("from", "between"),
    ),
    # "cart events fired on Dec 1": the events, which are fired anyway
    (r"\b(events?)\s+(?:were\s+|got\s+)?(?:fired|triggered)\b", r"\1", ("fired", "triggered")),
    # "customers acquired through Facebook": the customers from that channel
    (
        r"\b(customers|users|buyers|shoppers|clients)\s+(?:(?:who|that)\s+(?:were|we)\s+)?"
        r"acquired\s+(?:through|via|from|by|on)\s+",
        r"\1 from ",
        ("acquired",),
    ),
    # "how many clients did buy something": bought, said with weight
    (
        r"\b(clients|customers|users|buyers|shoppers|people|who)\s+did\s+(buy|purchase|order)\b",
        lambda m: f"{m[1]} {_PAST[m[2]]}",
        ("did ",),
    ),
    # "active users (signed-in)": what active users are anyway
    (
        r"\b(active\s+users)\s*\(\s*(?:only\s+)?(?:signed|logged)[- ]?in(?:\s+users)?"
        r"(?:\s+only)?\s*\)",
        r"\1",
        ("signed", "logged"),
    ),
    # "users 65+", "users are 65 plus": aged 65 or more
    (
        r"\b(users|customers|clients|people|shoppers|buyers)\s+(?:(?:are|who\s+are|aged)\s+)?"
        r"(\d{1,3})\s*(?:\+|plus\b)",
        r"\1 aged \2+",
        ("+", "plus"),
    ),
    # "15,5%": a decimal comma before a percent sign
    (r"(?<![\d,])(\d{1,3}),(\d{1,2})\s*%", r"\1.\2%", (",",)),
    # "for Brasil and for China, the two markets": the values listed, counted again
    (
        r"(\band\b[^,]*),\s*(?:the|those|these)\s+(?:two|three|four|2|3|4)\s+[a-z]+\s*(?=[.?!]*$)",
        r"\1",
        ("two", "three", "four", "2", "3", "4"),
    ),
    # "the youngest, the oldest and the average age": statistics listed before one noun
    (
        r"(,|\band)\s+the\s+(?=(?:youngest|oldest|min(?:imum)?|max(?:imum)?|average|avg|mean|"
        r"median|lowest|highest|smallest|largest|cheapest|priciest|earliest|latest|newest)\b)",
        r"\1 ",
        ("the ",),
    ),
    # "how long is a typical website visit", "how long is a session on the website in the
    # average": the average session length
    (
        r"\bhow\s+long\s+(?:is|was|are|were)\s+(?:a|an|the|each|one)\s+(?:typical\s+|average\s+)?"
        r"(?:(?:website|web|site|online)\s+)?(?:session|visit)s?(?:\s+on\s+(?:the|our)\s+"
        r"(?:website|site|web))?(?:,?\s+(?:in\s+the\s+|on\s+)average)?",
        "average session length",
        ("how long",),
    ),
    # "average length of a website session": the session length
    (
        r"\b(length|duration)\s+of\s+(?:a|an|the|each|one)\s+(?:(?:website|web|site|online)\s+)?"
        r"(session|visit)s?\b",
        r"\2 \1",
        ("length of", "duration of"),
    ),
    # "in whole minutes, first to last event": minutes, what a session's length is in
    (
        r"(,?\s*\bin\s+(?:whole\s+)?minutes)(?:\s*\(\s*"
        + _FIRST_TO_LAST
        + r"\s*\)|\s*,?\s+"
        + _FIRST_TO_LAST
        + r"\b)",
        r"\1 ",
        ("first to",),
    ),
    # "for the week starting Monday, Dec 1 2025", "in the week of Dec 3, 2025": its seven days
    (
        r"\s*\b(?:(?:for|in|during|over)\s+)?the\s+week\s+(?P<how>starting|beginning|commencing|of)"
        r"\s+(?:on\s+)?(?:(?:monday|mon)\.?,?\s+)?(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
        r"nov|dec)[a-z]*)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
        _week_dated,
        ("week",),
    ),
    # "top 10 of the visitor cities": the top 10 of them
    (r"\b(top|bottom)\s+(\d+)\s+of\s+(?:the|our|all)\s+(?=[a-z])", r"\1 \2 ", (" of ",)),
    # "Hi team, ...", "Hello all - ...": a greeting at the start asks for nothing
    (
        r"^\s*(?:hi|hello|hey|dear)(?:\s+(?:team|all|there|everyone|folks|guys))?\s*[,!:.-]\s*",
        "",
        ("hi", "he", "dear"),
    ),
    # "okay so what was ...", "um how many ...", "hey can you ...": words said aloud
    # before a question ask for nothing
    (
        r"^\s*(?:(?:okay|ok|so(?!\s+far\b)|um+|uh+|erm?|hmm+|hey|alright|yeah)\b\s*[,.!-]?\s*)+(?=[a-z])",
        "",
        ("ok", "so", "um", "uh", "er", "hmm", "hey", "alright", "yeah"),
    ),
    # "havent", "didnt": a shortened word said without its apostrophe
    (
        r"\b(have|has|had|do|does|did|is|are|was|were|could|would|should|ca|wo)nt\b",
        r"\1n't",
        ("nt",),
    ),
    # "how many users came from each one": each of those named before it
    (
        r"\s+(?:from|for|in|at|of)\s+(?:each|every)\s+(?:one|1)\b(?!\s*(?:of|%|percent)\b)",
        " ",
        ("each one", "every one", "each 1", "every 1"),
    ),
    # "of there 2025 orders", "show there revenue": their, said as it sounds
    (
        r"\b(of|show|with|for|from|by|and)\s+there\b(?!\s+(?:is|are|was|were|be|been|any|will|"
        r"has|have|had|isn't|aren't|wasn't|weren't)\b|\s*[?.!,]|\s*$)",
        r"\1 their",
        ("there",),
    ),
    # Said aloud: "first versus repeat orders"; "the youngest oldest and average age" and
    # "like one order two orders and so on" with the commas one hears
    (r"\bversus\b", "vs", ("versus",)),
    (
        r"\b(youngest|oldest|min|max|minimum|maximum)\s+(?=(?:youngest|oldest|min|max|minimum|"
        r"maximum)\b)",
        r"\1, ",
        ("youngest", "oldest", "min", "max"),
    ),
    (
        r"\blike\s+(?=(?:how\s+many\s+[a-z]+\s+(?:had|have|with)\s+)?\d+\s+[a-z]+\s+\d)",
        "",
        ("like",),
    ),
    # "how many days until they ship": the days to ship
    (
        r"\b(days?|hours?|weeks?|time)\s+until\s+(?:they|it|the\s+[a-z]+)\s+"
        r"(?:(?:are|is|get|gets|were|was)\s+)?(ship|deliver|arrive)(?:ed|d|s)?\b",
        r"\1 to \2",
        ("until",),
    ),
    # "Jan-Jun 2025 revenue vs Jul-Dec 2025": the two halves of the year, compared
    (
        r"\b(?:jan(?:uary)?)\.?\s*(?:-|to|through|thru)\s*(?:jun(?:e)?)\.?,?\s+(20\d\d)\b"
        r"(?=.*\b(?:vs|versus|against|compared)\b.*\bjul)",
        r"h1 \1",
        ("jun",),
    ),
    (
        r"(?<=\bh1 20\d\d\b)(?P<between>.*?\b(?:vs|versus|against|compared\s+(?:with|to))\s+)"
        r"jul(?:y)?\.?\s*(?:-|to|through|thru)\s*dec(?:ember)?\.?,?\s+(?P<y>20\d\d)\b",
        r"\g<between>h2 \g<y>",
        ("jul",),
    ),
    # "..., prior-year AOV included": the figure of the period before, shown with it
    (
        r",\s*(?P<what>(?:the\s+)?(?:prior|previous|preceding)[\s-]+(?:year|quarter|month|week|day)"
        r"(?:'s)?\s+[a-z0-9 %'-]{1,30}?)\s+included\s*(?=[.?!]*\s*$)",
        r", with \g<what>",
        ("included",),
    ),
    # "per session_id", "count distinct product_id": a key column said by its name, as
    # the thing it keys ("per session", "distinct products")
    (r"\b(per|each|every)\s+(session|order|product|user|customer)\s+id\b", r"\1 \2", (" id",)),
    (
        r"\b(distinct|unique)\s+(session|order|product|user|customer)\s+ids?\b",
        r"\1 \2s",
        (" id",),
    ),
    # "25th 50th and 90th percentile", as heard: a list of ordinals
    (r"\b(\d{1,2}(?:st|nd|rd|th))\s+(?=\d{1,2}(?:st|nd|rd|th)\b)", r"\1, ", ("th ",)),
    # Said to a voice assistant: "... real quick", "how're we doing
    # on average order value in the UK", "how'd Germany do on revenue in H1 vs H2"
    (r"[,.]?\s*\b(?:real|really|super)\s+quick(?:ly)?\b", "", ("quick",)),
    (
        r"\bhow(?:'re|\s+are)\s+we\s+doing\s+(?:on|with|for|in\s+terms\s+of)\s+",
        "",
        ("doing",),
    ),
    (
        r"\bhow(?:'d|\s+did)\s+(?P<who>[a-z][\w' ]{0,40}?)\s+do\s+"
        r"(?:on|with|for|in\s+terms\s+of)\s+",
        r"\g<who> ",
        (" do ",),
    ),
    # "walk me through the ... funnel": show it
    (r"\b(?:walk|take|talk)\s+(?:me|us)\s+through\b", "show me", ("through",)),
    # "how long is transit time on average": the average of it
    (
        r"\bhow\s+long\s+(?:is|was)\s+(?:the\s+|our\s+)?(?P<what>[a-z]+(?:\s+[a-z]+)?\s+time)"
        r"\s+on\s+average\b",
        r"average \g<what>",
        ("on average",),
    ),
    # "top 3 customers by revenue ... just the user id and revenue": the columns, said
    # without the colon
    (
        r"\s+(?:just|only)\s+(?:the\s+|their\s+)?(?=(?:(?:user|customer|product|order|center|dc)"
        r"\s+)?(?:id|ids|name|names)\b)",
        ": ",
        ("just", "only"),
    ),
    # "what % of users have ever ordered": placed an order (said whole, at the end of a
    # clause)
    (
        r"\b(have|has)\s+(?:ever\s+)?ordered\b(?=\s*(?:[?.!,;:]|$|by\b|per\b|in\s+each\b|w/|"
        r"with\b|at\s+all\b|at\s+least\s+once\b))",
        r"\1 placed an order",
        ("ordered",),
    ),
    # "2025 sign-ups: % who ...", "2025 sign-ups by channel: % who ...": signups, one word
    (r"^((?:\d{4}\s+)?)sign[\s-]ups\b(?=[^:]*:)", r"\1signups", ("sign",)),
    # "of 2025 sign-ups, what % ordered within 30 days": "2025 signups: % who ordered ..."
    (
        r"\bof\s+(?:the\s+|our\s+)?(?P<year>\d{4}\s+)?(?:sign[\s-]?ups|signups)\s*,\s*what\s+"
        r"(?:%|percent(?:age)?|share|proportion)\s+(?:of\s+them\s+)?(?=(?:ordered|bought|purchased|"
        r"placed|made)\b)",
        r"\g<year>signups: % who ",
        ("what",),
    ),
    # "2025 sign-ups by acquisition channel: % who ordered within 7 days": the % by it
    (
        r"^(?P<who>(?:\d{4}\s+)?(?:signups|users|customers))\s+(?P<by>by\s+[a-z ]+?)"
        r"\s*:\s*(?P<rest>(?:%|percent|share|pct)\s+(?:who|that)\b[^?.!]*)",
        r"\g<who>: \g<rest>, \g<by>",
        (":",),
    ),
    # "age profile of all our users": the users by their age
    (
        r"\bage\s+(?:profile|mix|breakdown)\s+of\s+(?:all\s+)?(?:our\s+)?(users|customers|buyers|"
        r"signups|members)\b",
        r"\1 by age",
        ("profile", "mix", "breakdown"),
    ),
    # "2025 signups: % who ordered within 7 days": the % of them
    (
        r"^(?P<who>(?:\d{4}\s+)?(?:signups|users|customers|orders|sessions))\s*:\s*(?:the\s+)?"
        r"(?:%|percent|share|pct)\s+(?=(?:who|that|which|with)\b)",
        r"% of \g<who> ",
        (":",),
    ),
    # A tile's shorthand: "(Q1-Q4)", "whole product catalog", "$ diff", "rev desc",
    # "both + % change"
    (r"\bq([1-4])\s*-\s*q([1-4])\b", r"q\1 to q\2", ("q",)),
    (
        r"\b(?:the\s+)?(?:whole|entire|full)\s+(?:product\s+)?catalog(?:ue)?\b",
        "all products",
        ("catalog",),
    ),
    (r"(?:\$\s*diff(?:erence)?|\bdiff(?:erence)?\s+in\s+\$)", "the difference in $", ("diff",)),
    (r"\bdiff\b", "difference", ("diff",)),
    (r"\bdesc\b", "descending", ("desc",)),
    (r"\basc\b", "ascending", ("asc",)),
    (r"\bboth\s*\+\s*(?=%|pct\b|percent)", "both and the ", ("both",)),
    # "... Thanks in advance.": a thanks at the end
    (
        r"[,.?!]?\s*(?:thanks|thank\s+you)(?:\s+(?:so|very)\s+much)?\s+in\s+advance\s*[.!]*\s*$",
        "",
        ("advance",),
    ),
    # "in 03/2025", "11/2025": a month by its number, then its year
    (
        r"(?<![\d/.,])(?P<month>0?[1-9]|1[0-2])/(?P<year>(?:19|20)\d\d)\b(?![/.,]?\d)",
        _month_numbered,
        ("/",),
    ),
    # "home > product > cart > purchase": steps in a row, not "more than"
    (r"\b[a-z]+(?:\s*>\s*[a-z]+){2,}\b", _stepped, (">",)),
    (r">=\s*", "at least ", (">=",)),
    (r"<=\s*", "at most ", ("<=",)),
    (r">\s*", "more than ", (">",)),
    (r"<\s*", "less than ", ("<",)),
)
_SHORTHAND = [
    (re.compile(pattern), word, needles, pattern.startswith(r"\b(\d+)"))
    for pattern, word, needles in _SHORTHAND_RULES
]
_DIGIT = re.compile(r"\d")


#: The value of the period before each, asked beside a series' growth: "the prior year's
#: figure", "w/ prior month's revenue", "the week before's count", "the previous month's".
_PREVIOUS_SHOWN = re.compile(
    r"(?:,?\s*(?:w/|with|and|plus)\s+|(?<=[?.,;]\s))?(?:the\s+)?(?:(?:prior|previous|preceding|"
    r"last)\s+(?:year|quarter|month|week|day|period)|(?:year|quarter|month|week|day|period)\s+"
    r"before)'s(?P<what>\s+(?:[a-z$]+\s+)?[a-z$]+)??(?=\s*(?:[,.;?!]|(?:,\s*)?(?:and|&)\b|$))"
    r"(?P<joined>\s*,?\s*(?:and|&)\s+(?=(?:the\s+)?(?:[a-z-]+\s+)?(?:%|percent|growth|change|"
    r"yoy|mom|wow)))?",
    re.IGNORECASE,
)
#: Words for the value of a period, whatever its measure.
_FIGURE_WORDS = frozenset("figure figures value values number numbers count total amount".split())
#: Words that ask for the change of a series from each period to the next.
_SERIES_CHANGE = re.compile(
    r"%\s*change|percent(?:age)?\s+change|growth|\b(?:yoy|mom|wow|qoq)\b|over[-\s](?:year|"
    r"month|quarter|week)|month\s+to\s+month|year\s+to\s+year",
    re.IGNORECASE,
)


def _previous_shown(match: re.Match[str]) -> str:
    """``_PREVIOUS_SHOWN`` left out where the question asks for the change as well, and
    what it names is a figure ("the prior year's figure") or named before it ("revenue
    ..., w/ prior month's revenue"); "items sold ... with the prior year's revenue" asks
    for another measure."""
    if not _SERIES_CHANGE.search(match.string):
        return match[0]
    said = (match["what"] or "").split()
    before = match.string[: match.start()].lower()
    if (
        said
        and not set(said) <= _FIGURE_WORDS
        and not all(re.search(rf"\b{re.escape(word.lower())}\b", before) for word in said)
    ):
        return match[0]
    joined = match["joined"] and re.match(r",?\s*(?:w/|with|plus)\s", match[0], re.IGNORECASE)
    return ", with " if joined else " "


#: A clause that asks a question of its own: "Which brands are good?", "Is revenue ok?".
_ASKED_OF = re.compile(
    r"\s*(?:which|what|who|whose|how|are|is|was|were|do|does|did)\b", re.IGNORECASE
)


#: What a clause said to be enough is of: a period, the answer's shape or its rows.
_ENOUGH_OF = re.compile(
    r"\b(?:all\s+time|lists?|counts?|numbers?|figures?|totals?|one|this|that|it|by|per|each|"
    r"ballpark|rough)\b",
    re.IGNORECASE,
)


def _enough_said(clause: str) -> bool:
    """Whether ``clause`` said to be "fine" or "great" is the answer asked ("all time",
    "a plain list", "returned items by category"), not a question of its own ("Which
    brands are good?", or "brands are good" as a reader reads it)."""
    return _ENOUGH_OF.search(clause) is not None and not _ASKED_OF.match(clause)


def _clause_before(match: re.Match[str]) -> str:
    """The words of ``match``'s clause before it: from the last mark that ends one."""
    before = match.string[: match.start()]
    return re.split(r"[?.!,;:]", before)[-1]


def _people_gender(said: re.Match[str]) -> str:
    """ "men clients" as "male clients", "women and men customers" as "female and male
    customers" (``SAID_PLAINLY``)."""

    def gender(word: str) -> str:
        return "female" if word.lower().startswith("wo") else "male"

    if said["value"]:
        return f"{gender(said['value'])}{said['between']}{gender(said['other'])}"
    two = f"{said['and'][: -len(said['two'])]}{gender(said['two'])}" if said["and"] else ""
    return f"{gender(said['one'])}{two}"


#: Requests said around a list's columns, rewritten on the words as typed (readers of
#: lists read those): "? Please list each one with its id and name." is ", with id and
#: name"; "the time each one was placed" is the order time.
SAID_PLAINLY = (
    # "what share of 2025 revenue did each month bring in": each month's share of it
    (
        re.compile(
            r"\b(?:what|which)\s+(?:share|percentage|%|percent|proportion|fraction)\s+of\s+"
            r"(?P<what>[\w' ]{2,60}?)\s+(?:did|does|do|came|comes|come)\s+(?:from\s+)?"
            r"(?:each|every)\s+(?P<grain>month|quarter|week|day|year|weekday)"
            r"(?:\s+(?:bring\s+in|brings\s+in|account\s+for|make\s+up|contribute|generate))?\b",
            re.IGNORECASE,
        ),
        r"each \g<grain>'s share of \g<what>",
    ),
    # "how much is our unsold stock worth (at cost)": its value
    (
        re.compile(
            r"\bhow\s+much\s+(?:is|are)\s+"
            r"(?P<what>(?:(?:our|the|all|all\s+the)\s+)?[a-z][a-z ]{1,40}?)\s+worth\b",
            re.IGNORECASE,
        ),
        r"what is the value of \g<what>",
    ),
    # Said to a voice assistant: "read me the ids and names of ...": show them
    (re.compile(r"\bread\s+(?:me|us|out)\s+(?=the\b|all\b|our\b)", re.IGNORECASE), "show me "),
    # "Which categories are there in the Men department? List them, please.": the rows
    # the question asks for, asked again; "all the 7 weekdays": every weekday
    (
        re.compile(
            r"(?<=[?.])\s*(?:please\s+)?(?:list|show|give\s+me)\s+(?:them|these|those)(?:\s+all)?"
            r"(?:\s*,?\s*please)?\s*[.!]?\s*$",
            re.IGNORECASE,
        ),
        lambda m: "" if re.match(r"\s*(?:which|what)\b", m.string, re.IGNORECASE) else m[0],
    ),
    (
        re.compile(
            r"\ball\s+(?:the\s+)?(?:7\s+(?P<w>weekdays|days\s+of\s+the\s+week)|12\s+(?P<m>months)|"
            r"4\s+(?P<q>quarters))\b",
            re.IGNORECASE,
        ),
        lambda m: f"all the {m['w'] or m['m'] or m['q']}",
    ),
    # Careful English learnt after another language, read on the words as typed: "the 3
    # categories with more returned items" (the most), "orders that entered" (were
    # placed), "the quantity of orders" (their number), "users that have 65 years" (are
    # 65 years old), "month after month" (month by month)
    (
        re.compile(
            r"\b(?P<lead>(?:\d{1,3}|which\s+(?:is|was)\s+the)\s+(?:[a-z&'-]+\s+){1,4}?"
            r"(?:with|having|(?:that|which)\s+(?:have|has|had|made|sold|got|generated|brought))"
            r"\s+)(?P<dir>more|fewer|less)\b(?![^.?!]*\bthan\b)",
            re.IGNORECASE,
        ),
        lambda m: f"{m['lead']}the {'most' if m['dir'].lower() == 'more' else 'fewest'}",
    ),
    (
        re.compile(r"\b(orders?)\s+(that\s+|which\s+)?(?:entered|came\s+in)\b", re.IGNORECASE),
        r"\1 \2were placed",
    ),
    (
        re.compile(
            r"\b(?:quantity|amount)\s+of\s+(?=(?:the\s+|our\s+)?(?:orders|order\s+items|items|"
            r"users|customers|clients|products|sessions|events|returns|signups|buyers|visits|"
            r"brands|categories|units|articles)\b)",
            re.IGNORECASE,
        ),
        "number of ",
    ),
    (
        re.compile(r"\b(?:have|has)\s+(\d{1,3})\s+years(?:\s+old)?\b", re.IGNORECASE),
        r"are \1 years old",
    ),
    (
        re.compile(r"\b(month|quarter|year|week|day)\s+after\s+\1\b", re.IGNORECASE),
        r"\1 by \1",
    ),
    # "the men clients and the women clients", "women customers": people said as men or
    # women are of that gender ("Men vs Women" alone may be the department)
    (
        re.compile(
            r"\b(?P<value>(?:wo)?m[ae]n)(?P<between>\s+(?:clients?|customers?|users?|buyers?|"
            r"shoppers?)\s+(?:and|or|vs\.?|versus)\s+(?:the\s+|our\s+)?)(?P<other>(?:wo)?m[ae]n)"
            r"(?=\s+(?:clients|customers|users|buyers|shoppers)\b)|\b(?P<one>(?:wo)?m[ae]n)"
            r"(?P<and>\s+(?:and|or|vs\.?|versus|&)\s+(?P<two>(?:wo)?m[ae]n))?"
            r"(?=\s+(?:clients?|customers?|users?|buyers?|shoppers?)\b)",
            re.IGNORECASE,
        ),
        _people_gender,
    ),
    (
        re.compile(
            r"\?\s*(?:please\s+)?(?:list|show|give)\s+(?:me\s+)?(?:each(?:\s+one)?|them|these|"
            r"those)\s+with\s+(?:its|their)\s+",
            re.IGNORECASE,
        ),
        ", with ",
    ),
    (
        re.compile(
            r"\bthe\s+(?:time|date|timestamp)\s+(?:(?:each\s+one|it)\s+)?(?:was\s+)?placed\b",
            re.IGNORECASE,
        ),
        "the order time",
    ),
    # "? I want inventory units, sold units and the rate.": the figures to show
    (
        re.compile(
            r"([?.;])\s*(?:i\s+(?:just\s+|really\s+)?(?:want|need|would\s+like)|i'd\s+like)\s+"
            r"(?:to\s+see\s+)?(?!to\b|if\b|whether\b|how\b)",
            re.IGNORECASE,
        ),
        r"\1 Show ",
    ),
    # "the first 5 users to sign up from japan": the earliest rows, in time order
    (
        re.compile(r"\bfirst\s+(\d+)\s+(?=(?:users|orders|order\s+items|events)\b)", re.IGNORECASE),
        r"earliest \1 ",
    ),
    # "How many orders were placed in each year? Please list them in year order.": the
    # order of the figures asked
    (
        re.compile(
            r"\s*[?.]\s*(?:please\s+)?(?:list|show|give|sort|order|put)\s+(?:me\s+)?(?:them|these|"
            r"those|the\s+results?)\s+(?=in\s+(?:[a-z]+\s+)?order\b)",
            re.IGNORECASE,
        ),
        ", ",
    ),
    # "the order return rate for each year's orders": by the orders' year
    (
        re.compile(
            r"\b(?:for|of|in)\s+each\s+(year|quarter|month|week|day)'s\s+(?=(?:orders|order\s+items|"
            r"items|sessions)\b)",
            re.IGNORECASE,
        ),
        r"by \1 of ",
    ),
    # "the item and returned counts", "the item count and returned count": the items and
    # the returned items, as the figures behind a rate are said
    (
        re.compile(
            r"\b(?:the\s+)?(item|order|unit|session|user|customer)(?:\s+count)?\s+(?:and|&)\s+"
            r"(?:the\s+)?(returned|cancelled|canceled|sold|shipped|delivered|converted|repeat)\s+"
            r"(?:count|number|total)s?\b",
            re.IGNORECASE,
        ),
        r"the \1s and the \2 \1s",
    ),
    # "... show the item and returned counts with each.": with each row anyway
    (re.compile(r"\s+(?:with|beside|next\s+to)\s+each(?:\s+one)?(?=\s*[.?!]*\s*$)", re.I), ""),
    # "... show no. of orders and no. cancelled as well": the figures asked, said once
    (re.compile(r",?\s+(?:as\s+well|too)\s*(?=[?.!]*$)", re.IGNORECASE), ""),
    # "the prior year's figure and the % change for each", "w/ prior month's revenue": the
    # value before each period, which a series with its growth shows anyway
    (_PREVIOUS_SHOWN, _previous_shown),
    # "what did we bring in over the last 90 days": the shop's revenue
    (
        re.compile(
            r"\b(?:how\s+much|what)\s+(?:money\s+)?did\s+(?:we|the\s+(?:shop|store|business|"
            r"company))\s+(?:actually\s+)?(?:bring\s+in|take\s+in|rake\s+in|earn|make)\b"
            r"(?!\s+(?:in|of|on)\s+(?:profit|margin|gross|cost|net|orders|items|units)\b)",
            re.IGNORECASE,
        ),
        "what was revenue",
    ),
    # "how much did Jeans bring in during H1 2025": the revenue of the rows named
    (
        re.compile(
            r"\bhow\s+much\s+(?:money\s+)?did\s+(?!(?:we|you|i|they|the\s+(?:shop|store|"
            r"business|company))\b)(?P<who>[^?.!,;:]{1,40}?)\s+(?:bring\s+in|take\s+in|earn|make|"
            r"generate)\b(?![^?.!]*\b(?:profit|margin|gross|cost|net|orders|items|units)\b)",
            re.IGNORECASE,
        ),
        r"what was the revenue of \g<who>",
    ),
    # "How many orders don't have a ship date on them?": have none
    (
        re.compile(
            r"\b(?:don't|do\s+not|doesn't|does\s+not)\s+have\s+an?\s+(?=[a-z]+\s+date\b)",
            re.IGNORECASE,
        ),
        "have no ",
    ),
    (re.compile(r"(\bdate)\s+on\s+(?:them|it)\b", re.IGNORECASE), r"\1"),
    # "just the two counts side by side": both measures asked, as they are shown
    (
        re.compile(
            r"[,?.]?\s*\b(?:just\s+(?:the\s+)?(?:two|both)\s+(?:counts|numbers|figures)(?:\s+side"
            r"\s+by\s+side)?|(?:the\s+)?(?:two|both)\s+(?:counts|numbers|figures)\s+side\s+by\s+"
            r"side)(?=\s*(?:[.!?]|$))",
            re.IGNORECASE,
        ),
        "",
    ),
    # "How are our orders spread by how many items are in them": distributed
    (
        re.compile(r"\b(are|is)\s+(\w+\s+)?(\w+)\s+spread\s+(?=by|across|over)", re.I),
        r"\1 \2\3 distributed ",
    ),
    # "at least one order end up in Returned status": in it
    (re.compile(r"\b(?:end|ends)\s+up\s+(?=in\b)", re.IGNORECASE), ""),
    # "..., if you don't mind", "if you can": a courtesy, which asks for nothing
    (
        re.compile(
            r",?\s*\b(?:if\s+(?:you\s+(?:can|could|don't\s+mind|do\s+not\s+mind)|possible)|"
            r"nothing\s+fancy|no\s+rush)\b"
            r"(?=\s*(?:[,.;!?]|$))",
            re.IGNORECASE,
        ),
        "",
    ),
    # "all time is fine", "the order count for each would be great": what is asked, said
    # to be enough (not "Which brands are good?", a question of its own)
    (
        re.compile(
            r"\s+(?:is|are|would\s+be|'d\s+be|will\s+do)\s+(?:just\s+)?(?:fine|plenty|great|"
            r"enough|perfect|ok|okay|good|ideal)(?=\s*(?:[,.;!?]|$))",
            re.IGNORECASE,
        ),
        lambda said: "" if _enough_said(_clause_before(said)) else said[0],
    ),
    # "just the one number", "the single count": one figure, as a question of how many
    # gives anyway
    (
        re.compile(
            r"\b(?:just\s+)?(?:the|a)\s+(?:one|single)\s+(?:number|count|figure|total)\b",
            re.IGNORECASE,
        ),
        "",
    ),
)


def tokens(text: str) -> list[str]:
    """Word tokens of normalised text (apostrophes kept inside words)."""
    return TOKEN.findall(text)


def unaccented(text: str) -> str:
    """``São Paulo`` -> ``Sao Paulo``: the letters without their marks, as a keyboard
    without them types the name (``ß`` as ``ss``)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plural(words: str) -> str:
    """``region`` -> ``regions``, ``category`` -> ``categories``; plurals stay as they are."""
    if not words or words.endswith("s") or words[-1].isdigit():
        return words
    if words.endswith("y") and len(words) > 1 and words[-2] not in "aeiou":
        return words[:-1] + "ies"
    if words.endswith(("x", "z", "ch", "sh")):
        return words + "es"
    return words + "s"


def singular(word: str) -> str:
    """A crude singular, enough to let 'brands' match 'brand'."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


#: Words that never change what is computed: articles, pronouns, linking words, the
#: verbs of asking, and words that only name the shape of an answer. Every other word
#: of a question must be read as part of the query (a measure, a dimension, a value, a
#: time, a ranking, a condition) or the reader refuses instead of guessing. Words that
#: carry meaning in some positions ("each", "not", "over", "before", "top") are not
#: here: the construct that reads them claims them.
#: The manner of a question, which asks for nothing: "sorry", "my manager wants a feel
#: for ...", "all time is fine", "just want teh counts".
MANNER = frozenset(
    (
        "sorry apologies obvious obviously basically honestly hopefully fine think guess remind "
        "roughly approximately approx ballpark plain "
        "manager boss asked asking wants wanted worried trying chart plot slide deck feel "
        "teh thanks thank cheers curious wondering wonder"
    ).split()
)
FILLER = (
    frozenset(
        (
            "a an the of in on for to from with and or is are was were be been being do does "
            "did done what what's whats which who whose how many much me i we our us my you "
            "your their it its as at there here this that these those show shows give tell get "
            "got find list display return see look know want like please can could would "
            "should let let's lets need about total overall number count figure "
            "figures numbers data stats statistics report summary overview breakdown break "
            "broken down split out up have has had make made generate generated bring brought "
            "come came comes produce produced earn earned so far ever all time currently "
            "company store shop business online website site just only also "
            "placed place takes took our's s via through still something anything use used "
            "using bought purchased record recorded log logged assigned among "
            "different distinct unique located living residing happened happen "
            "occurred we've now right sitting live lives based reside resides pull exist exists "
            "shown single too compute calculate who've they've web hold holds sit sits coming "
            "i'd i'll i'm actually run hey hello volume book books booked drive drives build "
            "drove driven blended ones holding ran runs posted posting individual"
        ).split()
    )
    | MANNER
)


class Needs:
    """Which of a list of patterns may match a text, from the strings each one's
    matches need (``required``): a pattern none of whose strings the text holds cannot
    match, so its search is skipped. A question holds few of the strings, so one pass
    over them all is cheaper than a search, or a lookup, per pattern."""

    __slots__ = ("_always", "_by_piece")

    def __init__(self, needs: Iterable[Iterable[str]]) -> None:
        self._always: list[int] = []
        self._by_piece: dict[str, list[int]] = {}
        for index, needed in enumerate(needs):
            pieces = set(needed)
            if not pieces:
                self._always.append(index)
            for piece in pieces:
                self._by_piece.setdefault(piece, []).append(index)

    def candidates(self, text: str, start: int = 0) -> list[int]:
        """The patterns (their places in the list, from ``start``, in order) that may
        match ``text``: every one that needs nothing, and those needing a string it holds."""
        found = {i for i in self._always if i >= start}
        for piece, indices in self._by_piece.items():
            if piece in text:
                found.update(i for i in indices if i >= start)
        return sorted(found)


class Rewrites:
    """Regex rewrites applied in order, each skipped when its text cannot match.

    A question meets few of a long list of rewrites, and trying each costs a regex
    search. So every pattern is read once (``required``) for strings one of which each
    of its matches must contain; a rule whose strings are all absent from the text as
    it stands at that rule is skipped. That is exact: a skipped rule could not have
    matched, so the text is the same as when every rule is tried. Which rules may match
    is worked out once (``Needs``), and again only after a rule changed the text.
    """

    __slots__ = ("_needs", "rules")

    def __init__(self, rules: Iterable[tuple[re.Pattern[str], str]]) -> None:
        self.rules = tuple((pattern, plain) for pattern, plain in rules)
        self._needs = Needs(required(pattern) for pattern, _ in self.rules)

    def __call__(self, text: str) -> str:
        start = 0
        while True:
            for index in self._needs.candidates(text, start):
                pattern, plain = self.rules[index]
                rewritten = pattern.sub(plain, text)
                if rewritten != text:
                    text, start = rewritten, index + 1
                    break
            else:
                return text


#: Strings shorter than this are too common in questions to be worth a check, unless
#: they hold a character few questions have ("(", "$", "+").
_SHORTEST_REQUIRED = 3
_RARE = frozenset("()$+:/#%&=<>[]{}|*@;~^")


def required(pattern: re.Pattern[str], shortest: int = _SHORTEST_REQUIRED) -> tuple[str, ...]:
    """Strings one of which every match of ``pattern`` contains; empty when none is
    found (case-insensitive patterns, or ones without a literal part of at least
    ``shortest`` characters)."""
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's parser: no check, the rule always runs
        return ()
    return _required(list(parsed), _parser, shortest) or ()


def _required(
    items: list[Any], opcodes: Any, shortest: int = _SHORTEST_REQUIRED
) -> tuple[str, ...] | None:
    """The best requirement of a sequence of parsed items: a run of literal characters
    (zero-width ``\\b`` and ``^`` do not break one), or the requirements of a group, of
    every branch of an alternation, or of something repeated at least once. ``opcodes``
    is the module that names the parser's opcodes."""
    best: tuple[str, ...] | None = None
    run: list[str] = []

    def better(found: tuple[str, ...] | None) -> None:
        nonlocal best
        if not found or any(len(p) < shortest and not _RARE & set(p) for p in found):
            return
        if best is None or (min(map(len, found)), -len(found)) > (
            min(map(len, best)),
            -len(best),
        ):
            best = found

    for op, value in items:
        if op is opcodes.LITERAL:
            run.append(chr(value))
            continue
        if op is opcodes.AT:
            continue
        better(("".join(run),) if run else None)
        run = []
        if op is opcodes.SUBPATTERN:
            _group, add_flags, del_flags, inner = value
            if not add_flags and not del_flags:
                better(_required(list(inner), opcodes, shortest))
        elif op is opcodes.BRANCH:
            branches = [_required(list(branch), opcodes, shortest) for branch in value[1]]
            if all(branches):
                better(tuple(piece for branch in branches if branch for piece in branch))
        elif op in (opcodes.MAX_REPEAT, opcodes.MIN_REPEAT) and value[0] >= 1:
            better(_required(list(value[2]), opcodes, shortest))
    better(("".join(run),) if run else None)
    return best
