"""``lgda``: the engine from a terminal.

Exit codes: 0 success, 2 a user-facing error (message and hint on stderr),
1 an unexpected failure or, for ``lgda model check``, problems found, 141
(128 + SIGPIPE) when the reader of the output went away (``lgda config | head -1``),
quietly, as other Unix tools do. Characters the terminal's encoding cannot show are
written as backslash escapes rather than failing after a query has run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lgda_nb import __version__
from lgda_nb.errors import InternalError, LGDAError

if TYPE_CHECKING:
    from lgda_nb._config import UnifiedConfig

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug, not something the user did
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lgda",
        description="Ask business questions of a warehouse; runs offline on a thelook sample.",
    )
    parser.add_argument("--version", action="version", version=f"lgda-nb {__version__}")
    parser.add_argument("--debug", action="store_true", help="Show tracebacks with errors.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sql = commands.add_parser("sql", help="Run BigQuery SQL through the engine's checks.")
    sql.add_argument("query", help="The SQL text, or - to read it from standard input.")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--limit", type=int, metavar="N", help="Return at most N rows.")

    ask = commands.add_parser("ask", help="Answer a plain-English question.")
    ask.add_argument("question", help="The question, or - to read it from standard input.")
    ask.add_argument("--format", choices=["table", "csv", "json"], default="table")
    ask.add_argument("--limit", type=int, metavar="N", help="Return at most N rows.")
    ask.add_argument("--explain", action="store_true", help="Show plan and SQL; run nothing.")

    evaluate = commands.add_parser("eval", help="Measure answer accuracy on a question set.")
    evaluate.add_argument("file", type=Path, help="JSON lines: id, question, gold_sql, ...")
    evaluate.add_argument("--json", action="store_true", help="Print the report as JSON.")
    evaluate.add_argument(
        "--provider",
        action="append",
        choices=["offline", "gemini", "openai", "anthropic"],
        help="Plan with this provider alone (no fallback); repeat to compare providers. "
        "Default: the configured planner with its fallback.",
    )

    sample = commands.add_parser("sample", help="Build a sample database (thelook or saas).")
    sample.add_argument(
        "--dataset",
        choices=["thelook", "saas"],
        default="thelook",
        help="thelook (e-commerce, the default data) or saas (subscriptions, no model).",
    )
    sample.add_argument("--scale", type=float, help="1.0 is the public dataset's size.")
    sample.add_argument("--seed", type=int, help="Generator seed.")
    sample.add_argument("--path", type=Path, help="Where to write the DuckDB file.")
    sample.add_argument("--force", action="store_true", help="Rebuild even if the file exists.")
    sample.add_argument(
        "--to-bigquery",
        metavar="PROJECT.DATASET",
        help="Also load the sample into this BigQuery dataset (uses the bigquery settings).",
    )

    model = commands.add_parser("model", help="Write or check a semantic model file.")
    model_commands = model.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    init = model_commands.add_parser(
        "init", help="Write a model file from the schema and data of the allowed tables."
    )
    init.add_argument("--out", type=Path, help="Write here instead of standard output.")
    init.add_argument("--name", help="The model's name (default: from the database).")
    init.add_argument("--force", action="store_true", help="Overwrite --out if it exists.")
    check = model_commands.add_parser(
        "check", help="List problems of a model file against the data (exit 1 if any)."
    )
    check.add_argument("file", type=Path, help="The model file (TOML).")

    connect = commands.add_parser(
        "connect", help="Check Parquet, CSV or JSON-lines files as tables, and say how to use them."
    )
    connect.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="A file, folder or quoted glob (one table per file, named from its stem), "
        "or name=PATH.",
    )

    config = commands.add_parser("config", help="Show the effective configuration.")
    config.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    return parser


def _text_argument(value: str, kind: str, what: str) -> str:
    """The question or SQL from the command line, or ``-`` for standard input, as text.

    Bytes that are not UTF-8 (``$'revenue \\xff'``) are refused here, with exit 2 and an
    audit record like any refused question, instead of travelling on as surrogates.
    """
    from lgda_nb.errors import UsageError

    if value == "-":
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            shown = data.decode("utf-8", "backslashreplace")
            where = f"byte {data[exc.start]:#04x} at offset {exc.start}"
    else:
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError as exc:  # argv decodes undecodable bytes to surrogates
            try:
                shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:  # a lone surrogate that was never a byte
                shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
            where = f"character {exc.start + 1}"
    error = UsageError(
        f"{what} is not valid UTF-8 text ({where}): {shown}",
        hint="Type it again in a UTF-8 terminal, or pass it on standard input (`-`) as UTF-8.",
    )
    _audit_refusal(kind, shown, error)
    raise error


def _audit_refusal(kind: str, text: str, error: LGDAError) -> None:
    """Record a question or query refused before it reached the engine (which audits the rest)."""
    from lgda_nb._config import get_config
    from lgda_nb.security import AuditLog, audit_path, current_user

    config = get_config()
    record: dict[str, object] = {
        "user": current_user(config.security.audit_user, locked=config.security.locked),
        "kind": kind,
        "question": text if kind == "ask" else None,
        "sql": text if kind == "sql" else None,
        "sql_hash": None,
        "tables": [],
        "backend": config.backend,
        "outcome": error.code,
        "error": error.message,
        "stage": "cli",
        "rule": None,
        "rows": None,
        "bytes": None,
        "pii_masked": [],
        "cached": False,
        "duration_ms": 0.0,
        "correlation_id": None,
    }
    try:
        AuditLog(audit_path(config.security.audit_file)).append(record)
    except OSError as exc:
        sys.stderr.write(f"Could not write the audit record: {exc}\n")


def _cmd_sql(args: argparse.Namespace) -> int:
    from lgda_nb.engine import Engine
    from lgda_nb.errors import UsageError

    text = _text_argument(args.query, "sql", "The SQL")
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit needs a positive number of rows, not {args.limit}.")
    with Engine() as engine:
        result = engine.run_sql(text, limit=args.limit)
    df = result.df
    if args.format == "csv":
        sys.stdout.write(df.to_csv(index=False))
    elif args.format == "json":
        sys.stdout.write(df.to_json(orient="records", date_format="iso") + "\n")
    else:
        sys.stdout.write(df.to_string(index=False) + "\n")
        sys.stderr.write(result.summary + f" {result.elapsed:.3f} s on {result.backend}.\n")
    return 0


def _cmd_ask(args: argparse.Namespace) -> int:
    from lgda_nb.engine import Engine
    from lgda_nb.errors import UsageError

    question = _text_argument(args.question, "ask", "The question")
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit needs a positive number of rows, not {args.limit}.")
    with Engine() as engine:
        if args.explain:
            plan, sql = engine.explain(question)
            if args.format == "json":
                print(json.dumps({"question": question, "interpretation": plan.interpretation,
                                  "plan": plan.to_dict(), "sql": sql}))  # fmt: skip
            else:
                print(f"Understood: {plan.interpretation} (confidence {plan.confidence:.2f})")
                print(sql)
            return 0
        result = engine.ask(question, limit=args.limit)
    df = result.df
    if args.format == "json":
        payload = {
            "question": result.question,
            "interpretation": result.interpretation,
            "sql": result.sql,
            "columns": [str(c) for c in df.columns],
            "rows": json.loads(df.to_json(orient="values", date_format="iso")),
            "summary": result.summary,
            "timings": result.timings,
            "plan": result.plan.to_dict() if result.plan is not None else None,
        }
        print(json.dumps(payload))
    elif args.format == "csv":
        sys.stdout.write(df.to_csv(index=False))
    else:
        understood = f"Understood: {result.interpretation}\n\n" if result.interpretation else ""
        sys.stdout.write(understood + df.to_string(index=False) + "\n\n" + result.summary + "\n")
        sys.stderr.write(f"{result.elapsed:.3f} s on {result.backend}.\n")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from lgda_nb.engine import Engine
    from lgda_nb.errors import UsageError
    from lgda_nb.eval import load_cases, run_eval

    if not args.file.is_file():
        raise UsageError(
            f"{str(args.file)!r} does not exist.",
            hint="Pass a JSON-lines file such as tests/eval/dev.jsonl.",
        )
    cases = load_cases(args.file)
    if not args.provider:
        with Engine() as engine:
            reports = {"configured": run_eval(engine, cases)}
    else:
        from lgda_nb._config import load_config

        reports = {}
        configs = {
            name: load_config(**{"llm.provider": name, "llm.fallback": []})
            for name in dict.fromkeys(args.provider)
        }
        for name, config in configs.items():
            if name != "offline":
                from lgda_nb.llm import create_provider

                create_provider(name, config.llm)  # no SDK or key: say so now, exit 2
        for name, config in configs.items():
            with Engine(config) as engine:
                reports[name] = run_eval(engine, cases)
    if args.json:
        payload = {name: report.to_dict() for name, report in reports.items()}
        print(json.dumps(payload if args.provider else payload["configured"], indent=2,
                         default=str))  # fmt: skip
        return 0
    for name, report in reports.items():
        if args.provider:
            print(f"== {name}")
        print(report.to_text())
    if len(reports) > 1:
        print("\nAccuracy and precision per provider:")
        for name, report in reports.items():
            print(
                f"  {name:<10} {report.correct:>4}/{report.total:<4} {report.accuracy:6.1%}  "
                f"precision {report.correct}/{report.answered} {report.precision:6.1%}"
            )
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from lgda_nb._config import get_config, set_config
    from lgda_nb.backends._duckdb import default_sample_path
    from lgda_nb.errors import UsageError
    from lgda_nb.sample import build_sample

    changes = {}
    if args.scale is not None:
        changes["duckdb.sample_scale"] = args.scale
    if args.seed is not None:
        changes["duckdb.sample_seed"] = args.seed
    config = set_config(**changes) if changes else get_config()
    if args.dataset == "saas":
        if args.to_bigquery:
            raise UsageError(
                "--to-bigquery loads the thelook sample only.",
                hint="Drop --to-bigquery, or build with --dataset thelook.",
            )
        return _sample_saas(args, config)
    built = _build(build_sample, args.path or default_sample_path(config), args, config, "")
    print(built)
    if args.to_bigquery:
        from lgda_nb.backends._bigquery import BigQueryBackend, map_bigquery_errors
        from lgda_nb.sample._bigquery import load_to_bigquery

        backend = BigQueryBackend(config)
        with map_bigquery_errors():
            loaded = load_to_bigquery(built, args.to_bigquery, backend.client)
        backend.close()
        for table, rows in loaded.items():
            print(f"{args.to_bigquery}.{table}: {rows:,} rows")
    return 0


def _build(
    builder: Callable[..., Path],
    path: Path,
    args: argparse.Namespace,
    config: UnifiedConfig,
    which: str,
) -> Path:
    """Build a sample with ``builder`` at the configured scale and seed, or say why not."""
    from lgda_nb.errors import SampleDataError

    try:
        built: Path = builder(
            path,
            scale=config.duckdb.sample_scale,
            seed=config.duckdb.sample_seed,
            overwrite=args.force,
        )
    except (OSError, ValueError) as exc:
        raise SampleDataError(
            f"Could not build the {which}sample at {str(path)!r}: {exc}",
            hint="Choose a writable --path and a --scale between 0 and 10.",
        ) from exc
    return built


def _sample_saas(args: argparse.Namespace, config: UnifiedConfig) -> int:
    """Build the SaaS sample and say how to point the toolkit at it."""
    from lgda_nb.sample import SAAS_TABLES, build_saas_sample, saas_sample_path

    built = _build(build_saas_sample, args.path or saas_sample_path(config), args, config, "saas ")
    print(built)
    sys.stderr.write(
        "Ask questions of it with:\n"
        f"  export LGDA_DUCKDB__DATABASE={built}\n"
        f"  export LGDA_SECURITY__ALLOWED_TABLES='{json.dumps(list(SAAS_TABLES))}'\n"
        "and write a model file for it with `lgda model init --out saas.toml`.\n"
    )
    return 0


def _cmd_model(args: argparse.Namespace) -> int:
    """``model init`` writes a model file; ``model check`` exits 1 when it finds problems."""
    from lgda_nb.engine import Engine
    from lgda_nb.errors import UsageError
    from lgda_nb.planner._model_file import check_model, init_model

    if args.model_command == "check":
        if not args.file.is_file():
            raise UsageError(
                f"{str(args.file)!r} does not exist.",
                hint="Pass a model file, such as one `lgda model init --out model.toml` wrote.",
            )
        with Engine() as engine:
            problems = check_model(args.file, engine)
        for problem in problems:
            print(problem.format(str(args.file)))
        if problems:
            sys.stderr.write(f"{len(problems)} problem{'s' * (len(problems) != 1)} found.\n")
            return 1
        sys.stderr.write(f"{args.file}: no problems found.\n")
        return 0
    if args.out is not None and args.out.exists() and not args.force:
        raise UsageError(
            f"{str(args.out)!r} exists already.",
            hint="Pass --force to overwrite it, or another --out.",
        )
    with Engine() as engine:
        text, found = init_model(engine, name=args.name)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    args.out.write_text(text, encoding="utf-8")
    model = found.model
    refused = f" ({len(found.refused)} left out)" if found.refused else ""
    sys.stderr.write(
        f"Wrote {args.out}: {len(found.tables)} tables, {len(model.metrics)} metrics, "
        f"{len(model.dimensions)} dimensions, {len(model.joins)} joins{refused}, "
        f"{len(found.pii)} columns of personal data.\n"
        f"Edit it, check it with `lgda model check {args.out}`, and use it with "
        f"LGDA_PLANNER__MODEL_FILE={args.out}\n"
    )
    return 0


def _cmd_connect(args: argparse.Namespace) -> int:
    """Read the files as an engine would, show the tables they make, and print the setting
    that connects them to every later ``lgda`` command (a process connects nothing for
    the next one)."""
    from lgda_nb.engine import Engine
    from lgda_nb.jupyter._display import Table

    paths: list[str] = []
    named: dict[str, str] = {}
    specs: list[str] = []
    for spec in args.paths:
        name, sep, path = spec.partition("=")
        if sep and name.isidentifier():
            named[name] = path
            specs.append(f"{name}={_absolute(path)}")
        else:
            paths.append(spec)
            specs.append(_absolute(spec))
    with Engine() as engine:
        made = engine.connect(*paths, **named)
    print(repr(Table(["table", "source", "rows", "columns"], [list(r.values()) for r in made])))
    sys.stderr.write(
        "Ask questions of them with:\n"
        f"  export LGDA_DUCKDB__FILES='{json.dumps(specs)}'\n"
        "and write a model file for them with `lgda model init --out model.toml`.\n"
    )
    return 0


def _absolute(path: str) -> str:
    return str(Path(path).expanduser().absolute())


def _cmd_config(args: argparse.Namespace) -> int:
    from lgda_nb._config import describe_config
    from lgda_nb.jupyter._display import Table

    rows = describe_config()
    if args.json:
        payload = {
            key: {"value": value, "source": source, "env": env} for key, value, source, env in rows
        }
        print(json.dumps(payload, indent=2))
    else:
        print(repr(Table(["setting", "value", "source", "environment variable"], rows)))
    return 0


_COMMANDS = {
    "ask": _cmd_ask,
    "config": _cmd_config,
    "connect": _cmd_connect,
    "eval": _cmd_eval,
    "model": _cmd_model,
    "sample": _cmd_sample,
    "sql": _cmd_sql,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lgda`` command line; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        # An answer the terminal cannot encode is still shown, escaped, never a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):
            reconfigure(errors="backslashreplace")
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
    except BrokenPipeError:
        # The reader went away (`lgda config | head -1`): stop quietly, as Unix tools do.
        # Python would flush stdout again at exit and complain; point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)

    try:
        return _COMMANDS[args.command](args)
    except LGDAError as exc:
        error = exc
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return 130
    except BrokenPipeError:
        raise  # the reader went away: ``main`` ends quietly
    except Exception as exc:  # a bug: one clear message; the traceback with --debug
        error = InternalError.caught(exc, f"the {args.command} command")
    if args.debug:
        import traceback

        traceback.print_exception(error)
    sys.stderr.write(error.as_text() + "\n")
    return EXIT_INTERNAL_ERROR if isinstance(error, InternalError) else EXIT_USER_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
