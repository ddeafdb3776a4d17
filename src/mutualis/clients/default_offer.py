"""The seven modules of the purchasing team's service offer, as first loaded (migration 0002); the
administrators then edit them in the application. Delays are in working days from the taking in charge."""

MODULES = (
    ("analyse-besoin", "Assistance à l'analyse du besoin", 10, "Cellule achats — acheteurs",
     "Reformuler le besoin avec le service demandeur : usages, volumes, contraintes, niveau de service "
     "attendu, et vérifier s'il n'est pas déjà couvert par un contrat en cours.",
     "Une fiche besoin validée avec vous et la liste des contrats existants qui peuvent y répondre."),
    ("sourcing", "Sourcing et benchmark", 15, "Cellule achats — acheteurs",
     "Identifier les fournisseurs possibles, comparer les offres du marché et les prix pratiqués par "
     "d'autres acheteurs publics (données essentielles publiées).",
     "Une note de sourcing : fournisseurs rencontrés, solutions, prix de référence et recommandations."),
    ("strategie", "Stratégie achat", 10, "Cellule achats — acheteurs",
     "Choisir l'allotissement, la durée, la forme de prix et la procédure, et les leviers de gain.",
     "Une fiche stratégie : procédure, lots, durée, leviers de performance et calendrier."),
    ("dce", "Co-construction du DCE", 20, "Cellule achats — acheteurs et juristes marchés",
     "Rédiger avec le service le cahier des charges, les critères et les pièces de la consultation.",
     "Un dossier de consultation complet (CCAP, CCTP, règlement, bordereau de prix) prêt à publier."),
    ("analyse-offres", "Accompagnement à l'analyse des offres", 10, "Cellule achats — acheteurs",
     "Appliquer la grille de notation, vérifier la régularité des offres et préparer le classement.",
     "Un rapport d'analyse des offres argumenté, critère par critère."),
    ("negociation", "Assistance à la négociation", 5, "Cellule achats — acheteurs",
     "Préparer et conduire la négociation quand la procédure la permet : objectifs, marges, questions.",
     "Une stratégie de négociation et le compte rendu des échanges avec les candidats."),
    ("suivi-execution", "Assistance au suivi d'exécution", 15,
     "Cellule achats — acheteurs et juristes marchés",
     "Suivre la qualité, les délais et la consommation du contrat ; traiter incidents et pénalités.",
     "Un tableau de bord d'exécution et l'appui de la cellule pour les incidents et avenants."),
)  # fmt: skip


def load_modules(model) -> int:
    """Create the modules missing by code (the model class: migrations pass the historical one)."""
    created = 0
    for position, (code, title, delay, team, description, deliverables) in enumerate(MODULES, start=1):
        _, new = model.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "delay_days": delay,
                "team": team,
                "description": description,
                "deliverables": deliverables,
                "position": position,
            },
        )
        created += new
    return created
