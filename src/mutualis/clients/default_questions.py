"""The satisfaction questionnaire's first questions (migration 0004); the offer's administrators then edit
them in the application."""

QUESTIONS = (
    "Le service rendu a-t-il répondu à votre besoin ?",
    "Les délais annoncés ont-ils été tenus ?",
    "Comment jugez-vous la qualité des échanges avec l'acheteur ?",
    "Recommanderiez-vous ce service à un collègue ?",
)


def load_questions(model) -> int:
    """Create the questions missing by text (the model class: migrations pass the historical one)."""
    created = 0
    for position, text in enumerate(QUESTIONS, start=1):
        _, new = model.objects.get_or_create(text=text, defaults={"position": position})
        created += new
    return created
