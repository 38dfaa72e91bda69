"""The interpretation: one plain sentence saying what a plan computes.

It is written from the plan and the model, the same two things the compiler reads,
so what the user reads is what ran: measures, breakdowns, every filter, the model's
default rules (such as which items count as revenue) and the time window.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lgda_nb.planner._text import plural as _plural

if TYPE_CHECKING:
    from lgda_nb.planner._model import Metric, SemanticModel
    from lgda_nb.planner._plan import Condition, Filter, Plan

_OPS = {">": "over", ">=": "at least", "<": "under", "<=": "at most", "=": "equal to"}
_AMOUNTS = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most", "=": "exactly"}


def derived_clauses(plan: Plan, model: SemanticModel) -> list[str]:
    """The meaning of each derived table (first orders) the plan reads."""
    from lgda_nb.planner._derived import derived_clauses as clauses

    return clauses(plan, model)


def _join(items: Sequence[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _label(model: SemanticModel, name: str) -> str:
    if name in model.dimensions:
        return model.dimensions[name].label.lower()
    return name.replace("_", " ")


def _metric_label(model: SemanticModel, name: str) -> str:
    try:
        return model.metric(name).label
    except KeyError:
        return name.replace("_", " ")


def filter_text(model: SemanticModel, f: Filter) -> str:
    """'country is Japan or Germany', 'age over 50', 'status not Cancelled or Returned'."""
    label = _label(model, f.dimension)
    values = [str(v) for v in f.values]
    dimension = model.dimensions.get(f.dimension)
    if f.op != "in" and dimension is not None and dimension.unit == "money":
        values = [f"${v}" for v in values]  # "retail price over $80"
    if f.op == "between":
        return f"{label} between {values[0]} and {values[-1]}"
    if f.op in _OPS:
        return f"{label} {_OPS[f.op]} {values[0]}"
    if f.negate:
        return f"{label} not {_join(values, 'or')}"
    return f"{label} is {_join(values, 'or')}"


def condition_text(model: SemanticModel, c: Condition) -> str:
    """'only orders with more than 2 items', 'only countries with at least 200 orders'."""
    metric = model.metric(c.metric)
    if c.against is not None:
        from lgda_nb.planner._entity import average_text

        return average_text(model, c)
    counted = c.metric.removeprefix("distinct:")
    if counted != c.metric and counted in model.dimensions and c.op == "=":
        # "brands with products in both the Men and Women departments"
        label = model.dimensions[counted].label.lower()
        things = _plural(_label(model, c.per))
        return f"only {things} found in each of the {c.values[0]} {label} values kept"
    when = ""
    if c.window is not None:
        label = c.window.described().label
        when = f" {label}" if label.split(" ")[0] in _WINDOW_LEADS else f" in {label}"
    if c.op in {"=", "<=", "<"} and c.values[0] == (0 if c.op != "<" else 1):
        # "users who never placed an order": those with none at all count too.
        ever = " ever (any date)" if c.ever else when
        return f"only {_plural(_label(model, c.per))} with no {metric.label.lower()}{ever}"
    values = [f"${v}" if metric.unit == "money" else str(v) for v in c.values]
    label = metric.label.lower()
    if c.metric.startswith("duration:"):
        label = label.split(" ", 1)[1]  # "more than 3 days from order to shipping"
    amount = (
        f"between {values[0]} and {values[-1]}"
        if c.op == "between"
        else f"{_AMOUNTS.get(c.op, c.op)} {values[0]}"
    )
    if c.ever:
        when = " of any date"  # "2024 signups who placed an order": the signups are dated
    if c.filters:  # "more than 50 products in the Men department"
        when += " where " + " and ".join(filter_text(model, f) for f in c.filters)
    return f"only {_plural(_label(model, c.per))} with {amount} {label}{when}"


def describe_parts(
    model: SemanticModel,
    metrics: Sequence[str],
    dimensions: Sequence[str],
    filters: Sequence[Filter],
) -> str:
    """What was understood so far, for a refusal: 'Revenue by state, country is Canada'."""
    parts = []
    if metrics:
        parts.append(_join([_metric_label(model, m) for m in metrics]))
    if dimensions:
        parts.append("by " + _join([_label(model, d) for d in dimensions]))
    text = " ".join(parts)
    conditions = [filter_text(model, f) for f in filters]
    if conditions:
        text = ", ".join([text, *conditions]) if text else ", ".join(conditions)
    return text


def default_rules(model: SemanticModel, plan: Plan) -> list[str]:
    """The model's own filters that apply to the plan's measure, in words."""
    from lgda_nb.planner._compile import applied_rules

    if not plan.metrics or plan.funnel:
        return []

    first, *others = [applied_rules(plan, model, _metric(model, plan, m)) for m in plan.metrics]
    # by their SQL, as the compiler shares them: a measure's own rule and a date check of
    # the plan may say the same ("orders with a delivery date")
    said = [{model.filter_sql(rule) for rule in rules} for rules in (first, *others)]
    if all(sqls == said[0] for sqls in said):
        return [model.filter_text(name) for name in first]
    # Measures side by side under different rules: say whose rule each is.
    whose: dict[str, tuple[str, list[str]]] = {}
    for name, rules in zip(plan.metrics, [first, *others], strict=True):
        for rule in rules:
            entry = whose.setdefault(model.filter_sql(rule), (rule, []))
            entry[1].append(_metric_label(model, name).lower())
    return [f"{_join(labels)} {model.filter_text(rule)}" for rule, labels in whose.values()]


def _metric(model: SemanticModel, plan: Plan, name: str) -> Metric:
    """The metric as compiled: the first one on the table the breakdown needs."""
    from lgda_nb.planner._compile import effective_metric

    first = effective_metric(plan, model)
    return first if name == plan.metrics[0] else model.on_table(name, first.table)


def interpret(plan: Plan, model: SemanticModel) -> str:
    """One sentence: 'Items sold by department, excluding Cancelled and Returned items'."""
    if plan.sql is not None:
        because = f": {plan.notes[0]}" if plan.notes else ""
        return f"SQL written by {plan.source}{because}"
    if plan.rows is not None:
        from lgda_nb.planner._interpret_lists import list_interpretation

        return list_interpretation(plan, model)
    clauses = _clauses(plan, model)
    from lgda_nb.planner._compile import table_groups

    if len(table_groups(plan, model)) > 1 and (plan.time_window or plan.grain):
        clauses.append("each measure dated by its own table's time")
    if plan.display is not None and plan.display != plan.order:
        clauses.append("shown " + ("lowest" if plan.display == "asc" else "highest") + " first")
    return ", ".join([_headline(plan, model), *clauses])


#: First words of a window's label that read on after "with no items sold".
_WINDOW_LEADS = frozenset(
    "in this last since before after through from the on between until during".split()
)


def _ranking_groups(plan: Plan, model: SemanticModel, parts: list[str]) -> None:
    """The groups a ranking restarts in, the other breakdowns, and the columns of the
    things ranked, added to ``parts``."""
    rest = list(plan.dimensions[1:])
    if plan.per and plan.per != plan.grain:
        parts.append(f"in each {_label(model, plan.per)}")
        rest = [d for d in rest if d != plan.per]
    if rest and plan.per is None and plan.dimensions[0] in model.single_things():
        # "top 10 customers by revenue: country": each customer's own country
        parts[0] += ", shown with their " + _join([_label(model, d) for d in rest])
    elif rest:
        parts.append("by " + _join([_label(model, d) for d in rest]))


def _headline(plan: Plan, model: SemanticModel) -> str:
    """What is measured, ranked and broken down by: 'Top 3 countries by orders'."""
    shown = plan.dimensions
    from lgda_nb.planner._compile_sessions import headline, per_session, shown_dimensions

    sessions = per_session(plan, model)
    if sessions:
        head, shown = headline(plan, model), shown_dimensions(plan, model)
    else:
        head = _join([_metric_label(model, m) for m in plan.metrics])
    parts = [head]
    if plan.limit and plan.dimensions and not plan.funnel:
        word = "Bottom" if plan.order == "asc" else "Top"
        first = _label(model, plan.dimensions[0])
        if plan.grain and list(plan.dimensions) == [plan.per]:
            first = plan.grain  # "the best month for each department"
        count = f" {plan.limit} {_plural(first)}" if plan.limit > 1 else f" {first}"
        labels = [_metric_label(model, m).lower() for m in plan.metrics]
        if sessions:  # a rate of sessions says what the % is of
            labels = [f"{head[:1].lower()}{head[1:]}"]
        ranked = f"the change in {labels[0]}" if plan.rank_by else labels[0]
        beside = f", with {_join(labels[1:])}" if labels[1:] else ""
        parts[0] = f"{word}{count} by {ranked}{beside}"
        _ranking_groups(plan, model, parts)
    elif shown:
        parts.append("by " + _join([_label(model, d) for d in shown]))
    if plan.grain and plan.per == plan.grain:
        parts.append(f"in each {plan.grain}")
    elif plan.grain and plan.per and not plan.dimensions and plan.limit:
        # "the best month in each year": the periods ranked within a longer one.
        word = "Bottom" if plan.order == "asc" else "Top"
        count = f"{plan.limit} {plan.grain}s" if plan.limit > 1 else plan.grain
        parts[0] = f"{word} {count} by {_metric_label(model, plan.metrics[0]).lower()}"
        parts.append(f"in each {plan.per}")
    elif plan.grain and list(plan.dimensions) == [plan.per] and plan.limit:
        pass  # the period is what is ranked
    elif plan.grain:
        parts.append(f"per {plan.grain}")
    return " ".join(parts)


def _share_clause(plan: Plan, model: SemanticModel) -> list[str]:
    """What a share is of, as a clause (none when another clause says it)."""
    from lgda_nb.planner._compile import share_of_filtered

    if not plan.share or plan.share_of_measured:
        return []  # of the things measured: per_entity_text says it
    if share_of_filtered(plan):
        return [_share_within_filtered(plan, model)]
    if (
        plan.conditions
        and not plan.grain
        and all(c.per not in plan.dimensions for c in plan.conditions)
    ):
        # The share of the things counted that meet the condition (per_entity_text says
        # it), within each group of a breakdown.
        shown = " and ".join(_label(model, d).lower() for d in plan.dimensions)
        return [f"within each {shown}"] if shown else []
    if plan.conditions and plan.grain and not plan.dimensions:
        return [f"within each {plan.grain}"]  # "% of orders with 3+ items, by year"
    if plan.share_within:
        return [f"with each row's share within its {_label(model, plan.share_within)}"]
    whole = f"its {plan.grain}'s total" if plan.grain and plan.dimensions else "the total"
    return [f"with each row's share of {whole}"]


def _share_within_filtered(plan: Plan, model: SemanticModel) -> str:
    """The share of a filtered part of the total, or within each group ("Men vs Women
    within each country": of the country's total over all departments), or plainly
    within it."""
    from lgda_nb.planner._compile import shared_groups

    within = plan.share_within
    if within is None:
        grouped = [f for f in plan.filters if f.dimension not in plan.dimensions]
        over = _join([_plural(_label(model, f.dimension)) for f in grouped or plan.filters])
        shared = plan.dimensions if grouped else shared_groups(plan)
        if plan.grain:  # "each month's share of its month's total over all categories"
            groups = " and ".join([plan.grain, *(_label(model, d) for d in shared)])
            return f"with each row's share of its {groups}'s total over all {over}"
        if shared:
            # "what % of orders in China were cancelled": of China's orders, every status.
            groups = " and ".join(_label(model, d) for d in shared)
            return f"with its share of its {groups}'s total over all {over}"
        return f"with its share of the total over all {over}"
    split = [f for f in plan.filters if f.dimension in plan.dimensions and f.dimension != within]
    if not split:
        return f"with each row's share within its {_label(model, within)}"
    over = _join([_plural(_label(model, f.dimension)) for f in split])
    return f"with its share of its {_label(model, within)}'s total over all {over}"


def _clauses(plan: Plan, model: SemanticModel) -> list[str]:
    """Filters, the model's rules, the time window and the extras, in that order."""
    from lgda_nb.planner._entity import per_entity_text

    clauses = [filter_text(model, f) for f in plan.filters]
    clauses += [condition_text(model, c) for c in plan.conditions]
    clauses += default_rules(model, plan)
    clauses += derived_clauses(plan, model)
    clauses += per_entity_text(model, plan)
    from lgda_nb.planner._compile_sessions import clauses as session_clauses
    from lgda_nb.planner._compile_sessions import per_session

    if per_session(plan, model):
        clauses += session_clauses(plan, model)
    for name in plan.ignore_rules:
        rule = model.filter_descriptions.get(name, model.filter_sql(name))
        clauses.append(f"not applying the rule '{rule}'")
    if plan.time_window is not None:
        when = plan.time_window.label
        clauses.append(
            f"{when} (by {_dated_by(model, plan.time_column)} date)" if plan.time_column else when
        )
    elif plan.metrics and not plan.grain and _dated(model, plan.metrics[0]):
        clauses.append("all time")
    if plan.limit and not plan.dimensions and not plan.funnel and not plan.per:
        clauses.append(f"{'lowest' if plan.order == 'asc' else 'highest'} {plan.limit}")
    elif plan.ranks_periods:
        clauses.append(f"{'lowest' if plan.order == 'asc' else 'highest'} first")
    clauses.extend(_share_clause(plan, model))
    if plan.growth:
        clauses.append(f"with the change from the previous {plan.grain or 'period'}")
    if plan.cumulative:
        clauses.append("with a running total")
    from lgda_nb.planner._interpret_timecmp import clauses as more

    return clauses + more(plan, model)


def _dated(model: SemanticModel, metric: str) -> bool:
    try:
        return model.metric(metric).time is not None
    except KeyError:
        return False


def _dated_by(model: SemanticModel, column: str) -> str:
    """The moment a window's own column records ("signup", "shipping"), else its name."""
    moment = next((m for m in model.moments.values() if column in m.columns.values()), None)
    return moment.label if moment is not None else column
