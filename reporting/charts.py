"""Trend charts of one indicator for one unit: values per period, the target line (and the
target band when the target is a range), Swedish period labels and a title.

Rendering uses matplotlib's Agg machinery through ``matplotlib.figure.Figure`` directly, never
``pyplot``: pyplot keeps global state that is not safe across the threads of a web server.
Every chart also has a text alternative (``IndicatorChart.description`` for ``alt`` and the
points for a table), built from the same data as the image so that the two cannot disagree.
"""

import hashlib
import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # before anything could import pyplot: no display, no GUI toolkit
# A fixed salt for the ids inside an SVG, so that the same chart gives the same bytes. Set once
# at import, never changed afterwards, so no thread ever sees it change.
matplotlib.rcParams["svg.hashsalt"] = "tillit"

from matplotlib.figure import Figure  # noqa: E402  (must follow matplotlib.use)
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.utils.formats import number_format  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from governance import scope  # noqa: E402
from governance.models import Period  # noqa: E402
from reporting.models import ReportingRound  # noqa: E402
from scorecards import selectors as scorecard_selectors  # noqa: E402
from scorecards.evaluation import index_targets, judged_period, resolve_target  # noqa: E402
from scorecards.models import Measurement, ScorecardIndicator, Target  # noqa: E402
from scorecards.status import Direction  # noqa: E402

# The stylesheet's palette, so that the chart reads like the page around it.
LINE_COLOUR = "#1d4ed8"
TARGET_COLOUR = "#065f46"
BAND_COLOUR = "#d1fae5"
GRID_COLOUR = "#d1d5db"
INK = "#1f2937"

WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.4, 3.2, 100
WIDTH_PX, HEIGHT_PX = int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI)

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}

# The Content-Security-Policy of an SVG chart's own response. Opened on its own URL the SVG is a
# document under that policy, not the page's, and matplotlib draws with inline styles (a <style>
# element and style attributes) that the site's policy (style-src 'self') would block, leaving
# the chart unreadable. The SVG holds no script, handler or outside reference (it is drawn here
# from numbers and escaped text, with text as paths), so its policy allows inline styles and
# nothing else: no script, no image, font or connection, no framing by another site.
SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


# --- formatting shared by the chart, its text alternative and the pages ------------------------

def format_number(value, decimals=1):
    """A number as the reader expects it in the active language (decimal comma in Swedish)."""
    if value is None:
        return ""
    return number_format(Decimal(value), decimal_pos=decimals, use_l10n=True)


def format_value(value, indicator):
    """A value with the indicator's unit symbol, e.g. "78,5 %"; "" when there is none."""
    if value is None:
        return ""
    text = format_number(value, indicator.decimals)
    symbol = indicator.unit_symbol
    return f"{text} {symbol}" if symbol else text


def format_target(target, indicator):
    """The target in words a board member can read: "≥ 90,0 %", "≤ 14 dagar", "70,0–80,0 %"."""
    if target is None or target.target_value is None:
        return ""
    direction = Direction(indicator.direction)
    if direction == Direction.TARGET and target.target_max is not None and target.target_max != target.target_value:
        low, high = sorted((target.target_value, target.target_max))
        text = f"{format_number(low, indicator.decimals)}–{format_number(high, indicator.decimals)}"
        return f"{text} {indicator.unit_symbol}".strip()
    prefix = {Direction.INCREASE: "≥ ", Direction.DECREASE: "≤ "}.get(direction, "")
    return f"{prefix}{format_value(target.target_value, indicator)}"


# --- the chart as data --------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: Decimal | None
    text: str  # the value as shown, "" when missing


# Comparison lines (Kolada: the whole country, other municipalities), dashed, in colours that
# differ from the value line and the target.
COMPARISON_COLOURS = ("#6b7280", "#b45309", "#7c3aed", "#0e7490")


@dataclass(frozen=True)
class ComparisonLine:
    """Another area's values beside the chart's points ("Riket", another municipality): one
    value per point, the yearly figure repeated over the periods of its year."""

    label: str
    points: tuple  # ChartPoint per chart point (same labels)


@dataclass(frozen=True)
class IndicatorChart:
    """Everything one trend chart shows, independent of how it is drawn."""

    indicator_name: str
    unit_name: str
    points: tuple
    target_value: Decimal | None
    target_max: Decimal | None
    target_text: str
    unit_symbol: str
    decimals: int
    comparisons: tuple = ()  # ComparisonLine

    @property
    def title(self):
        return f"{self.indicator_name} – {self.unit_name}"

    @property
    def has_values(self):
        return any(p.value is not None for p in self.points)

    @property
    def table_rows(self):
        """(point, [the comparisons' texts]) per point, for the table beside the image."""
        return [(p, [c.points[i].text for c in self.comparisons]) for i, p in enumerate(self.points)]

    @property
    def description(self):
        """A short text alternative for the image; the full values are in the table beside it."""
        parts = [_("Line chart of %(indicator)s for %(unit)s") % {"indicator": self.indicator_name, "unit": self.unit_name}]
        if self.points:
            parts.append(_("periods %(first)s to %(last)s") % {"first": self.points[0].label, "last": self.points[-1].label})
        latest = next((p for p in reversed(self.points) if p.value is not None), None)
        if latest is None:
            parts.append(_("no values yet"))
        else:
            parts.append(_("latest value %(value)s (%(period)s)") % {"value": latest.text, "period": latest.label})
        if self.target_text:
            parts.append(_("target %(target)s") % {"target": self.target_text})
        else:
            parts.append(_("no target set"))
        if self.comparisons:
            parts.append(_("compared with %(areas)s") % {"areas": ", ".join(c.label for c in self.comparisons)})
        return ", ".join(parts) + ". " + _("The values are also given as a table.")


def comparison_lines(*, indicator, series, comparisons):
    """ComparisonLines for the chart's periods from ``scorecards.selectors.ComparisonSeries``
    (yearly values): each period shows its year's value. Periods without a year (a snapshot's)
    get none."""
    lines = []
    yearly = getattr(indicator, "period_kind", "year") == "year"
    for comparison in comparisons or ():
        points = []
        for period, _value in series:
            start = getattr(period, "start", None)
            value = comparison.values.get(start.year) if start is not None else None
            points.append(ChartPoint(label=period.label, value=value, text=format_value(value, indicator)))
        if any(p.value is not None for p in points):
            label = comparison.label if yearly else _("%(area)s (yearly value)") % {"area": comparison.label}
            lines.append(ComparisonLine(label=label, points=tuple(points)))
    return tuple(lines)


def build_chart(*, indicator, unit, series, target, comparisons=None):
    """An IndicatorChart from an indicator, its unit, ``series`` [(Period, value or None)] and the
    Target row that applies (or None); ``comparisons`` are optional ComparisonSeries (Kolada)."""
    series = list(series)
    points = tuple(ChartPoint(label=period.label, value=value, text=format_value(value, indicator))
                   for period, value in series)
    return IndicatorChart(
        indicator_name=indicator.name, unit_name=unit.name, points=points,
        target_value=target.target_value if target else None,
        target_max=(target.target_max if target and indicator.direction == Direction.TARGET else None),
        target_text=format_target(target, indicator), unit_symbol=indicator.unit_symbol, decimals=indicator.decimals,
        comparisons=comparison_lines(indicator=indicator, series=series, comparisons=comparisons),
    )


def chart_for_row(row, comparisons=None):
    """The chart of an ``evidence.IndicatorRow`` gathered with ``with_details=True``."""
    return build_chart(indicator=row.indicator, unit=row.unit, series=row.series, target=row.evaluation.target,
                       comparisons=comparisons)


# --- reading the data for one chart (scoped, a fixed number of queries) --------------------------

def indicator_chart(*, user, link_pk, round_pk):
    """The chart of one scorecard indicator up to the end of a round's period, as ``user`` may
    see it. Raises ScorecardIndicator.DoesNotExist or ReportingRound.DoesNotExist (a 404) for
    anything outside the user's scope or not belonging to the round's board and year."""
    link = scorecard_selectors.scorecard_indicator_get(user=user, pk=link_pk)
    reporting_round = (ReportingRound.objects.filter(board__in=scope.readable_units(user))
                       .select_related("board", "period").get(pk=round_pk))
    unit = link.scorecard.unit
    if link.scorecard.year_id != reporting_round.period.year_id or not unit.is_within(reporting_round.board):
        raise ScorecardIndicator.DoesNotExist("The indicator does not report in this round.")
    indicator = link.indicator
    # The same periods as the drill-down's series: through the round's period, and always the
    # period the indicator is judged on (a yearly indicator's year, even in a tertial round).
    of_kind = list(Period.objects.filter(year_id=link.scorecard.year_id, kind=indicator.period_kind).order_by("start"))
    judged = judged_period(of_kind, kind=indicator.period_kind, within=reporting_round.period)
    periods = [p for p in of_kind if p.end <= reporting_round.period.end or p == judged]
    values = dict(Measurement.objects.filter(indicator=indicator, unit=unit, period__in=periods).order_by()
                  .values_list("period_id", "value"))
    targets = index_targets(Target.objects.filter(indicator=indicator, year_id=link.scorecard.year_id).order_by())
    target = resolve_target(targets, indicator_id=indicator.pk, year_id=link.scorecard.year_id, unit_id=unit.pk)
    comparisons = scorecard_selectors.comparison_series(indicators=[indicator], years=[link.scorecard.year.year])
    return build_chart(indicator=indicator, unit=unit, series=[(p, values.get(p.pk)) for p in periods], target=target,
                       comparisons=comparisons.get(indicator.pk))


# --- drawing ------------------------------------------------------------------------------------

# Change when the drawing changes, so that a shared cache holds no charts drawn the old way.
CHART_DRAWING_VERSION = 1
CHART_CACHE_SECONDS = 24 * 3600


def chart_fingerprint(chart, fmt):
    """What the drawn chart depends on: everything it shows (the IndicatorChart, a frozen dataclass
    of text, numbers and tuples, whose repr is stable), the format, the language of its labels and
    the drawing's version. Equal fingerprints give equal images."""
    text = f"{CHART_DRAWING_VERSION}|{fmt}|{get_language()}|{chart!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def rendered_chart(chart, fmt="svg"):
    """``render_chart``, remembered in the cache by the chart's fingerprint: (bytes, fingerprint).

    Drawing is most of a chart request (about 0.1 s of CPU), and a drill-down page asks for one
    chart per indicator row. The key is what the chart shows, not which indicator it is, so a
    changed value or target is a new key and nothing is ever stale; an adopted report's charts
    never change at all."""
    fingerprint = chart_fingerprint(chart, fmt)
    key = f"chart:{fingerprint}"
    body = cache.get(key)
    if body is None:
        body = render_chart(chart, fmt)
        cache.set(key, body, CHART_CACHE_SECONDS)
    return body, fingerprint


def render_chart(chart, fmt="svg"):
    """The chart as SVG or PNG bytes. A new Figure per call: nothing is shared between threads."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}")
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(chart.points)))
    values = [float(p.value) if p.value is not None else float("nan") for p in chart.points]

    if chart.target_value is not None:
        low = float(chart.target_value)
        if chart.target_max is not None:
            high = float(chart.target_max)
            low, high = min(low, high), max(low, high)
            axes.axhspan(low, high, color=BAND_COLOUR, zorder=0, label=_("Target range"))
            axes.axhline(high, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, zorder=1)
        axes.axhline(low, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, zorder=1,
                     label=_("Target %(target)s") % {"target": chart.target_text})
    if positions:
        axes.plot(positions, values, color=LINE_COLOUR, marker="o", linewidth=2, zorder=2, label=_("Value"))
        for index, line in enumerate(chart.comparisons):
            axes.plot(positions, [float(p.value) if p.value is not None else float("nan") for p in line.points],
                      color=COMPARISON_COLOURS[index % len(COMPARISON_COLOURS)], linestyle="--", marker="s",
                      markersize=3, linewidth=1.5, zorder=1.5, label=line.label)
    if not chart.has_values:
        axes.text(0.5, 0.7, _("No values yet"), transform=axes.transAxes, ha="center", va="center", color=INK,
                  fontsize=10, bbox={"facecolor": "white", "edgecolor": GRID_COLOUR, "boxstyle": "round,pad=0.4"})

    axes.set_title(textwrap.fill(chart.title, 80), loc="left", fontsize=10, color=INK)
    axes.margins(y=0.15)
    axes.set_xticks(positions, [p.label for p in chart.points], rotation=45 if len(positions) > 6 else 0,
                    ha="right" if len(positions) > 6 else "center", fontsize=8, color=INK)
    if positions:
        axes.set_xlim(-0.5, len(positions) - 0.5)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_number(y, min(chart.decimals, 2))))
    axes.tick_params(axis="y", labelsize=8, colors=INK)
    if chart.unit_symbol:
        axes.set_ylabel(chart.unit_symbol, fontsize=9, color=INK)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="best", fontsize=8, frameon=False)

    buffer = io.BytesIO()
    # No creation date in the file, so the same chart gives the same bytes.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
