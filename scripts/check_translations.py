"""Check (or, with --compile, build) the Swedish message catalogue.

The interface is Swedish by default, so a string without a Swedish translation is a bug:
this fails when an entry of locale/sv/LC_MESSAGES/django.po is untranslated or fuzzy, or
when the compiled django.mo does not say the same as the .po. polib does the compiling, so
no GNU gettext is needed on the machine.

    python scripts/check_translations.py            # check
    python scripts/check_translations.py --compile  # write django.mo from django.po
"""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def main(argv):
    po = polib.pofile(str(CATALOGUE))
    mo_path = CATALOGUE.with_suffix(".mo")
    if "--compile" in argv:
        po.save_as_mofile(str(mo_path))
        print(f"Wrote {mo_path}")
        return 0
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
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
