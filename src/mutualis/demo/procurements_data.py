"""The demo's procurement projects, as data: one or more at every stage of the process map.

Dates are counted back from the day the demo is loaded: `ends_ago` is how many days ago the project
entered the stage where it stands (or was closed, or declared "sans suite"). Offers are given per lot
as (supplier, price as a share of the lot's estimate, quality out of 10); a quality of None marks an
offer set aside as irregular.
"""

from dataclasses import dataclass, field

from mutualis.contracts.enums import Ccag, PriceForm, PriceType, Procedure

OPEN, MAPA, DIRECT = Procedure.OPEN, Procedure.ADAPTED, Procedure.NO_COMPETITION
REVISABLE, FIRM = [PriceType.REVISABLE], [PriceType.FIRM]

SUPPLIES_GRID = [
    ("Prix", "price", 50),
    ("Valeur technique", "technical", 35),
    ("Performance environnementale", "environmental", 15),
]
SERVICES_GRID = [
    ("Prix", "price", 40),
    ("Valeur technique", "technical", 40),
    ("Performance environnementale", "environmental", 10),
    ("Performance sociale (insertion)", "social", 10),
]
WORKS_GRID = [
    ("Prix", "price", 60),
    ("Valeur technique", "technical", 30),
    ("Performance environnementale (chantier)", "environmental", 10),
]
EMERGENCY_GRID = [("Prix", "price", 60), ("Délai d'intervention", "delay", 40)]

# Days a project spends in each stage on its way to where it stands (within the map's expected days).
DURATIONS = {
    "besoin": 14,
    "sourcing": 15,
    "strategie": 7,
    "dce": 16,
    "publication": 33,
    "analyse": 12,
    "negociation": 8,
    "attribution": 3,
    "notification": 12,
    "execution": 0,
}


@dataclass
class DemoProject:
    object: str
    family: str
    cpv: str
    procedure: str
    stop: str  # the stage where it stands, or "closed" / "abandoned"
    ends_ago: int
    lots: list  # (title, estimated value in euros HT, CPV code or "")
    entities: list = field(default_factory=list)  # short names; empty for a joint purchasing group
    group: str = ""
    buyer: str = "acheteur"
    grid: list = field(default_factory=lambda: SUPPLIES_GRID)
    offers: dict = field(default_factory=dict)  # lot number -> [(supplier, price share, quality)]
    unsuccessful: dict = field(default_factory=dict)  # lot number -> reason
    options: dict = field(default_factory=dict)  # other Project fields
    durations: dict = field(default_factory=dict)
    abandon_at: str = ""
    comment: str = ""  # reason for "sans suite", or the closing note
    # The contract the project renews (object, holder, amount HT over its whole duration): its price per
    # year is the reference of the gain proposed at award.
    replaces: tuple = ()


ALL = [
    "CHU Dijon Bourgogne",
    "CH La Chartreuse",
    "Hospices civils de Beaune",
    "CH de Semur-en-Auxois",
    "CH d'Auxonne",
    "CH d'Is-sur-Tille",
    "CH de Haute Côte-d'Or",
]
FRAMEWORK = {"is_framework": True, "ccag": Ccag.SUPPLIES_SERVICES, "price_form": PriceForm.UNIT}
RENEWABLE = {"duration_months": 12, "renewal_count": 3, "renewal_period_months": 12}
SERVICES = {"ccag": Ccag.SUPPLIES_SERVICES, "price_form": PriceForm.UNIT, "price_types": REVISABLE}
WORKS = {"ccag": Ccag.WORKS, "price_form": PriceForm.LUMP_SUM, "price_types": FIRM, "duration_months": 6}
SOCIAL = {"social_condition": True}

PROJECTS = [
    DemoProject(
        "Transport sanitaire des patients entre les établissements du GHT",
        "LOG-02",
        "60130000",
        procedure=OPEN,
        stop="sourcing",
        ends_ago=34,  # late: the sourcing stage lasts 20 days
        lots=[("Transports assis professionnalisés et navettes inter-sites", 520_000, "")],
        entities=ALL,
        buyer="acheteuse",
        grid=SERVICES_GRID,
        options={**SERVICES, **RENEWABLE, **SOCIAL},
    ),
    DemoProject(
        "Prestations de blanchisserie et location-entretien du linge",
        "HOT-02",
        "98310000",
        procedure=OPEN,
        stop="strategie",
        ends_ago=4,
        lots=[
            ("Linge plat et linge des résidents", 450_000, "98310000"),
            ("Vêtements professionnels des agents", 240_000, "98311000"),
        ],
        entities=ALL[1:],
        grid=SERVICES_GRID,
        options={**SERVICES, **RENEWABLE, **SOCIAL},
    ),
    DemoProject(
        "Fourniture de réactifs de biologie médicale",
        "MED-03",
        "33696500",
        procedure=OPEN,
        stop="dce",
        ends_ago=9,
        lots=[
            ("Biochimie", 520_000, "33696300"),
            ("Hématologie", 310_000, "33696200"),
            ("Microbiologie", 180_000, "33696500"),
        ],
        entities=ALL[:4] + ALL[6:],
        buyer="acheteuse",
        options={**FRAMEWORK, **RENEWABLE, **SOCIAL},
    ),
    DemoProject(
        "Fourniture de gants d'examen et de gants chirurgicaux",
        "MED-02",
        "33141000",
        procedure=OPEN,
        stop="publication",
        ends_ago=12,
        lots=[
            ("Gants d'examen en nitrile non stériles", 260_000, "18424300"),
            ("Gants de chirurgie stériles", 145_000, "33141420"),
        ],
        entities=ALL,
        options={**FRAMEWORK, **RENEWABLE, **SOCIAL},
    ),
    # A second consultation open to offers, a small adapted procedure (the public portal lists both).
    DemoProject(
        "Fourniture de mobilier pour les salles d'attente",
        "LOG-04",
        "39100000",
        procedure=MAPA,
        stop="publication",
        ends_ago=6,
        lots=[("Assises et tables basses des salles d'attente", 85_000, "")],
        entities=ALL[1:4],
        options={"ccag": Ccag.SUPPLIES_SERVICES, "price_form": PriceForm.UNIT, "price_types": FIRM},
    ),
    DemoProject(
        "Collecte et traitement des déchets d'activités de soins",
        "LOG-01",
        "90524000",
        procedure=OPEN,
        stop="analyse",
        ends_ago=6,
        lots=[
            ("Déchets d'activités de soins à risques infectieux (DASRI)", 310_000, "90524400"),
            ("Déchets assimilés aux ordures ménagères", 125_000, "90511000"),
        ],
        entities=ALL,
        buyer="acheteuse",
        grid=SERVICES_GRID,
        options={**SERVICES, **RENEWABLE, **SOCIAL},
        offers={
            1: [
                ("SUEZ RV OUEST", "0.95", 8),
                ("PAPREC RES", "1.02", 7),
                ("SOCIETE DE RECUPERATION VACHER", "1.08", 6.5),
                ("TRIGENIUM", "0.55", 5),  # abnormally low: the buyer asks for its justification
            ],
            2: [
                ("SUEZ RV OUEST", "0.97", 7.5),
                ("SERPOL", "0.92", 6),
                ("VALEST", "1.05", 7),
            ],
        },
    ),
    DemoProject(
        "Maintenance et contrôle réglementaire des autoclaves de stérilisation",
        "MAI-02",
        "50421000",
        procedure=MAPA,
        stop="negociation",
        ends_ago=3,
        lots=[("Maintenance préventive, curative et requalification des autoclaves", 165_000, "")],
        entities=ALL[:3],
        grid=[*SERVICES_GRID[:3], ("Délai d'intervention", "delay", 10)],
        options={**SERVICES, "duration_months": 36},
        offers={
            1: [
                ("APAVE NORD-OUEST SAS", "0.96", 7.5),
                ("SOCOTEC EQUIPEMENTS", "1.04", 8.5),
                ("BUREAU VERITAS EXPLOITATION", "0.99", 7),
                ("APSI", "1.12", 6),
            ]
        },
    ),
    DemoProject(
        "Travaux de mise en accessibilité des Hospices civils de Beaune",
        "TRA-01",
        "45262700",
        procedure=MAPA,
        stop="attribution",
        ends_ago=2,
        lots=[
            ("Gros œuvre, voirie et rampes d'accès", 320_000, "45262700"),
            ("Menuiseries, cloisons et sanitaires adaptés", 210_000, "45332400"),
            ("Ascenseur et élévateur pour personnes à mobilité réduite", 150_000, "45313100"),
        ],
        entities=ALL[2:3],
        buyer="acheteuse",
        grid=WORKS_GRID,
        options=WORKS,
        offers={
            1: [
                ("LEFEBVRE ET GENTILHOMME", "1.03", 8),
                ("ENTREPRISE DUJARDIN", "0.94", 7),
                ("ENTREPRISE VITSE", "0.98", 7.5),
                ("PIC Batiment", "1.10", 6),
            ],
            2: [
                ("ECOPLAF", "0.91", 6.5),
                ("FLANDRES PLOMBERIE", "1.00", 8),
                ("SOCIETE DE PEINTURE DECORATION ENTRETIEN", "1.06", 7),
            ],
            3: [("OTIS", "1.02", 8.5), ("SNEF", "0.95", 7), ("ELECTRIFICATION INDUSTRIELLE", "1.08", 7.5)],
        },
    ),
    DemoProject(
        "Maintenance des ascenseurs, monte-charges et portes automatiques",
        "MAI-01",
        "50750000",
        procedure=OPEN,
        stop="notification",
        ends_ago=5,  # rejections sent: standstill running
        lots=[
            ("Ascenseurs et monte-charges", 320_000, "50750000"),
            ("Portes automatiques", 65_000, "50700000"),
        ],
        entities=ALL[:4] + ALL[6:],
        grid=SERVICES_GRID,
        options={**SERVICES, **RENEWABLE, **SOCIAL},
        replaces=("Maintenance des ascenseurs et monte-charges", "OTIS", 336_000),
        offers={
            1: [
                ("OTIS", "0.97", 8),
                ("SMF SERVICES", "0.90", 6.5),
                ("INEO ATLANTIQUE", "1.05", 7.5),
                ("ENGIE ENERGIE SERVICES", "0.93", 6),
            ]
        },
        unsuccessful={
            2: "Aucune offre reçue ; relance envisagée sans publicité ni mise en concurrence (R2122-2)."
        },
    ),
    DemoProject(
        "Fourniture de denrées alimentaires pour les cuisines des établissements",
        "HOT-01",
        "15800000",
        procedure=OPEN,
        stop="execution",
        ends_ago=40,
        lots=[
            ("Produits laitiers et ovoproduits", 420_000, "15500000"),
            ("Épicerie et produits secs", 360_000, "15800000"),
            ("Fruits et légumes frais", 300_000, "03221000"),
        ],
        group="Groupement restauration Côte-d'Or",
        buyer="acheteuse",
        options={**FRAMEWORK, **RENEWABLE, **SOCIAL},
        offers={
            1: [
                ("POMONA", "0.96", 8),
                ("SYSCO FRANCE", "1.02", 7.5),
                ("PRO A PRO DISTRIBUTION NORD", "1.07", 6.5),
                ("TRANSGOURMET OPERATIONS", "0.99", 6),
            ],
            2: [
                ("POMONA EPISAVEURS", "0.98", 7.5),
                ("PRO A PRO DISTRIBUTION NORD", "0.94", 7),
                ("SYSCO FRANCE", "1.04", 8),
                (
                    "TRANSGOURMET OPERATIONS",
                    "0.52",
                    None,
                ),  # abnormally low, not justified: rejected (R2152-4)
            ],
            3: [("LAON PRIMEURS", "0.97", 8.5), ("TERREAZUR", "0.93", 7), ("RIBEPRIM", "1.05", 6.5)],
        },
    ),
    DemoProject(
        "Location et installation en urgence d'un groupe froid pour la pharmacie à usage intérieur",
        "MAI-01",
        "50730000",
        procedure=DIRECT,
        stop="execution",
        ends_ago=20,
        lots=[("Location, installation et maintenance d'un groupe de production d'eau glacée", 95_000, "")],
        entities=ALL[3:4],
        grid=EMERGENCY_GRID,
        options={
            **SERVICES,
            "duration_months": 6,
            "is_emergency": True,
            "emergency_justification": (
                "Panne irréparable du groupe de production d'eau glacée du CH de Semur-en-Auxois : les "
                "chambres froides de la pharmacie à usage intérieur (médicaments thermosensibles) ne sont "
                "plus maintenues entre 2 et 8 °C. Circonstance imprévisible, extérieure à l'établissement, "
                "incompatible avec les délais d'une procédure même adaptée (R2122-1). Marché limité à six "
                "mois de location ; le remplacement définitif fera l'objet d'une consultation."
            ),
        },
        durations={"besoin": 1, "analyse": 2, "attribution": 1, "notification": 2},
        offers={1: [("DALKIA", "1.00", 8), ("AXIMA CONCEPT", "1.12", 7)]},
    ),
    DemoProject(
        "Fourniture de produits d'entretien et d'hygiène",
        "HOT-04",
        "39830000",
        procedure=MAPA,
        stop="execution",
        ends_ago=75,
        lots=[("Produits d'entretien, savons et essuie-mains", 150_000, "39830000")],
        entities=ALL[2:3] + ALL[4:6],
        options={**FRAMEWORK, **RENEWABLE, "price_types": REVISABLE},
        offers={
            1: [
                ("ORAPI HYGIENE", "0.95", 8),
                ("APHESTEGUY", "0.90", 6.5),
                ("LE GOFF", "1.03", 7),
                ("PAREDES CSE SAS", "1.08", 7.5),
            ]
        },
    ),
    DemoProject(
        "Réfection et isolation des toitures-terrasses du bâtiment B",
        "TRA-01",
        "45261000",
        procedure=MAPA,
        stop="closed",
        ends_ago=20,
        lots=[("Couverture, étanchéité et isolation", 240_000, "45261410")],
        entities=ALL[4:5],
        buyer="acheteuse",
        grid=WORKS_GRID,
        options={**WORKS, "duration_months": 4},
        durations={"execution": 210},
        offers={
            1: [
                ("SMAC", "0.97", 8.5),
                ("VUYLSTEKER ET FILS SARL", "0.93", 6.5),
                ("ENTREPRISE VITSE", "1.06", 7),
                ("BATIMENT PEINTURE SOL LITTORAL", "1.12", 6),
            ]
        },
        comment="Travaux réceptionnés sans réserve ; décompte général notifié, marché soldé.",
    ),
    DemoProject(
        "Acquisition de véhicules électriques de service",
        "VEH-01",
        "34144900",
        procedure=MAPA,
        stop="abandoned",
        ends_ago=10,
        lots=[("Véhicules utilitaires légers électriques", 180_000, "")],
        entities=ALL[:2],
        options={"ccag": Ccag.SUPPLIES_SERVICES, "price_types": FIRM},
        abandon_at="dce",
        durations={"dce": 15},
        comment="Sans suite : les véhicules seront commandés sur le marché de l'UGAP (centrale d'achat, "
        "L2113-4), dont les prix constatés sont inférieurs à notre estimation.",
    ),
]
