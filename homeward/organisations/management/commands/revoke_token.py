from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import ValidationFailed
from homeward.organisations import services


class Command(BaseCommand):
    help = (
        "Revoke an API token by its prefix (hw_ and 8 characters, as printed when it was "
        "made and shown on the account pages), or by the whole token. It stops working at "
        "once; revoking is recorded in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            revoked = services.revoke_tokens_by_prefix(
                Actor(user=None, membership=None, channel=CHANNEL_CLI), options["prefix"]
            )
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        if not revoked:
            raise CommandError("No unrevoked token has that prefix")
        for token in revoked:
            self.stdout.write(f"Revoked {token.prefix}… ({token.user.get_username()})")
