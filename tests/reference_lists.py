"""The reference lists that data migrations load, loaded again after a transactional test's flush."""


def load_reference_lists() -> None:
    """CPV codes, communes, legal rules, the process map, the service offer's modules and the satisfaction
    questions (of the requests and of the matinales), each only if its table is empty."""
    from mutualis.catalogue.models import CpvCode
    from mutualis.catalogue.reference import load_cpv
    from mutualis.clients.default_offer import load_modules
    from mutualis.clients.default_questions import load_questions
    from mutualis.clients.models import SatisfactionQuestion, ServiceModule
    from mutualis.events.default_questions import load_questions as load_event_questions
    from mutualis.events.models import EventQuestion
    from mutualis.geo.models import Commune
    from mutualis.geo.reference import load_communes
    from mutualis.legal.models import LegalRule
    from mutualis.legal.rules import load_rules
    from mutualis.procurements.models import ProcessMap, Stage
    from mutualis.procurements.reference import load_process_map

    for model, load in (
        (CpvCode, lambda: load_cpv(CpvCode)),
        (Commune, lambda: load_communes(Commune)),
        (LegalRule, lambda: load_rules(LegalRule)),
        (ProcessMap, lambda: load_process_map(ProcessMap, Stage)),
        (ServiceModule, lambda: load_modules(ServiceModule)),
        (SatisfactionQuestion, lambda: load_questions(SatisfactionQuestion)),
        (EventQuestion, lambda: load_event_questions(EventQuestion)),
    ):
        if not model.objects.exists():
            load()
