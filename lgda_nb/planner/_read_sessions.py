"""Reading funnels and conditions on sessions out of a question.

The model's ``[funnel]`` section names the steps and how questions call them
(``words``); nothing here knows an event. Two kinds of phrase are read and cut out of
the question, so the other passes read what is left (breakdowns, periods, windows):

- a funnel ("the funnel from product view", "sessions reaching home, product and
  purchase", "sessions that hit the home page: how many then viewed a product, added to
  cart, purchased"): the steps asked, in the funnel's order;
- a condition on sessions ("sessions that viewed a product", "sessions with a cart
  event but no purchase"), optionally with a rate ("what % of sessions that viewed a
  product went on to purchase", "share of sessions with a purchase").

What does not fit is refused with a hint, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._plan import Filter
from lgda_nb.planner._text import FILLER, normalize

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel
    from lgda_nb.planner._plan import Plan

#: "top 3 channels by (the number of) sessions with a purchase": the things ranked or
#: broken down by the sessions the condition keeps.
_RANKED_BY = re.compile(
    r"\b(?:(?:top|bottom)\b.*?|(?:ranked|sorted|ordered)\s+)"
    r"(?P<by>\bby\s+(?:the\s+)?(?:(?:number|count)\s+of\s+)?)$"
)
#: What leads a list of the columns a rate on sessions shows ("- show ...", "give ...").
_SHOWN_LEAD = re.compile(
    r"(?:[-:;,.?!(]\s*|\s)(?:and\s+)?(?:please\s+)?(?:show(?:ing)?|give|with|include|"
    r"including|plus|list)\s+(?:me\s+)?(?:also\s+)?"
    # "... across all sessions - cart sessions, abandoned sessions and the %": no verb
    r"|\s[-\u2014]\s+|:\s+"
)
_SHOWN_COUNT = re.compile(
    r"\bsessions?\b|^(?:those|ones|number|count|converted|converting|abandoned|abandoning)\b"
)
#: What may close the list: "too", "shown", "alongside the percentage", "beside the rate",
#: "behind it", "in month order".
_SHOWN_END = re.compile(
    r"(?:\s*,?\s*(?:too|as\s+well|also|shown|included|(?:alongside|beside|next\s+to|behind)\s+"
    r"(?:it|them|each(?:\s+[a-z%]+)?|the\s+(?:[a-z]+\s+)?[a-z%]+)|with\s+the\s+(?:rate|%|"
    r"percentage|percent|share)|in\s+[a-z]+\s+order))*[\s?.!)]*$"
)
#: The sessions that reached the last step, said without naming it: "the sessions
#: completing all three steps", "the sessions that made it all the way through".
_SHOWN_THROUGH = re.compile(
    r"\b(?:all\s+(?:the\s+)?(?:\d+|two|three|four|five)\s+steps|all\s+the\s+way(?:\s+through)?|"
    r"every\s+step|the\s+whole\s+(?:funnel|way))\b"
)
#: Words of the sessions that did not reach a step: "the number that ended without a
#: purchase", "the sessions that never reached cart", "abandoned sessions".
_SHOWN_LACKING = re.compile(r"\b(?:without|never|not|no|didn't|didnt|abandoned|abandoning)\b")
_SHOWN_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|plus)\s+|\s*&\s*")
_SHOWN_RATE = re.compile(
    r"(?:%|percent(?:age)?|share|rate|ratio|conversion(?:\s+(?:rate|%|percent(?:age)?))?|"
    r"(?:purchase|conversion)\s+(?:rate|%))"
)
_SHOWN_WHOLE = re.compile(
    r"(?:(?:total|all|overall)\s+)?(?:(?:number|count)\s+of\s+)?(?:sessions(?:\s+(?:count|total))?|"
    r"session\s+(?:counts?|totals?))"
)
#: A conversion or share of the step before: "step-to-step conversion", "% of the
#: previous step" (or "of the one before"), "step conversion", "step-to-step %".
_STEP_RATE = (
    r"(?:(?:the\s+)?(?:%|percent|percentage|share|conversion|rate)\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:(?:previous|prior|preceding)\s+(?:step|stage)|(?:step|stage|one|1)\s+before)|"
    r"(?:step|stage)\s+(?:to\s+(?:step|stage)\s+)?"
    r"(?:conversion rates?|conversions?|rates?|drop ?offs?|%|percent(?:ages?)?))"
)
_FUNNEL_WORDS = re.compile(
    r"\b(?:(?:the|a|an|our)\s+)?(?:(?:full|whole|entire|complete|overall|closed)\s+)?"
    r"(?:(?:conversion|sales|checkout|website|site|web|session|shopping|"
    r"marketing|customer)\s+)?(?:funnel|drop ?offs?|step by step conversion|conversion steps|"
    + _STEP_RATE
    + r")(?!\w)"
)
_EACH_STEP = re.compile(
    r"\b(?:(?:at|for|in|per)\s+)?(?:each|every|all)\s+(?:of\s+the\s+)?(?:funnel\s+)?"
    r"(?:steps?|stages?)\b|\bstep by step\b|\b(?:per|by)\s+(?:funnel\s+)?step\b"
)
_NEGATION = (
    r"(?:no|not|never|without|did not|didn't|didnt|do not|don't|dont|does not|doesn't|"
    r"with no|had no|has no|having no)"
)
_QUANTITY = r"(?:at least 1|1 or more|any|a|an|the|one)"
#: Words between the sessions counted and what they had ("that viewed", "with").
_LEAD = re.compile(
    r"\s+(?:(?:that|which|who|where)\s+)?(?:(?:had|have|has|with|having|including|included|"
    r"include|contain|contains|contained|containing|reached|reach|reaches|reaching|hit|hits|"
    r"saw|recorded|logged|showed|got to|made it to|"
    r"(?:ended|ending|end|ends)\s+(?:up\s+)?(?:with|in)|"
    r"resulted in|result in|results in|led to|lead to|leads to|involved)\s+)?(?:both\s+)?"
)
#: Words between the sessions and their condition that other passes read ("from Email").
_BETWEEN = re.compile(r"\s+(?:from|on|using|via|in|through|by|per)\s+[\w']+(?:\s+[\w']+)?")
#: "sessions that make it from cart to purchase".
_FROM_TO = re.compile(
    r"\s+(?:that\s+|which\s+|who\s+)?(?:make it|makes it|made it|go|goes|went|move|moves|"
    r"moved|get|gets|got|progress|progresses|progressed|convert|converts|converted)\s+from\s+"
)
#: What comes between conditions ("with a cart event but no purchase").
_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|but)\s+)?(?!then\b)|\s+(?:and|but|yet)\s+(?!then\b)")
#: Words before the outcome a rate is of ("went on to purchase", "then bought").
_TARGET = re.compile(
    r"\s*[:;,]?\s+(?:(?:how many|what %|what share|what percent(?:age)?)\s+"
    r"(?:(?:of them|of those)\s+)?)?(?:(?:and|that|which|who|but)\s+)?"
    r"(?:(?:then|later|eventually|also|finally|went on to|go on to|goes on to|going on to|"
    r"ended up|end up|ended up with|proceeded to|continued to|converted to|moved on to|"
    r"make it to|makes it to|made it to|get to|gets to|got to|progress to|progressed to|"
    r"move on to|moved to)\s+)+(?:to\s+)?"
)
#: What may stand before an outcome a session lacks: "(that) did not purchase", "(and)
#: ended without a purchase".
_NEGATED_OUTCOME = re.compile(
    r"\s+(?:(?:and|but)\s+)?(?:(?:that|which|who)\s+)?(?:ended\s+|left\s+)?"
)
#: A question asked of the sessions: "..., what share of them purchased".
_TARGET_ASK = re.compile(
    r"\s*[:;,]?\s+(?:how many|what %|what share|what percent|what percentage|what proportion|"
    r"what fraction)\s+(?:(?:of them|of those|of these)\s+)?(?:(?:then|later|eventually|also|"
    r"finally|went on to|go on to|ended up|proceeded to|continued to|converted to)\s+)*"
)
#: "% of [Chrome] sessions": a rate of the sessions; a word or two between is read by the
#: other passes.
_RATE = re.compile(
    r"(?<!\w)(?:(?:by|on)\s+)?(?:(?:what|the)\s+)?(?:%|percent|percentage|share|proportion|"
    r"fraction)\s+of\s+"
    r"(?:the\s+|all\s+)?(?P<between>(?:[\w']+\s+){0,2}?)$"
)
#: "..., and how many of those (sessions)": the outcome counted among every session.
_OF_THOSE = re.compile(
    r"\s*[:;,]?\s*(?:and\s+)?(?:how many|what %|what share|what percent(?:age)?|"
    r"what proportion)\s+of\s+(?:those|these|them)(?:\s+sessions?)?(?=\s)"
)
#: "For 2025 sessions, what share included a purchase": the % of the sessions just named.
_ASKED_OF = re.compile(
    r"\s*,\s*(?:what|the)\s+(?:%|percent(?:age)?|share|proportion|fraction)"
    r"(?:\s+of\s+(?:them|those|these)(?:\s+sessions?)?)?(?=\s)"
)
#: What may follow a rate's condition: a breakdown, a period, the end of the question.
_TAIL = re.compile(
    r"\s*(?:$|[)?.!,;:]|(?:by|per|each|every|for each|for every|across|broken down|split|"
    r"grouped|monthly|weekly|daily|yearly|quarterly|annually|over time)\b)"
)
#: "..., and the %" after every session beside those with an outcome: their rate, which
#: such an answer shows anyway.
_AND_RATE = re.compile(
    r"\s*[,;]?\s*(?:and\s+|plus\s+|&\s*)?(?:the\s+|their\s+|its\s+)?(?:%|percent(?:age)?|"
    r"share|proportion|rate|pct|conversion(?:\s+rate)?|conversion\s*%)(?!\w)"
    r"(?:\s+of\s+(?:those|them|sessions|all\s+sessions))?(?:\s*\(\s*%\s*\))?"
)
#: "the % that purchased": the relative before the condition named again.
_WHO = re.compile(r"\s+(?:that|who|which)\s+")
#: "..., how many reached the cart": one more count beside the first.
_MORE = re.compile(r"\s*[,;]?\s+(?:and\s+)?how many\b")
#: "how many sessions reached ...": counts, each step on its own, unless a conversion
#: or a rate is asked for, which is the funnel's.
_COUNTED = re.compile(
    r"\b(?:how many|number of|count of|counts of)\b"
    # "sessions reaching each step": the same count, without "how many"
    r"|\bsessions\s+(?:that\s+|which\s+)?(?:reach|reached|reaches|reaching)\s+(?:each|every)\b"
)
_CONVERTS = re.compile(
    r"\b(?:conversion|conversions|convert|converted|converting|drop ?offs?|percent|percentage|"
    r"rates?|share|proportion)\b|%"
)
#: "cart to purchase conversion (rate)": the words after the steps.
_CONVERSION_AFTER = re.compile(
    r"\s+(?:session\s+)?(?:conversions?|convert|converting)(?:\s+(?:rates?|%|percent(?:age)?|pct))?"
    r"(?:\s+%)?(?!\w)"
)
#: Between sessions' condition and the step a conversion is named by.
_OUTCOME_LEAD = re.compile(r"\s*[,:;]?\s*(?:and\s+)?(?:the\s+|their\s+|its\s+)?(?:overall\s+)?")
#: "conversion rate from cart to purchase": the words before the steps.
_CONVERSION_BEFORE = re.compile(
    r"\b(?:session\s+)?(?:conversions?)(?:\s+(?:rates?|%|percent(?:age)?|pct))?\s+from\s+"
    r"(?:the\s+)?$"
)
#: "conversion rate of the ...": before steps joined by "to" and the word funnel.
_CONVERSION_OF = re.compile(
    r"\bconversions?(?P<rate>\s+rates?|\s+%|\s+percent(?:age)?)?\s+(?:of|for|through|across)\s+"
    r"(?:the\s+|our\s+|a\s+)?"
)
#: "(through cart)", "via the cart": a step between the first and the last.
_THROUGH = re.compile(r"\s*\(?\s*(?P<lead>(?:going\s+)?(?:through|via)\s+(?:the\s+)?)")
_DROP = re.compile(r"\b(?:drop ?offs?|drop(?:ped|s)? off|abandon(?:ed|s|ment)?)\b")
_START = re.compile(
    r"\b(?:starting|start|starts|started|beginning|begin|begins|began)\s+(?:at|from|with|on)\s+"
    r"(?:the\s+)?$|\bfrom\s+(?:the\s+)?$"
)
_END = re.compile(r"\b(?:to|through|until|till|up to|ending at|ending with|ends at)\s+(?:the\s+)?$")
_ABANDON = re.compile(r"\s+abandon(?:ment|ments|ed)?(?:\s+rates?)?\b")
#: Words a funnel question may use around its steps.
_FUNNEL_GLUE = re.compile(
    r"\b(?:(?:that|which|who)\s+)?(?:reach(?:ed|es|ing)?|hit|hits|visited|got to|made it to|"
    r"went on to|go on to|then|and then|conversion between(?: consecutive)? steps|"
    r"between(?: consecutive)? steps|make it|makes it|made it|steps?|stages?)\b|"
    + _STEP_RATE
    + r"(?!\w)"
)


@dataclass(frozen=True)
class SessionReading:
    """A funnel or a condition on sessions, as read."""

    funnel: bool = False
    steps: tuple[str, ...] = ()
    session_filters: tuple[Filter, ...] = ()
    session_rate: tuple[Filter, ...] = ()
    #: "how many sessions reached each step": one row per step, each counted on its own.
    by_step: bool = False
    #: A conversion between consecutive steps ("cart to purchase conversion"): the rate is
    #: the closed funnel's, sessions with the first step beside it.
    conversion: bool = False
    #: The rate was spelt out in brackets ("conversion rate (share of sessions with a
    #: purchase)"): a rate named beside it is this one.
    defined: bool = False


@dataclass(frozen=True)
class _Step:
    step: str
    start: int
    end: int
    negate: bool = False
    #: Named by one of the step's words ("viewed a product"), not its bare name.
    worded: bool = False


def _unless_outcome(base: list[_Step], outcome: _Step) -> list[_Step]:
    """No base when the sessions are picked by the outcome itself ("sessions, sessions
    with a purchase and the purchase conversion %"): the rate is then of all sessions."""
    if [b.step for b in base] == [outcome.step] and not base[0].negate:
        return []
    return base


@dataclass(frozen=True)
class _Clause:
    base: list[_Step]
    targets: list[_Step]
    #: Spans of the question read here; what lies between them is read by other passes.
    cuts: list[tuple[int, int]]
    defined: bool = False
    #: Steps counted side by side ("how many had X, how many reached Y").
    listed: bool = False


class SessionReader:
    """Reads funnels and conditions on sessions with one model's vocabulary."""

    def __init__(
        self, model: SemanticModel, values: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        """``values``: the data's own values per dimension; other values of the step
        column ("cancel") are conditions on sessions too, never funnel steps."""
        from lgda_nb.planner._compile_sessions import step_dimension

        self.model = model
        funnel = model.funnel
        self.steps = [str(s) for s in funnel.get("steps", [])]
        self.dimension = step_dimension(model) if funnel else None
        if not self.steps or self.dimension is None:
            self.step_pattern: re.Pattern[str] | None = None
            return
        phrases: dict[str, str] = {}
        words = funnel.get("words", {})
        for step in self.steps:
            for phrase in [step, *words.get(step, [])]:
                phrases.setdefault(normalize(str(phrase)), step)
        for value in (values or {}).get(self.dimension, []):
            phrases.setdefault(normalize(str(value)), str(value))
        self.phrases = sorted(phrases.items(), key=lambda item: len(item[0]), reverse=True)
        alternatives = "|".join(
            f"(?P<p{i}>{_flexible(phrase)})" for i, (phrase, _) in enumerate(self.phrases)
        )
        self.step_pattern = re.compile(
            rf"\b(?P<neg>{_NEGATION}\s+)?(?:{_QUANTITY}\s+)?(?:{alternatives})"
            r"(?:\s+(?:events?|pages?|page views?|views?|steps?|stages?|actions?))?\b"
        )
        measure = model.metric(str(funnel["measure"]))
        subjects = sorted(
            {normalize(w) for w in [measure.name.replace("_", " "), *measure.synonyms]},
            key=len,
            reverse=True,
        )
        # "traffic source" names a breakdown, not the sessions.
        self.subject = re.compile(
            r"\b(?:" + "|".join(map(re.escape, subjects)) + r")\b"
            r"(?!\s+(?:sources?|channels?|types?|ids?|keys?)\b)"
        )
        # "purchase sessions", "cart visits": the sessions with that step, said before them
        # by the step's own name or a noun of it ("add to cart sessions"); not a step
        # listed among others ("home, cart and purchase sessions": each step's sessions).
        named = "|".join(
            map(
                _flexible,
                sorted(
                    {p for p, step in self.phrases if p == step or " " in p}, key=len, reverse=True
                ),
            )
        )
        self.step_before = re.compile(
            rf"(?<![\w>/&,-])(?<!\band\s)(?<!\bor\s)(?<!\bvs\s)(?<!\bto\s)(?<!\bno\s)"
            rf"(?<!\bnot\s)(?<!\bwithout\s)\b(?P<step>{named})\s+(?P<subject>"
            + "|".join(map(re.escape, subjects))
            + r")\b(?!\s+(?:sources?|channels?|types?|ids?|keys?)\b)"
        )
        # "total sessions, sessions with a purchase": every session beside those with it.
        self.beside = re.compile(
            r"(?:\b(?:the\s+)?(?:total|all|overall)\s+(?:number\s+of\s+)?|\bnumber\s+of\s+)?"
            r"\b(?:" + "|".join(map(re.escape, subjects)) + r")\s*"
            r"(?:,\s*(?:and\s+)?|\s+(?:and|vs\.?|versus|&)\s+)(?:the\s+)?(?:number\s+of\s+)?$"
        )

    # -- steps -------------------------------------------------------------
    def _step_at(self, text: str, at: int) -> _Step | None:
        assert self.step_pattern is not None
        match = self.step_pattern.match(text, at)
        if match is None:
            return None
        return self._step(match)

    def _step(self, match: re.Match[str]) -> _Step:
        index = next(int(k[1:]) for k, v in match.groupdict().items() if k[0] == "p" and v)
        phrase, step = self.phrases[index]
        negate = match.group("neg") is not None
        return _Step(step, match.start(), match.end(), negate, worded=phrase != step)

    def _chain(self, text: str, at: int) -> tuple[list[_Step], int]:
        """Steps one after another from ``at`` ("a cart event but no purchase")."""
        found: list[_Step] = []
        first = self._step_at(text, at)
        if first is None:
            return found, at
        found.append(first)
        end = first.end
        while separator := _SEPARATOR.match(text, end):
            following = self._step_at(text, separator.end())
            if following is None or _CONVERSION_AFTER.match(text, following.end):
                break  # "..., purchase conversion %": the outcome of a rate, not a condition
            found.append(following)
            end = following.end
        return found, end

    # -- reading -----------------------------------------------------------
    def read(self, text: str) -> tuple[SessionReading | None, str]:
        """The funnel or condition on sessions in ``text``, and ``text`` without it.

        A step named right before the sessions ("purchase sessions") is their condition
        only where the question has none read otherwise ("cart abandonment - cart
        sessions, abandoned, %" lists the counts the rate shows)."""
        if self.step_pattern is None:
            return None, text
        said = text
        if self.subject.search(text):
            said = self.step_before.sub(r"\g<subject> with a \g<step>", text)
        if said == text:
            return self._read(text)
        try:
            found = self._read(text)
        except PlanningError:
            return self._read(said)
        if found[0] is not None:
            return found
        try:
            return self._read(said)
        except PlanningError:  # "share of purchase sessions ... from each browser": a value
            return found

    def _read(self, text: str) -> tuple[SessionReading | None, str]:
        # "sessions coming from Facebook": the verb adds nothing to "sessions from Facebook".
        if "coming" in text or "arriving" in text:
            text = re.sub(
                rf"({self.subject.pattern})\s+(?:coming|arriving)\s+(?=(?:from|via|through)\b)",
                r"\1 ",
                text,
            )
        text = self._funnel_conversion(text)
        funnel = _FUNNEL_WORDS.search(text) or _EACH_STEP.search(text)
        if funnel is None and (converted := self._conversion(text)) is not None:
            converted = converted[0], self._shown_cut(converted[1], converted[0])
            self._check_left(converted[1])
            return converted
        condition = self._condition(text)
        if funnel is None and condition is not None and condition[0].funnel:
            funnel = _EACH_STEP.search(text) or _FUNNEL_WORDS.search(text)
        if funnel is not None or (condition is not None and condition[0].funnel):
            return self._funnel(text)
        if condition is None:
            self._check_left(text)
            return None, text
        reading, rest = condition
        rest = self._shown_cut(rest, reading)
        self._check_left(rest)
        return reading, rest

    def _shown_cut(self, text: str, reading: SessionReading) -> str:
        """``text`` without a list at its end of what a rate on sessions shows anyway
        ("... - show total sessions, sessions with a purchase and the %", "give the cart
        sessions, the ones that also purchased, and the rate"): every item must be the
        sessions, the sessions with one of the reading's steps, or the rate."""
        if not reading.session_rate:
            return text
        for lead in reversed(list(_SHOWN_LEAD.finditer(text))):
            tail = _SHOWN_END.sub("", text[lead.end() :])
            items = [i for i in _SHOWN_SPLIT.split(tail) if i.strip()]
            if items and all(
                self.shows(item.strip(), reading.session_filters, reading.session_rate)
                for item in items
            ):
                return text[: lead.start()].rstrip(" -:;,")
        return text

    def shows(self, item: str, filters: Sequence[Filter], rate: Sequence[Filter]) -> bool:
        """Whether ``item`` names a column a rate on sessions (of the sessions ``filters``
        keep, reaching ``rate``) shows: the rate, the sessions, or the sessions with one
        of its steps ("those that went on to purchase"; "that made it all the way
        through", "the converted sessions": the last). The sessions that did not reach a
        step ("the number that ended without a purchase", "abandoned sessions") are
        shown only by a rate of such sessions (an abandonment)."""
        if not rate:
            return False
        item = re.sub(r"^(?:the|their|its|both)\s+", "", item.lower())
        if _SHOWN_RATE.fullmatch(item) or _SHOWN_WHOLE.fullmatch(item):
            return True
        assert self.step_pattern is not None
        steps = {str(value) for found in (*filters, *rate) for value in found.values}
        last = [str(value) for found in rate for value in found.values]
        named = [self._step(m).step for m in self.step_pattern.finditer(item)]
        if _SHOWN_THROUGH.search(item) or re.search(r"\b(?:convert|abandon)", item):
            named += last
        lacking = any(found.negate for found in rate)
        if set(named) & set(last) and bool(_SHOWN_LACKING.search(item)) != lacking:
            return False  # the sessions that did not reach it beside a conversion, or back
        counted = _SHOWN_COUNT.search(item)
        return bool(named) and counted is not None and set(named) <= steps

    def _funnel_conversion(self, text: str) -> str:
        """ "conversion rate of the home to product to purchase funnel" is the conversion
        over those steps ("home to product to purchase conversion rate"): one rate, not
        the table of steps."""
        for lead in _CONVERSION_OF.finditer(text):
            steps, end = [], lead.end()
            while (step := self._step_at(text, end)) is not None:
                steps.append(step)
                end = step.end
                joined = re.compile(r"\s+to\s+").match(text, end)
                if joined is None:
                    break
                end = joined.end()
            tail = re.compile(r"\s+funnel\b").match(text, steps[-1].end) if steps else None
            if len(steps) < 2 or tail is None:
                continue
            chain = text[steps[0].start : steps[-1].end]
            rate = " ".join(lead.group("rate").split()) if lead.group("rate") else ""
            said = f"{chain} conversion{' ' + rate if rate else ''}"
            return text[: lead.start()] + said + text[tail.end() :]
        return text

    def _chains(self, text: str) -> list[list[_Step]]:
        """Steps named one after another with "to" between them ("cart to purchase",
        "product view to cart to purchase"), each run of two or more."""
        assert self.step_pattern is not None
        chains: list[list[_Step]] = []
        if "to" not in text:
            return chains  # no "to" between two steps
        for match in self.step_pattern.finditer(text):
            step = self._step(match)
            last = chains[-1][-1] if chains else None
            if last is not None and re.fullmatch(r"\s+to\s+", text[last.end : step.start]):
                chains[-1].append(step)
            else:
                chains.append([step])
        return [c for c in chains if len(c) > 1]

    def _conversion(self, text: str) -> tuple[SessionReading, str] | None:
        """ "cart-to-purchase conversion", "conversion rate from product view to purchase
        (through cart)": the closed funnel's conversion over consecutive steps, read as the
        sessions with the first step and the % of them that reach the last through every
        step between. Steps that skip one are left to the model's own measures."""
        for chain in self._chains(text):
            start, end = chain[0].start, chain[-1].end
            after = _CONVERSION_AFTER.match(text, end)
            before = _CONVERSION_BEFORE.search(text[:start])
            if after is None and before is None:
                continue
            spans = [(start, end)]
            spans.append(after.span() if after else (before.start(), start) if before else (0, 0))
            named = [s.step for s in chain]
            through = _THROUGH.match(text, spans[-1][1] if after else end)
            if through is not None:
                middle = self._step_at(text, through.end("lead"))
                if middle is None:
                    return None
                close = re.compile(r"\s*\)?").match(text, middle.end)
                named.insert(-1, middle.step)
                spans.append((through.start(), close.end() if close else middle.end))
            if any(s.negate for s in chain) or any(n not in self.steps for n in named):
                return None
            order = [self.steps.index(n) for n in named]
            skips = order != list(range(order[0], order[0] + len(order)))
            if sorted(order) != order or (skips and len(order) < 3):
                # "home to purchase": the model's measure, if it has one. Three or more
                # steps named in order are the funnel the question defines.
                return None
            steps = [_Step(n, 0, 0) for n in named]
            reading = SessionReading(
                session_filters=(self._filter(steps[0]),),
                session_rate=tuple(self._filter(s) for s in steps[1:]),
                defined=True,
                conversion=True,
            )
            return reading, _cut_all(text, spans)
        return None

    def _condition(self, text: str) -> tuple[SessionReading, str] | None:  # noqa: PLR0911 - one per reading
        """ "sessions that viewed a product [went on to purchase]", "% of sessions with ...",
        "cart abandonment": the sessions counted and the outcome a rate is of."""
        abandoned = self._abandonment(text)
        if abandoned is not None:
            text = _cut(text, abandoned[1], abandoned[2])
        found = self._clause(text)
        if found is None and abandoned is None:
            return None
        base: list[_Step] = []
        targets: list[_Step] = []
        defined = abandoned is not None
        if found is not None:
            base, targets = found.base, found.targets
            steps = tuple(s.step for s in base)
            if found.listed:
                if abandoned is not None or len(set(steps)) < len(steps):
                    return None
                return SessionReading(steps=steps), _cut_all(text, found.cuts)
            if base and len(targets) > 1:
                # "sessions that hit the home page: how many then viewed a product, added
                # to cart, purchased": each step counted among those sessions; without
                # "how many", one step after another is the funnel.
                if abandoned is None and _COUNTED.search(text) and not _CONVERTS.search(text):
                    steps = tuple(t.step for t in targets)
                    if any(t.negate for t in targets) or len(set(steps)) < len(steps):
                        return None
                    reading = SessionReading(
                        steps=steps, session_filters=tuple(self._filter(s) for s in base)
                    )
                    return reading, _cut_all(text, found.cuts)
                return SessionReading(funnel=True), text
            defined = defined or found.defined
            text = _cut_all(text, found.cuts)
        if abandoned is not None:
            base, targets = self._restated(abandoned[0], base, targets)
        reading = SessionReading(
            session_filters=tuple(self._filter(s) for s in base),
            session_rate=tuple(self._filter(s) for s in targets),
            defined=defined,
        )
        return reading, text

    def _clause(self, text: str) -> _Clause | None:  # noqa: PLR0912 - one branch per form
        """The first "sessions <condition> [<outcome>]": base and outcome steps, the spans
        to cut, and whether it sits in brackets (a definition)."""
        for subject in self.subject.finditer(text):
            moved = self._from_to(text, subject.end())
            if moved is not None:
                rate = _RATE.search(text[: subject.start()])
                start = rate.start() if rate else subject.start()
                cuts = (
                    [(start, rate.start("between")), (subject.start(), moved[2])]
                    if rate
                    else [(subject.start(), moved[2])]
                )
                if not _TAIL.match(text, moved[2]):
                    return None
                return _Clause([moved[0]], [moved[1]], cuts)
            found = self._after_subject(text, subject.end())
            if found is None:
                # "sessions per month, and how many of those sessions had a purchase"
                if (later := self._of_those(text, subject)) is not None:
                    return later
                continue
            base, middle, end = found
            counted = re.search(r"\bhow many\s+(?:distinct\s+|different\s+)?$",
                                text[: subject.start()])  # fmt: skip
            listed = list(base)
            while counted and (again := _MORE.match(text, end)):
                lead = _LEAD.match(text, again.end())
                following, after = self._chain(text, lead.end()) if lead else ([], end)
                if not following:
                    break
                listed, end = listed + following, after
            ranked_by = _RANKED_BY.search(text[: subject.start()])
            cut_from = ranked_by.start("by") if ranked_by is not None else subject.start()
            cuts = [(cut_from, subject.end()), (middle, end)]
            if len(listed) > len(base):
                # "how many sessions had a product view, how many reached the cart": counts
                # side by side, each step on its own.
                return _Clause(listed, [], cuts, listed=True)
            targets: list[_Step] = []
            target = _TARGET.match(text, end) or _TARGET_ASK.match(text, end)
            lacked = self._lacked(text, end) if target is None else None
            if lacked is not None:
                targets, after = lacked
                cuts[-1] = (middle, after)
            elif target is not None:
                # "... what percentage ended in a purchase", "... also had a purchase"
                verb = _LEAD.match(text, target.end() - 1)
                at = verb.end() if verb is not None else target.end()
                targets, after = self._chain(text, at)
                cuts[-1] = (middle, after if targets else end)
            elif (outcome := self._converted_to(text, end)) is not None:
                targets = [outcome[0]]
                cuts[-1] = (middle, outcome[1])
                base = _unless_outcome(base, outcome[0])
            rate = _RATE.search(text[: subject.start()])
            if rate is None:
                base, targets = self._beside(text, subject, base, targets, cuts)
            if (rate is not None or targets) and not _TAIL.match(text, cuts[-1][1]):
                # "% of sessions with a purchase that came from Email": which sessions the
                # % is of is not what was read.
                raise PlanningError(
                    "I could not tell which sessions the % is of: the words after the "
                    "condition on sessions say more about them.",
                    hint="Put what limits the sessions before the condition, e.g. 'what % of "
                    f"<which> sessions with {self.steps[-2]} went on to {self.steps[-1]}'.",
                )
            if rate is not None:
                cuts.insert(0, (rate.start(), rate.start("between")))
                if not targets:
                    targets, base = base, []  # "% of sessions with a purchase": of all
            start = cuts[0][0]
            defined = text.rfind("(", 0, start) > text.rfind(")", 0, start)
            return _Clause(base, targets, cuts, defined=defined)
        return None

    def _lacked(self, text: str, end: int) -> tuple[list[_Step], int] | None:
        """The outcome sessions lack, said right after their condition ("% of sessions
        with a cart event that did not purchase", "... ended without a purchase"), and
        where it ends; None when no step a session lacks follows."""
        unless = _NEGATED_OUTCOME.match(text, end)
        following = self._step_at(text, unless.end()) if unless is not None else None
        if unless is None or following is None or not following.negate:
            return None
        return self._chain(text, unless.end())

    def _beside(
        self,
        text: str,
        subject: re.Match[str],
        base: list[_Step],
        targets: list[_Step],
        cuts: list[tuple[int, int]],
    ) -> tuple[list[_Step], list[_Step]]:
        """ "Total sessions, sessions with a purchase (and the %)": every session beside
        the ones with the condition, read as their rate (both counts and the %); the
        spans read are added to ``cuts``. (base, targets) as they were otherwise."""
        beside = self.beside.search(text[: subject.start()])
        if beside is None:
            return base, targets
        if targets and base:
            raise PlanningError(
                "I read every session beside sessions with an outcome after a "
                "condition, but not which of them to count.",
                hint="Ask for one rate, e.g. 'what % of sessions with "
                f"{self.steps[-2]} went on to {self.steps[-1]}'.",
            )
        if not targets:  # the ones with it, among every session
            targets, base = base, []
        cuts.insert(0, (beside.start(), subject.start()))
        if (asked := _AND_RATE.match(text, cuts[-1][1])) is not None:
            cuts[-1] = (cuts[-1][0], asked.end())
            # "... and the % that purchased": the condition named again
            who = _WHO.match(text, asked.end())
            again = self._step_at(text, who.end()) if who else None
            if again is not None and [again.step] == [t.step for t in targets]:
                cuts[-1] = (cuts[-1][0], again.end)
        return base, targets

    def _of_those(self, text: str, subject: re.Match[str]) -> _Clause | None:
        """ "sessions per month, and how many of those sessions had a purchase", "for 2025
        sessions, what share included a purchase": every session counted, with the ones
        that have the outcome (and their %) beside."""
        asked = _OF_THOSE.search(text, subject.end()) or _ASKED_OF.match(text, subject.end())
        if asked is None:
            return None
        lead = _LEAD.match(text, asked.end())
        targets, end = self._chain(text, lead.end()) if lead else ([], asked.end())
        if not targets or not _TAIL.match(text, end):
            return None
        return _Clause([], targets, [(subject.start(), subject.end()), (asked.start(), end)])

    def _converted_to(self, text: str, at: int) -> tuple[_Step, int] | None:
        """ "sessions that hit the home page, purchase conversion %": the step named before
        "conversion" (the outcome the % of them is of), and where the phrase ends."""
        lead = _OUTCOME_LEAD.match(text, at)
        outcome = self._step_at(text, lead.end()) if lead else None
        named = _CONVERSION_AFTER.match(text, outcome.end) if outcome else None
        if outcome is None or named is None or outcome.negate:
            return None
        return outcome, named.end()

    def _from_to(self, text: str, at: int) -> tuple[_Step, _Step, int] | None:
        """ "sessions that make it from cart to purchase": the step left and the one reached."""
        lead = _FROM_TO.match(text, at)
        first = self._step_at(text, lead.end()) if lead else None
        to = re.compile(r"\s+to\s+").match(text, first.end) if first else None
        last = self._step_at(text, to.end()) if to else None
        if first is None or last is None or first.negate or last.negate:
            return None
        return first, last, last.end

    def _after_subject(self, text: str, at: int) -> tuple[list[_Step], int, int] | None:
        """The condition right after the sessions word, or after a phrase the other passes read
        ("sessions from Email with a purchase"): its steps, where it starts and ends."""
        starts, reached = [at], [at]
        for _ in range(3):  # "sessions from YouTube on Chrome in 2025 with a purchase"
            ends = []
            for position in reached:
                between = _BETWEEN.match(text, position)
                if between is not None:
                    one = re.match(r"\s+\S+\s+[\w']+", text[position:])
                    ends += [position + one.end()] if one else []
                    ends.append(between.end())
            reached = list(dict.fromkeys(ends))
            starts += reached
        for start in dict.fromkeys(starts):
            lead = _LEAD.match(text, start)
            if lead is None:
                continue
            base, end = self._chain(text, lead.end())
            if base and (lead.group(0).strip() or base[0].negate or base[0].worded):
                return base, start, end
        return None

    def _abandonment(self, text: str) -> tuple[str, int, int] | None:
        """ "cart abandonment rate": the step abandoned, and where the phrase is."""
        assert self.step_pattern is not None
        if "abandon" not in text:
            return None
        for match in self.step_pattern.finditer(text):
            after = _ABANDON.match(text, match.end())
            if after is not None:
                return self._step(match).step, match.start(), after.end()
        return None

    def _restated(
        self, step: str, base: list[_Step], targets: list[_Step]
    ) -> tuple[list[_Step], list[_Step]]:
        """Abandoning a step: sessions with it that never reach the last step. A definition
        beside it must say the same ("% of sessions with a cart event but no purchase")."""
        last = self.steps[-1]
        if step not in self.steps:
            raise PlanningError(
                f"{step!r} is not a step of the funnel, so it cannot be abandoned.",
                hint=f"The funnel's steps are {', '.join(self.steps)}.",
            )
        if step == last:
            raise PlanningError(
                f"Abandoning {step}, the funnel's last step, does not mean anything here.",
                hint=f"Ask for an earlier step's, e.g. '{self.steps[-2]} abandonment'.",
            )
        wanted = {(step, False), (last, True)}
        said = {(s.step, s.negate) for s in [*base, *targets]}
        if said and said != wanted:
            raise PlanningError(
                f"{step.capitalize()} abandonment is sessions with {step} that never reach "
                f"{last}; the question defines it differently.",
                hint=f"Ask for '% of sessions with {step} but no {last}', or for the condition "
                "on its own.",
            )
        return [_Step(step, 0, 0)], [_Step(last, 0, 0, negate=True)]

    def _filter(self, step: _Step) -> Filter:
        assert self.dimension is not None
        return Filter(self.dimension, (step.step,), negate=step.negate)

    def _funnel(self, text: str) -> tuple[SessionReading, str]:
        """The funnel's steps: a first step ("from product view"), a last one ("to
        cart"), or a list; every step phrase and the words around them are cut out."""
        assert self.step_pattern is not None
        starts: list[str] = []
        ends: list[str] = []
        listed: list[str] = []
        spans: list[tuple[int, int]] = []
        named: list[str] = []
        for match in self.step_pattern.finditer(text):
            step = self._step(match)
            if step.step not in self.steps:
                raise PlanningError(
                    f"{step.step!r} is not a step of the funnel.",
                    hint=f"The funnel's steps are {', '.join(self.steps)}.",
                )
            named_funnel = re.match(r"\s+funnel\b", text[match.end() :])
            after_list = bool(spans) and re.fullmatch(
                r"\s*(?:,|and|,\s*and)?\s*", text[spans[-1][1] : match.start()]
            )
            if (
                step.step == self.steps[-1]
                and named_funnel
                and not _END.search(text[: match.start()])
                and not after_list
            ):
                spans.append(match.span())  # "the purchase funnel": the funnel, named by its goal
                continue
            named.append(step.step)
            if step.negate:
                raise PlanningError(
                    "A funnel counts the sessions that reach each step; a step a session "
                    "must not have does not fit in it.",
                    hint="Ask for the funnel, or for '% of sessions with ... but no ...'.",
                )
            before = text[: match.start()]
            lead = _START.search(before) or _END.search(before)
            kind = listed if lead is None else starts if _START.search(before) else ends
            at = lead.start() if lead else match.start()
            if kind is ends and listed and spans and not text[spans[-1][1] : at].strip():
                starts.append(listed.pop())  # "home to purchase": from home to purchase
            kind.append(step.step)
            spans.append((at, match.end()))
        for pattern in (_FUNNEL_WORDS, _EACH_STEP, _FUNNEL_GLUE):
            spans += [m.span() for m in pattern.finditer(text)]
        if _DROP.search(text) and not re.search(r"\bfunnel\b", text) and 1 <= len(named) <= 2:
            # "drop-off rate from cart to purchase", "% that drop off after adding to cart":
            # sessions with the first step that never reach the second (or the next step).
            spans += [m.span() for m in _CONVERTS.finditer(text)]
            spans += [m.span() for m in re.finditer(r"\b(?:between|after|at)\b", text)]
            return self._dropped(named), _cut_all(text, spans)
        if len(ends) > 1 and len(starts) <= 1:
            starts, listed, ends = [], named, []  # "product view to cart to purchase"
        steps = self._funnel_steps(starts, listed, ends)
        each = _EACH_STEP.search(text) is not None
        counted = _COUNTED.search(text) is not None and not _CONVERTS.search(text)
        closed = re.search(r"\bclosed\s+funnel\b", text) is not None
        text = _cut_all(text, spans)
        if counted and each and not closed:
            # "how many sessions reached each step": a row per step, each on its own.
            return SessionReading(by_step=True, steps=steps or tuple(self.steps)), text
        if counted and (listed or starts or ends) and not closed:
            # "how many sessions had a product view, how many reached the cart": side by side.
            return SessionReading(steps=steps or tuple(self.steps)), text
        return SessionReading(funnel=True, steps=steps), text

    def _dropped(self, named: list[str]) -> SessionReading:
        first = self.steps.index(named[0])
        last = self.steps.index(named[1]) if len(named) > 1 else first + 1
        if last <= first or last >= len(self.steps):
            raise PlanningError(
                "Dropping off goes from one step to a later one.",
                hint=f"Name two steps in the funnel's order: {', '.join(self.steps)}.",
            )
        return SessionReading(
            session_filters=(self._filter(_Step(named[0], 0, 0)),),
            session_rate=(self._filter(_Step(self.steps[last], 0, 0, negate=True)),),
            defined=True,
        )

    def _funnel_steps(
        self, starts: list[str], listed: list[str], ends: list[str]
    ) -> tuple[str, ...]:
        if len(starts) > 1 or len(ends) > 1:
            raise PlanningError(
                "A funnel has one first step and one last step.",
                hint=f"Ask e.g. 'the funnel from {self.steps[1]} to {self.steps[-1]}'.",
            )
        named = [*starts, *listed, *ends]
        if len(set(named)) != len(named):
            raise PlanningError(
                "A funnel step is named twice.", hint="Name each step of the funnel once."
            )
        if not named:
            return ()
        if listed:
            order = [self.steps.index(s) for s in named]
            if order != sorted(order):
                raise PlanningError(
                    "The funnel's steps are named out of the funnel's order.",
                    hint=f"Name them in this order: {', '.join(self.steps)}.",
                )
            if len(named) == 1:
                raise PlanningError(
                    f"A funnel needs at least two steps; only {named[0]} was named.",
                    hint=f"Ask e.g. 'the funnel from {named[0]}' or 'the funnel to {named[0]}'.",
                )
            return () if named == self.steps else tuple(named)
        first = self.steps.index(starts[0]) if starts else 0
        last = self.steps.index(ends[0]) if ends else len(self.steps) - 1
        if last - first < 1:
            raise PlanningError(
                "A funnel needs at least two steps, the first before the last.",
                hint=f"The funnel's steps are {', '.join(self.steps)}.",
            )
        steps = tuple(self.steps[first : last + 1])
        return () if steps == tuple(self.steps) else steps

    def _check_left(self, text: str) -> None:
        """A step after "that", "who", "with"... left unread is a condition on sessions
        put where it cannot be read ("sessions from Chrome that purchased"): refused."""
        assert self.step_pattern is not None
        if not self.subject.search(text):
            return
        for match in self.step_pattern.finditer(text):
            before = text[: match.start()]
            # "purchased" alone is a word the other passes skip: it would be dropped.
            skipped = all(word in FILLER for word in match.group(0).split())
            if skipped or re.search(
                r"\b(?:that|which|who|with|without|had|have|has|then|and|or|but)\s+$", before
            ):
                raise PlanningError(
                    "A condition on sessions must come right after the word sessions.",
                    hint=f"Ask e.g. 'sessions with {self.steps[-1]}' or 'what % of sessions "
                    f"with {self.steps[-2]} went on to {self.steps[-1]}'.",
                )


def _flexible(phrase: str) -> str:
    """A phrase as a pattern: any article may stand for an article or be left out."""
    words = phrase.split()
    parts = []
    for word in words:
        if word in {"a", "an", "the"}:
            parts.append(r"(?:(?:a|an|the|their|his|her)\s+)?")
        else:
            parts.append(re.escape(word) + r"s?\s+")
    return ("".join(parts)).removesuffix(r"\s+").rstrip() if parts else ""


def _cut(text: str, start: int, end: int) -> str:
    return (text[:start] + " " + text[end:]).strip()


def session_plan(
    model: SemanticModel,
    question: str,
    sessions: SessionReading,
    *,
    metrics: list[str],
    dimensions: list[str],
    filters: list[Filter],
    **rest: object,
) -> Plan:
    """The plan of a funnel or a condition on sessions, with what the other passes read
    (breakdowns, filters, time window, grain, ranking); ``rest`` are Plan fields."""
    from lgda_nb.planner._plan import Plan

    measure = str(model.funnel["measure"])
    table = model.metric(measure).table
    for name in metrics:
        metric = model.metric(name)
        restates = metric.unit == "percent" and metric.table == table
        rate = sessions.funnel or bool(sessions.session_rate)
        # "sessions with a product view, how many of those purchased, and the conversion %":
        # a rate named beside a base and an outcome is theirs.
        outcome = bool(sessions.session_filters and sessions.session_rate)
        if name == measure or (
            restates and rate and (sessions.funnel or sessions.defined or outcome)
        ):
            continue
        what = "A funnel" if sessions.funnel else "A condition on sessions"
        counted = model.metric(measure).label.lower()
        steps = [str(s) for s in model.funnel["steps"]]
        example = f"what % of {counted} with {steps[-2]} went on to {steps[-1]}"
        said = f" (a rate is read from the {counted} asked about)" if restates else ""
        raise PlanningError(
            f"{what} counts {counted}; {metric.label.lower()} cannot be read beside it{said}.",
            hint=f"Ask for the {counted} (or their %) on their own, e.g. '{example}'.",
        )
    if sessions.by_step:
        from lgda_nb.planner._compile_sessions import step_dimension

        step = step_dimension(model)
        assert step is not None
        if len(dimensions) > 1:
            raise PlanningError(
                "Sessions at each step can be broken down by one more breakdown, not two.",
                hint="Ask for one breakdown beside the steps.",
            )
        return Plan(
            question=question,
            metrics=(measure,),
            dimensions=(step, *(d for d in dimensions if d != step)),
            filters=tuple(filters),
            steps=sessions.steps,
            notes=("sessions reaching each step, each step counted on its own",),
            **rest,  # type: ignore[arg-type]
        )
    notes = (
        ["funnel: sessions reaching each step"]
        if sessions.funnel
        else ["condition on sessions: sessions dated by their first event"]
    )
    if sessions.conversion:
        notes.append("conversion: sessions with the first step reaching the last through each step")
    return Plan(
        question=question,
        metrics=(measure,),
        dimensions=tuple(dimensions),
        filters=tuple(filters),
        funnel=sessions.funnel,
        steps=sessions.steps,
        session_filters=sessions.session_filters,
        session_rate=sessions.session_rate,
        notes=tuple(notes),
        **rest,  # type: ignore[arg-type]
    )


def _cut_all(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans, overlapping ones merged first."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = _cut(text, start, end)
    return text
