"""The offline planner: a plain-English question -> a ``Plan``, with no network.

It reads the question in passes: guard rails (SQL pasted, instructions to change
data, control characters), time phrases, ranking and grain phrases, then the
semantic model's metric and dimension names and the data's own values (longest
phrase first, typos by fuzzy matching). What it cannot map becomes a
``PlanningError`` with questions it can answer, never a guess.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lgda_nb.errors import PlanningError, SecurityError, UsageError
from lgda_nb.planner._compile import COMPARABLE
from lgda_nb.planner._model import SemanticModel
from lgda_nb.planner._plan import Filter, Plan, TimeWindow
from lgda_nb.planner._text import MONTHS, STOPWORDS, normalize, singular, tokens

MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SQL = re.compile(r"^\s*(select|with)\b.+\bfrom\b", re.IGNORECASE | re.DOTALL)
_WRITE_INTENT = re.compile(
    r"\b(drop|delete|truncate|insert|update|alter|grant|revoke|merge|create\s+table|"
    r"ignore\s+(all\s+|any\s+)?(previous|prior|above|earlier)\s+instructions?|"
    r"system\s+prompt)\b",
    re.IGNORECASE,
)

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
#: Words that set a grain or a window; a slip in one of them must not drop the grain.
_TIME_WORDS = (
    "daily weekly monthly quarterly yearly annual annually day days week weeks month months "
    "quarter quarters year years".split()
)
_GROWTH = re.compile(
    r"\b(growth|grew|grow|change|changed|increase|decrease|over (month|year|week|quarter)|"
    r"mom|yoy|wow|qoq)\b"
)
_TREND = re.compile(r"\b(over time|trend|trends|trending|timeline|time series|history|evolution)\b")
_SHARE = re.compile(
    r"(\bshare|\bshares|\bpercentage of|%\s*of|\bpercent of|\bfraction of|"
    r"\bproportion|\bcontribution|\bcontribute|\bsplit of|\bmix)\b"
)
_COMPARE = re.compile(
    r"\b(vs\.?|versus|compared?|comparison|against|relative to|"
    r"the (?:quarter|month|year|week|period|\d+ days?) before|"
    r"(?:previous|prior|preceding) (?:period|\d+ days|\d+ weeks|\d+ months|quarter|month|year))\b"
)
_SIGNUP_TIME = re.compile(
    r"\b(signed up|sign(?:ed)? ?ups?|joined|registered|registrations?|cohorts?)\b"
)
#: "users who have made a purchase", "have bought something": people who bought.
_BOUGHT = re.compile(
    r"\b(made an? (?:purchase|order)|placed an? order|(?:have|has|who|that) (?:ever )?"
    r"(?:bought|purchased|ordered)|bought something|bought anything)\b"
)
_SIGNUP_GRAIN = re.compile(
    r"\b(?:signed up|joined|registered)\s+(?:in|during|per|by)?\s*(?:each|every)\s+(month|year)\b"
)
_RATE_WORDS = re.compile(r"\b(percentage|percent|share|proportion|rate|fraction)\b|%")
_FUNNEL = re.compile(r"\b(funnel|drop ?off|step by step conversion|conversion steps)\b")
_TOP = re.compile(r"\b(top|best|highest|biggest|largest|leading|greatest|most)\s+(?P<n>\d+)\b")
_BOTTOM = re.compile(r"\b(bottom|worst|lowest|smallest|least|fewest)\s+(?P<n>\d+)\b")
_TOP_AFTER = re.compile(
    r"\b(?P<n>\d+)\s+(top|best|highest|biggest|largest|leading|greatest|most)\b"
)
_BOTTOM_AFTER = re.compile(r"\b(?P<n>\d+)\s+(bottom|worst|lowest|smallest|least|fewest)\b")
_WHICH_N = re.compile(r"\b(which|what|name|list|show)\s+(the\s+)?(?P<n>\d+)\b")
_GRAIN_PICK = re.compile(
    r"\b(which|what|highest|best|top|peak|busiest|biggest|largest|strongest|lowest|worst|"
    r"weakest|slowest|quietest)\s+(?:\w+\s+){0,2}?(?P<grain>day|week|month|quarter|year)\b"
)
_WHICH = re.compile(r"\b(which|what)\s+(\w+(?:\s\w+)?)\b")
_MOST = re.compile(
    r"\b(most|more|highest|higher|biggest|largest|best|top|maximum|max|greatest|leading)\b"
)
_LEAST = re.compile(r"\b(least|less|lowest|lower|smallest|worst|fewest|fewer|minimum|min|bottom)\b")
_NEGATION = re.compile(
    r"\b(excluding|exclude|except|other than|not|non|without|besides|outside|outside of)"
    r"\s+(the\s+)?$"
)
_CUES = frozenset({"in", "from", "for", "of", "at", "via", "through", "with", "by", "on"})

#: Values that are also ordinary English words need a cue ("via Search", "in Plus").
_WEAK_VALUES = frozenset(
    {"other", "home", "active", "plus", "complete", "display", "search", "product",
     "department", "cart", "purchase", "cancel", "organic", "email", "m", "f", "mobile",
     "orange", "normal"}
)  # fmt: skip
#: Words that may follow "in"/"from" without naming a value ("in total", "from home").
_KNOWN_WORDS = frozenset(
    "general particular detail details terms term sum average whole percent percentage "
    "website site web store shop catalog catalogue stock people customers users "
    "day days week weeks month months quarter quarters year years time period periods "
    "one two first last latest recent previous past future january february march april "
    "may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday morning evening night hour hours average aggregate".split()
)
#: Verbs and fillers of business questions that carry no meaning for the plan.
_FUNCTION_WORDS = frozenset(
    "bought buy buying purchased placed came come comes coming went generate generated "
    "used using use made make making got get spent spend sold sell selling registered "
    "signed joined acquired still ever currently current overall look looks like need "
    "break breakdown split shown showing compare comparing versus percentage percent share "
    "rate contribute contributed contribution growth grow grew change changed changes "
    "increase decreased decrease rank ranked ranking something anything everything people "
    "recent latest complete completed full whole calendar period periods day days week "
    "weeks month months quarter quarters year years monthly weekly daily yearly annual "
    "quarterly trend trends over time funnel step steps conversion converted reach reached "
    "reaching carry carries stock stocked offer offered have having much many own owned "
    "versus against relative before after earlier later prior previous next following".split()
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
    #: Words the user capitalised ("US"): a value spelt so is meant as a value.
    capitalized: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    kind: str  # metric | dimension | value
    name: str
    value: str = ""
    fuzzy: bool = False


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


class OfflinePlanner:
    """Maps questions onto a semantic model; ``values`` indexes the data's own values."""

    name = "offline"

    def __init__(
        self,
        model: SemanticModel,
        values: Mapping[str, Sequence[str]] | None = None,
        *,
        min_confidence: float = 0.6,
    ) -> None:
        self.model = model
        self.min_confidence = min_confidence
        self._phrases: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
        self._value_spellings: dict[str, set[str]] = {}
        for metric in model.metrics.values():
            for phrase in {metric.name.replace("_", " "), *metric.synonyms}:
                self._add(phrase, "metric", metric.name)
        for dimension in model.dimensions.values():
            for phrase in {dimension.name.replace("_", " "), *dimension.synonyms}:
                self._add(phrase, "dimension", dimension.name)
        for dimension_name, column_values in (values or {}).items():
            for value in column_values:
                self._add(str(value), "value", dimension_name, str(value))
        for alias, (dimension_name, value) in model.value_aliases.items():
            self._add(alias, "value", dimension_name, value)
        self._vocabulary = sorted({w for phrase in self._phrases for w in phrase if len(w) > 3})
        self._indexed = sorted(values or {})
        self._word_kinds: dict[str, set[str]] = {}
        for words, entries in self._phrases.items():
            for w in words:
                self._word_kinds.setdefault(w, set()).update(kind for kind, _, _ in entries)
        self._known = set(self._word_kinds)
        self._max_len = max((len(p) for p in self._phrases), default=1)

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
            raise UsageError(
                "The question is empty.",
                hint="Type a business question, e.g. 'revenue by month in 2025'.",
            )
        if len(question) > MAX_QUESTION_CHARS:
            raise UsageError(
                f"The question is {len(question):,} characters long; the limit is "
                f"{MAX_QUESTION_CHARS:,}.",
                hint="Ask one short question at a time.",
            )
        if _CONTROL.search(question):
            raise UsageError(
                "The question contains control characters.",
                hint="Retype the question as plain text.",
            )
        if _SQL.search(question):
            raise UsageError(
                "This looks like SQL, not a question.",
                hint="Start the cell with %%lgda --sql to run SQL (or use `lgda sql`).",
            )
        if _WRITE_INTENT.search(question):
            raise SecurityError(
                "This reads as an instruction to change data or the assistant, not a question.",
                hint="Only questions about the data can be answered; nothing can be changed.",
            )
        return normalize(question)

    # -- passes ------------------------------------------------------------
    def plan(self, question: str) -> Plan:  # noqa: PLR0912, PLR0915 - passes share one reading
        """Read ``question`` into a plan, or raise ``PlanningError`` saying what was unclear."""
        text = self._check_input(question)
        notes: list[str] = []
        text = self._fix_time_words(text, notes)
        time_fixes = list(notes)
        full_text = text
        window, text = self._time_window(text)
        if window is not None:
            notes.append(f"time window: {window.label}")
        grain = self._grain(text)
        pick = _GRAIN_PICK.search(text)
        picked_grain = grain is None and pick is not None
        if picked_grain and pick is not None:
            grain = pick.group("grain")
        if grain is None and window is not None and re.search(r"\beach\b|\bevery\b", text):
            grain = {"recent_months": "month", "complete_months": "month"}.get(window.kind)
            grain = grain or ("day" if window.kind == "last_days" and window.n <= 31 else None)
        growth = bool(_GROWTH.search(text)) and grain is not None
        if grain is None and _TREND.search(text):
            grain = "month"
        share = bool(_SHARE.search(text))
        funnel = bool(_FUNNEL.search(text))
        compare = (
            window is not None
            and bool(_COMPARE.search(full_text))
            and (window.kind in COMPARABLE or (window.kind == "years" and len(window.years) == 2))
        )
        order, limit = self._ranking(text)
        if picked_grain and limit is None:
            limit = 1
            order = "asc" if _LEAST.search(text) and not _MOST.search(text) else "desc"

        words = tokens(text)
        reading = _Reading(
            text=text, words=[singular(w) for w in words], raw=words, question=question
        )
        reading.capitalized = {w.lower() for w in re.findall(r"\b[A-Z][\w'&.]*", question)}
        mentions = self._mentions(reading)
        metrics, dimensions, filters = self._interpret(reading, mentions, words, limit)
        inferred = False  # the measure came from a verb or a count, not a name
        self._check_unknown_values(reading, mentions)
        if funnel:
            return Plan(
                question=question, metrics=("sessions",), filters=tuple(filters),
                time_window=window, funnel=True, order="time", confidence=0.9,
                notes=(*notes, "funnel: sessions reaching each step"),
            )  # fmt: skip
        best_selling = self._default_metric("count") if _DEFAULT_METRIC_WORDS.search(text) else None
        if not metrics and best_selling is not None:
            metrics = [best_selling]
            inferred = True
            notes.append(f"'best selling' read as {best_selling.replace('_', ' ')}")
        if not metrics and _SELL.search(text):
            counted = bool(re.search(r"\bhow many\b", text))
            fallback = self._default_metric("count" if counted else "money")
            if fallback is not None:
                metrics = [fallback]
                inferred = True
                notes.append(f"'sell' read as {fallback.replace('_', ' ')}")
        if not metrics:
            counted_dimension = self._counted_dimension(reading, dimensions)
            if counted_dimension:
                inferred = True
                metrics = [f"distinct:{counted_dimension}"]
                dimensions = [d for d in dimensions if d != counted_dimension]
        if len(metrics) > 1:
            # "How much did customers spend": the amount is the answer, customers the subject.
            wanted_unit = "money" if "how much" in text else "count" if "how many" in text else None
            units = [self.model.metric(m).unit for m in metrics]
            if wanted_unit in units and units[0] != wanted_unit:
                first = metrics[units.index(wanted_unit)]
                metrics = [first, *(m for m in metrics if m != first)]
        if metrics == ["users"] and _BOUGHT.search(text):
            # "users who have made a purchase": the people who bought, or their share.
            wanted = "buyer_rate" if _RATE_WORDS.search(text) else "customers"
            if wanted in self.model.metrics:
                metrics = [wanted]
                share = share and wanted != "buyer_rate"
                notes.append(f"users who bought read as {wanted.replace('_', ' ')}")
        if share and len(metrics) > 1:
            metrics = metrics[:1]
        if not metrics:
            raise self._not_understood(question, reading, "which measure you want")
        base = self.model.metric(metrics[0])
        if (grain or window) and base.time is None:
            raise PlanningError(
                f"{base.label} has no date to filter or group by time.",
                hint="Ask without a time period, e.g. '" + f"{base.label.lower()} by category'.",
            )
        if limit is None and order == "auto" and _WHICH.search(text) and dimensions:
            which_word = _WHICH.search(text)
            assert which_word is not None
            if _MOST.search(text) or _LEAST.search(text):
                order = "asc" if _LEAST.search(text) and not _MOST.search(text) else "desc"
                plural = which_word.group(2).split()[0].endswith("s")
                limit = None if plural else 1
        elif limit is None and order == "auto" and dimensions:
            if re.search(r"\b(top|best|highest|most)\b", text):
                order = "desc"
            elif re.search(r"\b(bottom|worst|lowest|least|fewest)\b", text):
                order = "asc"
        time_column = None
        if window is not None and _SIGNUP_TIME.search(text) and base.table != "users":
            users_time = next(
                (m.time for m in self.model.metrics.values() if m.table == "users" and m.time),
                None,
            )
            if users_time and self.model.reaches(base.table, "users"):
                time_column = users_time
                notes.append("time window applied to the signup date")
        cohort = _SIGNUP_GRAIN.search(text)
        if (
            cohort
            and grain == cohort.group(1)
            and base.table != "users"  # users by month already are signups by month
            and f"signup_{grain}" in self.model.dimensions
        ):
            # "users who signed up in each month": cohorts by signup month, not order month.
            dimensions = [f"signup_{grain}", *(d for d in dimensions if d != f"signup_{grain}")]
            grain = None
            notes.append(f"grouped by signup {cohort.group(1)}")
        covered = {i for m in mentions for i in range(m.start, m.end)}
        ignored = [
            reading.raw[i]
            for i, word in enumerate(reading.words)
            if i not in covered
            and word not in STOPWORDS
            and word not in _KNOWN_WORDS
            and word not in _FUNCTION_WORDS
            and not word.isdigit()
            and len(word) > 2
        ]
        metric_spans = [m for m in mentions if m.kind == "metric"]
        guessed_metric = bool(metric_spans) and all(m.fuzzy for m in metric_spans)
        confidence = (
            1.0
            - 0.1 * (len(reading.corrections) + len(time_fixes))
            - min(0.3, 0.1 * len(ignored))
            # A measure found only by correcting a typo, among words that mean
            # nothing here ("the meaning of life"), is a guess.
            - (0.25 if guessed_metric and ignored else 0.0)
        )
        notes.extend(f"read {c}" for c in reading.corrections)
        if ignored:
            notes.append("ignored: " + ", ".join(ignored))
        if ignored and inferred:
            # "how many unicorns did we sell": the measure was inferred from a verb
            # while the thing asked about is unknown -- a guess, so refuse.
            raise PlanningError(
                f"I could not work out what {', '.join(repr(w) for w in ignored)} refers to.",
                hint="Questions I can answer look like: " + "; ".join(self.suggestions()) + ".",
            )
        if confidence < self.min_confidence:
            raise self._not_understood(question, reading, "what the question asks for")
        return Plan(
            question=question,
            metrics=tuple(metrics),
            dimensions=tuple(dimensions),
            filters=tuple(filters),
            time_window=window,
            grain=grain,
            order=order,
            limit=limit,
            share=share and bool(dimensions or filters),
            growth=growth,
            compare=compare and grain is None and not dimensions,
            time_column=time_column,
            confidence=round(confidence, 2),
            notes=tuple(notes),
        )

    def _fix_time_words(self, text: str, notes: list[str]) -> str:
        """Correct a slip in a time word ("monthy", "anual", "quater") and note it, so
        "monthy orders" is a monthly series, not a total without its grain."""
        known = set(self._vocabulary) | set(_TIME_WORDS)

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if len(word) < 4 or word in known:
                return word
            for time_word in _TIME_WORDS:
                # Slips keep the first letter; four letters allow only a swap ("yaer"),
                # so "near" and "weak" stay words of their own.
                if time_word[0] != word[0] or not _one_edit(word, time_word):
                    continue
                if len(word) == 4 and sorted(word) != sorted(time_word):
                    continue
                notes.append(f"read '{word}' as '{time_word}'")
                return time_word
            return word

        return re.sub(r"[a-z]+", fix, text)

    def _grain(self, text: str) -> str | None:
        for pattern, grain in _GRAINS:
            if re.search(pattern, text):
                return grain
        return None

    def _ranking(self, text: str) -> tuple[str, int | None]:
        top = _TOP.search(text) or _TOP_AFTER.search(text)
        if top:
            return "desc", int(top.group("n"))
        bottom = _BOTTOM.search(text) or _BOTTOM_AFTER.search(text)
        if bottom:
            return "asc", int(bottom.group("n"))
        which = _WHICH_N.search(text)
        if which:
            n = int(which.group("n"))
            return ("asc" if _LEAST.search(text) and not _MOST.search(text) else "desc"), n
        return "auto", None

    def _time_window(self, text: str) -> tuple[TimeWindow | None, str]:
        rules: list[tuple[str, object]] = [
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
            (r"\b(?:last|previous|prior)\s+(?:calendar\s+)?month\b",
             lambda m: TimeWindow("last_month", label="last month")),
            (r"\b(?:this|current)\s+month\b|\bmonth to date\b|\bmtd\b",
             lambda m: TimeWindow("this_month", label="this month")),
            (r"\b(?:last|previous|prior)\s+quarter\b",
             lambda m: TimeWindow("last_quarter", label="last quarter")),
            (r"\b(?:this|current)\s+quarter\b|\bquarter to date\b",
             lambda m: TimeWindow("this_quarter", label="this quarter")),
            (r"\b(?:this|current)\s+year\b(?=.*\b(?:vs\.?|versus|compared|against|than)\b)",
             lambda m: TimeWindow("this_year", label="this year")),
            (r"\b(?:last|previous|prior)\s+(?:full\s+|complete\s+|calendar\s+)?year\b",
             lambda m: TimeWindow("last_year", label="last year")),
            (r"\b(?:this|current)\s+year\b|\byear to date\b|\bytd\b|\bso far this year\b",
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
             lambda m: TimeWindow("year_range", years=(int(m[1]), int(m[2])),
                                  label=f"{m[1]} to {m[2]}")),
            (r"\b(20\d\d)\s+(?:vs\.?|versus|compared (?:to|with)|against|and)\s+(20\d\d)\b",
             lambda m: TimeWindow("years", years=(int(m[1]), int(m[2])),
                                  label=f"{m[1]} and {m[2]}")),
            (r"\b(?:since|after|from)\s+(20\d\d)\b",
             lambda m: TimeWindow("since_year", year=int(m[1]), label=f"since {m[1]}")),
            (r"\b(20\d\d)\b",
             lambda m: TimeWindow("year", year=int(m[1]), label=f"in {m[1]}")),
        ]  # fmt: skip
        for pattern, build in rules:
            match = re.search(pattern, text)
            if match:
                window = build(match)  # type: ignore[operator]
                assert isinstance(window, TimeWindow)
                return window, (text[: match.start()] + " " + text[match.end() :]).strip()
        return None, text

    def _mentions(self, reading: _Reading) -> list[_Mention]:
        """Known phrases, longest first, after correcting words nobody would mean as typed."""
        words = reading.words
        fuzzy: set[int] = set()
        for i, word in enumerate(words):
            raw = reading.raw[i] if i < len(reading.raw) else word
            if (
                len(raw) < 5
                or word in self._known
                or word in STOPWORDS
                or word in _KNOWN_WORDS
                or not word.isalpha()
            ):
                continue
            cued = (i > 0 and words[i - 1] in _CUES) or raw in reading.capitalized
            close = self._correction(word, raw, values=cued)
            if close:
                reading.corrections.append(f"'{raw}' as '{close}'")
                words[i] = close
                fuzzy.add(i)
        found: list[_Mention] = []
        i = 0
        while i < len(words):
            for size in range(min(self._max_len, len(words) - i), 0, -1):
                phrase = tuple(w for w in words[i : i + size] if w not in {"and", "&"})
                if size > 1 and phrase and (words[i] in {"and"} or words[i + size - 1] in {"and"}):
                    continue
                entries = self._phrases.get(phrase)
                if entries:
                    typo = any(j in fuzzy for j in range(i, i + size))
                    for kind, name, value in entries:
                        found.append(_Mention(i, i + size, kind, name, value, fuzzy=typo))
                    i += size
                    break
            else:
                i += 1
        return found

    def _correction(self, word: str, raw: str, *, values: bool) -> str | None:
        """The known word a typo stands for: one slip of the keyboard, or a close spelling.

        Values are only corrected for one slip and only where a value is expected
        (after "in", "from"... or capitalised), so "Atlantis" never quietly becomes
        "Atlanta" nor "comes" "home"; names of measures and dimensions may be a
        little further off.
        """
        for candidate in difflib.get_close_matches(word, self._vocabulary, n=3, cutoff=0.75):
            is_value = "value" in self._word_kinds.get(candidate, set())
            if is_value and not values:
                continue
            if is_value:
                # Compare what was typed with the value as the data spells it.
                spellings = self._value_spellings.get(candidate, {candidate})
                if any(_one_edit(raw, spelled) for spelled in spellings):
                    return candidate
                continue
            if _one_edit(raw, candidate) or _one_edit(word, candidate):
                return candidate
            if not is_value and difflib.SequenceMatcher(None, word, candidate).ratio() >= 0.84:
                return candidate
        return None

    def _interpret(  # noqa: PLR0912, PLR0915 - one decision per kind of mention, kept together
        self,
        reading: _Reading,
        mentions: list[_Mention],
        raw_words: list[str],
        limit: int | None,
    ) -> tuple[list[str], list[str], list[Filter]]:
        words = reading.words
        metrics: list[str] = []
        dimensions: list[str] = []
        values: dict[tuple[str, bool], list[str]] = {}
        grouped: set[str] = set()
        spans: dict[tuple[int, int], list[_Mention]] = {}
        for mention in mentions:
            spans.setdefault((mention.start, mention.end), []).append(mention)
        for (start, _end), group in sorted(spans.items()):
            before = words[max(0, start - 3) : start]
            previous = words[start - 1] if start else ""
            grouping = bool(
                {
                    "by",
                    "per",
                    "each",
                    "across",
                    "every",
                    "which",
                    "what",
                    "top",
                    "bottom",
                    "best",
                    "worst",
                    "highest",
                    "lowest",
                    "biggest",
                    "largest",
                    "leading",
                    "selling",
                }
                & set(before)
            ) or bool(before and before[-1].isdigit())
            counting = previous in {"many", "of", "total", "count", "number"} or (
                "how" in before and "many" in before
            )
            kinds = {m.kind for m in group}
            choice: _Mention | None = None
            if "metric" in kinds and "dimension" in kinds:
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
            ):
                continue  # "for users who joined in 2024": a description, not a measure
            after_value = any(m.kind == "value" and m.end == start for m in mentions)
            if (
                choice is not None
                and choice.kind == "metric"
                and metrics
                and (previous in {"from", "to", "among", "amongst"} or after_value)
            ):
                continue  # "revenue from customers in Germany": who, not what
            alias = self.model.value_aliases.get(words[start])
            if choice is not None and choice.kind == "metric" and metrics and alias:
                # "sales of returned items": a second measure that names a status is a filter.
                dimension_name, value = alias
                values.setdefault((dimension_name, False), [])
                if value not in values[(dimension_name, False)]:
                    values[(dimension_name, False)].append(value)
                continue
            if choice is not None and choice.kind == "metric":
                if choice.name not in metrics:
                    metrics.append(choice.name)
                continue
            if choice is not None and choice.kind == "dimension":
                if choice.name not in dimensions:
                    dimensions.append(choice.name)
                if grouping:
                    grouped.add(choice.name)
                continue
            value_mentions = [m for m in group if m.kind == "value"]
            if not value_mentions:
                continue
            mention = value_mentions[0]
            original = " ".join(raw_words[mention.start : mention.end])
            weak = original.lower().strip("'s") in _WEAK_VALUES or len(original) <= 2
            cued = (
                previous in _CUES
                or previous in {"'s", "only", "just"}
                or raw_words[mention.start] in reading.capitalized
            )
            if weak and not cued and mention.name not in {"department", "gender"}:
                continue
            prefix = " ".join(words[max(0, start - 2) : start]) + " "
            negate = bool(_NEGATION.search(prefix))
            values.setdefault((mention.name, negate), [])
            if mention.value not in values[(mention.name, negate)]:
                values[(mention.name, negate)].append(mention.value)
        filters = [
            Filter(dimension=name, values=tuple(vals), negate=negate)
            for (name, negate), vals in values.items()
        ]
        # "the Nike brand" names the filter's dimension; "by country" groups by it.
        filtered = {f.dimension for f in filters}
        dimensions = [d for d in dimensions if d not in filtered or d in grouped]
        return metrics, dimensions[:2], filters

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

    def _default_metric(self, unit: str) -> str | None:
        """The measure 'sell' means: items sold / revenue, else the model's first of that unit."""
        preferred = "items_sold" if unit == "count" else "revenue"
        if preferred in self.model.metrics:
            return preferred
        return next(
            (m.name for m in self.model.metrics.values() if m.unit == unit and m.additive), None
        )

    def _counted_dimension(self, reading: _Reading, dimensions: list[str]) -> str | None:
        """'how many brands': the dimension counted when no measure is named."""
        if not dimensions or not re.search(
            r"\b(how many|number of|count of|count)\b", reading.text
        ):
            return None
        return dimensions[0]

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

    def suggestions(self) -> list[str]:
        """Questions this planner can answer, from the model's own metrics."""
        names = list(self.model.metrics)
        picks = [n for n in ("revenue", "orders", "customers") if n in names] or names[:3]
        dims = list(self.model.dimensions)
        dim = next((d for d in ("category", "country") if d in dims), dims[0] if dims else None)
        out = [f"{self.model.metrics[picks[0]].label.lower()} by month"]
        if dim and len(picks) > 1:
            label = self.model.dimensions[dim].synonyms[1:2] or (dim,)
            out.append(f"top 5 {label[0]} by {self.model.metrics[picks[1]].label.lower()}")
        if len(picks) > 2:
            out.append(f"how many {self.model.metrics[picks[2]].label.lower()} last year")
        return out
