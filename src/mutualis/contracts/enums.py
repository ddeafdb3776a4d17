"""Enumerations of the DECP 2.0.3 schema (DOMAIN.md §4.4): values are the schema's exact strings,
so that the registry exports without translation; labels are what users read."""

from django.db import models

# The procedure is the law's vocabulary (mutualis.legal); re-exported so the contracts keep one import.
from mutualis.legal.vocabulary import Procedure as Procedure


class ContractNature(models.TextChoices):
    CONTRACT = "Marché", "Marché"
    PARTNERSHIP = "Marché de partenariat", "Marché de partenariat"
    DEFENCE = "Marché de défense ou de sécurité", "Marché de défense ou de sécurité"


class Technique(models.TextChoices):
    FRAMEWORK = "Accord-cadre", "Accord-cadre"
    CONTEST = "Concours", "Concours"
    QUALIFICATION = "Système de qualification", "Système de qualification"
    DPS = "Système d'acquisition dynamique", "Système d'acquisition dynamique"
    CATALOGUE = "Catalogue électronique", "Catalogue électronique"
    AUCTION = "Enchère électronique", "Enchère électronique"
    NONE = "Sans objet", "Sans objet"


class ExecutionMode(models.TextChoices):
    TRANCHES = "Tranches", "Tranches"
    PURCHASE_ORDERS = "Bons de commande", "Bons de commande"
    SUBSEQUENT = "Marchés subséquents", "Marchés subséquents"
    NONE = "Sans objet", "Sans objet"


class Ccag(models.TextChoices):
    WORKS = "Travaux", "Travaux"
    DESIGN = "Maitrise d'œuvre", "Maîtrise d'œuvre"
    SUPPLIES_SERVICES = "Fournitures courantes et services", "Fournitures courantes et services"
    INDUSTRIAL = "Marchés industriels", "Marchés industriels"
    INTELLECTUAL = "Prestations intellectuelles", "Prestations intellectuelles"
    ICT = (
        "Techniques de l'information et de la communication",
        "Techniques de l'information et de la communication",
    )
    NONE = "Pas de CCAG", "Pas de CCAG"


class PriceType(models.TextChoices):
    FIRM = "Définitif ferme", "Définitif ferme"
    ADJUSTABLE = "Définitif actualisable", "Définitif actualisable"
    REVISABLE = "Définitif révisable", "Définitif révisable"
    PROVISIONAL = "Provisoire", "Provisoire"


class PriceForm(models.TextChoices):
    UNIT = "Unitaire", "Unitaire"
    LUMP_SUM = "Forfaitaire", "Forfaitaire"
    MIXED = "Mixte", "Mixte"


class GroupingKind(models.TextChoices):
    JOINT = "Conjoint", "Groupement conjoint"
    JOINT_AND_SEVERAL = "Solidaire", "Groupement solidaire"
    NONE = "Pas de groupement", "Pas de groupement"


class SocialConsideration(models.TextChoices):
    CLAUSE = "Clause sociale", "Clause sociale"
    CRITERION = "Critère social", "Critère social"
    RESERVED = "Marché réservé", "Marché réservé"
    NONE = "Pas de considération sociale", "Pas de considération sociale"


class EnvironmentalConsideration(models.TextChoices):
    CLAUSE = "Clause environnementale", "Clause environnementale"
    CRITERION = "Critère environnemental", "Critère environnemental"
    NONE = "Pas de considération environnementale", "Pas de considération environnementale"


class PlaceCodeType(models.TextChoices):
    POSTAL = "Code postal", "Code postal"
    COMMUNE = "Code commune", "Code commune (INSEE)"
    ARRONDISSEMENT = "Code arrondissement", "Code arrondissement"
    CANTON = "Code canton", "Code canton"
    DEPARTMENT = "Code département", "Code département"
    REGION = "Code région", "Code région"
    COUNTRY = "Code pays", "Code pays"


class HolderRole(models.TextChoices):
    SOLE = "sole", "Titulaire unique"
    LEAD = "lead", "Mandataire"
    MEMBER = "member", "Cotraitant"


class AmendmentKind(models.TextChoices):
    """Legal basis of a modification (CCP R2194-1 to R2194-9)."""

    REVIEW_CLAUSE = "review_clause", "Clause de réexamen (R2194-1)"
    ADDITIONAL = "additional", "Prestations supplémentaires devenues nécessaires (R2194-2)"
    UNFORESEEABLE = "unforeseeable", "Circonstances imprévisibles (R2194-5)"
    HOLDER_REPLACEMENT = "holder_replacement", "Remplacement du titulaire (R2194-6)"
    NON_SUBSTANTIAL = "non_substantial", "Modification non substantielle (R2194-7)"
    LOW_VALUE = "low_value", "Modification de faible montant (R2194-8)"
    UNSPECIFIED = "unspecified", "Fondement non précisé (données publiées importées)"


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", "Acte d'engagement / contrat"
    CCAP = "ccap", "CCAP"
    CCTP = "cctp", "CCTP"
    PRICES = "prices", "Bordereau des prix / DPGF"
    AMENDMENT = "amendment", "Avenant"
    OTHER = "other", "Autre document"


class RenewalDecisionKind(models.TextChoices):
    RENEW = "renew", "Reconduire"
    NOT_RENEW = "not_renew", "Ne pas reconduire (remise en concurrence)"
    RETENDER = "retender", "Relancer une consultation à l'échéance"
    LAPSE = "lapse", "Ne pas renouveler le besoin"
