"""The report as a tagged PDF (PDF/UA), drawn by WeasyPrint like the offer analysis report."""

from django.template.loader import render_to_string

from mutualis.clients.satisfaction import MASKED

from .content import FLAGS_MISSING, ReportContent

TEMPLATE = "www/steering/report_print.html"


def render_pdf(content: ReportContent) -> bytes:
    # Imported here: WeasyPrint loads its fonts and libraries at import time, which pages don't need.
    import weasyprint

    html = render_to_string(
        TEMPLATE, {"content": content, "flags_missing": FLAGS_MISSING, "satisfaction_masked": MASKED}
    )
    # PDF/UA: tagged (headings, tables, figures with their alternative, language), for screen readers.
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
