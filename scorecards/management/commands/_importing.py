"""What the two import commands share: finding the user to act as, reading the file, printing
the report and failing with a non-zero exit status when nothing was written."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from governance.models import User
from scorecards import importers


def add_common_arguments(parser):
    parser.add_argument("file", help="The file to import.")
    parser.add_argument("--user", required=True,
                        help="The user name to act as; the import may do only what this user may (scope).")
    parser.add_argument("--dry-run", action="store_true", help="Check and report, keep nothing.")


def find_user(username):
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {username!r}.")
    return user


def read_file(path):
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    size = path.stat().st_size
    message = importers.size_error(size)
    if message:
        raise CommandError(message)
    return path.read_bytes()


def run(command, *, options, kind):
    user = find_user(options["user"])
    data = read_file(options["file"])
    if callable(kind):
        kind = kind(data, str(options["file"]))
    try:
        report = importers.import_file(user=user, data=data, filename=str(options["file"]), dry_run=options["dry_run"],
                                       kind=kind)
    except PermissionDenied as error:
        raise CommandError(str(error) or "Permission denied.") from None
    if not report.ok:
        for line in report.text_lines(errors_only=True):
            command.stderr.write(line)
        raise CommandError("Nothing was imported: the file has errors (see above).")
    verbosity = int(options.get("verbosity", 1))
    for line in report.text_lines(errors_only=verbosity < 2):
        command.stdout.write(line)
    return report
