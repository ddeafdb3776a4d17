"""The one way the application sends an e-mail: in French, a plain-text part (and an HTML one when the
sender has it), the territory named in the sender's display name, the subject and the closing lines.

    send_email(to=["a@b.fr"], subject="Contrat arrivant à échéance", body="Bonjour…")

sends « [GHT Côte-d'Or] Contrat arrivant à échéance » from « Mutualis — GHT Côte-d'Or
<ne-pas-repondre@…> » (the address of MUTUALIS_FROM_EMAIL, the territory's short name).
"""

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from mutualis.organisations.vocabulary import current_territory

APPLICATION = "Mutualis"


def sender() -> str:
    """« Mutualis — <territory> <address> »: the address of MUTUALIS_FROM_EMAIL, the name of this instance."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    territory = current_territory()
    name = f"{APPLICATION} — {territory.short_name}" if territory else APPLICATION
    local, _, domain = address.partition("@")
    return str(Address(display_name=name, username=local, domain=domain))


def subject_line(subject: str) -> str:
    territory = current_territory()
    subject = " ".join(subject.split())  # a header holds no line break
    return f"[{territory.short_name}] {subject}" if territory else subject


def closing() -> str:
    territory = current_territory()
    who = f"{APPLICATION}, {territory.name}" if territory else APPLICATION
    return f"\n\n-- \n{who}\nCe message est envoyé automatiquement : merci de ne pas y répondre.\n"


def send_email(
    *, to: list[str], subject: str, body: str, html: str = "", headers: dict[str, str] | None = None
) -> int:
    """Send one e-mail to the given addresses (each sees only their own: one message per address).
    `headers` adds some, e.g. the portal alerts' List-Unsubscribe (RFC 8058)."""
    sent = 0
    for address in to:
        message = EmailMultiAlternatives(
            subject=subject_line(subject),
            body=body.rstrip() + closing(),
            from_email=sender(),
            to=[address],
            headers={"Content-Language": "fr", "Auto-Submitted": "auto-generated", **(headers or {})},
        )
        if html:
            message.attach_alternative(html, "text/html")
        sent += message.send(fail_silently=False)
    return sent
