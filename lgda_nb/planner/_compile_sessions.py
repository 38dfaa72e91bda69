"""Plan -> SQL for answers about sessions as wholes: the funnel, and conditions on sessions.

Both read one row per session first (``per_session``): when it started (its first
event, which dates it), the breakdown's values, and whether it has an event of each
step or condition. A funnel is closed: a session reaches a step when it has that
step's event and the events of every earlier step asked, so no step exceeds the one
before it. A condition on sessions keeps the sessions that have (or lack) an event;
a rate is the % of those sessions that also meet further conditions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._compile import (
    _as,
    _ascending,
    _conditions,
    _dimension_columns,
    _extract,
    _filter_condition,
    _from,
    _grain,
    _joins,
    _limit,
    _parse,
    _previous_period,
    _round,
    _select,
    _tables,
    _tables_of,
    _with,
)
from lgda_nb.planner._plan import Filter

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.planner._model import Metric, SemanticModel
    from lgda_nb.planner._plan import Plan

#: The column a session's first event is kept in.
_STARTED = "started_at"
#: After the measure's name: the sessions that reached a step through every earlier one.
_THROUGH = "_through_earlier_steps"


def per_session(plan: Plan, model: SemanticModel) -> bool:
    """Whether ``plan`` is answered one row per session first: a funnel, steps, conditions
    or rates on sessions, or the funnel's session count by a period (a session counts in
    the period of its first event, not in every period it has events in)."""
    if plan.funnel or plan.session_filters or plan.session_rate or plan.steps:
        return True
    measure = model.funnel.get("measure") if model.funnel else None
    return bool(plan.grain) and measure is not None and plan.metrics == (measure,)


def funnel_steps(plan: Plan, model: SemanticModel) -> list[str]:
    """The steps ``plan`` asks for, in the funnel's order; refused when not the model's."""
    steps = [str(s) for s in model.funnel["steps"]]
    if not plan.steps:
        return steps
    unknown = [s for s in plan.steps if s not in steps]
    if unknown:
        raise PlanningError(
            f"{', '.join(map(repr, unknown))} is not a step of the funnel.",
            hint=f"The funnel's steps are {', '.join(steps)}.",
        )
    ordered = sorted(dict.fromkeys(plan.steps), key=steps.index)
    if list(plan.steps) != ordered or len(ordered) < 2:
        raise PlanningError(
            "A funnel's steps follow the funnel's order, at least two of them.",
            hint=f"Name steps in this order: {', '.join(steps)}.",
        )
    return ordered


def step_dimension(model: SemanticModel) -> str | None:
    """The dimension whose column is the funnel's step column, if the model has one."""
    column = f"{model.funnel['table']}.{model.funnel['step']}".lower()
    return next(
        (
            d.name
            for d in model.dimensions.values()
            if d.sql_for(str(model.funnel["table"])).lower() == column
        ),
        None,
    )


def _check(plan: Plan, model: SemanticModel, what: str) -> None:
    """Refuse what a per-session answer does not compute, rather than drop it."""
    if not model.funnel:
        raise PlanningError(
            "This model describes no funnel.",
            hint="Add a [funnel] section (table, session, step, steps, measure) to the model "
            "file, or ask for the steps' counts as a breakdown.",
        )
    extras = {
        "a condition on a measure": bool(plan.conditions),
        "a share of the total": plan.share,
        "growth": plan.growth,
        "a running total": plan.cumulative,
        "a comparison with the period before": plan.compare,
        "a ranking within groups": bool(plan.per),
        "a rolling average": bool(plan.rolling),
        "a comparison of two periods": plan.compare_with is not None or bool(plan.rank_by),
        "the difference of two periods": plan.difference,
        "bands of a breakdown": bool(plan.bands),
        "a count of each one's measure": plan.by_measure is not None,
        "the share of the top ones": plan.top_per is not None,
        "a date other than the session's": bool(plan.time_column),
        "rules left out": bool(plan.ignore_rules),
    }
    asked = [name for name, wanted in extras.items() if wanted]
    if asked:
        raise PlanningError(
            f"{what} cannot be combined with {asked[0]} yet.",
            hint=f"Ask for {what.lower()} on its own.",
        )
    table = str(model.funnel["table"])
    step = step_dimension(model)
    for name in plan.dimensions:
        if name == step:
            raise PlanningError(
                f"{what} is already by step; it cannot also be broken down by "
                f"{model.dimensions[name].label.lower()}.",
                hint="Ask for the funnel, or for the breakdown by step as its own question.",
            )
        tables = _tables_of(model.dimensions[name].sql_for(table))
        if not all(model.reaches(table, other) for other in tables):
            raise PlanningError(
                f"Sessions cannot be broken down by {model.dimensions[name].label.lower()}: "
                "a session does not have one.",
                hint=f"Break sessions down by a column of {table} or of what it belongs to.",
            )
    last = str(model.funnel["steps"][-1])
    if any(f.dimension == step for f in plan.filters):
        raise PlanningError(
            f"A filter on {model.dimensions[step or ''].label.lower()} picks events, not sessions.",
            hint=f"Say which sessions: 'sessions with {last}', 'sessions without {last}'.",
        )


def _per_session(
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    flags: Sequence[exp.Expr],
    as_of: str | None,
) -> tuple[exp.Select, list[str]]:
    """One row per session: its key, breakdown values, first event and ``flags``
    (``flag_1``, ...: whether the session has an event meeting each condition), over the
    events in the time window."""
    from sqlglot import exp

    table = str(model.funnel["table"])
    time = metric.time
    if time is None:
        raise PlanningError(f"{metric.label} has no date, so sessions cannot be dated.")
    keys: list[str] = []
    select: list[exp.Expr] = [
        _as(exp.column(str(model.funnel["session"]), table=table), "session_key")
    ]
    needed: set[str] = _tables_of(time)
    for name in plan.dimensions:
        for column, node in _dimension_columns(model.dimensions[name], table):
            needed |= _tables(node)
            select.append(_as(node, column))
            keys.append(column)
    select.append(_as(exp.Min(this=_parse(time)), _STARTED))
    for number, flag in enumerate(flags, 1):
        needed |= _tables(flag)
        has = exp.GT(this=exp.CountIf(this=flag), expression=exp.Literal.number(0))
        select.append(_as(has, f"flag_{number}"))
    where, tables = _conditions(plan, model, metric, as_of)
    needed |= tables
    query = exp.select(*select, copy=False).from_(_from(table), copy=False)
    for join in _joins(model, table, needed):
        query = query.join(join, copy=False)
    if where:
        query = query.where(exp.and_(*where, copy=False), copy=False)
    query = query.group_by(*(exp.Literal.number(i) for i in range(1, len(keys) + 2)), copy=False)
    return query, keys


def _event_condition(model: SemanticModel, table: str, f: Filter) -> exp.Expr:
    """Whether one event meets ``f`` (its value filter, without the negation: a session
    lacking such an event is the negation, read on the session)."""
    from dataclasses import replace

    return _filter_condition(model.dimensions[f.dimension].sql_for(table), replace(f, negate=False))


def _grain_keys(plan: Plan) -> list[tuple[str, exp.Expr]]:
    """The time grain of each session's first event, as output columns."""
    from sqlglot import exp

    if not plan.grain:
        return []
    if plan.grain == "quarter":
        return [(n, _extract(n.upper(), exp.column(_STARTED))) for n in ("year", "quarter")]
    return [(plan.grain, _grain(plan.grain, _STARTED))]


def funnel_tree(
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    as_of: str | None,
    *,
    closed: bool = True,
) -> exp.Select:
    """Sessions reaching each step asked, per breakdown value and period; conversion from
    the first step and from the step before, within each group. Not ``closed``: each
    step's sessions on their own, in the funnel's order, with no conversion (it could
    pass 100%)."""
    from sqlglot import exp

    _check(plan, model, "A funnel" if closed else "Sessions at each step")
    if plan.limit:
        raise PlanningError(
            "A funnel shows every step of every group; it cannot be cut to a top N yet.",
            hint="Ask for the funnel without a ranking, or filter the groups you want.",
        )
    if plan.session_filters or plan.session_rate:
        raise PlanningError(
            "A funnel cannot be limited to sessions with or without an event yet.",
            hint="Name the funnel's first step instead, e.g. 'the funnel from "
            f"{model.funnel['steps'][1]}'.",
        )
    table, step_column = str(model.funnel["table"]), str(model.funnel["step"])
    known = [str(s) for s in model.funnel["steps"]]
    steps = funnel_steps(plan, model) if closed else sorted(plan.steps, key=known.index)
    flags = [
        exp.EQ(this=exp.column(step_column, table=table), expression=exp.Literal.string(s))
        for s in steps
    ]
    per_session, keys = _per_session(plan, model, metric, flags, as_of)
    grain = _grain_keys(plan)
    group = [name for name, _ in grain] + keys
    measure = str(model.funnel["measure"])
    branches: list[exp.Select] = []
    through = f"{measure}{_THROUGH}"
    for number, name in enumerate(steps, 1):
        earlier = range(1, number + 1) if closed else [number]
        reached = exp.and_(*(exp.column(f"flag_{i}") for i in earlier), copy=False)
        # Each step on its own shows, beside it, the sessions that reached it through every
        # earlier step asked (the closed funnel), so either reading is in the answer.
        funnelled = exp.and_(*(exp.column(f"flag_{i}") for i in range(1, number + 1)))
        branch = _select(
            *(_as(node.copy(), column) for column, node in grain),
            *(exp.column(k) for k in keys),
            _as(exp.Literal.number(number), "step_number"),
            _as(exp.Literal.string(name), "step"),
            _as(exp.CountIf(this=reached), measure),
            *([] if closed else [_as(exp.CountIf(this=funnelled), through)]),
            source="per_session",
        )
        if group:
            branch = branch.group_by(
                *(exp.Literal.number(i) for i in range(1, len(group) + 1)), copy=False
            )
        branches.append(branch)
    union: exp.Query = branches[0]
    for later in branches[1:]:
        union = exp.union(union, later, distinct=False, copy=False)

    # The conversion is the closed funnel's, so never above 100%: of each step's own
    # count, or of the closed count shown beside each step on its own.
    counted = measure if closed else through

    def pct_of(function: type[exp.Func]) -> exp.Expr:
        other = exp.Window(
            this=function(this=exp.column(counted)),
            partition_by=[exp.column(k) for k in group],
            order=exp.Order(expressions=[_ascending(exp.column("step_number"))]),
        )
        whole = exp.Nullif(this=other, expression=exp.Literal.number(0))
        part = exp.Mul(this=exp.column(counted), expression=exp.Literal.number(100))
        return _round(exp.Div(this=part, expression=whole))

    conversion = [
        _as(pct_of(exp.FirstValue), "pct_of_first_step"),
        _as(pct_of(exp.Lag), "pct_of_previous_step"),
    ]
    query = _select(
        *(exp.column(k) for k in group),
        exp.column("step_number"),
        exp.column("step"),
        exp.column(measure),
        *([] if closed else [exp.column(through)]),
        *conversion,
        source="funnel",
    ).order_by(*(_ascending(exp.column(k)) for k in [*group, "step_number"]), copy=False)
    return _with(query, per_session=per_session, funnel=union)


def _counted_steps(plan: Plan, model: SemanticModel) -> list[Filter]:
    """The steps counted side by side, each as the filter of its events."""
    if not plan.steps:
        return []
    step_name = step_dimension(model)
    known = [str(s) for s in model.funnel["steps"]]
    unknown = [s for s in plan.steps if s not in known]
    if step_name is None or unknown or len(set(plan.steps)) < len(plan.steps):
        raise PlanningError(
            f"The steps {', '.join(plan.steps)} are not the funnel's steps, each named once.",
            hint=f"The funnel's steps are {', '.join(known)}, and the model needs a dimension "
            "on the step column.",
        )
    return [Filter(step_name, (s,)) for s in plan.steps]


def sessions_tree(
    plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None
) -> exp.Select:
    """Sessions that have (or lack) events of the conditions, per breakdown value and
    period; with a rate, also how many of them meet the rate's conditions, and their %."""
    from sqlglot import exp

    known = [str(s) for s in model.funnel.get("steps", [])]
    step = step_dimension(model)
    if plan.steps and step in plan.dimensions:
        # "How many sessions reached each step": a row per step, each on its own.
        if plan.session_filters or plan.session_rate or any(s not in known for s in plan.steps):
            raise PlanningError(
                "Sessions at each step are counted over the funnel's steps only.",
                hint=f"The funnel's steps are {', '.join(known)}.",
            )
        rest = tuple(d for d in plan.dimensions if d != step)
        return funnel_tree(replace(plan, dimensions=rest), model, metric, as_of, closed=False)
    shares, grows = _shares_and_growth(plan, model)
    if plan.steps and plan.session_rate:
        raise PlanningError(
            "Sessions at each step and a rate cannot be read together yet.",
            hint="Ask for the sessions at each step, or for the rate, on its own.",
        )
    table = str(model.funnel["table"])
    asked = [*plan.session_filters, *plan.session_rate, *_counted_steps(plan, model)]
    flags = [_event_condition(model, table, f) for f in asked]
    per_session, keys = _per_session(plan, model, metric, flags, as_of)

    def meets(found: list[tuple[int, Filter]]) -> list[exp.Expr]:
        return [
            exp.Not(this=exp.column(f"flag_{i}")) if f.negate else exp.column(f"flag_{i}")
            for i, f in found
        ]

    numbered = list(enumerate(asked, 1))
    n_base, n_rate = len(plan.session_filters), len(plan.session_rate)
    base = meets(numbered[:n_base])
    rate = meets(numbered[n_base : n_base + n_rate])
    each = meets(numbered[n_base + n_rate :])
    grain = _grain_keys(plan)
    measure = str(model.funnel["measure"])
    count = exp.Count(this=exp.Star(), big_int=True)
    select: list[exp.Expr] = [
        *(_as(node.copy(), column) for column, node in grain),
        *(exp.column(k) for k in keys),
    ]
    if base or not each:
        select.append(_as(count, measure))
    if shares:  # the whole each share is of beside it, as every other share shows it
        select += _share_columns(count, grain, measure)
    # "how many sessions had a product view, how many reached the cart": side by side.
    select += [
        _as(exp.CountIf(this=flag), f"{name}_{measure}")
        for name, flag in zip(plan.steps, each, strict=True)
    ]
    shown = exp.column(measure if base or not each else f"{plan.steps[0]}_{measure}")
    if rate:
        matching = exp.CountIf(this=exp.and_(*rate, copy=False))
        share = exp.Div(
            this=exp.Mul(this=matching.copy(), expression=exp.Literal.number(100)),
            expression=exp.Nullif(this=count.copy(), expression=exp.Literal.number(0)),
        )
        select += [_as(matching, f"matching_{measure}"), _as(_round(share), "matching_pct")]
        shown = exp.column("matching_pct")
    query = _select(*select, source="per_session")
    where = base
    if where:
        query = query.where(exp.and_(*where, copy=False), copy=False)
    group = [name for name, _ in grain] + keys
    if group:
        query = query.group_by(
            *(exp.Literal.number(i) for i in range(1, len(group) + 1)), copy=False
        )
    # Periods in time order, unless ranked ("which weekday had the most sessions",
    # "busiest first"); groups by the measure shown, each then by name.
    ranked = bool(keys and not grain) or plan.limit is not None or plan.order in {"asc", "desc"}
    order = [exp.Ordered(this=shown, desc=plan.order != "asc")] if ranked else []
    order += [_ascending(exp.column(name)) for name, _ in grain]
    order += [_ascending(exp.column(k)) for k in keys]
    if grows:
        return _growth(query, [name for name, _ in grain], measure, per_session)
    if order:
        query = query.order_by(*order, copy=False)
    return _with(_limit(query, plan.limit), per_session=per_session)


def _shares_and_growth(plan: Plan, model: SemanticModel) -> tuple[bool, bool]:
    """Whether sessions by their first event's period get each group's share ("what share
    of sessions came from each traffic source": of all the sessions of its period, or of
    all of them without a grain) and each period's change on the one before ("sessions
    per year and the % change vs the prior year"; over all time only, as a window would
    leave its first period without one). Not with conditions on sessions or filters.
    Whatever else the plan asks that such an answer does not compute is refused."""
    plain = not (plan.session_filters or plan.session_rate or plan.steps)
    plain = plain and not (plan.filters or plan.conditions)
    shares = plan.share and plain and not plan.share_within and bool(plan.dimensions)
    grows = (
        plan.growth
        and plain
        and bool(plan.grain)
        and not plan.dimensions
        and plan.time_window is None
        and plan.limit is None
        and plan.order in {"auto", "time"}
    )
    conditioned = plan.session_filters or plan.session_rate or plan.steps
    _check(
        replace(plan, share=plan.share and not shares, growth=plan.growth and not grows),
        model,
        "A condition on sessions" if conditioned else "Sessions by their first event's period",
    )
    return shares, grows


def _share_columns(
    count: exp.Expr, grain: list[tuple[str, exp.Expr]], measure: str
) -> list[exp.Expr]:
    """The sum of ``count`` over the groups of its period (over all groups), and
    ``count`` as a % of it."""
    from sqlglot import exp

    whole = exp.Window(
        this=exp.Sum(this=count.copy()), partition_by=[node.copy() for _, node in grain] or None
    )
    part = exp.Mul(this=count.copy(), expression=exp.Literal.number(100))
    share = _round(exp.Div(this=part, expression=whole.copy()))
    return [_as(whole, f"all_{measure}"), _as(share, "share_pct")]


def _growth(
    periods: exp.Select, keys: list[str], measure: str, per_session: exp.Select
) -> exp.Select:
    """Each period of ``periods`` with the one before it and the change in %, as a series
    of any other measure shows it."""
    from sqlglot import exp

    def ordered() -> list[exp.Ordered]:
        return [_ascending(exp.column(k)) for k in keys]

    previous = _previous_period(measure, keys)
    with_previous = _select(exp.Star(), _as(previous, "previous"), source="periods")
    change = exp.Mul(
        this=exp.Div(
            this=exp.Paren(
                this=exp.Sub(this=exp.column(measure), expression=exp.column("previous"))
            ),
            expression=exp.column("previous"),
        ),
        expression=exp.Literal.number(100),
    )
    query = _select(
        *(exp.column(k) for k in keys),
        exp.column(measure),
        _as(exp.column("previous"), f"{measure}_previous"),
        _as(_round(change), "growth_pct"),
        source="with_previous",
    ).order_by(*ordered(), copy=False)
    return _with(query, per_session=per_session, periods=periods, with_previous=with_previous)


def headline(plan: Plan, model: SemanticModel) -> str:
    """What is counted: 'Sessions reaching each step of the funnel (product, cart,
    purchase)', 'Sessions with an event whose event type is cart'."""
    from lgda_nb.planner._interpret import _join

    label = model.metric(str(model.funnel["measure"])).label
    if _each_step(plan, model):
        return f"{label} at each step ({', '.join(plan.steps)})"
    if plan.funnel:
        steps = funnel_steps(plan, model)
        return f"{label} reaching each step of the funnel ({', '.join(steps)})"
    base = _join([_has(model, f) for f in plan.session_filters])
    if plan.session_rate and plan.limit:
        # Ranked by the %: "Top browser by the % of sessions ... that have ...".
        return f"the % of {label.lower()} {base} that have {_outcome(model, plan)}".replace(
            "  ", " "
        )
    return f"{label} {base}" if base else label


def shown_dimensions(plan: Plan, model: SemanticModel) -> tuple[str, ...]:
    """The breakdowns the sentence names: the steps themselves are named in the headline."""
    step = step_dimension(model)
    return tuple(d for d in plan.dimensions if not (_each_step(plan, model) and d == step))


def _each_step(plan: Plan, model: SemanticModel) -> bool:
    """A row per step, each counted on its own ("how many sessions reached each step")."""
    return bool(plan.steps) and not plan.funnel and step_dimension(model) in plan.dimensions


def clauses(plan: Plan, model: SemanticModel) -> list[str]:
    """How the steps, the rate and the dates are computed, in words."""
    said: list[str] = []
    if plan.funnel:
        first = funnel_steps(plan, model)[0]
        said.append(
            "a session reaches a step only if it also has an event of every earlier step; "
            f"conversion is each step's sessions as a % of the first step ({first}) and of "
            "the step before"
        )
    if _each_step(plan, model):
        said.append(
            "each step counted on its own, and beside it the sessions that also have an "
            "event of every earlier step (the closed funnel) with its conversion"
        )
    elif plan.steps and not plan.funnel:
        whose = "how many of them" if plan.session_filters else "how many"
        said.append(
            f"with {whose} have an event of each step ({', '.join(plan.steps)}), each step "
            "counted on its own"
        )
    if plan.session_rate and plan.limit:
        said.append("with both counts beside it")
    elif plan.session_rate:
        said.append(f"with how many of them have {_outcome(model, plan)}, and their %")
    if plan.grain:
        said.append(f"each session in the {plan.grain} of its first event")
    return said


def _outcome(model: SemanticModel, plan: Plan) -> str:
    """What the rate's sessions have: 'an event whose event type is purchase'."""
    from dataclasses import replace

    from lgda_nb.planner._interpret import _join, filter_text

    return _join([
        f"no event whose {filter_text(model, replace(f, negate=False))}" if f.negate
        else f"an event whose {filter_text(model, f)}"
        for f in plan.session_rate
    ])  # fmt: skip


def _has(model: SemanticModel, f: Filter) -> str:
    from dataclasses import replace

    from lgda_nb.planner._interpret import filter_text

    which = filter_text(model, replace(f, negate=False))
    return f"with no event whose {which}" if f.negate else f"with an event whose {which}"
