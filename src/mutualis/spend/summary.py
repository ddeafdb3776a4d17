"""The French sentence that sums up a spend import, for the command and the run's page."""


def summary_of(counts: dict, *, dry_run: bool = False) -> str:
    prefix = "Simulation (rien n'a été enregistré) : " if dry_run else ""
    return (
        f"{prefix}{counts.get('read', 0)} mandats lus : {counts.get('created', 0)} créés, "
        f"{counts.get('replaced', 0)} remplacés, {counts.get('unchanged', 0)} inchangés, "
        f"{counts.get('rejected', 0)} rejetés ; {counts.get('matched', 0)} rattachés à un contrat, "
        f"{counts.get('off_contract', 0)} hors marché ; {counts.get('warnings', 0)} avertissements."
    )
