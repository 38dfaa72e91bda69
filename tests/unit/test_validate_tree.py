"""A compiled query's tree is checked as it is, not parsed again from its text: every
rule of the policy still holds, and it passes or fails exactly as its text would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from lgda_nb import Engine
from lgda_nb.errors import LGDAError
from lgda_nb.security import SecurityPolicy, SecurityValidator
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


def test_a_compiled_question_checks_the_same_as_its_text() -> None:
    """Every question of the dev set that compiles: the tree gives the canonical text and
    the tables that parsing its SQL gives (intervals are built as the parser reads them)."""
    compiled = 0
    with Engine() as engine:
        known = engine.known_tables()
        for line in DEV.read_text(encoding="utf-8").splitlines():
            question = json.loads(line)["question"]
            try:
                sql, tree = engine.compiled(engine.planner.plan(question))
            except LGDAError:
                continue
            if tree is None:
                continue
            compiled += 1
            policy = engine.validator.policy
            text = SecurityValidator(policy).validate(sql, known_tables=known)
            built = SecurityValidator(policy).validate(sql, known_tables=known, tree=tree)
            assert (built.canonical, built.tables) == (text.canonical, text.tables), question
    assert compiled > 350


def test_a_tree_is_not_parsed_again_nor_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    validator = _fresh()
    parsed = _counting_parse(monkeypatch, validator)
    sql = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"
    tree = sqlglot.parse_one(sql, read="bigquery")
    before = tree.sql(dialect="bigquery")
    checked = validator.validate(sql, known_tables=KNOWN, tree=tree)
    assert parsed == []
    assert checked.tree is not tree
    assert tree.sql(dialect="bigquery") == before
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
