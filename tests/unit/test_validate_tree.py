"""A compiled query's tree is checked as it is, not parsed again from its text: every
rule of the policy still holds, and it passes or fails exactly as its text would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from lgda_nb import Engine
from lgda_nb.engine._sql import backend_sql
from lgda_nb.errors import LGDAError
from lgda_nb.security import SecurityPolicy, SecurityValidator, ValidatedSQL
from lgda_nb.security._masking import ScanMasking
from tests.unit.test_security_validator import ATTACKS, BENIGN, KNOWN, TABLES, _counting_parse

DEV = Path(__file__).parents[1] / "eval" / "dev.jsonl"


def _fresh() -> SecurityValidator:
    return SecurityValidator(SecurityPolicy(allowed_tables=TABLES))


def test_every_attack_is_refused_as_a_tree_too() -> None:
    """Each attack of the corpus that parses into one query is refused when it comes as
    a tree (the planner's trees never hold one; this is the defence in depth)."""
    trees = 0
    for _case, sql in ATTACKS:
        try:
            statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
        except sqlglot.errors.SqlglotError:
            continue
        if len(statements) != 1:
            continue
        trees += 1
        with pytest.raises(LGDAError):
            _fresh().validate(sql, known_tables=KNOWN, tree=statements[0])
    assert trees > 250


def test_a_benign_query_checks_the_same_as_a_tree() -> None:
    for _case, sql in BENIGN:
        text = _fresh().validate(sql, known_tables=KNOWN)
        built = _fresh().validate(
            sql, known_tables=KNOWN, tree=sqlglot.parse_one(sql, read="bigquery")
        )
        assert (built.canonical, built.tables) == (text.canonical, text.tables), sql


def _runs(
    checked: ValidatedSQL, policy: SecurityPolicy, masking: ScanMasking | None
) -> tuple[tuple[str, bool], ...]:
    """What each backend would run for ``checked``: DuckDB with the row cap and the scan
    masking, BigQuery with the cap."""
    validator = SecurityValidator(policy)
    return (
        backend_sql(checked, validator, cap=10_000, dialect="duckdb", masking=masking),
        backend_sql(checked, validator, cap=10_000, dialect="bigquery"),
    )


def test_a_compiled_question_checks_and_runs_the_same_as_its_text() -> None:
    """Every question of the dev set that compiles: the tree gives the canonical text, the
    tables and, for each backend, the very SQL that parsing its text gives (the same
    canonical text can stand for trees DuckDB writes differently: NULL order, quoting)."""
    compiled = 0
    with Engine() as engine:
        known = engine.known_tables()
        masking = engine.scan_masking(known)
        policy = engine.validator.policy
        for line in DEV.read_text(encoding="utf-8").splitlines():
            question = json.loads(line)["question"]
            try:
                sql, tree = engine.compiled(engine.planner.plan(question))
            except LGDAError:
                continue
            if tree is None:
                continue
            compiled += 1
            text = SecurityValidator(policy).validate(sql, known_tables=known)
            built = SecurityValidator(policy).validate(sql, known_tables=known, tree=tree)
            assert (built.canonical, built.tables) == (text.canonical, text.tables), question
            assert _runs(built, policy, masking) == _runs(text, policy, masking), question
            assert tree.sql(dialect="bigquery") == sql  # read as parsed, written the same
    assert compiled > 350


@pytest.mark.parametrize(
    ("tree", "duckdb"),
    [
        (  # BigQuery sorts NULLs first, DuckDB last: a bare key must say so
            exp.select("status").from_("orders").order_by(exp.column("status")),
            "SELECT status FROM orders ORDER BY status NULLS FIRST",
        ),
        (  # a name BigQuery reserves is quoted, as its text reads back
            exp.select(exp.column("id", table="current")).from_(
                exp.Table(
                    this=exp.to_identifier("orders"),
                    alias=exp.TableAlias(this=exp.to_identifier("current")),
                )
            ),
            'SELECT "current".id FROM orders AS "current"',
        ),
        (  # IF(c, x) is written IF(c, x, NULL)
            exp.select(
                exp.alias_(
                    exp.If(
                        this=exp.GT(
                            this=exp.column("num_of_item"), expression=exp.Literal.number(1)
                        ),
                        true=exp.column("status"),
                    ),
                    "s",
                )
            ).from_("orders"),
            "SELECT CASE WHEN num_of_item > 1 THEN status ELSE NULL END AS s FROM orders",
        ),
    ],
    ids=["null-order", "reserved-name", "if-without-else"],
)
def test_a_built_tree_runs_as_its_text_would(tree: exp.Query, duckdb: str) -> None:
    sql = tree.sql(dialect="bigquery")
    policy = SecurityPolicy(allowed_tables=TABLES)
    text = SecurityValidator(policy).validate(sql, known_tables=KNOWN)
    built = SecurityValidator(policy).validate(sql, known_tables=KNOWN, tree=tree)
    assert _runs(built, policy, None) == _runs(text, policy, None)
    assert _runs(built, policy, None)[0] == (f"{duckdb} LIMIT 10001", True)


def test_a_tree_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    validator = _fresh()
    parsed = _counting_parse(monkeypatch, validator)
    sql = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"
    tree = sqlglot.parse_one(sql, read="bigquery")
    before = tree.sql(dialect="bigquery")
    checked = validator.validate(sql, known_tables=KNOWN, tree=tree)
    assert parsed == []
    assert checked.tree is tree  # kept as the checked query
    assert tree.sql(dialect="bigquery") == before  # the checks read it, change nothing
    assert validator.validate(sql, known_tables=KNOWN) is checked  # remembered by its text


def test_a_tree_that_is_not_a_query_is_refused() -> None:
    insert = exp.insert("SELECT 1", "orders")
    with pytest.raises(LGDAError, match="only queries can run"):
        _fresh().validate("INSERT INTO orders SELECT 1", tree=insert)  # type: ignore[arg-type]


def test_look_alike_letters_in_a_tree_are_refused() -> None:
    """The text rules run on the canonical text of a tree: a Cyrillic a (U+0430) in a name, as
    its text would be."""
    name = exp.Identifier(this="n\u0430me", quoted=False)
    tree = exp.select(exp.alias_(exp.column("id"), name)).from_("orders")
    with pytest.raises(LGDAError, match="plain text rule"):
        _fresh().validate("SELECT id AS name FROM orders", known_tables=KNOWN, tree=tree)
