from django.apps import AppConfig


class LibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mutualis.library"
    verbose_name = "Bibliothèque des clients internes"
