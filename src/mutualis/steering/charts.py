"""Charts of the steering pages and reports, drawn on the server as SVG by pygal (no external host, no
script: the SVG is shown as an image), each with its text alternative and the table of its data.

A chart is never the only way to read a figure (RGAA 1 and 4): the page and the report put its table
beside it, and the image's alternative says so. The palette is Okabe–Ito's (distinguishable by people
with colour-vision deficiencies), values are printed on the marks, and the background is white so that
the image stays readable in a high-contrast mode and on paper."""

import base64
from dataclasses import dataclass, field
from decimal import Decimal

import pygal
from pygal.style import Style

from mutualis.core.formats import number

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#595959",
    colors=PALETTE,
    font_family="Arial, 'Liberation Sans', sans-serif",
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)
KINDS = {"bar": pygal.Bar, "stacked": pygal.StackedBar, "line": pygal.Line}
KIND_NAMES = {"bar": "en barres", "stacked": "en barres empilées", "line": "en courbes"}


@dataclass
class Series:
    name: str
    values: list  # one per label; None where there is no figure


@dataclass
class Chart:
    title: str
    kind: str  # bar, stacked, line
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = ""
    target: Decimal | None = None  # drawn as a line « Objectif », and a column of the table

    @property
    def alt(self) -> str:
        return (
            f"Graphique {KIND_NAMES[self.kind]} : {self.title}. "
            "Les valeurs sont données dans le tableau qui suit."
        )

    @property
    def headers(self) -> list[str]:
        return [series.name for series in self.series] + (["Objectif"] if self.target is not None else [])

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table of the chart's data: one row per label, one column per series (and the target)."""
        rows = []
        for index, label in enumerate(self.labels):
            cells = [self.format(series.values[index]) for series in self.series]
            if self.target is not None:
                cells.append(self.format(self.target))
            rows.append((label, cells))
        return rows

    def format(self, figure) -> str:
        if figure is None:
            return "non disponible"
        decimals = 0 if Decimal(figure) == Decimal(figure).to_integral_value() else 1
        return f"{number(Decimal(figure), decimals)}{' ' + self.unit if self.unit else ''}"

    def svg(self) -> str:
        chart = KINDS[self.kind](
            style=STYLE,
            js=[],  # pygal's tooltips script is fetched from a CDN: never
            disable_xml_declaration=True,
            title=self.title,
            x_labels=self.labels,
            print_values=self.kind != "line",
            print_zeroes=False,
            show_legend=len(self.series) > 1 or self.target is not None,
            legend_at_bottom=True,
            value_formatter=lambda figure: self.format(figure) if figure is not None else "",
            width=800,
            height=420,
            truncate_legend=-1,  # a cut name would no longer say what the series is
            truncate_label=-1,
            legend_at_bottom_columns=1 if max(map(len, self.headers), default=0) > 30 else 2,
            x_label_rotation=30 if len(self.labels) > 6 or max(map(len, self.labels), default=0) > 14 else 0,
        )
        for series in self.series:
            chart.add(series.name, [None if v is None else float(v) for v in series.values])
        if self.target is not None:
            chart.add("Objectif", [float(self.target)] * len(self.labels), stroke_style={"dasharray": "6,4"})
        return chart.render(is_unicode=True)

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode()
