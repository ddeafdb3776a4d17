"""The agglomeration demo as data: a purchase nomenclature for communes, the people, two groupements de
commandes and the procurement walk-through (`mutualis load_demo --territoire agglomeration`).

The agglomeration and its communes are real (data/agglomeration_dracenie.csv); the people, the
groupements and the projects are illustrative. Each commune buys for its own account (its own SIRET);
they buy together only through a groupement de commandes (L2113-6).
"""

from mutualis.organisations.roles import Role

from .procurements_data import (
    FIRM,
    FRAMEWORK,
    MAPA,
    OPEN,
    RENEWABLE,
    REVISABLE,
    SERVICES,
    SERVICES_GRID,
    SOCIAL,
    WORKS,
    WORKS_GRID,
    DemoProject,
)

EPCI_SIRET = "24830049300017"  # see data/SOURCE.md: SIREN from BANATIC, demo NIC
DRAGUIGNAN, VIDAUBAN, LE_MUY = "21830050700017", "21830148900017", "21830086100018"

# (code, label, nature, CPV codes, scope): the families a commune and its agglomeration buy in.
FAMILIES = [
    ("ADM-01", "Fournitures administratives et papier", "fournitures", "30192000, 30197000, 22800000", ""),
    ("ADM-02", "Matériel informatique", "fournitures", "30200000, 30230000", ""),
    ("ADM-03", "Télécommunications", "services", "64200000", ""),
    ("ADM-04", "Assurances", "services", "66510000", "Dommages aux biens, responsabilité civile, flotte."),
    (
        "RES-01",
        "Denrées pour la restauration scolaire",
        "fournitures",
        "15000000, 15800000",
        "Cantines des écoles et centres de loisirs ; loi EGalim (produits durables et de qualité).",
    ),
    ("BAT-01", "Nettoyage des locaux", "services", "90910000, 90911200", ""),
    (
        "BAT-02",
        "Maintenance des bâtiments communaux",
        "services",
        "50700000",
        "Chauffage, ventilation, climatisation.",
    ),
    ("ENE-01", "Électricité", "fournitures", "09310000", "Bâtiments et éclairage public."),
    ("ENV-01", "Collecte et traitement des déchets", "services", "90500000", ""),
    (
        "ESP-01",
        "Entretien des espaces verts",
        "services",
        "77310000, 77311000",
        "Parcs, jardins, terrains de sport.",
    ),
    (
        "VOI-01",
        "Travaux de voirie et réseaux divers",
        "travaux",
        "45233000, 45232000",
        "Valeur estimée par opération de travaux (art. R2121-5).",
    ),
    (
        "TRA-01",
        "Travaux de bâtiment",
        "travaux",
        "45210000, 45260000, 45300000, 45400000",
        "Valeur estimée par opération de travaux (art. R2121-5).",
    ),
    ("PI-01", "Maîtrise d'œuvre et ingénierie", "services", "71000000, 71200000", ""),
    ("VEH-01", "Véhicules", "fournitures", "34100000", ""),
    ("EPI-01", "Vêtements de travail et équipements de protection", "fournitures", "18100000", ""),
]

# (username, first name, last name, role, SIRET of the entity, job title). The agglomeration's own
# services (espaces verts, voirie, systèmes d'information) are people of the agglomeration entity.
USERS = [
    ("admin", "Claire", "Martin", Role.ADMIN, EPCI_SIRET, "Directrice de la commande publique mutualisée"),
    ("acheteur", "Julien", "Bernard", Role.BUYER, EPCI_SIRET, "Acheteur, service commun des achats"),
    ("acheteuse", "Sophie", "Petit", Role.BUYER, EPCI_SIRET, "Acheteuse, service commun des achats"),
    ("juriste", "Nadia", "Roux", Role.LEGAL_OFFICER, EPCI_SIRET, "Juriste marchés publics"),
    ("referent", "Marc", "Girard", Role.REFERENT, VIDAUBAN, "Responsable des achats, commune de Vidauban"),
    ("referente", "Laure", "Blanc", Role.REFERENT, LE_MUY, "Directrice générale des services, Le Muy"),
    (
        "correspondant",
        "Élodie",
        "Faure",
        Role.FAMILY_CORRESPONDENT,
        DRAGUIGNAN,
        "Responsable de la restauration scolaire, Draguignan",
    ),
    ("prescripteur", "Thomas", "Lambert", Role.PRESCRIBER, EPCI_SIRET, "Direction des espaces verts"),
    ("gouvernance", "Hélène", "Mercier", Role.GOVERNANCE, EPCI_SIRET, "Vice-présidente, commande publique"),
    ("controleur", "Isabelle", "Morel", Role.CONTROLLER, EPCI_SIRET, "Contrôleuse de gestion"),
]  # fmt: skip

# name, coordinator (short name), families, members (short names: signed, then decided only), scope
GROUPS = [
    (
        "Groupement fournitures administratives et informatique de la Dracénie",
        "DPVa",
        ["ADM-01", "ADM-02"],
        ["Draguignan", "Vidauban", "Lorgues", "Les Arcs", "Trans-en-Provence", "Flayosc", "Salernes"],
        ["Figanières"],
        "Fournitures de bureau, papier, postes de travail et périphériques des communes membres.",
    ),
    (
        "Groupement restauration scolaire",
        "Draguignan",
        ["RES-01"],
        ["Les Arcs", "Trans-en-Provence", "Taradeau", "La Motte", "Flayosc"],
        ["Callas"],
        "Denrées alimentaires des cantines scolaires et des centres de loisirs.",
    ),
]

# The needs each member may declare (family code -> description); ESP-01 is open in the campaign with
# no line declared, left for the walk-through of the pooling opportunity.
NEEDS = {
    "ADM-01": "Papier, enveloppes et fournitures de bureau de la mairie",
    "ADM-02": "Renouvellement des postes de travail des services",
    "BAT-01": "Nettoyage des écoles et de l'hôtel de ville",
    "ENE-01": "Électricité des bâtiments communaux",
    "RES-01": "Denrées pour les cantines des écoles",
    "VEH-01": "Véhicule utilitaire des services techniques",
    "EPI-01": "Tenues des agents des services techniques",
    "VOI-01": "Réfection de la chaussée et des trottoirs",
}
QUIET = ("ESP-01",)
CAMPAIGN_GROUP = GROUPS[0][0]  # the campaign's needs become this groupement's project

AGGLO = ["DPVa"]
PROJECTS = [
    DemoProject(
        "Entretien des espaces verts et des terrains de sport de l'agglomération",
        "ESP-01",
        "77310000",
        procedure=OPEN,
        stop="sourcing",
        ends_ago=8,
        lots=[
            ("Parcs, jardins et giratoires", 380_000, "77313000"),
            ("Terrains de sport", 150_000, "77320000"),
        ],
        entities=AGGLO,
        buyer="acheteuse",
        grid=SERVICES_GRID,
        options={**SERVICES, **RENEWABLE, **SOCIAL},
    ),
    DemoProject(
        "Fourniture de papier et de fournitures de bureau",
        "ADM-01",
        "30192000",
        procedure=MAPA,
        stop="analyse",
        ends_ago=5,
        lots=[("Fournitures de bureau et papier", 160_000, "30192000")],
        group=GROUPS[0][0],
        options={**FRAMEWORK, **RENEWABLE, "price_types": REVISABLE},
        offers={
            1: [
                ("LYRECO FRANCE", "0.96", 7.5),
                ("NVBURO", "0.92", 6.5),
                ("BLS IMPRESSION BUROLIKE", "1.04", 7),
                ("ENCRE DISTRIBUTION", "1.08", 6),
            ]
        },
    ),
    DemoProject(
        "Travaux de voirie : programme annuel de réfection des chaussées",
        "VOI-01",
        "45233142",
        procedure=MAPA,
        stop="attribution",
        ends_ago=2,
        lots=[
            ("Chaussées et enrobés", 420_000, "45233142"),
            ("Réseaux d'eaux pluviales", 180_000, "45232130"),
        ],
        entities=AGGLO,
        buyer="acheteuse",
        grid=WORKS_GRID,
        options=WORKS,
        offers={
            1: [
                ("AXIMUM Rhône-Alpes Auvergne", "0.97", 8),
                ("BORTOLUZZI", "0.93", 6.5),
                ("CEGELEC MOBILITY", "1.05", 7.5),
            ],
            2: [("BBF RESEAUX", "0.95", 7.5), ("BORTOLUZZI", "1.02", 7)],
        },
    ),
    DemoProject(
        "Nettoyage des locaux de l'hôtel d'agglomération et des équipements communautaires",
        "BAT-01",
        "90911200",
        procedure=OPEN,
        stop="execution",
        ends_ago=45,
        lots=[("Nettoyage des locaux", 340_000, "90911200")],
        entities=AGGLO,
        grid=SERVICES_GRID,
        options={**SERVICES, **RENEWABLE, **SOCIAL},
        replaces=("Nettoyage des locaux de l'hôtel d'agglomération", "EDEN", 310_000),
        offers={1: [("EDEN", "0.98", 7.5), ("AZURIAL", "0.91", 7), ("AG NET", "1.06", 8)]},
    ),
    DemoProject(
        "Acquisition de véhicules électriques pour les services techniques",
        "VEH-01",
        "34144900",
        procedure=MAPA,
        stop="abandoned",
        ends_ago=12,
        lots=[("Véhicules utilitaires légers électriques", 150_000, "")],
        entities=AGGLO,
        options={"ccag": SERVICES["ccag"], "price_types": FIRM},
        abandon_at="dce",
        durations={"dce": 15},
        comment="Sans suite : les véhicules seront commandés auprès de l'UGAP (centrale d'achat, L2113-4).",
    ),
]
