"""`lgda model init` writes a model file that loads into the inferred model, every entry
marked as a guess; `lgda model check` lists what is wrong with one, by line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.cli import main
from lgda_nb.planner import load_model
from lgda_nb.planner._model_file import Problem, check_model, init_model

TABLES = "customers,sales,regions,notes"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """Customers, their sales, a region list that misses one region, and free-text notes.

    sales.customer_id values are all customers; sales.region_id has one value that
    regions lacks, so its join is refused. notes.body has more values than the
    index keeps.
    """
    import duckdb

    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE customers (id BIGINT, name VARCHAR, segment VARCHAR, email VARCHAR, "
            "created_at TIMESTAMP)"
        )
        con.execute(
            "INSERT INTO customers SELECT i, 'Customer ' || (i % 40), "
            "['Consumer', 'Corporate'][1 + i % 2], 'c' || i || '@example.com', "
            "TIMESTAMP '2024-01-01' + INTERVAL (i) DAY FROM range(1, 201) t(i)"
        )
        con.execute("CREATE TABLE regions (id BIGINT, label VARCHAR)")
        con.execute("INSERT INTO regions VALUES (1, 'North'), (2, 'South')")
        con.execute(
            "CREATE TABLE sales (id BIGINT, customer_id BIGINT, region_id BIGINT, "
            "amount DOUBLE, sold_at TIMESTAMP)"
        )
        con.execute(
            "INSERT INTO sales SELECT i, 1 + i % 200, 1 + i % 3, (i % 17) * 2.5, "
            "TIMESTAMP '2024-02-01' + INTERVAL (i) HOUR FROM range(1, 1001) t(i)"
        )
        con.execute("CREATE TABLE notes (id BIGINT, body VARCHAR)")
        con.execute("INSERT INTO notes SELECT i, 'note ' || i FROM range(1, 2502) t(i)")
    return path


@pytest.fixture
def engine(shop: Path) -> Iterator[Engine]:
    """An engine on the shop, all four tables allowed."""
    with Engine(load_config(**{"duckdb.database": str(shop),
                               "security.allowed_tables": TABLES})) as eng:  # fmt: skip
        yield eng


@pytest.fixture
def written(engine: Engine, tmp_path: Path) -> tuple[Path, object]:
    """The model file init writes for the shop, and the inference it wrote."""
    text, found = init_model(engine)
    path = tmp_path / "shop.toml"
    path.write_text(text)
    return path, found


def test_init_round_trips(written: tuple[Path, object]) -> None:
    """The file loads into exactly the model that was inferred."""
    path, found = written
    assert load_model(path) == found.model  # type: ignore[attr-defined]


def test_every_entry_is_marked_as_a_guess(written: tuple[Path, object]) -> None:
    """Each [[metrics]] and [[dimensions]] entry, and each join, has a '# guessed:' line."""
    lines = written[0].read_text().splitlines()
    for i, line in enumerate(lines):
        if line in {"[[metrics]]", "[[dimensions]]"}:
            assert lines[i + 1].startswith("# guessed: "), lines[i : i + 3]
        if line.startswith('  ["'):
            assert lines[i - 1].startswith("  # guessed: "), line


def test_joins_are_checked_by_containment(written: tuple[Path, object]) -> None:
    """A join whose values are all in a unique key is kept; one with a missing value is
    written as a comment saying how many values are missing."""
    path, found = written
    model = found.model  # type: ignore[attr-defined]
    assert [(j.left, j.left_column, j.right) for j in model.joins] == [
        ("sales", "customer_id", "customers")
    ]
    text = path.read_text()
    assert '#   ["sales", "region_id", "regions", "id"],' in text
    assert "333 of its 1,000 values are not in regions.id" in text


def test_entities_keys_time_and_measures(written: tuple[Path, object]) -> None:
    """Row counts count an entity with a key dimension; sums and averages of numbers;
    each table's measures dated by its date column."""
    model = written[1].model  # type: ignore[attr-defined]
    assert model.metrics["sales"].entity == "sale_id"
    customer = model.dimensions["customer_id"]
    assert customer.column == "customers.id"
    assert dict(customer.columns) == {"sales": "sales.customer_id"}
    assert model.metrics["customers"].entity == "customer_id"
    assert model.metrics["total_amount"].expression == "SUM(sales.amount)"
    assert model.metrics["average_amount"].expression == "AVG(sales.amount)"
    assert model.metrics["total_amount"].time == "sales.sold_at"
    assert model.metrics["customers"].time == "customers.created_at"


def test_dimensions_index_few_values_and_no_personal_data(written: tuple[Path, object]) -> None:
    """Segment (2 values) is indexed; names (40 values, repeating) are told apart by id;
    the email column and the 2,501 notes are not indexed."""
    path, found = written
    model = found.model  # type: ignore[attr-defined]
    assert model.dimensions["segment"].values
    assert model.dimensions["body"].values is False
    assert model.dimensions["email"].values is False
    assert model.dimensions["name"].key == "customers.id"
    text = path.read_text()
    assert '#   pii_policy = { "customers.email" = "mask" }' in text
    assert "# guessed: customers.email holds email addresses" in text


def test_init_on_the_thelook_sample_round_trips(tmp_path: Path) -> None:
    """On the thelook sample: loads into the inferred model, and checks clean."""
    with Engine() as engine:
        text, found = init_model(engine)
        path = tmp_path / "thelook_generated.toml"
        path.write_text(text)
        assert load_model(path) == found.model
        assert check_model(path, engine) == []
    assert len(found.model.joins) == 8


def test_a_written_file_checks_clean(written: tuple[Path, object], engine: Engine) -> None:
    """What init writes has no problems."""
    assert check_model(written[0], engine) == []


def _broken(path: Path, before: str, after: str) -> Path:
    text = path.read_text()
    assert before in text
    broken = path.with_name("broken.toml")
    broken.write_text(text.replace(before, after, 1))
    return broken


def _changed(path: Path, before: str) -> int:
    """The line of the first ``before`` in ``path``: where ``_broken`` changed it."""
    return path.read_text()[: path.read_text().index(before)].count("\n") + 1


def _line(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ('column = "customers.segment"', 'column = "customers.segmnt"',
         "customers has no column segmnt"),
        ('expression = "SUM(sales.amount)"', 'expression = "SUM(salez.amount)"',
         "no table salez"),
        ('expression = "SUM(sales.amount)"', 'expression = "SUM(sales.amount"',
         "does not parse"),
        ('expression = "SUM(sales.amount)"', 'expression = "SUM(sales.amount) / NO_SUCH_FN(1)"',
         "does not run"),
        ('table = "sales"', 'table = "sales_archive"', "names table 'sales_archive'"),
        ('name = "segment"', 'name = "total_amount"', "has the name of the metric"),
        ('name = "segment"', 'name = "month"', "the compiler uses itself"),
        ('synonyms = ["segment"', 'synonyms = ["region", "segment"', "both answer to 'region'"),
    ],
)  # fmt: skip
def test_check_names_the_line(
    written: tuple[Path, object], engine: Engine, before: str, after: str, message: str
) -> None:
    """Each kind of mistake is reported on the line it was made."""
    line = _changed(written[0], before)
    broken = _broken(written[0], before, after)
    problems = check_model(broken, engine)
    matching = [p for p in problems if message in p.message]
    assert matching, problems
    assert line in {p.line for p in matching} | {
        int(n) for p in matching for n in re.findall(r"line (\d+)", p.message)
    }, matching


def test_check_finds_uncontained_joins_and_too_many_values(
    written: tuple[Path, object], engine: Engine
) -> None:
    """A join with values its target lacks, and values = true on a column of 2,501 values."""
    path = written[0]
    text = path.read_text()
    text = text.replace('#   ["sales", "region_id", "regions", "id"],', "")
    text = text.replace("joins = [", 'joins = [\n  ["sales", "region_id", "regions", "id"],')
    body = text.index('name = "body"')
    text = text[:body] + text[body:].replace("values = false", "values = true", 1)
    broken = path.with_name("broken.toml")
    broken.write_text(text)
    problems = check_model(broken, engine)
    assert (
        Problem(
            _line(broken, '["sales", "region_id"'),
            "join ['sales', 'region_id', 'regions', 'id']: 333 of 1,000 values of "
            "sales.region_id are not in regions.id",
        )
        in problems
    )
    assert any(
        "2,501 distinct values; the index keeps at most 2,000" in p.message for p in problems
    ), problems


def test_check_reports_toml_errors_by_line(tmp_path: Path, engine: Engine) -> None:
    """A file that is not TOML: one problem, on the line the parser stopped."""
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n\n[[metrics]\nname = "y"\n')
    (problem,) = check_model(path, engine)
    assert problem.line == 3
    assert "not valid TOML" in problem.message


def test_cli_exit_status(
    written: tuple[Path, object], shop: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    """model check: 0 clean, 1 with problems (each FILE:LINE: message), 2 for a missing file;
    model init: writes --out, refuses to overwrite it without --force (2)."""
    monkeypatch.setenv("LGDA_DUCKDB__DATABASE", str(shop))
    monkeypatch.setenv("LGDA_SECURITY__ALLOWED_TABLES", '["customers","sales","regions","notes"]')
    path = written[0]
    assert main(["model", "check", str(path)]) == 0
    broken = _broken(path, 'column = "customers.segment"', 'column = "customers.segmnt"')
    capsys.readouterr()
    assert main(["model", "check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}:{_line(broken, 'segmnt')}: dimension 'segment' names" in out
    assert main(["model", "check", str(tmp_path / "missing.toml")]) == 2
    out_file = tmp_path / "init.toml"
    assert main(["model", "init", "--out", str(out_file)]) == 0
    assert "Wrote" in capsys.readouterr().err
    assert tomllib.loads(out_file.read_text())["name"] == "shop"
    assert main(["model", "init", "--out", str(out_file)]) == 2
    assert main(["model", "init", "--out", str(out_file), "--force"]) == 0
    capsys.readouterr()
    assert main(["model", "init"]) == 0
    assert capsys.readouterr().out == out_file.read_text()


def test_init_without_allowed_tables_says_which_to_allow(shop: Path) -> None:
    """No allowed table in the data: a ConfigError naming the setting and the tables."""
    from lgda_nb.errors import ConfigError

    with (
        Engine(load_config(**{"duckdb.database": str(shop)})) as engine,
        pytest.raises(ConfigError) as caught,
    ):
        init_model(engine)
    assert "LGDA_SECURITY__ALLOWED_TABLES" in (caught.value.hint or "")
    assert "sales" in (caught.value.hint or "")


def test_a_key_swallowed_by_a_section_is_reported(
    written: tuple[Path, object], engine: Engine
) -> None:
    """joins written after [filters] become a filter: check says so, on that line."""
    path = written[0]
    text = path.read_text().replace(
        'name = "shop"\n', 'name = "shop"\n\n[filters]\nbig = "sales.amount > 10"\n', 1
    )
    broken = path.with_name("swallowed.toml")
    broken.write_text(text)
    problems = check_model(broken, engine)
    joins_line = _line(broken, "joins = [")
    assert any(p.line == joins_line and "belongs to it" in p.message for p in problems), problems


def test_the_built_in_model_checks_clean() -> None:
    """The shipped thelook model passes its own check (one synonym per measure...)."""
    from lgda_nb.planner import BUILTIN_MODEL

    with Engine() as engine:
        assert check_model(BUILTIN_MODEL, engine) == []


def test_reaches_agrees_with_join_path_for_every_pair_of_tables() -> None:
    from lgda_nb.errors import PlanningError
    from lgda_nb.planner import load_model

    model = load_model()
    tables = sorted(model.tables())
    for start in tables:
        for goal in tables:
            try:
                model.join_path(start, goal)
                joined = True
            except PlanningError:
                joined = False
            assert model.reaches(start, goal) is joined, (start, goal)
    assert model.reaches("order_items", "users")
    assert not model.reaches("users", "orders")


def test_ruled_names_the_dimensions_a_measure_has_a_rule_on() -> None:
    from lgda_nb.planner import load_model

    model = load_model()
    assert model.ruled("status")  # revenue's rule: not Cancelled or Returned
    assert not model.ruled("brand")
