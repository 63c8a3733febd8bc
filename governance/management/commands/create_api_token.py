"""Create an API token from the command line (operations): prints the key once.

    manage.py create_api_token --user integration-kolada --name "Kolada-import" [--expires-days 365]
        [--created-by strateg]

The token is created through ``governance.services.token_create`` as ``--created-by`` (default:
the first active superuser), so the same rule applies as on the token pages: ``--user`` is the
creator themselves or an integration account the creator manages, never another person.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance import services
from governance.models import User


class Command(BaseCommand):
    help = "Create an API token (the creator's own or an integration account's); the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The integration account (or the creator) the token is for.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until the token expires.")
        parser.add_argument("--created-by", default=None,
                            help="Username of the controller creating it (default: the user themselves for a "
                                 "person's own key, the first active superuser for an integration account).")

    def handle(self, *args, **options):
        for_user = User.objects.filter(username=options["user"]).first()
        if for_user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        if options["created_by"]:
            creator = User.objects.filter(username=options["created_by"], is_active=True).first()
            if creator is None:
                raise CommandError(f"No active user named {options['created_by']!r}.")
        elif not for_user.is_integration:
            creator = for_user  # a person's key is their own: they create it
        else:
            creator = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if creator is None:
                raise CommandError("There is no active superuser; give --created-by.")
        expires_at = None
        if options["expires_days"] is not None:
            if options["expires_days"] < 1:
                raise CommandError("--expires-days must be at least 1.")
            expires_at = timezone.now() + datetime.timedelta(days=options["expires_days"])
        try:
            token, key = services.token_create(user=creator, for_user=for_user, name=options["name"],
                                               expires_at=expires_at)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Created API token {token.name!r} (id {token.pk}) acting as {for_user.username}.")
        self.stdout.write("The key is shown only now; store it in the source system:")
        self.stdout.write(key)
