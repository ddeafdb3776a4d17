"""Screenshots for the README (docs/screenshots/), retaken with `.venv/bin/python scripts/screenshots.py`.

Not a check: skipped unless MUTUALIS_SCREENSHOTS names the folder to write into.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from mutualis.procurements.models import Project

from .conftest import log_in

FOLDER = os.environ.get("MUTUALIS_SCREENSHOTS", "")
WIDTHS = {"1366": (1366, 768), "390": (390, 844)}

pytestmark = [
    pytest.mark.screenshots,
    pytest.mark.skipif(not FOLDER, reason="captures d'écran : MUTUALIS_SCREENSHOTS=dossier"),
]


def test_take_screenshots(browser, live_server, demo):
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    project = Project.objects.filter(lots__isnull=False).order_by("pk").first() or Project.objects.first()
    pages = {
        "accueil": reverse("www:home"),
        "registre": reverse("contracts:contract_list"),
        "projet": project.get_absolute_url(),
        "tableau": reverse("procurements:board"),
        "gains": reverse("gains:summary"),
    }
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport={"width": width, "height": height}
        )
        page = context.new_page()
        log_in(page, "acheteur")
        for name, path in pages.items():
            page.goto(path)
            page.screenshot(path=folder / f"{name}-{width_name}.png", full_page=False)
        context.close()
