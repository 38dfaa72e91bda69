"""SQL the project did not write: every BigQuery and identity statement of sqlglot's own test
suite (tests/fixtures/security/sqlglot_corpus.sql) either passes the policy or is refused in
words. None may crash it: no InternalError, RecursionError or other raw exception, in the
validator or in generating a backend's SQL from what passed."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from lgda_nb.engine._sql import backend_sql
from lgda_nb.errors import InternalError, LGDAError
from lgda_nb.security import SecurityPolicy, SecurityValidator

CORPUS = Path(__file__).parents[1] / "fixtures" / "security" / "sqlglot_corpus.sql"
THELOOK = frozenset(
    {"orders", "order_items", "products", "users", "inventory_items", "distribution_centers",
     "events"}
)  # fmt: skip


def _statements() -> list[tuple[str, str]]:
    """(where it came from, SQL) for each statement; the header ends at the first separator."""
    chunks = re.split(r"^-- ----\s*$", CORPUS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    statements = []
    for chunk in chunks[1:]:
        origin, _, sql = chunk.strip("\n").partition("\n")
        statements.append((origin.removeprefix("-- from: "), sql))
    return statements


STATEMENTS = _statements()


def _table_names() -> frozenset[str]:
    """Every table name the corpus reads, so a second policy lets most statements reach the
    function and shape rules instead of stopping at an unknown table."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    names = set(THELOOK)
    for _, sql in STATEMENTS:
        try:
            tree = sqlglot.parse_one(sql, read="bigquery")
        except SqlglotError:
            continue
        names.update(t.name.lower() for t in tree.find_all(exp.Table) if t.name)
    return frozenset(names)


@pytest.fixture(scope="module", params=["thelook", "corpus tables"])
def validator(request: pytest.FixtureRequest) -> SecurityValidator:
    """The default policy over the thelook tables, and one allowing the corpus's own tables."""
    tables = THELOOK if request.param == "thelook" else _table_names()
    return SecurityValidator(SecurityPolicy(allowed_tables=tables))


def _outcome(validator: SecurityValidator, sql: str) -> str:
    """'allowed' or the refusal's class; a crash raises."""
    try:
        checked = validator.validate(sql)
    except InternalError:
        raise
    except LGDAError as exc:
        return type(exc).__name__
    for dialect in ("duckdb", "bigquery"):
        try:
            backend_sql(checked, validator, cap=10_000, dialect=dialect)
        except InternalError:
            raise
        except LGDAError:
            pass  # a round-trip refusal, or a feature the sample lacks: both in words
    return "allowed"


def test_corpus_is_the_extracted_sqlglot_suite() -> None:
    """The fixture holds the statements it says it holds, with their source and license."""
    header = CORPUS.read_text(encoding="utf-8").split("\n-- ----\n", 1)[0]
    assert "sqlglot" in header
    assert "MIT" in header
    assert len(STATEMENTS) >= 1_600
    assert all(
        origin.startswith(("identity.sql:", "test_bigquery.py:")) for origin, _ in STATEMENTS
    )


@pytest.mark.parametrize(("origin", "sql"), STATEMENTS, ids=[o for o, _ in STATEMENTS])
def test_no_statement_crashes_the_policy(
    validator: SecurityValidator, origin: str, sql: str
) -> None:
    """Each statement passes, or is refused with an error of the documented tree."""
    assert _outcome(validator, sql)


def test_outcomes_are_mostly_refusals_under_the_thelook_policy() -> None:
    """Under the default policy most of the corpus is refused (foreign tables, writes,
    scripts), yet hundreds of plain queries pass: the policy is an allowlist, not a wall."""
    validator = SecurityValidator(SecurityPolicy(allowed_tables=THELOOK))
    counts = Counter(_outcome(validator, sql) for _, sql in STATEMENTS)
    assert counts["allowed"] > 300
    assert counts["SecurityError"] > 600
    assert set(counts) <= {
        "allowed", "SecurityError", "SQLSyntaxError", "UnknownTableError", "UsageError"
    }  # fmt: skip


def test_one_walk_finds_what_each_rule_searched_for() -> None:
    """The validator's single walk lists each kind of node in ``find_all``'s order and
    counts the subquery depth, on every statement of the corpus that parses."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    from lgda_nb.security._validator import _collect

    def depth(node: exp.Expr) -> int:
        below = [
            depth(c) + isinstance(c, exp.Subquery | exp.Select) for c in node.iter_expressions()
        ]
        return max(below, default=0)

    compared = 0
    for _, sql in STATEMENTS:
        try:
            tree = sqlglot.parse_one(sql, read="bigquery")
        except (SqlglotError, RecursionError):
            continue
        if tree is None:
            continue
        found = _collect(tree)
        for listed, kind in (
            (found.tables, exp.Table), (found.columns, exp.Column), (found.funcs, exp.Func),
            (found.dots, exp.Dot), (found.ctes, exp.CTE),
        ):  # fmt: skip
            assert [id(n) for n in listed] == [id(n) for n in tree.find_all(kind)]
        assert found.joins == sum(1 for _ in tree.find_all(exp.Join))
        assert found.depth == depth(tree) + 1
        compared += 1
    assert compared > 1000


def test_canonical_text_is_what_sqlglot_generates() -> None:
    """The canonical text, which skips BigQuery's SELECT rewrites where none applies, is
    sqlglot's own BigQuery text for every statement of the corpus that parses."""
    from lgda_nb.security._validator import _canonical_sql, _collect

    validator = SecurityValidator(SecurityPolicy(allowed_tables=THELOOK))
    compared = 0
    for _, sql in STATEMENTS:
        try:
            tree = validator.parse(sql)
        except (LGDAError, RecursionError):
            continue
        assert _canonical_sql(tree, _collect(tree)) == tree.sql(dialect="bigquery"), sql
        compared += 1
    assert compared > 900


def test_checking_parser_reads_what_sqlglot_reads() -> None:
    """The validator's parser, which skips BigQuery's implicit-UNNEST pass where it would
    change nothing, gives sqlglot's own tree for every statement of this corpus and of the
    project's corpora (comma joins of an array column are rewritten as before)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import SqlglotError

    from lgda_nb.security._validator import _checking_parser_class

    checking = _checking_parser_class()
    if checking is None:
        pytest.skip("this sqlglot's parser cannot be subclassed (compiled)")
    dialect = Dialect.get_or_raise("bigquery")
    fixtures = CORPUS.parent
    texts = [sql for _, sql in STATEMENTS] + [
        chunk
        for name in ("allow.sql", "deny.sql")
        for chunk in re.split(r"^-- ----\s*$", (fixtures / name).read_text(), flags=re.MULTILINE)
    ]
    texts.append("SELECT o.id, item FROM orders AS o, o.items AS item")
    compared = 0
    for sql in texts:
        try:
            expected = dialect.parser().parse(dialect.tokenize(sql), sql)
        except (SqlglotError, RecursionError):
            continue
        got = checking(dialect=dialect).parse(dialect.tokenize(sql), sql)
        assert [e.sql("bigquery") if e else None for e in got] == [
            e.sql("bigquery") if e else None for e in expected
        ], sql
        assert got == expected, sql
        compared += 1
    assert compared > 1200
    unnested = checking(dialect=dialect).parse(dialect.tokenize(texts[-1]), texts[-1])[0]
    assert unnested is not None
    assert unnested.find(exp.Unnest) is not None
    assert sqlglot.parse_one(texts[-1], read="bigquery") == unnested
