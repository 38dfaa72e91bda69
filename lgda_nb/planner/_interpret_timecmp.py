"""Interpretation clauses for comparisons per group, rolling averages and bands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel
    from lgda_nb.planner._plan import Plan


def clauses(plan: Plan, model: SemanticModel) -> list[str]:
    """'each category in both periods, a group missing from one counted as 0', ..."""
    from lgda_nb.planner._compile_timecmp import band_labels

    said = []
    window = plan.time_window
    if plan.compare and plan.compare_with is not None:
        said.append(f"compared with {plan.compare_with.label.removeprefix('in ')}")
    elif plan.compare and window is not None and window.kind == "year_to_date":
        said.append("compared with the same dates a year earlier")
    elif plan.compare and window is not None and window.kind == "years" and window.years:
        said.append(f"{max(window.years)} compared with {min(window.years)}")
    elif plan.compare:
        said.append("compared with the period before")
    if plan.compare and plan.dimensions:
        said.append("the change in % empty where the earlier value is 0")
    if plan.rank_by == "change":
        said.append("ranked by the change in %")
    elif plan.rank_by == "difference":
        said.append("ranked by the difference, the later value minus the earlier")
    if plan.difference and plan.rank_by != "difference":
        said.append("with the difference, the later value minus the earlier")
    if plan.rolling:
        said.append(
            f"with the average of each {plan.grain} and the {plan.rolling - 1} before it "
            f"({plan.grain}s with no rows count as zero)"
        )
    for band in plan.bands:
        dimension = model.dimensions[band.dimension]
        label = dimension.label.lower()
        if band.width:
            said.append(f"{label} in buckets of {band.width:g}, each from its lower bound")
        else:
            names = list(band.labels) or band_labels(band, dimension)
            said.append(f"{label} in bands {', '.join(names)} (lower bounds included)")
    return said
