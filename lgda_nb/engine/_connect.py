"""Connected data: DataFrames and files as read-only tables of the embedded backend.

``Engine.connect``, ``%lgda_connect`` and ``duckdb.files`` add tables that the policy
allows by name, like the database's own. SQL still names tables only, so every path,
file reader and table function stays refused by the validator, as before.

* A **DataFrame** (pandas; polars or Arrow where installed) is registered on the
  backend's DuckDB connection, which reads it as it was when registered. So each call
  takes the frame's fingerprint (columns, types and a hash of every value) and
  registers it again when it changed; the fingerprint is part of the cache key, and a
  changed frame is never answered from the cache.
* **Files** (Parquet, CSV, JSON lines) are read by the toolkit through a DuckDB
  connection of their own whose file access is off except for exactly those files
  (``allowed_paths``, configuration locked), into memory as Arrow. A file that changes
  (inode, size, modification time) is read again on the next call. The query
  connection itself never opens a file.

Everything one ``connect`` names is read and checked before anything is registered, so
a refusal (``DataSourceError``) connects nothing.
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lgda_nb.errors import DataSourceError

__all__ = [
    "FORMATS",
    "ConnectedData",
    "Source",
    "file_sources",
    "frame_source",
    "sources_for",
    "table_name",
]

#: File endings read, and the reader for each (a ``.gz`` or ``.zst`` after them is fine).
FORMATS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json_any",
}
_LABELS = {
    "parquet": "Parquet",
    "csv": "CSV",
    "tsv": "TSV",
    "json": "JSON lines",
    "json_any": "JSON",
}
_READERS = {
    "parquet": "read_parquet(?, union_by_name = true)",
    "csv": "read_csv(?, delim = ?, decimal_separator = ?, header = true, union_by_name = true)",
    "tsv": "read_csv(?, delim = '\t', header = true, union_by_name = true)",
    "json": "read_json(?, format = 'newline_delimited', union_by_name = true)",
    "json_any": "read_json(?, format = 'auto', union_by_name = true)",  # lines or an array
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_GLOB = re.compile(r"[*?\[]")
_volatile = itertools.count()


def table_name(name: str, *, given: bool = True) -> str:
    """``name`` as a table name. A name the user gave must already be one; one taken
    from a file or variable is made one (``sales-2024.csv`` is ``sales_2024``)."""
    from lgda_nb.planner._generic import _RESERVED

    if given:
        if not _NAME.fullmatch(name) or name.lower() in _RESERVED:
            raise DataSourceError(
                f"{name!r} cannot name a table: use letters, digits and underscores, "
                "starting with a letter, and not an SQL keyword.",
                hint="Name it in the call: connect(sales=...) or %lgda_connect sales=PATH.",
            )
        return name
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    if cleaned[:1].isdigit() or cleaned.lower() in _RESERVED:
        cleaned = f"t_{cleaned}"
    if not cleaned:
        raise DataSourceError(
            f"{name!r} gives no usable table name.",
            hint="Name it: %lgda_connect sales=PATH, or connect(sales=PATH).",
        )
    return cleaned[:128]


@dataclass
class Source:
    """One connected table: what it was made from, what DuckDB reads, and its version."""

    name: str
    kind: str  # DataFrame, Parquet, CSV, TSV, JSON lines
    origin: str  # the variable or the path(s), as the user named them
    data: Any  # what is registered: a pandas frame or an Arrow table
    columns: dict[str, str]
    rows: int
    version: str
    frame: Any = None  # the user's DataFrame, fingerprinted each call
    files: tuple[Path, ...] = ()
    signatures: tuple[tuple[int, int, int], ...] = field(default=())

    def refresh(self) -> bool:
        """Re-read a changed frame or file; True when it changed."""
        if self.frame is not None:
            version = _fingerprint(self.frame)
            if version == self.version:
                return False
            fresh = frame_source(self.name, self.frame, origin=self.origin)
        else:
            if _signatures(self.files) == self.signatures:
                return False
            missing = [f for f in self.files if not f.is_file()]
            if missing:
                raise DataSourceError(
                    f"The file {str(missing[0])!r} behind table {self.name!r} is gone.",
                    hint=f"Put it back, or connect the table again from where it is now "
                    f"(%lgda_connect {self.name}=PATH).",
                )
            fresh = _read_source(self.name, self.files, _format_of(self.files[0]), self.origin)
        self.data, self.columns, self.rows = fresh.data, fresh.columns, fresh.rows
        self.version, self.signatures = fresh.version, fresh.signatures
        return True

    def describe(self) -> dict[str, Any]:
        """A row of ``%lgda_connect``'s table."""
        return {
            "table": self.name,
            "source": f"{self.kind} {self.origin}",
            "rows": self.rows,
            "columns": ", ".join(self.columns),
        }


class ConnectedData:
    """The tables connected to one engine, registered on each connection it opens."""

    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()

    def __len__(self) -> int:
        return len(self._sources)

    def names(self) -> list[str]:
        """The connected tables' names, as given."""
        return [source.name for source in self._sources.values()]

    def sources(self) -> list[Source]:
        """The connected tables, in the order they were connected."""
        return list(self._sources.values())

    def add(self, new: list[Source], *, taken: Iterable[str]) -> None:
        """Connect ``new``; a name of the database's own (``taken``) or one given twice
        is refused and nothing changes. A connected name is replaced (a re-run cell)."""
        taken_lower = {name.lower(): name for name in taken}
        seen: dict[str, Source] = {}
        for source in new:
            key = source.name.lower()
            if key in taken_lower:
                raise DataSourceError(
                    f"Table {taken_lower[key]!r} already exists in the database, so "
                    f"{source.kind} {source.origin} cannot be connected under that name.",
                    hint=f"Connect it under another name: %lgda_connect my_{key}=... "
                    f"(or connect(my_{key}=...)).",
                )
            if key in seen:
                raise DataSourceError(
                    f"Two sources would both be table {source.name!r}: "
                    f"{seen[key].origin} and {source.origin}.",
                    hint="Name them apart: %lgda_connect a=PATH b=PATH.",
                )
            seen[key] = source
        with self._lock:
            self._sources.update(seen)

    def remove(self, *names: str) -> None:
        """Disconnect tables; an unknown name is refused and nothing changes."""
        with self._lock:
            unknown = [name for name in names if name.lower() not in self._sources]
            if unknown:
                raise DataSourceError(
                    f"No connected table is named {unknown[0]!r}.",
                    hint=f"Connected: {', '.join(self.names()) or '(none)'}.",
                )
            for name in names:
                del self._sources[name.lower()]

    def register(self, con: Any, *, dropped: Iterable[str] = ()) -> None:
        """Register every connected table on ``con`` (a DuckDB connection)."""
        for name in dropped:
            con.unregister(name)
        for source in self.sources():
            con.register(source.name, source.data)

    def refresh(self) -> bool:
        """Re-read what changed since the last call; True when anything did."""
        changed = False
        with self._refreshing:  # two threads never re-read one source at once
            for source in self.sources():
                changed = source.refresh() or changed
        return changed

    def version(self) -> str:
        """What the connected tables hold now, for cache keys."""
        return ";".join(f"{s.name}={s.version}" for s in self.sources())


# ------------------------------------------------------------------------ frames


def _fingerprint(frame: Any) -> str:
    """The frame's columns, types and a hash of every value (about 0.1 s per million
    rows); a frame whose values cannot be hashed gets a new version every call."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        import pandas as pd

        if isinstance(frame, pd.DataFrame):
            digest.update(repr((list(frame.columns), list(map(str, frame.dtypes)))).encode())
            digest.update(repr(list(frame.index.names)).encode())
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
            return digest.hexdigest()
        if hasattr(frame, "hash_rows"):  # polars
            digest.update(repr(frame.schema).encode())
            digest.update(frame.hash_rows().to_numpy().tobytes())
            return digest.hexdigest()
    except (TypeError, ValueError):
        return f"volatile:{next(_volatile)}"
    return f"arrow:{id(frame)}"  # Arrow tables cannot change


def _columns_ok(columns: list[Any], origin: str) -> None:
    odd = [c for c in columns if not isinstance(c, str) or not c]
    if odd:
        raise DataSourceError(
            f"DataFrame {origin} has column names that are not text: "
            f"{', '.join(repr(c) for c in odd[:3])}.",
            hint="Name its columns with strings first, e.g. "
            "df.columns = [str(c) for c in df.columns].",
        )
    lower = [c.lower() for c in columns]
    twice = sorted({c for c in columns if lower.count(c.lower()) > 1})
    if twice:
        raise DataSourceError(
            f"DataFrame {origin} has the column name {twice[0]!r} more than once"
            " (names are compared without case).",
            hint="Rename or drop the duplicates first (in pandas: "
            "df.loc[:, ~df.columns.duplicated()]).",
        )


def _is_frame(value: Any) -> bool:
    module = type(value).__module__.split(".")[0]
    return module in {"pandas", "polars", "pyarrow"} and hasattr(value, "columns")


def frame_source(name: str, frame: Any, *, origin: str) -> Source:
    """``frame`` as a table: its columns checked, its types read by DuckDB."""
    import pandas as pd

    if not _is_frame(frame):
        raise DataSourceError(
            f"{origin} is a {type(frame).__name__}, not a DataFrame or a path.",
            hint="Connect a pandas, polars or Arrow DataFrame, or the path of a Parquet, "
            "CSV or JSON-lines file.",
        )
    data: Any = frame
    if isinstance(frame, pd.DataFrame):
        if any(n is not None for n in frame.index.names):
            data = frame.reset_index()  # a named index is data (after a groupby)
        _columns_ok(list(data.columns), origin)
    elif type(frame).__module__.startswith("polars"):
        _columns_ok(list(frame.columns), origin)
        data = frame.to_arrow()
    else:
        _columns_ok(list(frame.column_names), origin)
    columns, rows = _describe(data, origin)
    return Source(
        name=name,
        kind="DataFrame",
        origin=origin,
        data=data,
        columns=columns,
        rows=rows,
        version=_fingerprint(frame),
        frame=frame,
    )


def _describe(data: Any, origin: str) -> tuple[dict[str, str], int]:
    """Column types as DuckDB reads them, and the row count; read apart from the query
    connection, so a frame DuckDB cannot read is refused before anything changes."""
    import duckdb

    con = duckdb.connect(":memory:", config={"enable_external_access": False})
    try:
        con.register("frame", data)
        described = con.execute("DESCRIBE frame").fetchall()
        rows = con.execute("SELECT COUNT(*) FROM frame").fetchone()
    except duckdb.Error as exc:
        raise DataSourceError(
            f"DuckDB cannot read {origin} as a table: {_first_line(exc)}",
            hint="Give each column one type (object columns holding mixed values do not "
            "convert), e.g. df['col'] = df['col'].astype(str).",
            detail=str(exc),
        ) from exc
    finally:
        con.close()
    return {str(row[0]): str(row[1]) for row in described}, int(rows[0] if rows else 0)


# ------------------------------------------------------------------------- files


def _format_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in {".gz", ".zst"}:
        suffixes = suffixes[:-1]
    fmt = FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise DataSourceError(
            f"{path.name!r} is not a format that can be connected"
            f" ({path.suffix or 'no file ending'}).",
            hint="Connect Parquet (.parquet), CSV (.csv, .tsv) or JSON lines (.jsonl, "
            ".ndjson, .json); export other formats to one of them, or load the file "
            "with pandas and connect the DataFrame.",
        )
    return fmt


def _matches(spec: str) -> list[Path]:
    """The files ``spec`` names: a file, the files of a folder, or a glob's matches."""
    expanded = str(Path(spec).expanduser())
    if _GLOB.search(expanded):
        found = sorted(Path(p) for p in glob.glob(expanded, recursive=True) if Path(p).is_file())
        if not found:
            raise DataSourceError(
                f"No file matches {spec!r}.",
                hint=f"Check the folder and the pattern (relative paths start from {Path.cwd()}).",
            )
        return found
    path = Path(expanded)
    if path.is_dir():
        found = sorted(
            p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))
        )
        if not found:
            raise DataSourceError(
                f"The folder {spec!r} holds no file.",
                hint="Connect a folder of Parquet, CSV or JSON-lines files.",
            )
        return found
    if not path.is_file():
        raise DataSourceError(
            f"The file {spec!r} does not exist.",
            hint=f"Check the path (relative paths start from {Path.cwd()}).",
        )
    return [path]


def file_sources(spec: str, *, name: str | None = None) -> list[Source]:
    """The tables ``spec`` makes: one named ``name`` from every file it matches, or,
    unnamed, one per file of a glob (named by its stem) or one per folder or file."""
    files = [f.resolve() for f in _matches(spec)]
    formats = {f: _format_of(f) for f in files}
    path = Path(spec).expanduser()
    if name is None and _GLOB.search(spec):
        return [
            _read_source(table_name(_stem(f), given=False), (f,), formats[f], _shown(f))
            for f in files
        ]
    if name is None:
        name = table_name(_stem(path) if path.is_file() else path.name, given=False)
    kinds = set(formats.values())
    if len(kinds) > 1:
        raise DataSourceError(
            f"{spec!r} mixes formats ({', '.join(sorted(_LABELS[k] for k in kinds))}), "
            "which cannot make one table.",
            hint="Connect each format under its own name: %lgda_connect a=data/*.parquet "
            "b=data/*.csv.",
        )
    return [_read_source(name, tuple(files), kinds.pop(), spec)]


def _stem(path: Path) -> str:
    name = path.name
    for suffix in reversed(path.suffixes):
        if suffix.lower() in FORMATS or suffix.lower() in {".gz", ".zst"}:
            name = name[: -len(suffix)]
    return name


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _signatures(files: Iterable[Path]) -> tuple[tuple[int, int, int], ...]:
    found = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            found.append((0, 0, 0))
            continue
        found.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _read_source(name: str, files: tuple[Path, ...], fmt: str, origin: str) -> Source:
    signatures = _signatures(files)  # before reading: a later change is seen next call
    table = _read(files, fmt, origin)
    columns, rows = _describe(table, origin)
    version = hashlib.blake2b(repr(signatures).encode(), digest_size=16).hexdigest()
    return Source(
        name=name,
        kind=_LABELS[fmt],
        origin=origin,
        data=table,
        columns=columns,
        rows=rows,
        version=version,
        files=files,
        signatures=signatures,
    )


def _read(files: tuple[Path, ...], fmt: str, origin: str) -> Any:
    """The files as one Arrow table, read by a DuckDB that may open exactly them."""
    import duckdb

    paths = [str(f) for f in files]
    delimiter, decimal = _dialect(files[0]) if fmt == "csv" else ("\t", ".")
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET allowed_paths = ?", [paths])
        con.execute("SET enable_external_access = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET lock_configuration = true")
        params: list[Any] = [paths]
        if fmt == "csv":
            params += [delimiter, decimal]
        return con.sql(f"SELECT * FROM {_READERS[fmt]}", params=params).to_arrow_table()
    except duckdb.Error as exc:
        raise _read_error(exc, fmt, origin, files, delimiter) from exc
    finally:
        con.close()


#: Separators a ``.csv`` file may use; the header line says which (a comma by default).
_DELIMITERS = (",", ";", "\t", "|")


def _dialect(file: Path) -> tuple[str, str]:
    """The separator and decimal mark of a ``.csv`` file, read off its first lines.

    The separator is the one the header line has most of (a comma when it has none):
    exports from spreadsheets in many locales use ``;``, with the comma as their decimal
    mark, and a file read with the wrong separator would become one column of joined
    text. DuckDB's sniffer is not used: on a file with one broken row it gives up and
    reads every line as one column, which would hide the broken row.
    """
    import gzip

    try:
        if file.suffix.lower() == ".zst":
            return ",", "."
        opener = gzip.open if file.suffix.lower() == ".gz" else open
        with opener(file, "rt", encoding="utf-8", errors="replace") as handle:
            lines = list(itertools.islice(handle, 50))
    except OSError:
        return ",", "."  # the read itself reports the problem
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # a tie keeps the earlier: the comma
    delimiter = best if counts[best] else ","
    decimal_comma = delimiter != "," and any(
        _DECIMAL_COMMA.fullmatch(field.strip().strip('"'))
        for line in lines[1:]
        for field in line.split(delimiter)
    )
    return delimiter, "," if decimal_comma else "."


#: A number written with a decimal comma ("10,5", "-3,25").
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")


def _read_error(
    exc: BaseException, fmt: str, origin: str, files: tuple[Path, ...], delimiter: str
) -> DataSourceError:
    text = str(exc)
    label = _LABELS[fmt]
    line = _CSV_LINE.search(text)
    if fmt in {"csv", "tsv"} and (line or "sniffing file" in text or "CSV Error" in text):
        found = _uneven_line(files, delimiter)
        if found is not None:
            file, number = found
            where = f" (line {number}{'' if len(files) == 1 else f' of {file.name}'})"
        else:
            where = f" (line {line.group(1)})" if line else ""
        return DataSourceError(
            f"{origin} has a row that does not fit the others{where}: a {label} file needs "
            "the same number of fields on every line.",
            hint="Fix or remove that row (a missing or extra separator, an unclosed quote), "
            "or read the file with pandas and connect the DataFrame.",
            detail=_first_line(exc),
        )
    return DataSourceError(
        f"{origin} cannot be read as {label}: {_first_line(exc)}",
        hint=f"Check that the file is {label} (its ending says so), complete and readable.",
        detail=text[:2000],
    )


def _uneven_line(files: Iterable[Path], delimiter: str) -> tuple[Path, int] | None:
    """The first line with another number of fields than its file's header (DuckDB's
    dialect sniffer fails on such a file without saying where)."""
    import csv

    for file in files:
        if file.suffix.lower() in {".gz", ".zst"}:
            continue
        try:
            with file.open(newline="", encoding="utf-8", errors="replace") as handle:
                reader = csv.reader(handle, delimiter=delimiter)
                header = next(reader, None)
                for row in reader:
                    if header is not None and row and len(row) != len(header):
                        return file, reader.line_num
        except (OSError, csv.Error):
            continue
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return re.sub(r"^[A-Za-z ]+ Error: ", "", first)


# ----------------------------------------------------------------------- requests


def sources_for(
    paths: Iterable[Any], named: Mapping[str, Any], *, origins: Mapping[str, str] | None = None
) -> list[Source]:
    """What one ``connect`` call makes: ``paths`` (files, folders, globs, each named from
    itself) and ``named`` tables (a DataFrame or a path each). ``origins`` says which
    variable a named DataFrame came from, for messages."""
    made: list[Source] = []
    for value in paths:
        if _is_frame(value):
            raise DataSourceError(
                "A DataFrame needs a table name.",
                hint="connect(sales=df), or %lgda_connect df_sales (named after the variable).",
            )
        made.extend(file_sources(str(value)))
    for name, value in named.items():
        table = table_name(name)
        if isinstance(value, str | Path):
            made.extend(file_sources(str(value), name=table))
        else:
            origin = (origins or {}).get(name, table)
            made.append(frame_source(table, value, origin=origin))
    return made
