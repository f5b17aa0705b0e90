"""Machine accounts of terminal operators and partner NGOs, which may only submit appeals:

    manage.py intake_partner create NAME --kind terminal|ngo|other   (prints the token once)
    manage.py intake_partner list
    manage.py intake_partner revoke NAME                              (the token stops working)
    manage.py intake_partner rotate NAME                              (a new token, printed once)

Every change is audited (never the token)."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigil.appeals.models import IntakePartner
from vigil.appeals.services.intake import (
    intake_partner_create,
    intake_partner_revoke,
    intake_partner_rotate,
)
from vigil.audit.context import SYSTEM_CONTEXT


class Command(BaseCommand):
    help = "Create, list, revoke or rotate the intake tokens of terminals and partner NGOs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="A new partner; prints its token once.")
        create.add_argument("name")
        create.add_argument("--kind", required=True, choices=IntakePartner.Kind.values)
        actions.add_parser("list", help="The partners, their kind, state and last use.")
        revoke = actions.add_parser("revoke", help="Stop a partner's token.")
        revoke.add_argument("name")
        rotate = actions.add_parser("rotate", help="A new token (the old one stops); printed once.")
        rotate.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                partner, token = intake_partner_create(
                    name=options["name"], kind=options["kind"], context=SYSTEM_CONTEXT
                )
                self._token(partner, token)
            elif action == "rotate":
                partner, token = intake_partner_rotate(name=options["name"], context=SYSTEM_CONTEXT)
                self._token(partner, token)
            elif action == "revoke":
                partner = intake_partner_revoke(name=options["name"], context=SYSTEM_CONTEXT)
                self.stdout.write(f"Revoked: {partner.name} (token {partner.token_prefix}…)")
            else:
                self._list()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None

    def _token(self, partner: IntakePartner, token: str) -> None:
        self.stdout.write(f"Partner: {partner.name} ({partner.kind})")
        self.stdout.write(f"Token (shown once, keep it safe): {token}")
        self.stdout.write("Send it as the header: Authorization: Intake <token>")

    def _list(self) -> None:
        partners = IntakePartner.objects.order_by("name")
        if not partners:
            self.stdout.write("No intake partners.")
            return
        for partner in partners:
            used = (
                partner.last_used_at.isoformat(timespec="seconds") if partner.last_used_at else "-"
            )
            state = "active" if partner.active else "revoked"
            self.stdout.write(
                f"{partner.name}\t{partner.kind}\t{state}\t{partner.token_prefix}…\tlast used {used}"
            )
