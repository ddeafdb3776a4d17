from .load_legal_rules import Command as LoadLegalRules


class Command(LoadLegalRules):
    help = "Ancien nom de load_legal_rules (les seuils sont des règles juridiques datées comme les autres)."
