"""The bodies of the spend map's large tables, written in Python: a year of a territory gives hundreds of
linked cells (40 families × the entities, twice, and the splitting flags), which the template engine
took most of the page's time to render. Same markup as a template would give; every text is escaped."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from mutualis.core.formats import number
from mutualis.spend.spendmap import SpendMap

from ..templatetags.spendmap import share

NUMBER = 'class="text-end text-nowrap"'


class Links:
    """The spend line list's URL with a figure's filters; the list's path is reversed once."""

    def __init__(self):
        self.base = reverse("spend:line_list")

    def __call__(self, params: dict, off: str = "") -> str:
        params = {**params, "off_contract": off} if off else params
        return escape(f"{self.base}?{urlencode(params)}")


def _link(url: str, text: str, hidden: str) -> str:
    return f'<a href="{url}">{text}<span class="visually-hidden"> : {hidden}</span></a>'


def grid_body(result: SpendMap) -> SafeString:
    """Family rows: one amount per entity, the total, the part under contract, its share."""
    link, out = Links(), []
    for row in result.rows:
        label = escape(row.label)
        cells = []
        for entity in result.entities:
            cell = row.cells.get(entity.pk)
            text = (
                "—"
                if cell is None
                else _link(link(cell.params), number(cell.total), f"{label}, {escape(entity.name)}")
            )
            cells.append(f"<td {NUMBER}>{text}</td>")
        if row.family is not None:
            narrowed = {**result.base, "family": row.key}
            header = (
                f'<a href="?{escape(urlencode(narrowed))}" title="Cartographie de cette famille">{label}</a>'
            )
        else:
            header = label
        total = row.total
        whole = _link(link(total.params), number(total.total), f"{label}, total")
        under = _link(link(total.params, "non"), number(total.on_contract), f"{label}, sous contrat")
        out.append(
            f'<tr><th scope="row" class="fw-normal">{header}</th>{"".join(cells)}'
            f'<td class="text-end text-nowrap fw-semibold">{whole}</td>'
            f"<td {NUMBER}>{under}</td><td {NUMBER}>{share(total)}</td></tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every text above went through escape()


def off_contract_body(result: SpendMap) -> SafeString:
    """Family rows with off-contract spend: the amount per entity, the total and the lines."""
    link, out = Links(), []
    for row in result.rows:
        if not row.total.off_lines:
            continue
        label = escape(row.label)
        cells = []
        for entity in result.entities:
            cell = row.cells.get(entity.pk)
            if cell is None or not cell.off_lines:
                cells.append(f"<td {NUMBER}>—</td>")
                continue
            hidden = f"{label}, {escape(entity.name)}, hors marché"
            cells.append(
                f"<td {NUMBER}>{_link(link(cell.params, 'oui'), number(cell.off_contract), hidden)}</td>"
            )
        total = row.total
        whole = _link(link(total.params, "oui"), number(total.off_contract), f"{label}, total hors marché")
        out.append(
            f'<tr><th scope="row" class="fw-normal">{label}</th>{"".join(cells)}'
            f'<td class="text-end text-nowrap fw-semibold">{whole}</td>'
            f'<td class="text-end">{total.off_lines}</td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every text above went through escape()


def splitting_body(result: SpendMap) -> SafeString:
    """One row per flag: buyer (and the entities behind it), family, nature, amount (the rows behind it),
    lines, thresholds reached."""
    link, out = Links(), []
    for flag in result.splitting.flags:
        family = escape(f"{flag.family.code} — {flag.family.label}")
        entity = escape(flag.buyer.name)
        behind = [e for e in flag.entities if e != flag.buyer] and flag.entities
        names = escape(", ".join(e.name for e in behind))
        whose = f'<span class="d-block small">Dépenses de : {names}</span>' if behind else ""
        crossings = "".join(
            f'<li>{escape(c.label)} : {number(c.value, 0)}&nbsp;€ HT <span class="small text-body-secondary">'
            f"({escape(c.reference)}, en vigueur depuis le {c.valid_from:%d/%m/%Y})</span></li>"
            for c in flag.crossings
        )
        hidden = f"lignes hors marché, {escape(flag.family.code)}, {entity}"
        out.append(
            f'<tr><td>{entity}{whose}</td><th scope="row" class="fw-normal">{family}</th>'
            f"<td>{escape(flag.family.get_nature_display())}</td>"
            f"<td {NUMBER}>{_link(link(flag.params), number(flag.amount), hidden)}</td>"
            f'<td class="text-end">{flag.lines}</td>'
            f'<td><ul class="list-unstyled mb-0">{crossings}</ul></td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every text above went through escape()
