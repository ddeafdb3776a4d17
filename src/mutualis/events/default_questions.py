"""The matinales' questionnaire (migration 0002)."""

QUESTIONS = (
    "Le thème de la matinale répondait-il à vos attentes ?",
    "Les informations présentées vous seront-elles utiles dans vos achats ?",
    "Comment jugez-vous l'organisation (horaires, lieu, durée) ?",
    "Recommanderiez-vous cette matinale à un collègue ?",
)


def load_questions(model) -> int:
    """Create the questions missing by text (the model class: migrations pass the historical one)."""
    created = 0
    for position, text in enumerate(QUESTIONS, start=1):
        _, new = model.objects.get_or_create(text=text, defaults={"position": position})
        created += new
    return created
