"""The public surface: complete ``__all__``, lazy names, every error mapped."""

from __future__ import annotations

import inspect

import pytest

import lgda_nb
from lgda_nb import errors


def test_all_names_resolve() -> None:
    """Every name in lgda_nb.__all__ can be imported."""
    for name in lgda_nb.__all__:
        assert getattr(lgda_nb, name) is not None
    assert lgda_nb.__all__ == sorted(lgda_nb.__all__)


def test_unknown_attribute_is_an_attribute_error() -> None:
    """A typo in a public name fails like any module attribute."""
    with pytest.raises(AttributeError, match="no attribute 'Engin'"):
        _ = lgda_nb.Engin  # type: ignore[attr-defined]


def test_errors_all_lists_every_error() -> None:
    """lgda_nb.errors.__all__ names every LGDAError subclass in the module."""
    defined = {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, errors.LGDAError)
    }
    assert defined == set(errors.__all__)


@pytest.mark.parametrize("name", errors.__all__)
def test_every_error_has_code_and_hint(name: str) -> None:
    """Each error class has a stable code and a default hint; only transient ones retry."""
    cls = getattr(errors, name)
    error = cls("Something went wrong.")
    assert cls.code
    assert error.hint
    assert error.retryable == name.startswith("Transient")
    assert error.to_dict()["code"] == cls.code
    assert "Something went wrong." in error.as_text()
    assert "Traceback" not in "".join(error._render_traceback_())
    assert "<details>" in error._repr_html_()


def _duckdb_errors() -> list[type[BaseException]]:
    import duckdb

    found = []
    for value in vars(duckdb).values():
        if inspect.isclass(value) and issubclass(value, duckdb.Error):
            found.append(value)
    return sorted(set(found), key=lambda cls: cls.__name__)


@pytest.mark.parametrize("driver_error", _duckdb_errors(), ids=lambda cls: cls.__name__)
def test_every_duckdb_exception_is_mapped(driver_error: type[BaseException]) -> None:
    """No DuckDB exception escapes the backend boundary untranslated."""
    from lgda_nb.backends._duckdb import map_duckdb_errors

    with pytest.raises(errors.LGDAError) as info, map_duckdb_errors():
        raise driver_error("driver said no")
    assert isinstance(info.value.__cause__, driver_error)
