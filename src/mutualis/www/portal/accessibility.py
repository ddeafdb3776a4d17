"""The portal's accessibility statement (RGAA). It says what was checked and how, no more: no audit has
been made, so the portal is declared non-conforming, whatever the automated checks find."""

from datetime import date

from .views import PortalPage

# Set when the statement's text or the checks behind it change (tests/browser/test_portal.py).
STATEMENT_DATE = date(2026, 12, 1)

# The pages the browser journey checks with axe-core and at 390 px: (label, URL name or "").
CHECKED_PAGES = (
    ("Accueil du portail", "portal:home"),
    ("Achats prévus, avec et sans filtre de famille", "portal:planned"),
    ("Fiche d'un achat prévu", ""),
    ("Alertes par e-mail : demande d'abonnement et demande enregistrée", "portal:alerts"),
    ("Confirmation d'un abonnement (lien reçu par e-mail), avant et après confirmation", ""),
    ("Manifester votre intérêt pour un achat prévu, et la page de remerciement", ""),
    ("Cette déclaration d'accessibilité", "portal:accessibility"),
)


class AccessibilityView(PortalPage):
    template_name = "www/portal/accessibility.html"
    page_title = "Déclaration d'accessibilité"

    def get_context_data(self, **kwargs):
        return super().get_context_data(statement_date=STATEMENT_DATE, checked_pages=CHECKED_PAGES, **kwargs)
