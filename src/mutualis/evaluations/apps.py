from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.evaluations"
    verbose_name = "Évaluation des fournisseurs"
