"""Reading statistics and measures per entity out of a question.

A pass over the normalised text, before the other passes, that cuts out what it
reads and leaves the rest (breakdowns, filters, time) to them:

- "median order value", "min, max and median number of items per order", "90th
  percentile of spend per customer": a statistic of a measure per entity
  (``median:revenue:order_id``); the entity is what a metric of the model counts
  ("order" names the entity the ``orders`` metric counts);
- "25th, 50th and 75th percentile of sale price", "quartiles of age": percentiles of a
  numeric dimension (``p25:price``);
- "oldest and youngest user": extremes the model names (``[reader] extremes``);
- "basket size distribution", "orders by number of items": entities counted by their
  own measure (``Plan.by_measure``);
- "share of revenue from the top 20% of customers", "from our top 10 brands": the
  Pareto share (``Plan.top_percent``, ``Plan.top_count``).

Vocabulary that is not a metric's or a dimension's own name comes from the model file
(``[reader] entity_measures`` and ``extremes``), never from this code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lgda_nb.errors import PlanningError
from lgda_nb.planner._plan import Condition, Plan
from lgda_nb.planner._read_stats import kinds_named, number_after, number_before
from lgda_nb.planner._text import TOKEN, plural, singular, tokens

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel

_PERCENTILE = r"(?:\d{1,3}(?:st|nd|rd|th)|p\d{1,2})"
_STAT_WORD = (
    rf"(?:median|average|avg|mean|minimum|min|maximum|max|stddev|"
    rf"{_PERCENTILE}(?:\s+percentile)?)"
)
_STATS = re.compile(
    rf"\b(?:the\s+)?(?P<stats>{_STAT_WORD}(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|/\s*)"
    rf"(?:the\s+)?{_STAT_WORD})*)(?:\s+(?P<plural>percentiles?|quantiles?))?\b"
    r"|\b(?:the\s+)?(?P<quartiles>quartiles)\b"
)
#: Statistics that may join a list of extremes ("youngest, oldest and mean user age").
_LISTED_STATS = r"median|average|avg|mean"
_STAT_KINDS = {
    "median": "median", "average": "avg", "avg": "avg", "mean": "avg", "minimum": "min",
    "min": "min", "maximum": "max", "max": "max", "stddev": "stddev",
}  # fmt: skip
#: Words between the statistics and what they are of ("median of the number of items").
_OF = re.compile(r"\s*(?:of\s+)?(?:the\s+|an?\s+)?(?:(?:total\s+)?number\s+of\s+|count\s+of\s+)?")
#: "per order", "for each customer", "in a session".
_PER = re.compile(
    r"\s+(?:per|for\s+each|for\s+every|in\s+each|of\s+each|per\s+each|for\s+an?|in\s+an?|"
    r"an?)\s+(?P<entity>[a-z]+)\b"
)
_IN_UNIT = re.compile(
    r",?\s+in\s+(?:whole\s+)?(?:minutes|mins)\b(?:\s*[(,]?\s*(?:from\s+)?(?:the\s+)?"
    r"first\s+to\s+(?:the\s+)?last\s+(?:event|hit|page\s*view)s?\s*\)?)?"
)
_DISTRIBUTION = re.compile(r"\b(?:distribution|histogram)\b")
#: "customers by the number of orders they bought in", "customers in France by ...":
#: the things counted (where they are said between them and "by" is kept as a filter).
_BY_NUMBER_OF = re.compile(
    r"\b(?P<entity>[a-z]+)(?P<mid>\s+(?:in|from|of)\s+[a-z]+(?:\s+[a-z]+)?)??"
    r"\s+by\s+(?:the\s+)?(?:number|count)\s+of\s+(?P<rest>[a-z ]+?)"
    r"(?:\s+(?:they\s+)?(?P<verb>have|had|placed|made|contain|bought|purchased)"
    r"(?:\s+(?:something|anything))?)?(?:\s+in(?:\s+(?:it|each))?)?"
    r"(?=\s*[?.!]*\s*$|\s+(?:in|during|for|since|last|this|from)\b"
    r"|\s*,?\s+(?:by|per|across)\s+[a-z])"  # "..., by country": the counts per group
)
#: "orders by item count", "customers by their order count": by the number of them.
_BY_COUNT = re.compile(r"\bby\s+(?:the\s+|their\s+|its\s+)?(?P<what>[a-z]+)\s+count\b(?!\s+of\b)")
#: A distribution's values spelled out after it: "how many orders have 1 item, 2 items,
#: and so on", "number of orders with 1, 2, 3, ... items".
_VALUES_SPELLED = re.compile(
    r"(?:[:,-]\s*|\b)(?:(?:how many|number of|count of)\s+)?(?:[a-z]+\s+)?"
    r"(?:have|has|had|with|containing|by)\s+1(?:\s+[a-z]+)?\s*,\s*(?:(?:with|have|has)\s+)?2"
    r"(?:\s+[a-z]+)?(?:\s*,?\s*(?:and\s+|or\s+)?(?:(?:with|have|has)\s+)?\d+(?:\s+[a-z]+)?)*"
    r"(?:\s*,?\s*(?:and so on|etc\.?|\.\.\.|or more))?(?:\s*,?\s*\.\.\.)?(?:\s+[a-z]+)?"
    r"(?=\s*(?:[(?.;]|$))"
)
#: "how many orders took each number of days to deliver", "how many took 0 days, 1 day,
#: 2 days and so on to ship" (the things said before: "For 2025 orders, how many ..."):
#: the things counted by a duration in whole units.
_TOOK_EACH = re.compile(
    r"(?:\b(?P<before>[a-z]+)(?:\s*[,:]|(?<=s)(?=\s+how\b))\s*)?\bhow\s+many\s+"
    r"(?:(?P<things>[a-z]+)\s+)?"
    r"(?:took|take|taking|needed|spent)\s+(?:(?:each|every)\s+(?:whole\s+)?number\s+of\s+"
    r"(?P<units>day|hour|week)s|(?:0|1)\s+(?P<unit>day|hour|week)s?(?:\s*,\s*(?:and\s+)?\d+\s+"
    r"(?:day|hour|week)s?)+(?:\s*,?\s*(?:and so on|etc\.?|\.\.\.|or more))?)\s+"
    r"(?P<rest>to\s+(?:be\s+|get\s+)?[a-z]+)"
)


def _base_verb(match: re.Match[str]) -> str:
    """ "to get delivered" as "to deliver", "to be shipped" as "to ship"."""
    stem = match[1]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        stem = stem[:-1]  # "shipped": ship
    return f"to {stem}"


def _by_number_of_units(match: re.Match[str]) -> str:
    """``_TOOK_EACH`` said as "<things> by number of <unit>s to <verb>"."""
    things = match["things"] or match["before"]
    if things is None:
        return match[0]
    lead = f"{match['before']}, " if match["things"] and match["before"] else ""
    # "to get delivered", "to be shipped": the verb the measure of time is named by
    rest = re.sub(r"^to\s+(?:be|get)\s+([a-z]+)ed$", _base_verb, match["rest"])
    return f"{lead}{things} by number of {match['units'] or match['unit']}s {rest}"


#: "How are customers distributed by lifetime spend": the things, then the amount.
_DISTRIBUTED_BY = re.compile(
    r"\b(?:how\s+(?:are|is)\s+)?(?:(?:the|our)\s+)?(?P<things>[a-z]+)\s+distributed\s+"
    r"(?:by|across|over)\s+"
)
#: "orders by order value", "customers by their lifetime spend": things, then an amount.
_BY_AMOUNT = re.compile(
    r"\b(?P<things>[a-z]+)(?:\s+(?:placed|made|sold|bought|counted))?\s+"
    r"(?:by|on|according\s+to)\s+(?:their\s+|its\s+|the(?:ir)?\s+)?"
    r"(?:total\s+)?(?=[a-z])"
)
#: "what share of (2025 / all-time) revenue comes from the top 20% of customers", "how
#: much of our revenue is driven by the top 10% of products": the measure's words may
#: carry a period before them, left for the time pass.
#: "(what) share of (all) revenue": the measure a share of the top things is of.
_PARETO_MEASURE = (
    r"(?:(?:\b(?:what\s+|the\s+)?(?:share|percentage|percent|proportion|fraction)|%)"
    r"|\bhow\s+much)\s+(?:of\s+)?(?:(?:our|the|total|all)\s+)*"
    r"(?P<measure>[a-z0-9'][a-z0-9 '-]*?)\s+(?:(?:of|in|for|during)\s{2,})?"
)  # "the revenue of 2025 made ...": the period was cut out, its "of" left
#: "the top 20% of (our) customers", "our top 10 brands": how many top things (a
#: percent of them, or a count), and which.
_PARETO_TOP = (
    r"(?:the\s+|our\s+)?top\s+(?:(?P<n>\d+(?:\.\d+)?)\s*(?:%|percent)\s+(?:of\s+)?"
    r"(?:(?:our|the|all)\s+)?|(?P<count>\d+)\s+)(?P<entity>[a-z]+(?:\s+[a-z]+)?)\b"
)
_PARETO = re.compile(
    _PARETO_MEASURE + r"(?:(?:that\s+|which\s+)?(?:comes?|came|coming|is|was|are|were)\s+)?"
    r"(?:(?:driven|generated|contributed|brought\s+in|made\s+up|made|placed|spent|earned|"
    r"accounted\s+for)\s+(?:(?:from|by|of)\s+)?|(?:from|by|of)\s+)" + _PARETO_TOP
)  # "which share of the 2025 revenue made our top 10 brands": the verb before them
#: "what fraction of revenue do the top 10% of brands account for": the same, asked
#: with the top things as the subject; ``_DO_VERB`` must follow them.
_PARETO_DO = re.compile(_PARETO_MEASURE + r"(?:do|does|did)\s+" + _PARETO_TOP)
#: "How concentrated was 2025 revenue?" before a share of the top things: what it asks.
_CONCENTRATED = re.compile(r"\bhow\s+concentrated\s+(?:is|was|are|were)\b[^?.:]*[?.:]?")
_DO_VERB = re.compile(
    r"\s+(?:account\s+for|generate|bring\s+in|drive|make(?:\s+up)?|represent|contribute)\b"
)
#: "average days between a customer's consecutive orders", "median time between orders
#: per customer".
_GAP_AGG = r"(?:average|avg|mean|median|minimum|min|maximum|max)"
_GAP = re.compile(
    r"\b(?:(?:the|an?)\s+)?"
    rf"(?P<agg>{_GAP_AGG}(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|/\s*)(?:the\s+)?{_GAP_AGG})*)\s+"
    r"(?:number\s+of\s+)?(?P<unit>minutes|hours|days|weeks|time|gap)\s+between\s+"
    r"(?:(?:a|each|the|every)\s+)?(?:(?P<owner>[a-z]+)'s\s+)?(?:(?:2\s+)?"
    r"(?P<next>consecutive|successive|subsequent|repeat)\s+)?(?P<things>[a-z]+)\b"
    r"(?:\s+(?:per|for\s+each|of\s+each|of\s+an?|(?:by|of|from)\s+(?:the\s+)?same)\s+"
    r"(?P<per>[a-z]+)\b)?"
    r"(?:\s+in\s+(?P<unit2>minutes|hours|days|weeks))?"
)
#: "on average, how many whole days pass between ...": the average gap.
_ON_AVERAGE_GAP = re.compile(
    r"\bon average,?\s+how many\s+(?:whole\s+)?(?P<unit>minutes|hours|days|weeks)\s+"
    r"(?:pass|go by|elapse|are there)\s+between"
)
#: "days between consecutive orders (same customer)": whose orders, in a remark.
_SAME_OWNER = re.compile(r"\s*\(\s*(?:of\s+|by\s+)?(?:the\s+)?same\s+(?P<owner>[a-z]+)\s*\)")
#: "the average gap in days between ...": the days between.
_GAP_IN_UNITS = re.compile(r"\bgap\s+in\s+(?P<unit>minutes|hours|days|weeks)\s+(?=between\b)")
#: Words before a measure per entity that another pass reads ("lifetime": all time).
#: "Total" before one only says the measure is added up for each ("total spend per customer").
_KEPT = re.compile(r"\s*(?:(?P<words>lifetime|all\s+time)\s+)?(?:total\s+)?")
#: ", ranking only the products that had 2025 sales": which things are ranked, said
#: again (those with rows of the measure in the period asked).
_RANKED_ONLY = re.compile(
    r"\s*,?\s*(?P<open>\(\s*)?(?:(?:when|while)\s+)?"
    r"(?:ranking|counting|considering|including|taking)\s+only\s+"
    r"(?:the\s+)?(?P<entity>[a-z]+(?:\s+[a-z]+)?)\s+(?:that|which|who|with)\s+"
    r"(?:(?:had|have|has|made|recorded)\s+)?(?:any\s+)?(?P<rest>[^,.;?!()]+)"
    r"(?(open)\s*\))"
)
#: The verb of a sale, as in "products that sold in 2025".
_SALE_VERBS = frozenset({"sold", "sell", "selling"})
_RANKED_BY_BEFORE = re.compile(r"\b(?:by|ranked\s+by|sorted\s+by|in\s+terms\s+of)\s+$")
#: "by revenue", "(ranked by 2025 revenue)", ", ranking brands by their 2025 revenue".
_RANKED_BY = re.compile(
    r"\s*,?\s*(?P<open>\()?\s*(?:(?:when\s+|if\s+)?(?:ranked|ranking|sorted|ordered)"
    r"(?:\s+[a-z]+)?\s+)?(?:by|in\s+terms\s+of)\s+(?:their\s+|its\s+|the\s+)?"
    r"(?:(?P<year>20\d\d)\s+|(?:all[- ]time|lifetime|total)\s+)?"
)


#: "Among users who have placed an order": the people counted are those who have some.
HAVE_SOME = re.compile(
    r"\b(?:who|that)\s+(?:have\s+|had\s+|has\s+)?(?:ever\s+)?"
    r"(?:placed|made|ordered|bought|purchased)\b"
)


@dataclass
class EntityReading:
    """What this pass read: metrics to put first, and the plan fields it sets."""

    metrics: list[str] = field(default_factory=list)
    by_measure: str | None = None
    top_percent: float | None = None
    top_count: int | None = None
    top_per: str | None = None
    #: ", ranking only the products that had 2025 sales" was read; its period must be
    #: the question's own (``ranked_only`` finds it in the text before time is read).
    ranked_only: bool = False
    notes: list[str] = field(default_factory=list)


class EntityReader:
    """Reads statistics and measures per entity with a planner's phrase index."""

    def __init__(
        self,
        model: SemanticModel,
        phrases: dict[tuple[str, ...], list[tuple[str, str, str]]],
    ) -> None:
        self.model = model
        self.phrases = phrases
        self._bucketed = False
        #: Words that name an entity ("order", "customer") -> the entity dimension.
        self.entities: dict[str, str] = {}
        #: The metric that counts each entity (an order id: the orders), first in the file.
        self.counted_by: dict[str, str] = {}
        #: The metric each entity word comes from ("customer": the customers, buyers).
        self.entity_metrics: dict[str, str] = {}
        for metric in model.metrics.values():
            if metric.entity is None:
                continue
            self.counted_by.setdefault(metric.entity, metric.name)
            for phrase in (metric.name, *metric.synonyms):
                words = tokens(phrase.replace("_", " "))
                if len(words) == 1:
                    self.entities.setdefault(singular(words[0]), metric.entity)
                    self.entity_metrics.setdefault(singular(words[0]), metric.name)
        reader = model.reader
        self.entity_measures: dict[tuple[str, ...], str] = {
            tuple(singular(w) for w in tokens(k)): str(v)
            for k, v in dict(reader.get("entity_measures", {})).items()
        }
        self.extremes: dict[str, str] = {
            str(k): str(v) for k, v in dict(reader.get("extremes", {})).items()
        }

    # -- helpers ----------------------------------------------------------------
    def _metric_of(self, words: list[str]) -> str | None:
        """The metric these words name, all of them."""
        entries = self.phrases.get(tuple(singular(w) for w in words), [])
        return next((name for kind, name, _ in entries if kind == "metric"), None)

    def _numeric_of(self, words: list[str]) -> str | None:
        entries = self.phrases.get(tuple(singular(w) for w in words), [])
        for kind, name, _ in entries:
            if kind == "dimension" and self.model.dimensions[name].numeric:
                return name
        return None

    def _entity_measure(self, words: list[str]) -> str | None:
        return self.entity_measures.get(tuple(singular(w) for w in words))

    def measure_for(self, metric: str, entity: str, words: Sequence[str] = ()) -> str:
        """The measure as read for each entity ("items" of an order: all its items);
        "items sold" keeps the measure's own rule."""
        if _SOLD.search(" ".join(words)):
            return metric
        return self.model.dimensions[entity].measures.get(metric, metric)

    @staticmethod
    def _kinds(match: re.Match[str]) -> list[str]:
        if match["quartiles"]:
            return ["p25", "median", "p75"]
        return kinds_named(match["stats"], _STAT_KINDS)

    # -- the pass -----------------------------------------------------------------
    def read(self, text: str, *, bucketed: bool = False) -> tuple[EntityReading, str]:
        """Cut what this pass reads out of ``text``; the rest is left to the others.
        ``bucketed``: the question cuts a number in buckets of a width ("in $50
        buckets"), so a distribution may be of an amount per entity (order values)."""
        found = EntityReading()
        text = self._gaps(text, found)
        text = self._pareto(text, found)
        text = self._extremes(text, found)
        text = self._distribution(text, found, bucketed=bucketed)
        start = 0
        while match := _STATS.search(text, start):
            span = self._statistics_at(text, match, found)
            if span is None:
                start = match.end()
                continue
            begin, cut, kept = span
            # "top 5 countries by median order value": the word naming what ranks goes too.
            ranked = _RANKED_BY_BEFORE.search(text[:begin])
            begin = ranked.start() if ranked is not None else begin
            text = (text[:begin] + " " + kept + " " + text[cut:]).strip()
            start = begin
        return found, text

    def _statistics_at(
        self, text: str, match: re.Match[str], found: EntityReading
    ) -> tuple[int, int, str] | None:
        """Read the statistics starting at ``match``: where what was read starts and ends,
        and the words in it left for the other passes ("lifetime"); ``None`` when it is
        no statistic this pass reads."""
        kinds = self._kinds(match)
        of = _OF.match(text, match.end())
        at = of.end() if of is not None else match.end()
        following = list(TOKEN.finditer(text, at))[:8]
        read = self._per_entity(text, match, at, following, kinds)
        if read is None:
            read = self._named_per_entity(text, match, following, kinds)
        kept = _KEPT.match(text, at)
        if read is None and kept is not None and kept.end() > at:
            # "median lifetime spend per customer": "lifetime" is left for the time reader.
            at = kept.end()
            following = list(TOKEN.finditer(text, at))[:8]
            read = self._per_entity(text, match, at, following, kinds)
            read = None if read is not None and not read[0] else read
        kept_words = (kept["words"] or "") if kept is not None and read is not None else ""
        percentiles = bool(match["plural"] or match["quartiles"]) or any(
            k.startswith("p") for k in kinds
        )
        # "median of retail price", "mean and median of age"; "average of retail price" is
        # the model's own measure.
        named_of = re.match(r"\s*of\b", text[match.end() :]) is not None and kinds != ["avg"]
        if read is None and (percentiles or "stddev" in kinds or named_of):
            after = number_after(self, text, following, kinds)
            if after is not None:
                read, kept_words = after[:2], f"{kept_words} {after[2]}".strip()
        begin = match.start()
        if read is None and (percentiles or not set(kinds) - {"median", "stddev"}):
            before = number_before(self, text, match.start(), match.end(), kinds)
            if before is not None:
                read, begin = (before[0], before[2]), before[1]
        if read is None and percentiles:
            raise PlanningError(
                "I could not tell which number the percentiles are of.",
                hint="Name a number of the model (sale price, age) or a measure per order "
                "or customer, e.g. '90th percentile of revenue per order'.",
            )
        if read is None or not read[0]:
            return None
        # "how long is a typical visit? average session length": one measure, said twice
        found.metrics += [m for m in read[0] if m not in found.metrics]
        return begin, read[1], kept_words

    def _per_entity(
        self,
        text: str,
        match: re.Match[str],
        at: int,
        following: list[re.Match[str]],
        kinds: list[str],
    ) -> tuple[list[str], int] | None:
        """A statistic of a measure per entity: "median revenue per order"; an empty list
        when the words are the model's own measure ("average items per order")."""
        words = [m.group(0) for m in following]
        for size in range(min(len(words), 5), 0, -1):
            per = _PER.match(text, following[size - 1].end())
            entity = self.entities.get(singular(per["entity"])) if per else None
            metric = self._metric_of(words[:size])
            if per is None or entity is None or metric is None or self._starts_phrase(text, per):
                continue
            whole = tokens(text[match.start() : per.end()])
            own = self._metric_of(whole) or self._metric_of(tokens(text[at : per.end()]))
            counts_it = metric in self.model.metrics and self.model.metrics[metric].entity == entity
            # "average nights per booking for each region": the measure already says
            # what it is averaged over, so "for each region" is a breakdown.
            averaged = (
                kinds == ["avg"]
                and metric in self.model.metrics
                and _PER.search(" " + " ".join(words[:size])) is not None
                and per.group(0).split()[0] != "per"
            )
            if (kinds == ["avg"] and own) or counts_it or averaged:
                return [], 0  # the model's own measure; "orders per order" is no statistic
            measure = self.measure_for(metric, entity, words[:size])
            self._check_people_rules(measure, per["entity"], text)
            return [f"{k}:{measure}:{entity}" for k in kinds], per.end()
        return None

    def _check_people_rules(self, metric: str, word: str, text: str) -> None:
        """Refuse a count per entity whose word brings a rule the count lacks: "orders per
        customer" could count every order of a customer, or only the orders the rule that
        makes someone a customer keeps (orders with items bought). A count per person of
        the people's own table ("orders per user") is asked about unless the question
        says it is over the people who have some ("among users who have ordered"): those
        with none could count as zero."""
        named = self.entity_metrics.get(singular(word))
        measured = self.model.metrics.get(metric)
        if named is None or measured is None or measured.unit != "count":
            return
        people = self.model.metrics[named]
        if people.table == self.model.reader.get("people") and not HAVE_SOME.search(text):
            raise PlanningError(
                f"'{measured.label} per {singular(word)}' could be over every "
                f"{singular(word)}, counting those with no {measured.label.lower()} as 0, or "
                f"only over those who have some; I cannot tell which.",
                hint=f"Say 'among {plural(singular(word))} who have placed an order' (only "
                f"those with {measured.label.lower()}), or ask per customer.",
            )
        missing = [rule for rule in people.filters if rule not in measured.filters]
        if not missing:
            return
        rules = ", ".join(self.model.filter_descriptions.get(r, r) for r in missing)
        raise PlanningError(
            f"'{measured.label} per {singular(word)}' could count all of their "
            f"{measured.label.lower()}, or only those kept by the rule that makes them "
            f"{people.label.lower()} ({rules}); I cannot tell which.",
            hint=f"Ask per user to count all {measured.label.lower()} (e.g. 'average "
            f"{measured.label.lower()} per user'), or name the rows to count.",
        )

    def _starts_phrase(self, text: str, per: re.Match[str]) -> bool:
        """Whether the entity's word starts a longer name ("each signup year": the
        signup-year breakdown, not each user)."""
        after = [singular(m.group(0)) for m in TOKEN.finditer(text, per.end())][:3]
        word = singular(per["entity"])
        return any(
            tuple([word, *after[:size]]) in self.phrases for size in range(1, len(after) + 1)
        )

    def _named_per_entity(
        self, text: str, match: re.Match[str], following: list[re.Match[str]], kinds: list[str]
    ) -> tuple[list[str], int] | None:
        """A measure the model names per entity: "median order value", "basket size"."""
        words = [m.group(0) for m in following]
        for size in range(min(len(words), 4), 0, -1):
            named = self._entity_measure(words[:size])
            if named is None:
                continue
            end = following[size - 1].end()
            if kinds == ["avg"] and self._metric_of(tokens(text[match.start() : end])):
                return [], 0  # "average order value" is the model's own measure
            per = _PER.match(text, end)
            if (
                per is not None
                and self.entities.get(singular(per["entity"])) == named.split(":")[-1]
            ):
                end = per.end()  # "median lifetime spend per customer": its own entity
            unit = _IN_UNIT.match(text, end)
            measured = self.model.metrics.get(named.split(":")[0])
            if unit is not None and (measured is None or "minute" not in measured.label.lower()):
                unit = None  # "in minutes" restates only a measure taken in minutes
            return [f"{k}:{named}" for k in kinds], unit.end() if unit else end
        return None

    @functools.cached_property
    def _extremes_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """An extreme or a listed statistic, and a list of two or more of them before a
        noun: written once, from the model's extremes."""
        names = "|".join(re.escape(w) for w in sorted(self.extremes, key=len, reverse=True))
        # "youngest, oldest and mean user age": a statistic of the same number may join.
        either = rf"{names}|{_LISTED_STATS}"
        pattern = re.compile(
            rf"\b(?:the\s+)?(?P<list>(?:{either})(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|/\s*)"
            rf"(?:the\s+)?(?:{either}))+)\s+(?P<noun>[a-z]+)\b(?:\s+(?P<number>[a-z]+)\b)?"
        )
        return re.compile(either), pattern

    def _extremes(self, text: str, found: EntityReading) -> str:
        """'oldest and youngest user': two or more extremes of one number, then the rows."""
        if not self.extremes:
            return text
        either, pattern = self._extremes_patterns
        match = pattern.search(text)
        if match is None:
            return text
        listed = either.findall(match["list"])
        chosen = [self.extremes[w] for w in listed if w in self.extremes]
        dimensions = {c.split(":", 1)[1] for c in chosen}
        noun = self._metric_of([match["noun"]])
        if len(dimensions) != 1 or noun is None:
            return text
        (dimension,) = dimensions
        stats = [w for w in listed if w not in self.extremes]
        end = match.end()
        if match["number"] is not None:
            known = self.model.dimensions[dimension]
            if match["number"] in {dimension, known.label.lower(), *known.synonyms}:
                end = match.end("number")
            else:
                end = match.end("noun")
        if stats and end == match.end("noun"):
            return text  # "oldest and average customer spend": a statistic of what?
        chosen = [self.extremes.get(w) or f"{_STAT_KINDS[w]}:{dimension}" for w in listed]
        _, table = self.model.dimensions[dimension].own_sql()
        counted = self.model.metrics.get(noun)
        if counted is None or counted.table != table or counted.unit != "count":
            return text  # "youngest customer": buyers are not every row of the number's table
        found.metrics += list(dict.fromkeys(chosen))
        return (text[: match.start()] + " " + text[end:]).strip()

    def _distribution(self, text: str, found: EntityReading, *, bucketed: bool = False) -> str:
        """'basket size distribution', 'distribution of items per order', 'orders by
        number of items': entities counted by their own measure; with buckets, also an
        amount ("order values in $50 buckets", "customers distributed by lifetime
        spend")."""
        self._bucketed = bucketed
        if bucketed:
            text = _DISTRIBUTED_BY.sub(r"\g<things> distribution of ", text)
            text = self._by_amount(text)
        # "how many orders took each number of days to deliver", "orders, how many took 0
        # days, 1 day, 2 days and so on to ship": the orders by that number
        text = _TOOK_EACH.sub(_by_number_of_units, text)
        if _DISTRIBUTION.search(text) or re.search(r"\bby\s+(?:the\s+)?number\s+of\b", text):
            # "how many orders have 1 item, 2 items, ...", "... by the number of orders they
            # bought in: how many with 1 order, with 2 orders, and so on"
            text = _VALUES_SPELLED.sub(" ", text)
        match = _DISTRIBUTION.search(text)
        if match is not None:
            before = tokens(text[: match.start()])
            after = re.match(r"\s*of\s+(?:the\s+)?(?:number\s+of\s+)?(?P<rest>.*)$",
                             text[match.end() :])  # fmt: skip
            for size in range(min(len(before), 4), 0, -1):
                words = before[-size:]
                named = self._entity_measure(words) or self._duration_named(words)
                if named is not None:
                    start = _word_start(text, match.start(), size)
                    return self._counted(text, found, named, start, match.end())
            if after is not None:
                rest = text[match.end() + after.start("rest") :]
                piece = self._measure_per_entity(rest)
                if piece is None:
                    piece = self._duration_each(rest)  # "distribution of delivery time"
                if piece is not None:
                    named, length = piece
                    end = match.end() + after.start("rest") + length
                    start = match.start()
                    lead = re.search(r"(?:\bthe\s+)?$", text[:start])
                    return self._counted(text, found, named, lead.start() if lead else start, end)
        # "orders by number of items", "customers by how many orders they placed"; "orders
        # by item count" is said so too.
        original, text = text, _BY_COUNT.sub(r"by number of \g<what>", text)
        by = _BY_NUMBER_OF.search(text)
        if by is not None and by["mid"] and self._metric_of([by["entity"]]) is None:
            by = _BY_NUMBER_OF.search(text, by.start("mid"))  # not things counted
        ranked = by is not None and re.search(
            r"\b(?:top|bottom|best|worst|highest|lowest|most|least|fewest)\s+(?:\d+\s+)?$",
            text[: by.start()],
        )  # "top 5 sessions by number of events" ranks the sessions
        if by is not None and not ranked:
            counted = self._metric_of([by["entity"]])
            known = self.model.metrics.get(counted or "")
            entity = known.entity if known is not None else None
            metric = self._metric_of(tokens(by["rest"]))
            if entity is not None and metric is not None and counted is not None:
                # "customers by the number of orders they bought (in)": orders with items
                # bought; "... they placed" every order, which only users may count.
                verb = by["verb"] or ""
                measure = self._rows_among(metric, verb) or self.measure_for(metric, entity)
                if measure == metric:
                    self._check_people_rules(measure, by["entity"], text)
                found.metrics.append(counted)
                found.by_measure = f"{measure}:{entity}"
                # "distribution of customers by the number of orders ...": the same
                lead = re.search(
                    r"\b(?:the\s+|a\s+)?(?:distribution|histogram)\s+of\s+(?:the\s+|our\s+)?"
                    r"(?:(?:19|20)\d\d\s+)?$",
                    text[: by.start()],
                )
                start = by.start() if lead is None else lead.start()
                year = re.search(r"(?:19|20)\d\d", lead.group(0)) if lead is not None else None
                kept = f" {by['mid'] or ''} {year.group(0) if year else ''} "
                return (text[:start] + kept + text[by.end() :]).strip()
        return original

    def _by_amount(self, text: str) -> str:
        """'2025 orders by order value' with buckets: the things counted by an amount of
        each ("customers by lifetime spend in $250 steps"), read as its distribution."""
        if _DISTRIBUTION.search(text):
            return text
        for match in _BY_AMOUNT.finditer(text):
            if self._metric_of([match["things"]]) is None:
                continue
            if self._measure_per_entity(text[match.end() :]) is not None:
                before, after = text[: match.start()], text[match.end() :]
                return f"{before}{match['things']} distribution of {after}"
        return text

    def _rows_among(self, metric: str, verb: str) -> str | None:
        """ "the number of orders they bought (in)": the distinct things of ``metric``
        among the rows the verb names (orders with items bought); ``None`` when the verb
        names no rows (``reader.distinct_rows``)."""
        from lgda_nb.planner._read_distinct import distinct_in_metric

        rows = self.model.reader.get("distinct_rows", {})
        entity = self.model.metric(metric).entity
        if verb not in rows or entity is None:
            return None
        return distinct_in_metric(self.model, str(rows[verb]), entity)

    def measure_named(self, words: Sequence[str]) -> bool:
        """Whether ``words`` name a measure of one entity ("order value")."""
        return self._entity_measure(list(words)) is not None

    def measure_of(self, words: Sequence[str]) -> str | None:
        """``metric:entity`` that ``words`` name ("order value": ``revenue:order_id``)."""
        return self._entity_measure(list(words))

    def _measure_per_entity(self, text: str) -> tuple[str, int] | None:
        """``metric:entity`` at the start of ``text`` ("items per order", "basket size")
        and its length."""
        following = list(TOKEN.finditer(text))[:6]
        words = [m.group(0) for m in following]
        for size in range(min(len(words), 4), 0, -1):
            end = following[size - 1].end()
            named = self._entity_measure(words[:size])
            if named is not None:
                return named, end
            per = _PER.match(text, end)
            entity = self.entities.get(singular(per["entity"])) if per else None
            metric = self._metric_of(words[:size])
            if per is not None and entity is not None and metric is not None:
                measure = self.measure_for(metric, entity)
                self._check_people_rules(measure, per["entity"], text)
                return f"{measure}:{entity}", per.end()
        return None

    def _duration_named(self, words: list[str]) -> str | None:
        """``metric:entity`` of a duration in whole units that ``words`` name, all of them
        ("delivery time" before "distribution")."""
        said = " ".join(words)
        each = self._duration_each(said)
        return each[0] if each is not None and each[1] == len(said) else None

    def _duration_each(self, text: str) -> tuple[str, int] | None:
        """``metric:entity`` of a duration in whole units at the start of ``text`` (each
        order's "delivery time", "days to ship") and its length."""
        from lgda_nb.planner._entity import whole_units_each

        following = list(TOKEN.finditer(text))[:4]
        for size in range(len(following), 0, -1):
            metric = self._metric_of([m.group(0) for m in following[:size]])
            if metric is None:
                continue
            for entity in self.counted_by:
                if whole_units_each(self.model, metric, entity):
                    unit = re.match(r"\s*in\s+(?:whole\s+)?(?:days|hours|weeks)\b",
                                    text[following[size - 1].end() :])  # fmt: skip
                    end = following[size - 1].end() + (unit.end() if unit else 0)
                    return f"{metric}:{entity}", end
        return None

    def _counted(self, text: str, found: EntityReading, named: str, start: int, end: int) -> str:
        from lgda_nb.planner._entity import whole_units_each

        metric, _, entity = named.rpartition(":")
        counted = self.counted_by.get(entity)
        amount = self.model.metric(metric).unit == "money" and self._bucketed
        amount = amount or whole_units_each(self.model, metric, entity)
        if counted is None or (self.model.metric(metric).unit != "count" and not amount):
            return text  # "order value distribution": no count per order to count by
        found.metrics.append(counted)
        found.by_measure = named
        return (text[:start] + " " + text[end:]).strip()

    def _gaps(self, text: str, found: EntityReading) -> str:
        """'average days between a customer's consecutive orders': the time from each of
        an entity's things to the next, aggregated."""
        text = _ON_AVERAGE_GAP.sub(r"average \g<unit> between", text)
        text = _GAP_IN_UNITS.sub(r"\g<unit> ", text)
        text = _SAME_OWNER.sub(r" of the same \g<owner>", text)
        match = _GAP.search(text)
        if match is None:
            return text
        counted = self._metric_of([match["things"]])
        owners = [w for w in (match["owner"], match["per"]) if w]
        entities = {self.entities.get(singular(w)) or self.person(w) for w in owners}
        if not owners and match["next"]:
            # "average days between consecutive orders": one buyer's orders, one after
            # another (the time between any two orders of the store is not "consecutive").
            entities = {self._buyer()}
        known = self.model.metrics.get(counted or "")
        if known is None or known.entity is None or len(entities) != 1 or None in entities:
            return text
        (entity,) = entities
        assert entity is not None
        unit = (match["unit2"] or match["unit"]).rstrip("s").upper()
        unit = "DAY" if unit in {"TIME", "GAP"} else unit
        # "mean and median days between ...": each statistic of the same gaps
        kinds = [_STAT_KINDS[agg] for agg in re.findall(_GAP_AGG, match["agg"])]
        names = list(dict.fromkeys(f"gap:{unit}:{kind}:{known.name}:{entity}" for kind in kinds))
        try:
            for name in names:
                self.model.metric(name)
        except KeyError:  # "days between a user's registration and ...": no gap of signups
            return text
        found.metrics.extend(names)
        return (text[: match.start()] + " " + text[match.end() :]).strip()

    def _buyer(self) -> str | None:
        """The entity of the model's buyers (``reader.buyers``), if any."""
        buyers = self.model.reader.get("buyers")
        metric = self.model.metrics.get(buyers) if isinstance(buyers, str) else None
        return metric.entity if metric is not None else None

    def person(self, word: str) -> str | None:
        """The buyers' entity for a word naming a row of the people table ("a user's
        consecutive orders": the orders of one person, as a customer's are)."""
        people, buyers = self.model.reader.get("people"), self.model.reader.get("buyers")
        table = self.model.catalog.get(people) if isinstance(people, str) else None
        if table is None or not isinstance(buyers, str) or buyers not in self.model.metrics:
            return None
        words = {singular(w) for w in table.words} | {singular(str(people))}
        return self.model.metrics[buyers].entity if singular(word) in words else None

    def _pareto(self, text: str, found: EntityReading) -> str:
        """'what share of revenue comes from the top 20% of customers (by spend)'."""
        match = _PARETO.search(text) or _PARETO_DO.search(text)
        if match is None:
            return text
        words = tokens(match["measure"])
        size = next((n for n in range(len(words), 0, -1) if self._metric_of(words[-n:])), 0)
        metric = self._metric_of(words[-size:]) if size else None
        entity, end = self._ranked_entity(text, match)
        if metric is None or entity is None:
            return text
        if match.re is _PARETO_DO:
            verb = _DO_VERB.match(text, end)
            if verb is None:
                return text
            end = verb.end()
        # "2025 revenue", "all-time revenue": the period before the measure stays.
        period = ""
        if size < len(words):
            head = list(TOKEN.finditer(match["measure"]))[len(words) - size - 1]
            period = match["measure"][: head.end()]
        ranked = _RANKED_BY.match(text, end)
        if ranked is not None and ranked["year"] and ranked["year"] not in text[: ranked.start()]:
            ranked = None  # ranked by another year's measure than the one shared: not read
        if ranked is not None:
            following = list(TOKEN.finditer(text, ranked.end()))[:4]
            for size in range(len(following), 0, -1):
                by = self._metric_of([m.group(0) for m in following[:size]])
                if by is None:
                    continue
                if by != metric:
                    raise PlanningError(
                        "A share of one measure from the top entities ranked by another is "
                        "not supported.",
                        hint="Rank the entities by the measure whose share you want, e.g. "
                        "'share of revenue from the top 20% of customers by revenue'.",
                    )
                end = following[size - 1].end()
                if ranked["open"] and (close := re.match(r"\s*\)", text[end:])):
                    end += close.end()
                break
        end = self._ranked_only(text, end, metric, entity, found)
        found.metrics.append(metric)
        _top_of(match, entity, found)
        before = _CONCENTRATED.sub(" ", text[: match.start()])  # "how concentrated is it?"
        return (before + " " + period + " " + text[end:]).strip()

    def _ranked_only(
        self, text: str, end: int, metric: str, entity: str, found: EntityReading
    ) -> int:
        """Read ", ranking only the <things> that had <period> <measure>" after ``end``:
        the things ranked are those with rows of the measure in the window, so the
        clause is read when it names the same things and a measure on the same rows;
        its period is kept to be checked against the question's. Where reading ends."""
        only = _RANKED_ONLY.match(text, end)
        if only is None:
            return end
        named, _ = self._ranked_entity(only.string, only)
        words = tokens(only["rest"])
        measured = self.model.metric(metric)
        sold = self.model.reader.get("sell", {})
        for size in range(min(len(words), 4), 0, -1):
            for start in (0, len(words) - size):
                said = self._metric_of(words[start : start + size])
                if said is None and size == 1 and words[start] in _SALE_VERBS and sold:
                    said = str(next(iter(sold.values())))  # "products that sold in 2025"
                if said is None or named != entity:
                    continue
                other = self.model.metric(said)
                if other.table != measured.table or set(other.filters) != set(measured.filters):
                    continue
                found.ranked_only = True
                return only.end()
        return end

    def _ranked_entity(self, text: str, match: re.Match[str]) -> tuple[str | None, int]:
        """What the top N% are of, and where its words end: a thing a metric counts
        (customers) or any breakdown that is not a number (products, brands)."""
        words = tokens(match["entity"])
        for size in range(len(words), 0, -1):
            found = self.entities.get(singular(words[0])) if size == 1 else None
            entries = self.phrases.get(tuple(singular(w) for w in words[:size]), [])
            found = found or next(
                (name for kind, name, _ in entries
                 if kind == "dimension" and not self.model.dimensions[name].numeric),
                None,
            )  # fmt: skip
            if found is not None:
                spans = list(TOKEN.finditer(text, match.start("entity")))
                return found, spans[size - 1].end()
        return None, match.end()


def ranked_only(text: str) -> tuple[int, int, str] | None:
    """Where ", ranking only the <things> that had <period> <measure>" is in ``text``
    and its words after the things; ``None`` when there is none."""
    match = _RANKED_ONLY.search(text)
    return None if match is None else (match.start(), match.end(), match["rest"])


def _word_start(text: str, before: int, size: int) -> int:
    """Where the ``size`` words ending just before position ``before`` start."""
    spans = list(TOKEN.finditer(text[:before]))
    return spans[-size].start() if len(spans) >= size else 0


_ABOVE = r"above|over|more than|higher than|greater than|bigger than|larger than"
_BELOW = r"below|under|less than|lower than|fewer than|smaller than"
_AVERAGE = (
    rf"(?:is\s+|are\s+|was\s+|were\s+)?(?P<op>{_ABOVE}|{_BELOW})\s+(?:the\s+|an?\s+)?"
    r"(?:overall\s+|global\s+|total\s+)?(?:average|mean|avg)\b"
)
#: "that spent", "whose", "with a": what may stand before a measure compared with the average.
_AVERAGE_LEAD = (
    r"(?P<lead>whose|with(?:\s+an?)?|having(?:\s+an?)?|where\s+(?:the|their|its)|"
    r"(?:who|that|which)(?:\s+have|\s+has|\s+had)?(?:\s+an?)?|(?:have|has|had)\s+an?)"
)
#: The measure between them, which another lead does not start ("which categories have
#: an average sale price above the average": the lead is "have an").
_AVERAGE_BODY = r"(?:(?!\b(?:have|has|had)\b)[a-z ])+?"
_AVERAGE_WORD = re.compile(r"\b(?:average|mean|avg)\b")
_OVERALL_WORD = re.compile(r"\b(?:overall|global|company[- ]wide|store[- ]wide)\b")
#: "(which categories) have an item return rate higher than the overall item return rate".
_AGAINST_OVERALL = re.compile(
    r"\b(?P<lead>whose|with(?:\s+an?)?|having(?:\s+an?)?|(?:have|has|had)(?:\s+an?)?)\s+"
    r"(?P<body>[a-z][a-z% ]*?)\s+(?:is\s+|are\s+|was\s+|were\s+)?"
    rf"(?P<op>{_ABOVE}|{_BELOW})\s+(?:the\s+|our\s+)?"
    r"(?:overall|global|company[- ]wide|store[- ]wide)\s+(?:(?:full[- ]year\s+)?20\d\d\s+)?"
    r"(?P<again>[a-z][a-z% ]*?)"
    r"(?=\s*(?:[?.,;!]|$|\b(?:show|and|with|by|in|for)\b))"
)
_SOLD = re.compile(r"\b(?:sold|sell|sells|selling|bought|purchased|kept)\b")
_SPEND_VERBS = frozenset({"spent", "spend", "spending", "spends"})


@dataclass(frozen=True)
class AverageRead:
    """A comparison with the average as read: on a number of each row (``dimension``),
    or on a measure of what precedes it (``metric``, resolved like other conditions)."""

    op: str
    start: int
    end: int
    text: str
    #: Words before it, for finding what it applies to (as other conditions).
    position: int = 0
    metric: str | None = None
    dimension: str | None = None


class AverageReader:
    """'priced above the average retail price', 'whose average retail price is above the
    overall average', 'who spent more than the average spend per customer'."""

    def __init__(self, reader: EntityReader, default_money: str | None) -> None:
        self.reader = reader
        self.model = reader.model
        self.default_money = default_money
        words: dict[str, str] = {}
        for dimension in self.model.dimensions.values():
            if dimension.numeric:
                for phrase in (*dimension.synonyms, *dimension.numeric_words):
                    words.setdefault(phrase, dimension.name)
        self.numeric_words = words

    def read(self, text: str) -> tuple[list[AverageRead], str]:
        found: list[AverageRead] = []
        if not _AVERAGE_WORD.search(text) and not _OVERALL_WORD.search(text):
            return found, text
        while (read := self._next(text)) is not None:
            found.append(replace(read, position=len(tokens(text[: read.start]))))
            text = (text[: read.start] + " " + text[read.end :]).strip()
        return found, text

    def _next(self, text: str) -> AverageRead | None:
        """The first comparison with the average in ``text``, or ``None``."""
        candidates = [
            read
            for read in (
                self._on_number(text),
                self._on_measure(text),
                self._on_spend(text),
                self._on_overall(text),
            )
            if read is not None
        ]
        # The longest at the same start: "had an average order value above the overall
        # average order value" is the measure against itself over all, not "the average".
        return min(candidates, key=lambda r: (r.start, r.start - r.end), default=None)

    def _on_number(self, text: str) -> AverageRead | None:
        """'priced above the average retail price', 'older than average'."""
        numbers, comparatives = self._number_patterns
        if numbers is not None:
            number = numbers.search(text)
            if number is not None and not re.search(r"\b(?:average|mean|avg)\s+$",
                                                    text[: number.start()]):  # fmt: skip
                dimension = self.numeric_words[number["word"]]
                return self._read(text, number, _op(number["op"]), dimension=dimension)
        for than_average, op, dimension in comparatives:
            than = than_average.search(text)
            if than is not None:
                return self._read(text, than, op, dimension=dimension)
        return None

    @functools.cached_property
    def _number_patterns(
        self,
    ) -> tuple[re.Pattern[str] | None, list[tuple[re.Pattern[str], str, str]]]:
        """A number's word before a comparison with the average ("priced above the
        average"), and each comparative of a dimension before "than average" ("older
        than average") with its operator and dimension: written once, from the model."""
        names = "|".join(re.escape(w) for w in sorted(self.numeric_words, key=len, reverse=True))
        numbers = re.compile(rf"\b(?P<word>{names})\s+{_AVERAGE}") if names else None
        comparatives = [
            (
                re.compile(
                    rf"\b{re.escape(word)}\s+than\s+(?:the\s+)?(?:overall\s+)?(?:average|mean)\b"
                ),
                op,
                compared.name,
            )
            for compared in self.model.dimensions.values()
            for word, op in compared.comparatives.items()
            if op in {">", "<"}
        ]
        return numbers, comparatives

    def _on_measure(self, text: str) -> AverageRead | None:
        """'whose average retail price is above the overall average'."""
        lead = re.search(rf"\b{_AVERAGE_LEAD}\s+(?P<body>{_AVERAGE_BODY})\s+{_AVERAGE}", text)
        if lead is None:
            return None
        body = tokens(lead["body"])
        dimension = self.reader._numeric_of(body)
        if dimension is not None:  # "with a retail price above the average": each row's
            return self._read(text, lead, _op(lead["op"]), dimension=dimension)
        metric = self.reader._metric_of(body) or self._of_own_rows(body)
        if metric is None:
            return None
        return self._read(text, lead, _op(lead["op"]), metric=metric)

    def _of_own_rows(self, body: list[str]) -> str | None:
        """The measure of ``body`` said with the rows it is taken on after it ("average
        sale price of items sold"), else ``None``."""
        from lgda_nb.planner._asked import row_words

        for at in range(len(body) - 1, 0, -1):
            if body[at] not in {"of", "on", "for"}:
                continue
            rows = [w for w in body[at + 1 :] if w not in {"the", "all", "sold", "ordered"}]
            metric = self.reader._metric_of(body[:at])
            if metric is None or len(rows) != 1:
                continue
            nouns = {singular(w) for w in row_words(self.model, self.model.metric(metric).table)}
            if singular(rows[0]) in nouns:
                return metric
        return None

    def _on_overall(self, text: str) -> AverageRead | None:
        """'categories with an item return rate above the overall item return rate': a
        measure of each group against the same measure over all of them."""
        match = _AGAINST_OVERALL.search(text)
        if match is None:
            return None
        body = tokens(match["body"])
        metric = self.reader._metric_of(body) or self._of_own_rows(body)
        again = tokens(match["again"])
        if (
            metric is None
            or not again
            or metric
            not in {
                self.reader._metric_of(again),
                self._of_own_rows(again),
            }
        ):
            return None
        read = self._read(text, match, _op(match["op"]), metric=metric)
        return replace(read, end=match.end(), text=text[match.start() : match.end()])

    def _on_spend(self, text: str) -> AverageRead | None:
        """'(who) spent more than the average': the model's money measure."""
        verbs = "|".join(sorted(_SPEND_VERBS))
        spend = re.search(
            rf"\b(?:(?:who|that|which)\s+)?(?:have\s+|has\s+|had\s+)?(?:{verbs})\s+{_AVERAGE}",
            text,
        )
        if spend is None or self.default_money is None:
            return None
        return self._read(text, spend, _op(spend["op"]), metric=self.default_money)

    def _read(
        self,
        text: str,
        match: re.Match[str],
        op: str,
        *,
        metric: str | None = None,
        dimension: str | None = None,
    ) -> AverageRead:
        end = self._tail(text, match.end(), metric=metric, dimension=dimension)
        return AverageRead(op, match.start(), end, text[match.start() : end], metric=metric,
                           dimension=dimension)  # fmt: skip

    def _tail(self, text: str, at: int, *, metric: str | None, dimension: str | None) -> int:
        """The end of the words after "average" that restate what is averaged ("the
        average spend per customer", "the average retail price", "of all products")."""
        following = list(TOKEN.finditer(text, at))[:7]
        words = [m.group(0) for m in following]
        best = 0
        for size in range(len(words), 0, -1):
            if self._restates(words[:size], metric, dimension):
                best = size
                break
        return following[best - 1].end() if best else at

    def _restates(self, words: list[str], metric: str | None, dimension: str | None) -> bool:
        rest = list(words)
        for size in range(len(rest), 0, -1):
            head = rest[:size]
            same = (
                (metric is not None and self.reader._metric_of(head) == metric)
                or (dimension is not None and self.reader._numeric_of(head) == dimension)
                or (
                    metric is not None
                    and (self.reader._entity_measure(head) or "").partition(":")[0] == metric
                )
            )
            if same:
                rest = rest[size:]
                break
        if rest[:1] in (["per"], ["of"], ["across"], ["for"]):
            rest = rest[1:]
            if rest[:1] == ["all"] or rest[:1] == ["each"]:
                rest = rest[1:]
            if len(rest) == 1 and self._names_things(rest[0]):
                rest = []
        return not rest

    def _names_things(self, word: str) -> bool:
        entries = self.reader.phrases.get((singular(word),), [])
        return bool(entries) or singular(word) in self.reader.entities


def _op(words: str) -> str:
    return ">" if re.fullmatch(_ABOVE, " ".join(words.split())) else "<"


def average_conditions(
    model: SemanticModel, reads: list[AverageRead], conditions: list[Condition], filters: list[Any]
) -> list[Condition]:
    """The conditions with the comparisons against the average: those read on a measure
    (no values yet) marked, those on a row's number added per row."""
    marked = [replace(c, against="average") if not c.values else c for c in conditions]
    for read in reads:
        if read.dimension is None:
            continue
        per = row_entity(model, read.dimension)
        if per is None:
            raise PlanningError(
                f"I could not tell which rows '{read.text}' compares.",
                hint="Compare a number with a fixed amount instead, e.g. 'priced over $80'.",
            )
        marked.append(Condition(f"avg:{read.dimension}", per, read.op, (), "average"))
    if filters and any(c.against for c in marked):
        raise PlanningError(
            "The average to compare with could be over all rows or only over the filtered ones.",
            hint="Ask without the filter, or compare with a fixed amount.",
        )
    return marked


def row_entity(model: SemanticModel, dimension: str) -> str | None:
    """The dimension that tells apart the rows of a number's table (a product for a retail
    price, a customer for an age): the one whose key or column is the table's joined key."""
    _, table = model.dimensions[dimension].own_sql()
    keys = {f"{j.right}.{j.right_column}" for j in model.joins if j.right == table}
    for candidate in model.dimensions.values():
        if candidate.key in keys or candidate.column in keys:
            return candidate.name
    return None


#: "which customers ...", "list the orders ...", "show me products ...": the things
#: themselves are asked for, not their number.
_ASKS_WHICH = re.compile(
    r"^\W*(?:(?:please|pls|can you|could you)\s+)?(?:which(?!\s+(?:is|was)\b)|list|show|name|"
    r"who are|give me)\b",
    re.IGNORECASE,
)  # "which was the number ...": one figure, as "what was" asks
#: ("spent over $700 in total" and "their total spend" say what is measured, not a count)
_ASKS_COUNT = re.compile(
    r"(?:\bhow many|\bnumber of|\bcount\b|\bcounts\b|#|(?<!\bin )(?<!\btheir )\btotal\b"
    r"(?!\s+(?:spend|spent|spending|revenue|sales|amount|value)\b))",
    re.I,
)


#: "..., with their order count": what each thing listed shows, not a count of them.
_WITH_THEIR = re.compile(r"\bwith\s+(?:their|its)\b[^,;.?!]*", re.IGNORECASE)


def things_listed(model: SemanticModel, question: str, plan: Plan) -> Plan:
    """A plan that counts the things a condition picks ("customers who spent over $500")
    when the question asks which they are ("which customers spent over $500 in 2024"):
    the things are listed instead, one row each, with the measure of the condition
    ("revenue by customer, only customers with more than $500").

    Measures asked beside the count ("list the customers whose 2025 spend exceeded
    $1,000, with their spend", "... with their order count") are shown for each thing.
    A condition of none, or one in its own window ("which products sold in 2024 but
    not in 2025", "which users never ordered"), shows the measure the things were
    counted among (items sold), else their own count, one per row. Things a list
    cannot show (a condition on other things) are refused rather than counted.
    """
    if (
        plan.dimensions
        or not plan.metrics
        or any(m not in model.metrics for m in plan.metrics[1:])
        or not _plain_count(plan)
        or not _ASKS_WHICH.search(question)
        or _ASKS_COUNT.search(_WITH_THEIR.sub(" ", question))
    ):
        return plan
    name = plan.metrics[0]
    metric = model.metrics.get(name)
    thing = metric.entity if metric is not None else None
    inner = None
    if name.startswith(("distinct:", "distinct_in:")):
        thing = name.rsplit(":", 1)[-1]
        inner = name.split(":")[1] if name.startswith("distinct_in:") else None
    if thing is None and metric is not None and metric.unit == "count" and not plan.conditions:
        # "list all distribution centers in alphabetical order", read past the list
        # reader: their number is not the list asked for.
        raise PlanningError(
            f"I read a list of {metric.label.lower()}, but could only count them here.",
            hint=f"Ask 'list all {metric.label.lower()}' for the rows, or 'how many "
            f"{metric.label.lower()}' for their number.",
        )
    if thing is None:
        return plan  # "which brand sells the most": not a count of things
    if (
        not plan.conditions
        and metric is not None
        and any(
            (other := model.metrics.get(m)) is not None
            and other.unit == "count"
            and (other.entity == thing or (other.entity is None and other.table == metric.table))
            for m in plan.metrics[1:]
        )
    ):
        return plan  # "show the orders, cancelled orders": two counts of them, no column
    measures = [] if plan.conditions else [inner or name]
    for condition in plan.conditions:
        if condition.per != thing:
            thing = None
        elif condition.window is None and condition.values != (0,):
            measures.append(condition.metric)
        else:  # counted among other rows, or a count of one per thing
            measures.append(inner or name)
    if thing is None or thing not in model.single_things():
        raise PlanningError(
            "I read which things meet a condition, but can only count them here, and a "
            "count is not the list asked for.",
            hint="Ask 'how many ...' for their number, or rank them ('top 20 customers "
            "by revenue') to see them one by one.",
        )
    # Other measures asked beside ("..., with their spend", "with their order count"):
    # each thing's own, after the condition's.
    measures += list(plan.metrics[1:])
    return replace(plan, dimensions=(thing,), metrics=tuple(dict.fromkeys(measures)))


def _plain_count(plan: Plan) -> bool:
    """Whether ``plan`` is one number: no time breakdown, steps, ranking, bands, share
    or comparison (a funnel or "which hour gets the most orders" is not a count)."""
    return (
        plan.grain is None
        and plan.limit is None
        and plan.per is None
        and plan.by_measure is None
        and not (plan.funnel or plan.steps or plan.bands or plan.compare or plan.share)
        and not plan.session_rate  # "cart-to-purchase conversion": a % of sessions
        and not (plan.growth or plan.cumulative or plan.rolling or plan.rank_by)
        and not (plan.share_of_rows or plan.share_of_measured or plan.top_percent)
        and plan.top_count is None
    )


def _top_of(match: re.Match[str], entity: str, found: EntityReading) -> None:
    """The top things of a Pareto share: a percent of them ("the top 20%") or a count
    ("our top 10 brands")."""
    if match["count"]:
        found.top_count = int(match["count"])
    else:
        number = float(match["n"])
        found.top_percent = int(number) if number.is_integer() else number
    found.top_per = entity
