from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from homeward.audit import services as audit
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.organisations import mfa
from homeward.organisations.models import API_TOKEN_DEFAULT_DAYS, ApiToken, User

MAX_DAYS = 366


class Command(BaseCommand):
    help = (
        "Make an API bearer token for USERNAME and print it once (only its SHA-256 hash is "
        f"kept). It expires after --days days (default {API_TOKEN_DEFAULT_DAYS}) and acts "
        "as the user, through their active membership. Where two-factor authentication is "
        "required (HOMEWARD_MFA_REQUIRED), only for a user who has set it up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=API_TOKEN_DEFAULT_DAYS,
            help=f"days until it expires, 1 to {MAX_DAYS} (default {API_TOKEN_DEFAULT_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}")
        if not user.is_active:
            raise CommandError(f"{user.username} is not active: a token would not work")
        if mfa.mfa_required() and mfa.confirmed_device(user) is None:
            raise CommandError(
                f"{user.username} has not set up two-factor authentication, which this "
                "service requires: they must sign in and set up an authenticator app before "
                "a token can be made for them"
            )
        membership = user.active_membership()
        if membership is None:
            self.stderr.write(
                f"Warning: {user.username} has no active membership, so the token can "
                "see and do nothing until they have one."
            )
        with transaction.atomic():
            token, secret = ApiToken.issue(user, days=days)
            audit.record(
                Actor(user=None, membership=None, channel=CHANNEL_CLI),
                "create_token",
                "api_token",
                token.pk,
                details={"user": user.pk, "prefix": token.prefix, "days": days},
            )
        expires = timezone.localtime(token.expires_at).strftime("%-d %B %Y at %H:%M")
        self.stderr.write(
            f"API token {token.prefix}… for {user.username}, expires {expires}. "
            "It is shown once, below; keep it secret."
        )
        # The token alone on standard output, so that scripts can capture it.
        self.stdout.write(secret)
