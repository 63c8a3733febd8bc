"""Check (or, with --compile, build) the Swedish message catalogue.

The interface is Swedish by default, so a string without a Swedish translation is a bug:
this fails when an entry of locale/sv/LC_MESSAGES/django.po is untranslated or fuzzy, or
when the compiled django.mo does not say the same as the .po. polib does the compiling, so
no GNU gettext is needed on the machine. Where GNU gettext's xgettext is installed (CI installs it),
the check also extracts the strings from the code with makemessages and fails when one of them is
missing from the catalogue, so a new English string cannot slip into the Swedish interface.

    python scripts/check_translations.py            # check
    python scripts/check_translations.py --compile  # write django.mo from django.po
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


ROOT = CATALOGUE.parents[3]
# Folders whose strings never reach a user.
NOT_EXTRACTED = ["tests/*", "scripts/*", "staticfiles/*", "docs/*", "media/*"]


def strings_missing_from_catalogue(po):
    """Msgids that makemessages finds in the code but the catalogue lacks (None without xgettext).

    makemessages can only write into the catalogue itself, so it runs on a copy of the project's
    locale folder and the real catalogue is never touched."""
    if shutil.which("xgettext") is None:
        return None
    known = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
    with tempfile.TemporaryDirectory() as scratch:
        backup = Path(scratch) / "django.po"
        shutil.copy2(CATALOGUE, backup)
        try:
            ignore = [arg for pattern in NOT_EXTRACTED for arg in ("--ignore", pattern)]
            subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete", *ignore],
                           cwd=ROOT, check=True, capture_output=True, env={**os.environ, "DEBUG": "true"})
            import polib as _polib
            extracted = _polib.pofile(str(CATALOGUE))
            return sorted(e.msgid for e in extracted if not e.obsolete and (e.msgctxt, e.msgid) not in known)
        finally:
            shutil.copy2(backup, CATALOGUE)


def main(argv):
    po = polib.pofile(str(CATALOGUE))
    mo_path = CATALOGUE.with_suffix(".mo")
    if "--compile" in argv:
        po.save_as_mofile(str(mo_path))
        print(f"Wrote {mo_path}")
        return 0
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    if "--no-extract" not in argv:
        missing = strings_missing_from_catalogue(po)
        if missing is None:
            print("xgettext not found: only the catalogue itself was checked.", file=sys.stderr)
        else:
            problems += [f"not in the catalogue (run makemessages -l sv): {msgid!r}" for msgid in missing]
    if not mo_path.exists():
        problems.append(f"{mo_path} is missing: run python scripts/check_translations.py --compile")
    else:
        compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in polib.mofile(str(mo_path))}
        for entry in po.translated_entries():
            key = (entry.msgctxt, entry.msgid)
            if compiled.get(key) != (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))):
                problems.append(f"django.mo is out of date for {entry.msgid!r}: run with --compile")
                break
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} translation problem(s) in {CATALOGUE}", file=sys.stderr)
        return 1
    print(f"Swedish catalogue complete: {len(po.translated_entries())} strings.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
