"""Shared fixtures of the unit tests."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    """An offline planner over the built-in model with a few of the data's values per
    column, as the readings of the blind sets need them. A test file that needs other
    values defines its own ``planner``."""
    values = {
        "status": ["Complete", "Cancelled", "Returned", "Processing", "Shipped"],
        "category": ["Jeans", "Socks", "Suits & Sport Coats"],
        "department": ["Men", "Women"],
        "gender": ["F", "M"],
        "country": ["United States", "Germany", "Spain", "France", "Brasil", "Japan"],
        "acquisition_channel": ["Search", "Email", "Organic", "Facebook", "Display"],
        "event_type": ["home", "department", "product", "cart", "purchase", "cancel"],
    }
    return OfflinePlanner(load_model(), values)
