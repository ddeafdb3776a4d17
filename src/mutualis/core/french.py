"""French grammar for names put into sentences: « l'espace du Groupement… », « de la Région… »."""

VOWELS = "aeiouyàâäéèêëîïôöùûüœæh"
# Names written without their article take the one of their first noun.
MASCULINE = {"groupement", "centre", "département", "syndicat", "conseil", "ght", "chu", "chr", "ch",
             "établissement", "hôpital", "ehpad", "territoire", "pôle", "réseau", "service"}  # fmt: skip
FEMININE = {"région", "communauté", "métropole", "ville", "commune", "agence", "direction", "union",
            "fédération", "association", "maison", "mutuelle", "université", "collectivité"}  # fmt: skip


def of(name: str) -> str:
    prefix, rest = of_parts(name)
    return prefix + rest


def of_parts(name: str) -> tuple[str, str]:
    """« de » with the article a name needs: Groupement X → « du Groupement X », Le Mans → « du Mans »,
    La Rochelle → « de la Rochelle », Les Ulis → « des Ulis », Amiens → « d'Amiens », Paris → « de Paris »."""
    name = " ".join(str(name or "").split())
    if not name:
        return "", ""
    lower = name.lower()
    for article, contracted in (
        ("le ", "du "),
        ("les ", "des "),
        ("la ", "de la "),
        ("l'", "de l'"),
        ("l’", "de l’"),
    ):
        if lower.startswith(article):
            return contracted, name[len(article) :]
    first = lower.split()[0].strip(",.")
    if first in FEMININE:
        return "de la ", name
    if first in MASCULINE:
        return ("de l'", name) if first[0] in VOWELS else ("du ", name)
    if lower[0] in VOWELS:
        return "d'", name
    return "de ", name
