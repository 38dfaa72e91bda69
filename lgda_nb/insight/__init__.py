"""Facts, insight text and chart specs for a result: pure functions of a DataFrame.

``analyze`` computes deterministic facts, ``insight_text`` words them and
``chart_spec`` picks a Vega-Lite chart; the engine's ``analyze_df`` stage calls
them. pandas loads only when one of them runs. The MIME type a front-end needs
for a spec is ``lgda_nb.insight._chart.MIME_TYPE``.
"""

from lgda_nb.insight._chart import chart_spec, json_value
from lgda_nb.insight._facts import (
    Facts,
    Item,
    MeasureFacts,
    Outlier,
    Shape,
    analyze,
    infer_shape,
)
from lgda_nb.insight._text import facts_numbers, format_value, insight_text, kpi_html

__all__ = [
    "Facts",
    "Item",
    "MeasureFacts",
    "Outlier",
    "Shape",
    "analyze",
    "chart_spec",
    "facts_numbers",
    "format_value",
    "infer_shape",
    "insight_text",
    "json_value",
    "kpi_html",
]
