from django.db import migrations

from mutualis.legal.rules import load_rules


def forwards(apps, schema_editor):
    """Copy the thresholds loaded so far (catalogue.Threshold, later decrees included), then load the
    shipped tables (legal/data/*.json): the one table of dated legal rules."""
    rule = apps.get_model("legal", "LegalRule")
    for old in apps.get_model("catalogue", "Threshold").objects.all():
        rule.objects.update_or_create(
            rule=old.kind,
            scope="",
            nature=old.nature,
            buyer_kind=old.buyer_kind,
            valid_from=old.valid_from,
            defaults={"value": old.amount, "reference": old.reference},
        )
    load_rules(rule)


def backwards(apps, schema_editor):
    """Give the thresholds back to the catalogue table before it is recreated with its rows."""
    threshold = apps.get_model("catalogue", "Threshold")
    kinds = ["waiver", "publicity", "buyer_profile", "eu", "eu_sss"]
    for row in apps.get_model("legal", "LegalRule").objects.filter(rule__in=kinds, scope=""):
        threshold.objects.update_or_create(
            kind=row.rule,
            nature=row.nature,
            buyer_kind=row.buyer_kind,
            valid_from=row.valid_from,
            defaults={"amount": row.value, "reference": row.reference},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0001_initial"),
        ("catalogue", "0005_load_thresholds"),
    ]
    # The catalogue table is dropped only once its rows are copied here.
    run_before = [("catalogue", "0006_delete_threshold")]

    operations = [migrations.RunPython(forwards, backwards)]
