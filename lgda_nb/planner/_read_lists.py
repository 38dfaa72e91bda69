"""Reading a question that asks for rows, not a number: "list our distribution centers",
"the 5 cheapest products in Jeans: name, brand, retail price", "which categories does
the Men department have".

The list's own parts are read here, from the model's ``[[tables]]`` vocabulary: the
table whose rows are listed (or a column whose distinct values are), the columns to
show, the column that ranks the rows ("cheapest", "most recent", "by sale price") and
how many rows. What is left of the question (its filters, time window, conditions) is
read by the offline reader itself, as the question about the rows' count with the
table's word put back ("products in Jeans"), so a filter means the same in a list as in
a measure, and a word read as nothing is a refusal as everywhere else. A question with
no sign of a list (no columns, no ranking by a column, no "list"/"which" before a
table's word) is left to the reader: ``read_list`` returns ``None``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lgda_nb.errors import LGDAError, PlanningError
from lgda_nb.planner._model import SemanticModel, Table
from lgda_nb.planner._plan import Plan
from lgda_nb.planner._read_scope import opens_scope
from lgda_nb.planner._text import (
    FILLER,
    NUMBER_WORDS,
    TIME_OF_RANKED_ROW,
    TOKEN,
    normalize,
    recased,
    singular,
    time_of_ranked_row,
    tokens,
)

if TYPE_CHECKING:
    from lgda_nb.planner._offline import OfflinePlanner

#: Words that open a question asking for rows ("list", "which", "what are").
_LEADS = (
    ("list",), ("list", "all"), ("show",), ("show", "me"), ("show", "all"), ("display",),
    ("give", "me"), ("enumerate",), ("name",), ("which",), ("what",), ("what", "are"),
    ("what", "is"), ("tell", "me"), ("find",), ("get",), ("pull",), ("pull", "up"),
)  # fmt: skip
#: Words that ask for a number about the rows, not the rows: left to the reader.
_COUNTING = re.compile(
    r"\b(how many|how much|number of|count|counts|total|totals|average|averages|avg|mean|"
    r"sum|median|percentage|percent|share|proportion|rate|ratio)\b|%"
)
#: "# of orders", "# orders": a count of the rows, said with the number sign.
_NUMBER_SIGN = re.compile(r"#\s*(?:of\s+)?[a-z]", re.IGNORECASE)
#: Ranking words left once a list's ranking is read ("the top 10 products": top by
#: what?): the question ranks by a measure, so it is the reader's.
_UNRANKED = re.compile(
    r"\b(top|bottom|best|worst|most|least|highest|lowest|biggest|largest|smallest|popular|"
    r"leading|greatest|fewest|common)\b"
)
#: Words that open the columns to show after the rows ("with its brand and price").
_ADDING = (("with", "its"), ("with", "their"), ("along", "with"), ("and", "its"),
           ("and", "their"), ("showing",), ("including",), ("with",))  # fmt: skip
#: Words that open the columns in a sentence of their own ("... ? show id, name and
#: price", "I need its name, brand and retail price"), after a break only.
_ASKING = (("give", "me", "its"), ("give", "me", "their"), ("give", "me", "the"),
           ("give", "me"), ("give", "its"), ("give", "their"), ("give", "the"), ("give",),
           ("show", "me"), ("show", "its"), ("show", "their"), ("show", "the"), ("show",),
           ("i", "need", "its"), ("i", "need", "their"), ("i", "need", "the"), ("i", "need"),
           ("need", "its"), ("need", "their"), ("need",), ("just", "need", "its"),
           ("just", "need", "their"), ("just", "need", "the"), ("just", "need"),
           ("just", "the"), ("just",),
           ("i", "want", "its"), ("i", "want", "their"), ("i", "want", "the"), ("i", "want"),
           ("want", "its"), ("want", "their"), ("want", "the"), ("want",),
           ("include", "its"), ("include", "their"), ("include", "the"), ("include",),
           ("only", "the"), ("only",))  # fmt: skip
_NOTHING_MORE = re.compile(
    r"[,.]?\s*\b(?:(?:is|are|would be|will be)\s+(?:enough|fine|plenty|sufficient)|please|"
    r"pls|thanks|thank you|thx)\b[.!?]*\s*$",
    re.IGNORECASE,
)
#: Words that open a request for rows ("list the distribution centers, id + name").
_LIST_VERBS = frozenset({"list", "show", "give", "display", "get", "pull"})
_ITEM_LEADS = frozenset({"its", "their", "the", "his", "her", "each", "and"})
_SEPARATORS = frozenset({"and", "&", "plus"})
#: Words that rank rows by a moment of their life ("the latest shipped orders").
_RECENT = (("most", "recently"), ("most", "recent"), ("latest",), ("newest",), ("last",))
_EARLY = (("earliest",), ("first",), ("oldest",))
#: Words that rank rows by a column named after them ("sorted by sale price").
_SORT_LEADS = (("sorted", "by"), ("ordered", "by"), ("ranked", "by"), ("sort", "by"),
               ("order", "by"), ("by",))  # fmt: skip
_DIRECTIONS = {
    ("descending",): "desc", ("desc",): "desc", ("high", "to", "low"): "desc",
    ("highest", "first"): "desc", ("newest", "first"): "desc", ("latest", "first"): "desc",
    ("most", "recent", "first"): "desc", ("ascending",): "asc", ("asc",): "asc",
    ("low", "to", "high"): "asc", ("lowest", "first"): "asc", ("oldest", "first"): "asc",
    ("earliest", "first"): "asc",
}  # fmt: skip
_WITH_THE = {("highest",): "desc", ("largest",): "desc", ("biggest",): "desc",
             ("lowest",): "asc", ("smallest",): "asc", ("most", "recent"): "desc",
             ("latest",): "desc", ("newest",): "desc", ("earliest",): "asc",
             ("oldest",): "asc"}  # fmt: skip
#: Leads of a column after the rows' word ("with the highest <column>").
_WITH_THE_LEADS = (("with", "the"), ("having", "the"), ("that", "have", "the"),
                   ("have", "the"), ("has", "the"), ("had", "the"))  # fmt: skip
#: The words an order can start with ("sorted by", "by", "with the highest").
_ORDER_STARTS = frozenset(lead[0] for lead in (*_SORT_LEADS, *_WITH_THE_LEADS))
_DIRECTION_STARTS = frozenset(phrase[0] for phrase in _DIRECTIONS)


#: Words that open a question for the distinct values of a column on their own.
_DISTINCT = frozenset({"distinct", "unique", "different"})
#: Words between a lead and the rows ("list all the distinct ...").
_BEFORE_ROWS = frozenset({"the", "all", "our", "of", "every", "distinct", "different", "unique"})
_PERIODS = frozenset({"day", "week", "month", "quarter", "year", "hour", "minute"})


def _key(word: str) -> str:
    """A word as phrases are indexed: singular ("ids" -> "id", "prices" -> "price")."""
    if "'" in word:
        return word  # "what's", "levi's": not plurals
    if len(word) == 3 and word.endswith("s") and word not in FILLER:
        return word[:-1]
    return singular(word)


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_key(w) for w in tokens(normalize(text)))


@dataclass
class _Vocabulary:
    """The model's words for tables, columns and rankings, as token tuples."""

    tables: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: Dimensions whose values a question can list ("which categories"): phrase -> column.
    distinct: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: Per listed table: phrase -> {column: priority}; lower priority wins.
    columns: dict[str, dict[tuple[str, ...], dict[str, int]]] = field(default_factory=dict)
    #: Per listed table: phrase -> (column, "asc" | "desc").
    ranks: dict[str, dict[tuple[str, ...], tuple[str, str]]] = field(default_factory=dict)
    longest: int = 1
    #: Every column phrase of every table, to pass over while looking for a table's word.
    any_column: frozenset[tuple[str, ...]] = frozenset()
    #: The last word of every column phrase: a question that ends in none ends in no list
    #: of columns.
    column_ends: frozenset[str] = frozenset()
    #: Columns that rank rows ("top 5 products by retail price"): numbers, dates and
    #: columns with ranking words; "top 5 products by category" ranks nothing.
    rankable: frozenset[str] = frozenset()
    #: Per listed table: every word of its ranking phrases ("cheapest", "priciest").
    rank_words: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Every word of every table's ranking phrases.
    any_rank_word: frozenset[str] = frozenset()
    #: The first words of the table and column phrases: a word not among them starts
    #: neither, so a scan for the rows' word passes over it without a lookup.
    entity_starts: frozenset[str] = frozenset()


_CACHE: dict[int, tuple[SemanticModel, _Vocabulary]] = {}


def _vocabulary(model: SemanticModel) -> _Vocabulary:
    cached = _CACHE.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    vocabulary = _build(model)
    _CACHE[id(model)] = (model, vocabulary)
    return vocabulary


def _forms(text: str) -> set[tuple[str, ...]]:
    """A phrase as indexed, and as its plural is ("warehouses" is read "warehous")."""
    return {_phrase(text), _phrase(text + "s")}


def _build(model: SemanticModel) -> _Vocabulary:
    found = _Vocabulary()
    for table in model.catalog.values():
        for word in (*table.words, table.name.replace("_", " ")):
            for form in _forms(word):
                found.tables.setdefault(form, table.name)
    for dimension in model.dimensions.values():
        sql = dimension.column or ""
        table_name, _, column = sql.partition(".")
        listed = model.catalog.get(table_name)
        if listed is not None and column in listed.columns and not dimension.expression:
            for word in (dimension.name.replace("_", " "), *dimension.synonyms):
                for form in _forms(word):
                    found.distinct.setdefault(form, sql)
    for table in model.catalog.values():
        found.columns[table.name] = _column_words(model, table)
        found.ranks[table.name] = _rank_words(model, table)
        found.rank_words[table.name] = frozenset(w for p in found.ranks[table.name] for w in p)
    found.any_rank_word = frozenset(w for words in found.rank_words.values() for w in words)
    found.any_column = frozenset(p for phrases in found.columns.values() for p in phrases)
    found.column_ends = frozenset(p[-1] for p in found.any_column if p)
    found.rankable = frozenset(
        {c for ranks in found.ranks.values() for c, _ in ranks.values()}
        | {m.time for m in model.metrics.values() if m.time}
        | {c for d in model.dimensions.values() if d.numeric
           for c in (d.column, *d.columns.values()) if c}
    )  # fmt: skip
    every = [*found.tables, *found.distinct]
    every += [p for phrases in found.columns.values() for p in phrases]
    every += [p for ranks in found.ranks.values() for p in ranks]
    found.longest = max((len(p) for p in every), default=1)
    found.entity_starts = frozenset(p[0] for p in (*found.tables, *found.any_column) if p)
    return found


def _column_words(model: SemanticModel, table: Table) -> dict[tuple[str, ...], dict[str, int]]:
    """Phrase -> {column: priority} of the columns a list of ``table`` can show: its own
    (0), "<table word> <column word>" of a joined table ("product name", 1), the model's
    dimensions (2), then a joined table's bare column words (3)."""
    from lgda_nb.planner._model import tables_in

    phrases: dict[tuple[str, ...], dict[str, int]] = {}

    def add(text: str, column: str, priority: int) -> None:
        for words in _forms(text):
            held = phrases.setdefault(words, {})
            held[column] = min(priority, held.get(column, priority))

    reached = [
        other for other in model.catalog.values()
        if other.name != table.name and model.reaches(table.name, other.name)
    ]  # fmt: skip
    for owner, bare, named in ((table, 0, 0), *((other, 3, 1) for other in reached)):
        for column, words in owner.columns.items():
            for name in (*words, column.replace("_", " ")):
                add(name, owner.qualified(column), bare)
                for own_word in (*owner.words, owner.name.replace("_", " ")):
                    add(f"{own_word} {name}", owner.qualified(column), named)
    for dimension in model.dimensions.values():
        sql = "" if dimension.expression else dimension.sql_for(table.name)
        owner_name, _, column = sql.partition(".")
        holder = model.catalog.get(owner_name)
        if holder is None or column not in holder.columns or len(tables_in(sql)) != 1:
            continue
        if holder is table or holder in reached:
            for word in (dimension.name.replace("_", " "), *dimension.synonyms):
                add(word, sql, 2)
    return phrases


def _rank_words(model: SemanticModel, table: Table) -> dict[tuple[str, ...], tuple[str, str]]:
    """Phrase -> (column, direction): the table's ``highest``/``lowest`` words, and
    "latest"/"earliest" before a moment of its rows ("the most recently shipped")."""
    ranks: dict[tuple[str, ...], tuple[str, str]] = {}
    for direction, words_of in (("desc", table.highest), ("asc", table.lowest)):
        for column, words in words_of.items():
            for word in words:
                for form in _forms(word):
                    ranks.setdefault(form, (table.qualified(column), direction))
    for moment in model.moments.values():
        moment_column = moment.columns.get(table.name)
        if moment_column is None or not moment_column.startswith(f"{table.name}."):
            continue  # a moment kept in another (derived) table does not rank these rows
        for word in moment.words:
            for direction, leads in (("desc", _RECENT), ("asc", _EARLY)):
                for lead in leads:
                    ranks.setdefault((*lead, _key(word)), (moment_column, direction))
    return ranks


@dataclass
class _Question:
    """The question's tokens with their places in the text, and what is read of them."""

    text: str
    spans: list[tuple[int, int]]
    words: list[str]
    keys: list[str]
    cut: set[int] = field(default_factory=set)
    replaced: dict[int, tuple[int, str]] = field(default_factory=dict)

    def gap(self, i: int) -> str:
        """The text between token ``i - 1`` and token ``i``."""
        start = self.spans[i - 1][1] if i > 0 else 0
        end = self.spans[i][0] if i < len(self.spans) else len(self.text)
        return self.text[start:end]

    def at(self, i: int, phrase: tuple[str, ...]) -> bool:
        return tuple(self.keys[i : i + len(phrase)]) == phrase

    def joined(self, start: int, end: int) -> bool:
        """Whether the words from ``start`` to ``end`` are not split by punctuation."""
        return all(self.gap(j) in {" ", "-", "_"} for j in range(start + 1, end))

    def free(self, start: int, end: int) -> bool:
        return not any(j in self.cut or j in self.replaced for j in range(start, end))

    def reduced(self) -> str:
        """The question without what was cut, replacements in place."""
        out: list[str] = []
        previous_kept = False
        i = 0
        while i < len(self.words):
            if i in self.replaced:
                end, text = self.replaced[i]
                out.append(" " + text)
                previous_kept = False
                i = end
                continue
            if i in self.cut:
                previous_kept = False
                i += 1
                continue
            start, end = self.spans[i]
            out.append((self.gap(i) if previous_kept else " ") + self.text[start:end])
            previous_kept = True
            i += 1
        return " ".join("".join(out).split())


#: "by customers living in Japan": the people whose rows they are.
_BY_PEOPLE_IN = re.compile(
    r"\bby\s+(customers|users|people|buyers|shoppers)\s+(?:(?:who\s+(?:live|are))|living|located|"
    r"based|residing)\s+in\b",
    re.IGNORECASE,
)
#: A scope said first ("In the Socks category, what are ..."), up to the first sentence end.
_LEADING_SCOPE = re.compile(
    r"^\s*(?P<scope>(?:in|within|among|for)\s+[^,?.!:]+?),\s*(?P<rest>[^?.!]+?)(?P<end>[?.!]|$)",
    re.IGNORECASE,
)


def _tokenize(question: str) -> _Question:
    text = unicodedata.normalize("NFKC", question).replace("\u2019", "'").replace("`", "'")
    # A dash between spaces starts a list of columns, like a colon.
    text = re.sub(r"\s[-\u2010-\u2015]+\s", " : ", text)
    text = re.sub(r"(?i)\bw/(?!o\b)\s*", "with ", text)  # "w/ id and name"
    # "In the Socks category, what are the 8 cheapest products?": the scope after them.
    text = _LEADING_SCOPE.sub(r"\g<rest> \g<scope>\g<end>", text, count=1)
    # "orders by customers living in Japan": whose orders, not a breakdown.
    text = _BY_PEOPLE_IN.sub(r"from \1 in", text)
    # "..., and when the order was placed": the moment's column.
    text = re.sub(
        r"\bwhen\s+(?:the\s+[a-z]+|it|they)\s+(?:was|were|got)\s+(?=[a-z]+ed\b)",
        "",
        text,
        flags=re.I,
    )
    # "10 latest orders -> order id, user id": the columns after an arrow.
    text = re.sub(r"\s*(?:->|\u2192|=>)\s*(?=[a-z]+\s+id\b)", " : ", text, flags=re.I)
    # "..., please", "id and name is enough": nothing more is asked.
    text = _NOTHING_MORE.sub("", text)
    lower = text.lower()
    if len(lower) != len(text):
        text = lower
    spans, words = [], []
    for match in TOKEN.finditer(lower):
        spans.append(match.span())
        words.append(match.group(0))
    keys = [str(NUMBER_WORDS.get(w, _key(w))) for w in words]
    return _Question(text=text, spans=spans, words=words, keys=keys)


@dataclass
class _Found:
    """What the list reading found: where, and what it means."""

    table: str | None = None
    entity: tuple[int, int] | None = None
    distinct: str | None = None
    sort: tuple[str, str] | None = None
    limit: int | None = None
    columns: list[str] = field(default_factory=list)
    #: Whether the columns were added to the rows' own ("with its brand").
    adding: bool = False
    strong: bool = False
    #: Where the ranking words start and end ("the 3 lowest priced Levi's products").
    rank_at: int | None = None
    rank_end: int | None = None


def read_list(planner: OfflinePlanner, question: str, normalized: str | None = None) -> Plan | None:
    """The list plan ``question`` asks for; ``None`` when it does not ask for rows.
    ``normalized`` is ``normalize(question)`` when the caller has it already.

    When it looks like a list (columns named, or rows ranked by a column) but cannot be
    read as one, the reader's plan of the question stands if it has one ("orders per
    month, latest 6 months"); else the list's refusal, which names what it could not
    read (an unknown column), is raised.
    """
    question = _value_as_rows(planner, question)
    # "timestamp of the very first order": read as "date of the first order"
    question = TIME_OF_RANKED_ROW.sub(lambda m: time_of_ranked_row(m.group(0)), question)
    heard = _columns_heard(planner, question)
    if heard is not None:
        try:
            listed = _read(planner, heard)
        except PlanningError:
            listed = None
        if listed is not None:
            return replace(listed, question=question)
    try:
        return _read(planner, question, normalized)
    except PlanningError as refusal:
        try:
            return _sub_plan(planner, question)
        except PlanningError:
            raise refusal from None


def _columns_heard(planner: OfflinePlanner, question: str) -> str | None:
    """``question`` with the columns said last as heard, with no commas ("the five
    cheapest jeans we carry name brand and retail price"), written as a list after a
    colon ("...: name, brand and retail price"); ``None`` when its end is no such run:
    two or more columns of a listed table, at least two said one after the other, none
    of them a value ("with status Shipped" is a filter)."""
    vocabulary = _vocabulary(planner.model)
    last = question.rstrip(" ?.!").rpartition(" ")[2].lower()
    if _key(last) not in vocabulary.column_ends:
        return None  # the question ends in no column's word, as most do
    said = normalize(question)
    words = tokens(said)
    if not words or _key(words[-1]) not in vocabulary.column_ends:
        return None
    keys = [_key(w) for w in words]
    for start in range(1, len(keys) - 1):
        if keys[start] not in vocabulary.entity_starts:
            continue
        ends = _column_run(keys, start, vocabulary)
        if ends is None:
            continue
        spans = [match.span() for match in TOKEN.finditer(said)]
        if re.search(r"[,:;()-]", said[spans[start][0] :]) or not re.search(
            rf"\b{re.escape(words[-1])}\W*$", question.lower()
        ):
            return None  # a list written out already, or words moved in reading
        named = [
            tuple(singular(w) for w in words[a:b] if w != "and")
            for a, b in itertools.pairwise([start, *ends])
        ]
        if any(kind == "value" for key in named for kind, _, _ in planner._phrases.get(key, [])):
            return None
        pieces, at = [], spans[start][0]
        for index, end in enumerate(ends):
            piece = said[at : spans[end - 1][1]]
            joined = index > 0 and not piece.startswith("and ")
            pieces.append(f", {piece}" if joined else f" {piece}")
            at = spans[end][0] if end < len(spans) else len(said)
        lead = said[: spans[start][0]].rstrip(" ,:")
        lead += "" if (words[start - 1],) in _ADDING else ":"
        return recased(lead + "".join(pieces), question)
    return None


def _column_run(keys: list[str], start: int, vocabulary: _Vocabulary) -> list[int] | None:
    """The ends of the columns said from ``start`` to the end of ``keys`` ("name brand and
    retail price": three), when they cover it all (an "and" may join any two) and two or
    more of them are said one right after the other; else ``None``."""
    ends: list[int] = []
    at, juxtaposed = start, False
    while at < len(keys):
        joined = keys[at] == "and"
        if joined:
            at += 1
        size = next(
            (
                n
                for n in range(min(vocabulary.longest, len(keys) - at), 0, -1)
                if tuple(keys[at : at + n]) in vocabulary.any_column
            ),
            0,
        )
        if size == 0:
            return None
        juxtaposed = juxtaposed or (bool(ends) and not joined)
        at += size
        ends.append(at)
    return ends if len(ends) > 1 and juxtaposed else None


def _value_as_rows(planner: OfflinePlanner, question: str) -> str:
    """``question`` with the rows named where a plural value stands for them in a
    ranking ("the 10 cheapest jeans": "the 10 cheapest jeans products"), when no table's
    word is in it: the value's column is on a listed table, and a number or one of that
    table's ranking words comes just before it. Unchanged otherwise."""
    model = planner.model
    words = [w.lower() for w in TOKEN.findall(question)]
    vocabulary = _vocabulary(model)
    ranking = vocabulary.any_rank_word
    if not any(w.isdigit() or w in ranking for w in words):
        return question  # no number and no ranking word: no ranking to stand for
    keys = [singular(w) for w in words]
    sizes = {len(phrase) for phrase in vocabulary.tables}
    if any(tuple(keys[i : i + n]) in vocabulary.tables for n in sizes for i in range(len(keys))):
        return question
    for i in range(len(words)):
        for size in (3, 2, 1):
            entries = planner._phrases.get(tuple(keys[i : i + size]), [])
            if i + size > len(words) or words[i + size - 1] == keys[i + size - 1]:
                continue  # only a plural names the rows ("jeans", "dresses")
            for kind, name, _ in entries:
                column = model.dimensions[name].column if kind == "value" else None
                table = (column or "").split(".")[0]
                if table not in model.catalog or not model.catalog[table].words:
                    continue
                ranks = vocabulary.rank_words.get(table, frozenset())
                before = words[max(0, i - 3) : i]
                if not any(w.isdigit() or w in ranks for w in before):
                    continue
                said = r"\W+".join(re.escape(w) for w in words[i : i + size])
                found = re.search(rf"(?i)\b{said}\b", question)
                if found is None:
                    return question
                rows = f"{model.catalog[table].words[0]}s"
                return f"{question[: found.end()]} {rows}{question[found.end() :]}"
    return question


def _read(planner: OfflinePlanner, question: str, normalized: str | None = None) -> Plan | None:  # noqa: PLR0911 - each way a question is not a list
    model = planner.model
    if not model.catalog or _has_bands(question, normalized) or _NUMBER_SIGN.search(question):
        return None
    q = _tokenize(question)
    if not q.words:
        return None
    vocabulary = _vocabulary(model)
    found = _Found()
    lead = _lead(q)
    if not _entity(planner, q, vocabulary, found, lead):
        return None
    assert found.table is not None
    if _named_twice(q, found):
        return None
    table = model.catalog[found.table]
    _rank(q, vocabulary, found, planner)
    _count(q, found)
    _columns(q, vocabulary, found, table)
    strong = found.strong
    if not strong and lead is None:
        return None
    counted = _count_metric(model, table)
    if counted is None:
        return None
    assert found.entity is not None
    q.replaced[found.entity[0]] = (found.entity[1], counted.replace("_", " "))
    _named_by_start(planner, q, found, table)
    for i in range(lead or 0):
        q.cut.add(i)
    if strong and q.keys[:1] == ["where"] and found.columns:
        q.cut |= {0, 1} if len(q.keys) > 1 and q.keys[1] in {"is", "are"} else {0}
    rest = q.reduced()
    if _COUNTING.search(normalize(rest)) or _UNRANKED.search(normalize(rest)):
        return None
    try:
        sub = _sub_plan(planner, rest)
    except LGDAError:
        if strong:
            raise
        return None
    return _plan(planner, question, found, table, sub, strong=strong)


#: Words that list one thing beside another ("returned orders and orders").
_LISTED_BESIDE = frozenset({"and", "plus"})


def _named_twice(q: _Question, found: _Found) -> bool:
    """Whether the rows' noun is listed twice, a few words apart ("returned orders and
    orders by country", "orders & cancelled orders"): two measures of those rows side by
    side, which the measure reader reads or refuses, not a list of the first ones."""
    assert found.entity is not None
    start, end = found.entity
    noun = q.keys[start:end]
    if end >= len(q.keys):
        return False
    if q.keys[end] in _LISTED_BESIDE:
        end += 1
    elif "&" not in q.gap(end):  # "&" is not a word of its own
        return False
    return any(q.keys[at : at + len(noun)] == noun for at in range(end, end + 3))


def _has_bands(question: str, normalized: str | None = None) -> bool:
    """Whether the question gives bands ("under $25, $25-50, $50+"): counts per band,
    not rows. ``normalized`` is ``normalize(question)`` if known."""
    from lgda_nb.planner._read_timecmp import cut_bands

    try:
        text = normalize(question) if normalized is None else normalized
        return cut_bands(text)[0] is not None
    except PlanningError:
        return True


def _lead(q: _Question) -> int | None:
    """How many words open the question as a request for rows, if any."""
    best = None
    for lead in _LEADS:
        if q.at(0, lead) and (best is None or len(lead) > best):
            best = len(lead)
    if best is not None:
        while best < len(q.keys) and q.keys[best] in _BEFORE_ROWS:
            best += 1
    return best


def _match(
    q: _Question, start: int, phrases: Container[tuple[str, ...]], longest: int
) -> tuple[int, tuple[str, ...]] | None:
    """The longest phrase of ``phrases`` at ``start``: (end, phrase)."""
    for size in range(min(longest, len(q.keys) - start), 0, -1):
        phrase = tuple(q.keys[start : start + size])
        if phrase in phrases and q.free(start, start + size) and q.joined(start, start + size):
            return start + size, phrase
    return None


def _entity(
    planner: OfflinePlanner, q: _Question, vocabulary: _Vocabulary, found: _Found, lead: int | None
) -> bool:
    """The table whose rows are asked for: its first word in the question; or, right
    after a lead ("which categories"), a column whose distinct values are asked for. A
    table's word that starts a longer measure or breakdown of the model ("items in the
    catalog", "items sold") is that, not the table's rows."""
    if lead is None and q.keys and q.keys[0] in _DISTINCT:
        at = 0
        while at < len(q.keys) and q.keys[at] in _BEFORE_ROWS:
            at += 1
        end = _distinct_values_at(q, vocabulary, at)
        if end is not None:  # "distinct cities of users in Japan": no verb asks for them
            said = " ".join(q.words[:end])
            raise PlanningError(
                f"'{said}' could ask for the values themselves or for how many there are; "
                "I cannot tell which.",
                hint=f"Ask 'list the {said}' for the values, or 'how many {said}' for the count.",
            )
    if lead is not None and lead < len(q.keys):
        hit = _match(q, lead, vocabulary.distinct, vocabulary.longest)
        if hit is not None and _distinct_values_at(q, vocabulary, lead) is not None:
            column = vocabulary.distinct[hit[1]]
            found.table, _, _ = column.partition(".")
            found.distinct = column
            found.entity = (lead, hit[0])
            return True
    i = 0
    while i < len(q.keys):
        if q.keys[i] not in vocabulary.entity_starts:
            i += 1  # starts no table's or column's phrase
            continue
        column_hit = _match(q, i, vocabulary.any_column, vocabulary.longest)
        hit = _match(q, i, vocabulary.tables, vocabulary.longest)
        if hit is not None and (
            _longer_phrase(planner, q, i, hit[0]) or _first_of(planner, q, i, hit[0])
        ):
            hit = None
        if hit is not None and (column_hit is None or hit[0] >= column_hit[0]):
            found.table = vocabulary.tables[hit[1]]
            found.entity = (i, hit[0])
            return True
        i = column_hit[0] if column_hit is not None else i + 1
    return False


def _distinct_values_at(q: _Question, vocabulary: _Vocabulary, at: int) -> int | None:
    """Where a column's plural at ``at`` ends ("categories"), when it names the column's
    distinct values rather than a table's rows; else ``None``."""
    hit = _match(q, at, vocabulary.distinct, vocabulary.longest)
    if hit is None or q.words[hit[0] - 1] == singular(q.words[hit[0] - 1]):
        return None
    table_hit = _match(q, at, vocabulary.tables, vocabulary.longest)
    return hit[0] if table_hit is None or hit[0] > table_hit[0] else None


def _longer_phrase(planner: OfflinePlanner, q: _Question, start: int, end: int) -> bool:
    """Whether a measure's or breakdown's phrase longer than ``start:end`` starts there."""
    for size in range(planner._max_len, end - start, -1):
        if start + size > len(q.words) or q.words[start + size - 1] in {"and", "&"}:
            continue  # "shoes and their sizes" is not the phrase "shoes"
        words = tuple(singular(w) for w in q.words[start : start + size] if w not in {"and", "&"})
        entries = planner._phrases.get(words, []) if start + size <= len(q.words) else []
        if any(kind != "value" for kind, _, _ in entries) and q.joined(start, start + size):
            return True
    return False


def _first_of(planner: OfflinePlanner, q: _Question, start: int, end: int) -> bool:
    """Whether the table's word at ``start:end`` ends a first event of the model's
    (``reader.firsts``) said of people: "first-order cohorts", "customers whose first
    order ..." are people by their first order, not a list of orders ("the first orders
    of 2025: order id" still are)."""
    words = planner.model.reader.get("firsts", {}).get("words", [])
    said = tuple(singular(w) for w in q.words[max(0, start - 1) : end])
    cohort = [singular(w) for w in q.words[end : end + 2]]
    whose = start > 1 and q.words[start - 2] == "whose"  # "(customers whose first order ...)"
    return (
        start > 0
        and q.joined(start - 1, end)
        and ("cohort" in cohort or whose)
        and any(tuple(singular(w) for w in str(phrase).split()) == said for phrase in words)
    )


def _plural_value(planner: OfflinePlanner, q: _Question, start: int, end: int) -> bool:
    """Whether a value's phrase at least as long as ``start:end`` and ending in a plural
    starts there: "first orders" are the orders that are first, not the earliest orders
    ("the first order placed" still ranks)."""
    for size in range(min(planner._max_len, len(q.words) - start), end - start - 1, -1):
        if not q.joined(start, start + size):
            continue
        last = q.words[start + size - 1]
        words = tuple(singular(w) for w in q.words[start : start + size])
        entries = planner._phrases.get(words, [])
        if last != singular(last) and any(kind == "value" for kind, _, _ in entries):
            return True
    return False


def _rank(
    q: _Question, vocabulary: _Vocabulary, found: _Found, planner: OfflinePlanner | None = None
) -> None:
    """The column that ranks the rows, and which way: "cheapest", "most recent", "the
    latest shipped", "with the highest sale price", "sorted by price descending"."""
    assert found.table is not None
    ranks = vocabulary.ranks.get(found.table, {})
    rank_words = vocabulary.rank_words.get(found.table, frozenset())
    columns = vocabulary.columns.get(found.table, {})
    picked: list[tuple[str, str]] = []
    # "top 5 products by retail price": "by" a column ranks the rows that way.
    before = q.keys[max(0, found.entity[0] - 3) : found.entity[0]] if found.entity else []
    ranked = "desc" if "top" in before else "asc" if "bottom" in before else None
    i = 0
    while i < len(q.keys):
        if (found.entity and found.entity[0] <= i < found.entity[1]) or (
            q.keys[i] not in rank_words and q.keys[i] not in _ORDER_STARTS
        ):  # fmt: skip
            i += 1  # in the rows' word, or starting no ranking and no "sorted by"
            continue
        hit = _match(q, i, ranks, vocabulary.longest)
        if hit is not None and _names_period(q, hit[0]):
            hit = None  # "the 12 most recent months", "latest 6 months": a time window
        if hit is not None and planner is not None and _plural_value(planner, q, i, hit[0]):
            hit = None  # "first orders and repeat orders": values, not the earliest rows
        if hit is not None and not _starts_column(q, i, columns, hit[0], vocabulary.longest):
            picked.append(ranks[hit[1]])
            found.rank_at = i if found.rank_at is None else found.rank_at
            found.rank_end = hit[0] if found.rank_end is None else found.rank_end
            q.cut |= set(range(i, hit[0]))
            if hit[0] < len(q.keys) and q.keys[hit[0]] == "first":
                q.cut.add(hit[0])
            i = hit[0]
            continue
        sorted_by = _sorted_by(q, i, columns, vocabulary.longest, ranked)
        if sorted_by is None and ranked is None and picked:
            # "the 5 most expensive products by retail price": the ranking's column again.
            again = _sorted_by(q, i, columns, vocabulary.longest, picked[-1][1])
            sorted_by = again if again is not None and again[1] == picked[-1][0] else None
        if sorted_by is not None and not _ranks_by(q, i, sorted_by[1], vocabulary):
            raise PlanningError(
                f"{sorted_by[1]} does not rank rows from highest to lowest.",
                hint="Rank by a number or a date ('top 5 <rows> by <number>'), or ask for "
                "the rows sorted by it ('<rows> sorted by <column>').",
            )
        if sorted_by is not None:
            end, column, direction = sorted_by
            picked.append((column, direction))
            q.cut |= set(range(i, end))
            i = end
            continue
        i += 1
    if not picked:
        _no_column_to_order_by(q)
        return
    columns_asked = {c for c, _ in picked if c}
    directions = {d for _, d in picked}
    if len(columns_asked) > 1 or len(directions) > 1:
        raise PlanningError(
            "The rows are asked in two orders at once.",
            hint="Ask for one order: a ranking word or 'sorted by <column>'.",
        )
    found.sort = picked[0]
    found.strong = True


def _no_column_to_order_by(q: _Question) -> None:
    """ "highest first" with no column to rank by is a refusal."""
    for i, key in enumerate(q.keys):
        if key not in _DIRECTION_STARTS:
            continue
        for phrase in _DIRECTIONS:
            if q.at(i, phrase) and q.free(i, i + len(phrase)):
                raise PlanningError(
                    "I could not tell which column to order the rows by.",
                    hint="Name it: 'sorted by <column>, highest first'.",
                )


def _ranks_by(q: _Question, i: int, column: str, vocabulary: _Vocabulary) -> bool:
    """Whether a ranking by ``column`` means something: asked as a sort ("sorted by
    brand"), or by a number or a date ("top 5 ... by retail price")."""
    asked_as_sort = any(q.at(i, lead) for lead in _SORT_LEADS if lead != ("by",))
    return asked_as_sort or column in vocabulary.rankable


def _names_period(q: _Question, end: int) -> bool:
    """Whether a period follows ("latest 6 months"), so the words name a time window."""
    while end < len(q.keys) and q.keys[end].isdigit():
        end += 1
    return end < len(q.keys) and q.keys[end] in _PERIODS


def _starts_column(
    q: _Question, i: int, columns: dict[tuple[str, ...], dict[str, int]], end: int, longest: int
) -> bool:
    """Whether a longer column phrase starts at ``i`` ("last name", not "last")."""
    hit = _match(q, i, columns, longest)
    return hit is not None and hit[0] > end


def _sorted_by(  # noqa: PLR0912 - one branch per way of naming an order
    q: _Question,
    i: int,
    columns: dict[tuple[str, ...], dict[str, int]],
    longest: int,
    ranked: str | None = None,
) -> tuple[int, str, str] | None:
    """ "sorted by <column> [descending]", "by <column>", "with the highest <column>";
    ``ranked`` is the direction "top"/"bottom" before the rows gave "by"."""
    for lead in _SORT_LEADS:
        if not q.at(i, lead):
            continue
        at = i + len(lead)
        direction = ranked if lead == ("by",) and ranked else "asc"
        for words, which in _WITH_THE.items():
            if q.at(at, words):
                direction, at = which, at + len(words)
                break
        hit = _match(q, at, columns, longest)
        if hit is None:
            return None
        column = _resolve(columns, hit[1], q, at)
        end = hit[0]
        for words, which in _DIRECTIONS.items():
            if q.at(end, words):
                direction, end = which, end + len(words)
                break
        if lead == ("by",) and ranked is None and end == hit[0]:
            # "by <column>" alone is a breakdown to the reader, unless ranked as rows.
            return None
        return end, column, direction
    for with_the in _WITH_THE_LEADS:
        if not q.at(i, with_the):
            continue
        at = i + len(with_the)
        for words, which in _WITH_THE.items():
            if q.at(at, words):
                hit = _match(q, at + len(words), columns, longest)
                if hit is not None:
                    return hit[0], _resolve(columns, hit[1], q, at + len(words)), which
    return None


def _resolve(
    columns: dict[tuple[str, ...], dict[str, int]], phrase: tuple[str, ...], q: _Question, at: int
) -> str:
    """The one column a phrase names; two at the same rank are a refusal naming both."""
    held = columns[phrase]
    best = min(held.values())
    named = sorted(c for c, p in held.items() if p == best)
    if len(named) > 1:
        typed = " ".join(q.words[at : at + len(phrase)])
        raise PlanningError(
            f"'{typed}' could be {' or '.join(named)}.",
            hint="Name the table too, e.g. '" + named[0].replace("_", " ").replace(".", " ") + "'.",
        )
    return named[0]


def _count(q: _Question, found: _Found) -> None:
    """How many rows: "the 5 cheapest", "top 10", "first 3"; one for "the most expensive
    product" (a ranking of one row, named in the singular)."""
    assert found.entity is not None
    j = -1
    for start in (found.entity[0], found.rank_at):
        if start is None:
            continue
        j = start - 1
        while j >= 0 and (j in q.cut or q.keys[j] in {"the", "our"}):
            j -= 1
        if j >= 0 and q.keys[j].isdigit() and j not in q.cut:
            break
    if not (j >= 0 and q.keys[j].isdigit() and j not in q.cut) and found.sort is not None:
        j = _count_before_value(q, found.entity[0])
    after = found.rank_end
    if not (j >= 0 and q.keys[j].isdigit() and j not in q.cut) and after is not None:
        j = after if after < len(q.keys) else -1  # "the latest 10 orders"
    if j >= 0 and q.keys[j].isdigit() and j not in q.cut:
        found.limit = int(q.keys[j])
        q.cut.add(j)
        # "top 10" by what? "the last 10 products" by what? (no moment ranks them)
        ranked = {"top", "bottom", "latest", "last"} if found.sort is not None else set()
        if j > 0 and q.keys[j - 1] in {"first", *ranked}:
            q.cut.add(j - 1)
        found.strong = found.strong or found.sort is not None
    elif found.sort is not None and found.distinct is None:
        last = q.words[found.entity[1] - 1]
        if singular(last) == last and not last.endswith("s"):
            found.limit = 1


def _count_before_value(q: _Question, entity: int) -> int:
    """Where the count is when a value's name stands between it and the rows' word ("the
    5 Outerwear & Coats products with the highest cost"), or -1. The words skipped are
    read with the rest of the question (as a filter), so a word that names nothing is
    refused there."""
    for j in range(entity - 2, max(entity - 6, 0) - 1, -1):
        if j in q.cut or j in q.replaced:
            return -1
        if q.keys[j].isdigit():
            between = range(j + 1, entity)
            named = all(not q.keys[i].isdigit() and q.keys[i] not in _SEPARATORS for i in between)
            small = int(q.keys[j]) < 1000  # not a year ("the 2025 orders")
            joined = all(q.gap(i) in {" ", "-", " & "} for i in range(j + 1, entity + 1))
            return j if named and small and joined else -1
    return -1


def _run_on(q: _Question, items: list[tuple[int, tuple[str, ...]]]) -> bool:
    """Whether two of ``items`` follow each other with no comma, "and" or "its" between:
    "with status returned" names a status, not the status and the return date."""
    for (at, words), (after, _) in itertools.pairwise(items):
        between = range(at + len(words), after)
        if not any(q.keys[j] in _SEPARATORS or q.keys[j] in _ITEM_LEADS for j in between) and (
            "," not in q.gap(after)
        ):
            return True
    return False


def _items(
    q: _Question,
    start: int,
    columns: dict[tuple[str, ...], dict[str, int]],
    longest: int,
    *,
    to_end: bool = True,
) -> tuple[list[tuple[int, tuple[str, ...]]], int, list[int]]:
    """Column phrases from ``start``, separated by commas and "and": (each phrase's start
    and words, where the run ends, positions of words that are not columns). Without
    ``to_end`` the run ends at the first word that is not a column."""
    items: list[tuple[int, tuple[str, ...]]] = []
    unknown: list[int] = []
    i = start
    while i < len(q.keys):
        if i > start and ")" in q.gap(i):
            break
        if i in q.cut or q.keys[i] in _ITEM_LEADS or q.keys[i] in _SEPARATORS:
            i += 1
            continue
        hit = _match(q, i, columns, longest)
        if hit is not None:
            items.append((i, hit[1]))
            i = hit[0]
            continue
        shared = _shared_head(q, i, columns, longest)
        if shared is not None:
            items.append((i, shared))
            i += 1
            continue
        if not to_end:
            while i > start and (q.keys[i - 1] in _SEPARATORS or q.keys[i - 1] in _ITEM_LEADS):
                i -= 1
            break
        unknown.append(i)
        i += 1
    return items, i, unknown


def _shared_head(
    q: _Question, i: int, columns: dict[tuple[str, ...], dict[str, int]], longest: int
) -> tuple[str, ...] | None:
    """ "created and returned dates": a word that names a column with the next item's
    last word ("created date")."""
    if i + 1 >= len(q.keys) or q.keys[i + 1] not in _SEPARATORS:
        return None
    following = _match(q, i + 2, columns, longest)
    if following is None:
        return None
    phrase = (q.keys[i], following[1][-1])
    return phrase if phrase in columns else None


def _columns(q: _Question, vocabulary: _Vocabulary, found: _Found, table: Table) -> None:
    """The columns to show: after a colon, a dash or a parenthesis; after "with its";
    or before "of" the rows ("the name and price of the cheapest product")."""
    assert found.entity is not None
    columns = vocabulary.columns[table.name]
    longest = vocabulary.longest
    for i in range(found.entity[1], len(q.keys)):
        gap = q.gap(i)
        scope = "(" in gap and opens_scope(q.text, q.spans[i - 1][1] + gap.index("("))
        if (":" in gap or ("(" in gap and not scope)) and i not in q.cut:
            items, end, unknown = _items(q, i, columns, longest)
            if unknown and (items or found.sort):
                words = ", ".join(repr(q.words[j]) for j in unknown)
                raise PlanningError(
                    f"I did not understand {words} as a column of "
                    f"{table.words[0] if table.words else table.name} rows.",
                    hint="Columns I know: " + ", ".join(_known(table)) + ".",
                )
            if items:
                found.columns = [_resolve(columns, p, q, at) for at, p in items]
                q.cut |= set(range(i, end))
                found.strong = True
                return
        broken = any(mark in gap for mark in "?.;,-")  # a new sentence or clause
        # After a question mark, a list of columns on its own ("...? id, name and city").
        # Right after the rows' word and a comma too, in a request for a list or a ranking,
        # of two columns or more ("list the distribution centers, id + name", "the 5
        # cheapest dresses, name and retail price"; "users, country" may be by country).
        after_rows = (
            "," in gap
            and i == found.entity[1]
            and (q.keys[0] in _LIST_VERBS or found.sort is not None)
        )
        bare = ((),) if ("?" in gap or after_rows) and i not in q.cut else ()
        for lead in (*_ADDING, *(_ASKING if broken else ()), *bare):
            if not q.at(i, lead) or i in q.cut:
                continue
            items, end, unknown = _items(q, i + len(lead), columns, longest)
            if any(":" in q.gap(j) for j in range(i + len(lead) + 1, end)):
                continue  # "with status Returned - order id, ...": the list after the dash
            if lead == ("with",) and _run_on(q, items):
                continue  # "orders with status returned": a value after its column, not two
            if not lead and "?" not in gap and len(items) < 2:
                continue  # "show the users, country": one column, maybe a breakdown
            if items and not unknown and (end == len(q.keys) or ")" in q.gap(end)):
                found.columns = [_resolve(columns, p, q, at) for at, p in items]
                found.adding = True
                q.cut |= set(range(i, end))
                found.strong = True
                return
    # "the name and brand of the most expensive product"
    first = 0
    while first < found.entity[0] and (first in q.cut or (
        q.words[first] in FILLER and _match(q, first, columns, longest) is None
    )):  # fmt: skip
        first += 1
    items, end, unknown = _items(q, first, columns, longest, to_end=False)
    if items and not unknown and end < found.entity[0] and q.keys[end] in {"of", "for"}:
        found.columns = [_resolve(columns, p, q, at) for at, p in items]
        q.cut |= set(range(first, end + 1))
        found.strong = True


def _named_by_start(planner: OfflinePlanner, q: _Question, found: _Found, table: Table) -> None:
    """ "the Houston warehouse": the words right before the rows' word that start exactly
    one of their names ("Houston TX") name that row."""
    if table.title is None or found.entity is None or found.distinct is not None:
        return
    title = table.qualified(table.title)
    names = [
        str(v)
        for name, dimension in planner.model.dimensions.items()
        if dimension.column == title
        for v in planner.values.get(name, ())
    ]
    start = found.entity[0]
    for size in (3, 2, 1):
        first = start - size
        if first < 0 or not q.free(first, start) or not q.joined(first, start + 1):
            continue
        typed = q.words[first:start]
        if typed[0] in FILLER:
            continue
        matches = [n for n in names if tokens(n.lower())[:size] == typed]
        whole = [n for n in matches if len(tokens(n.lower())) == size]
        if len(matches) == 1 and not whole:
            q.replaced[first] = (start, matches[0])
            return


def _known(table: Table) -> list[str]:
    return [words[0] if words else c.replace("_", " ") for c, words in table.columns.items()]


def _as_count_of_rows(model: SemanticModel, sub: Plan, counted: str | None) -> Plan:
    """``sub`` with a count of the rows of one value ("the most expensive returned item":
    the returned items) as the count of the rows kept to that value, as a list reads it."""
    from lgda_nb.planner._compile import counted_if
    from lgda_nb.planner._plan import Filter

    if counted is None or len(sub.metrics) != 1 or sub.metrics[0] not in model.metrics:
        return sub
    metric = model.metrics[sub.metrics[0]]
    found = counted_if(metric.expression) if "/" not in metric.expression else None
    if found is None or metric.table != model.metric(counted).table:
        return sub
    column, values = found
    named = [
        name
        for name, d in model.dimensions.items()
        if d.sql_for(metric.table) == column and not d.numeric
    ]
    if len(named) != 1:
        return sub
    kept = Filter(named[0], tuple(sorted(values)))
    return replace(sub, metrics=(counted,), filters=(*sub.filters, kept))


def _count_metric(model: SemanticModel, table: Table) -> str | None:
    """The model's plain count of the table's rows, whose words stand for the rows: the
    count of its key (events, not the sessions they belong to), else of every row."""
    name = re.escape(table.name)
    key = re.escape(table.key or "")
    for pattern in (rf"(?:DISTINCT\s+)?{name}\.{key}", r"\*"):
        plain = re.compile(rf"^COUNT\(\s*{pattern}\s*\)$", re.IGNORECASE)
        for metric in model.metrics.values():
            if metric.table == table.name and not metric.filters and plain.match(metric.expression):
                return metric.name
    return None


def _sub_plan(planner: OfflinePlanner, rest: str) -> Plan:
    planner._reading_list = True
    try:
        return planner.plan(rest)
    finally:
        planner._reading_list = False


def _names_buyers(model: SemanticModel, question: str, table: Table) -> bool:
    """Whether ``question`` names the model's buyers (its customers) while the rows listed
    are every person's (``reader.people``): the buyers are only some of them."""
    buyers = model.metrics.get(str(model.reader.get("buyers", "")))
    if buyers is None or model.reader.get("people") != table.name:
        return False
    text = f" {' '.join(tokens(normalize(question)))} "
    return any(
        f" {' '.join(tokens(normalize(name)))} " in text
        for name in (buyers.label, *buyers.synonyms)
    )


def _plan(  # noqa: PLR0912 - one branch per kind of list
    planner: OfflinePlanner,
    question: str,
    found: _Found,
    table: Table,
    sub: Plan,
    *,
    strong: bool,
) -> Plan | None:
    """The list plan from what was found and the reader's plan of the rest."""
    model = planner.model
    counted = _count_metric(model, table)
    sub = _as_count_of_rows(model, sub, counted)
    # A condition on a measure of each row ("orders with more than 3 items") keeps rows;
    # one on a group ("countries with more than 500 orders") is an aggregate.
    own = {table.qualified(table.key)} if table.key and found.distinct is None else set()
    grouped = any(model.dimensions[c.per].sql_for(table.name) not in own for c in sub.conditions)
    extra = (
        sub.metrics != (counted,) or sub.dimensions or sub.grain or sub.limit or sub.per
        or sub.order != "auto" or sub.share or sub.growth or sub.cumulative or sub.funnel
        or sub.compare or sub.ignore_rules or grouped
    )  # fmt: skip
    if extra:
        if not strong:
            return None
        raise PlanningError(
            f"I read a list of {table.words[0] if table.words else table.name} rows, and "
            f"also {sub.describe()}; a list cannot be measured or broken down as well.",
            hint="Ask for the rows, or for the measure, in separate questions.",
        )
    from lgda_nb.planner._model import tables_in

    for f in sub.filters:
        for other in tables_in(model.dimensions[f.dimension].sql_for(table.name)):
            if not model.reaches(table.name, other):
                raise PlanningError(
                    f"{table.name} rows cannot be filtered by "
                    f"{model.dimensions[f.dimension].label.lower()}.",
                    hint="Filter by a column of the rows or of what they belong to.",
                )
    if found.distinct is not None and _names_buyers(model, question, table):
        # "Which acquisition channels bring in our customers": the buyers' values, which a
        # list of every person's would not be; the measure reader reads it, or refuses.
        return None
    if found.distinct is not None:
        columns: tuple[str, ...] = (found.distinct,)
        if found.sort is not None:
            raise PlanningError(
                "Distinct values cannot be ranked by a column of the rows.",
                hint="Ask for the rows themselves, ranked, or for the distinct values alone.",
            )
    elif found.columns:
        picked = list(found.columns)
        if found.adding:
            lead = table.title or table.key
            if lead is not None and table.qualified(lead) not in picked:
                picked.insert(0, table.qualified(lead))
            if found.sort is not None and found.sort[0] not in picked:
                picked.append(found.sort[0])
        if (
            table.key is not None
            and table.title is not None
            and table.qualified(table.title) in picked
        ):
            # Rows named by a title that can repeat are told apart by their key, shown first.
            picked.insert(0, table.qualified(table.key))
        columns = tuple(dict.fromkeys(picked))
    else:
        columns = table.default_columns()
        if found.sort is not None and found.sort[0] not in columns:
            columns = (*columns, found.sort[0])
    sort, order = found.sort if found.sort is not None else (None, "auto")
    return replace(
        sub,
        question=question,
        metrics=(),
        rows=table.name,
        columns=columns,
        sort=sort,
        order=order,
        limit=found.limit,
        distinct=found.distinct is not None,
        notes=(*sub.notes, "a list of rows"),
    )
