"""The demo's library for internal clients: six documents filed by module of the offer (and one by family),
written through the services by the team. Their files are produced here at load time, from the French text
below: spreadsheets with openpyxl, PDF with WeasyPrint (the project's PDF library); no file is shipped.

The needs-definition template has two versions; the offers' analysis grid is the team's only; the linen
ordering sheet is for the two establishments that use that contract. Built once, then left alone."""

import io
from html import escape

from django.core.files.base import ContentFile
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.models import ServiceModule
from mutualis.library.models import Audience, Document, Kind
from mutualis.library.services import document_create, version_add
from mutualis.organisations.models import Entity, User

from .authorship import acting_as

NEED_COLUMNS = [
    ("N°", 6),
    ("Désignation du besoin", 30),
    ("Ce que le produit ou la prestation doit permettre", 40),
    ("Spécifications minimales (dimensions, performances, normes)", 40),
    ("Quantité annuelle estimée", 14),
    ("Unité (pièce, boîte, heure, forfait…)", 16),
    ("Calendrier ou fréquence des livraisons", 22),
    ("Lieux de livraison ou d'exécution", 26),
    ("Contraintes (hygiène, compatibilité, formation des agents…)", 36),
    ("Produit ou prestation utilisé aujourd'hui", 28),
    ("Fournisseur actuel, si vous le connaissez", 24),
    ("Observations", 30),
]
GREEN = ("Critères environnementaux et sociaux souhaités", 36)
NEED_COLUMNS_V2 = [*NEED_COLUMNS[:9], GREEN, *NEED_COLUMNS[9:]]
NEED_EXAMPLE = ["1", "Pansements hydrocellulaires",
                "Absorber l'exsudat des plaies chroniques sur 3 à 7 jours",
                "Tailles 10 × 10 et 15 × 15 cm, bord adhésif siliconé", "1200", "pièce",
                "Livraison mensuelle", "Pharmacie à usage intérieur, site principal",
                "Compatible avec la compression veineuse", "Modèle actuel à bord non adhésif", "",
                "Essai souhaité dans deux unités avant le choix"]  # fmt: skip
NEED_HOW_TO = [
    "Une ligne par produit ou par prestation : ne regroupez pas des besoins différents.",
    "Décrivez ce dont vous avez besoin, pas une marque : la cellule achats doit pouvoir mettre plusieurs "
    "fournisseurs en concurrence.",
    "Indiquez des quantités réalistes, à partir de la consommation de l'année passée si vous l'avez.",
    "Laissez vide ce que vous ne savez pas : l'acheteur en charge vous posera la question.",
    "Joignez la trame à votre demande d'accompagnement, module « Analyse et expression du besoin ».",
]
OFFER_GRID_COLUMNS = [("Critère", 34), ("Sous-critère", 34), ("Pondération (%)", 14),
                      ("Ce qui est attendu dans l'offre", 44), ("Note de 0 à 10", 12),
                      ("Note pondérée", 14), ("Justification de la note", 44)]  # fmt: skip
OFFER_GRID_ROWS = [
    ("Valeur technique", "Qualité et performance des produits", "",
     "Fiches techniques, résultats des essais"),
    ("Valeur technique", "Organisation des livraisons et du service après-vente", "",
     "Délais, interlocuteur dédié, procédure en cas de rupture"),
    ("Prix", "Prix du bordereau (détail quantitatif estimatif)", "", "Prix unitaires de toutes les lignes"),
    ("Performance environnementale", "Emballages et transport", "", "Moyens décrits et vérifiables"),
]  # fmt: skip

GUIDE_QUESTIONS = [
    ("Pourquoi la cellule achats vous pose des questions",
     ["Un achat public se prépare : pour mettre les fournisseurs en concurrence, l'acheteur doit décrire "
      "précisément ce que vous attendez, sans citer de marque, et estimer la dépense sur toute la durée du "
      "contrat. Vos réponses sont la matière première du cahier des charges."]),
    ("Les questions qui reviennent le plus souvent",
     ["Quoi ? Ce que le produit ou la prestation doit permettre, les performances minimales, les normes.",
      "Combien ? Les quantités consommées l'an passé et ce qui va changer (ouverture de lits, nouveau "
      "service).",
      "Quand et où ? La date à laquelle il vous faut le produit, les sites et les services livrés.",
      "Qui ? Les personnes qui utilisent le produit, celles qu'il faut former.",
      "Aujourd'hui ? Ce que vous utilisez, ce qui vous satisfait et ce qui ne vous satisfait pas."]),
    ("Comment bien répondre",
     ["Répondez par écrit sur la page de votre demande : la réponse reste jointe au dossier.",
      "Si vous ne savez pas, dites-le : l'acheteur cherchera l'information avec vous.",
      "Associez les utilisateurs : un cadre de santé, un technicien biomédical, un pharmacien."]),
    ("Ce qu'il vaut mieux éviter",
     ["Négocier vous-même avec un fournisseur pendant la consultation : cela peut fausser l'égalité entre "
      "les candidats et faire annuler la procédure.",
      "Reprendre mot pour mot la fiche commerciale d'un fournisseur dans votre description."]),
]  # fmt: skip
SOURCING_BOOKLET = [
    ("Le sourcing, qu'est-ce que c'est ?",
     ["Avant de lancer une consultation, l'acheteur peut rencontrer des fournisseurs, consulter des "
      "catalogues, visiter des salons ou interroger d'autres établissements. Il s'agit de connaître l'offre "
      "du marché : les produits existants, les innovations, les prix pratiqués, les délais."]),
    ("Ce que la cellule achats fait pour vous",
     ["Elle identifie les fournisseurs, y compris les petites entreprises et les structures de l'insertion.",
      "Elle organise les rencontres et les démonstrations, et en garde une trace écrite.",
      "Elle vous remet une note de synthèse : solutions possibles, ordre de prix, points de vigilance."]),
    ("Votre rôle de prescripteur",
     ["Participer aux démonstrations et donner l'avis des utilisateurs.",
      "Ne prendre aucun engagement auprès d'un fournisseur : ni commande, ni promesse de choix.",
      "Signaler à l'acheteur tout contact direct d'un fournisseur pendant cette période."]),
    ("Les règles à respecter",
     ["Tous les fournisseurs reçoivent les mêmes informations ; aucun n'écrit le cahier des charges.",
      "Les échanges sont tracés dans le dossier de l'achat.",
      "Les informations commerciales confiées par un fournisseur restent confidentielles."]),
]  # fmt: skip
CONTRACT_SHEET = [
    ("Avant de commander",
     ["Vérifiez sur la page « Contrats utilisables » qu'un marché en cours couvre votre besoin : commander "
      "hors marché ce qu'un marché couvre expose l'établissement."]),
    ("Pendant l'exécution",
     ["Signalez tout retard, toute non-conformité ou tout litige par la page « Incidents » : l'acheteur "
      "en charge du contrat s'en saisit et peut appliquer les pénalités prévues.",
      "Gardez les bons de livraison et les constats signés : ils prouvent les manquements."]),
    ("À l'échéance",
     ["Répondez aux évaluations qualité, coût, délai : elles guident le renouvellement du marché."]),
]  # fmt: skip
LINEN_SHEET = [
    ("Les commandes",
     ["Les dotations de linge plat et de tenues sont fixées par service ; une modification passe par le "
      "référent achats de l'établissement, qui la transmet au titulaire.",
      "Les commandes ponctuelles (couvertures, rideaux) se font sur le portail du titulaire, avec le "
      "numéro de marché."]),
    ("Les ramassages et livraisons",
     ["Le linge sale est ramassé deux fois par semaine, en sacs de couleur selon la nature du linge.",
      "Un linge manquant ou abîmé se signale sur le bon de livraison, puis dans la page « Incidents »."]),
]  # fmt: skip


def _sheet(rows_title: str, columns, rows=(), how_to=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = rows_title
    sheet.append([name for name, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    for row in rows:
        sheet.append(list(row))
    if how_to:
        guide = book.create_sheet("Mode d'emploi")
        guide.column_dimensions["A"].width = 110
        guide.append(["Comment remplir la trame"])
        guide["A1"].font = Font(bold=True, size=13)
        for line in how_to:
            guide.append([line])
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def _pdf(title: str, intro: str, sections) -> bytes:
    """A tagged PDF (PDF/UA, like the project's reports): a title, an introduction, sections of paragraphs."""
    import weasyprint  # loads its fonts at import time: only when the demo is built

    body = "".join(
        f"<h2>{escape(heading)}</h2>" + "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
        for heading, paragraphs in sections
    )
    page = (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        "<style>body{font-family:sans-serif;font-size:11pt;line-height:1.4}h1{font-size:18pt}"
        "h2{font-size:13pt;margin-top:1.2em}</style></head>"
        f"<body><h1>{escape(title)}</h1><p><em>{escape(intro)}</em></p>{body}"
        "<p>Cellule achats du GHT — document de la bibliothèque des clients internes.</p></body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")


def _documents() -> list[dict]:
    need_rows = [[*NEED_EXAMPLE[:9], "Sans latex ; emballage recyclable", *NEED_EXAMPLE[9:]]]
    need_sheet = _sheet("Besoins", NEED_COLUMNS, [NEED_EXAMPLE], NEED_HOW_TO)
    return [
        {
            "title": "Trame de définition du besoin",
            "kind": Kind.TEMPLATE,
            "module": "analyse-besoin",
            "summary": "Le tableau à remplir avant une demande d'accompagnement : une ligne par produit ou "
            "prestation, ce qu'il doit permettre, les quantités, les lieux et les contraintes. Un onglet "
            "« Mode d'emploi » explique chaque colonne.",
            "file": ("trame-definition-besoin.xlsx", need_sheet),
            "next": (
                "trame-definition-besoin.xlsx",
                _sheet("Besoins", NEED_COLUMNS_V2, need_rows, NEED_HOW_TO),
                "Ajout d'une colonne pour les critères environnementaux et sociaux.",
            ),
        },
        {
            "title": "Guide : répondre aux questions de la cellule achats",
            "kind": Kind.GUIDE,
            "module": "analyse-besoin",
            "summary": "Pourquoi l'acheteur vous interroge sur votre besoin, les questions qui reviennent le "
            "plus souvent et comment y répondre pour que la consultation parte sur de bonnes bases.",
            "file": (
                "guide-questions-cellule-achats.pdf",
                _pdf(
                    "Guide : répondre aux questions de la cellule achats",
                    "À l'usage des services prescripteurs des établissements du GHT.",
                    GUIDE_QUESTIONS,
                ),
            ),
        },
        {
            "title": "Livret du sourcing",
            "kind": Kind.BOOKLET,
            "module": "sourcing",
            "summary": "Ce qu'est le sourcing, ce que la cellule achats fait pour vous, votre rôle pendant "
            "les rencontres avec les fournisseurs et les règles qui protègent l'égalité entre candidats.",
            "file": (
                "livret-sourcing.pdf",
                _pdf("Livret du sourcing", "Connaître le marché avant de l'interroger.", SOURCING_BOOKLET),
            ),
        },
        {
            "title": "Fiche pratique : bien utiliser un marché en cours",
            "kind": Kind.SHEET,
            "module": "suivi-execution",
            "summary": "Vérifier qu'un marché couvre votre besoin avant de commander, signaler un incident "
            "pendant l'exécution, répondre aux évaluations.",
            "file": (
                "fiche-utiliser-un-marche.pdf",
                _pdf(
                    "Fiche pratique : bien utiliser un marché en cours",
                    "Les bons réflexes, de la commande à l'échéance.",
                    CONTRACT_SHEET,
                ),
            ),
        },
        {
            "title": "Grille d'analyse des offres (modèle de la cellule achats)",
            "kind": Kind.TEMPLATE,
            "module": "analyse-offres",
            "audience": Audience.TEAM,
            "summary": "Le modèle interne de grille de notation : critères, sous-critères, pondérations et "
            "justification de chaque note. Réservé aux acheteurs et aux juristes.",
            "file": ("grille-analyse-offres.xlsx", _sheet("Grille", OFFER_GRID_COLUMNS, OFFER_GRID_ROWS)),
        },
        {
            "title": "Fiche pratique : commander le linge des Ehpad",
            "kind": Kind.SHEET,
            "family": "HOT-02",
            "audience": Audience.ENTITIES,
            "entities": ("Hospices civils de Beaune", "CH de Semur-en-Auxois"),
            "summary": "Dotations, commandes ponctuelles, ramassages et signalement des manques sur le "
            "marché de location-entretien du linge des Ehpad.",
            "file": (
                "fiche-linge-ehpad.pdf",
                _pdf(
                    "Fiche pratique : commander le linge des Ehpad",
                    "Pour les établissements qui utilisent le marché de location-entretien du linge.",
                    LINEN_SHEET,
                ),
            ),
        },
    ]


def load_library(by_name: dict[str, User]) -> int:
    """The documents, put in by the buyer who runs the service offer; returns how many there are."""
    if Document.objects.exists():
        return Document.objects.count()
    buyer = by_name["acheteuse"]
    with acting_as(buyer):
        for spec in _documents():
            entities = Entity.objects.filter(short_name__in=spec.get("entities", ()))
            document = Document(
                title=spec["title"],
                summary=spec["summary"],
                kind=spec["kind"],
                module=ServiceModule.objects.filter(code=spec.get("module", "")).first(),
                family=PurchaseFamily.objects.filter(code=spec.get("family", "")).first(),
                audience=spec.get("audience", Audience.EVERYONE),
            )
            name, content = spec["file"]
            file = ContentFile(content, name)
            document_create(actor=buyer, document=document, entities=entities, file=file)
            if "next" in spec:
                name, content, note = spec["next"]
                version_add(actor=buyer, document=document, file=ContentFile(content, name), note=note)
    return Document.objects.count()
