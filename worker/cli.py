"""The `evrak` command: a thin layer over functions the tests call directly.

Each area registers its subcommands from a module in worker/commands/ (a `register(sub)`
function) and owns every option of its commands (`evrak batch --queue` lives with `batch`
in docs.py), so no area rewires another's parser. A user's mistake gives one line and exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import NoReturn

from evrak.errors import UserError
from worker.commands import (
    contract,
    demo,
    docs,
    history,
    monitoring,
    prescreen,
    programs,
    ranking,
    receipt,
    schedule,
    service,
    verify,
    web,
)

# Each area's commands, in the order `evrak --help` lists them. Plain imports (not a list
# of names for importlib) so the import graph test sees them and a broken module fails loudly.
COMMANDS = (programs, schedule, verify, docs, prescreen, service, web, demo, ranking, monitoring, contract,
            history, receipt)


# argparse's messages, in Turkish: what a user sees for a mistyped command is one Turkish line.
# argparse looks `_` up in its module at call time (gettext), so this table is its catalogue.
_ARGPARSE_TR = {
    "usage: ": "kullanım: ",
    "positional arguments": "konumsal argümanlar",
    "options": "seçenekler",
    "show this help message and exit": "bu yardımı göster ve çık",
    "the following arguments are required: %s": "şu argümanlar gerekli: %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "geçersiz seçim: %(value)r (seçenekler: %(choices)s)",
    "invalid %(type)s value: %(value)r": "geçersiz değer (%(type)s): %(value)r",
    "unrecognized arguments: %s": "tanınmayan argümanlar: %s",
    "expected one argument": "bir değer bekleniyor",
    "expected at most one argument": "en çok bir değer bekleniyor",
    "expected at least one argument": "en az bir değer bekleniyor",
    "ambiguous option: %(option)s could match %(matches)s": "belirsiz seçenek: %(option)s (%(matches)s olabilir)",
    "not allowed with argument %s": "%s ile birlikte kullanılamaz",
    "one of the arguments %s is required": "şu argümanlardan biri gerekli: %s",
}
argparse._ = lambda text: _ARGPARSE_TR.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """A usage mistake is the user's error like any other: one Turkish line, exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"evrak: hata: {_one_line(message)} (yardım: {self.prog} --help)\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evrak",
        description="Kalkınma ajansları için belge üretimi ve başvuru ön incelemesi",
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMUT")
    sub.required = True
    for module in COMMANDS:
        module.register(sub)
    return parser


def _log_traceback() -> str:
    folder = Path(os.environ.get("EVRAK_HOME") or tempfile.gettempdir()) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "evrak-hata.log"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(traceback.format_exc() + "\n")
    return str(path)


MAX_MESSAGE_CHARS = 600  # one line on a terminal, even when a value in it was huge


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "…"


def _quiet_stdout() -> None:
    """The reader of our output went away (`evrak ... | head -1`): send the rest nowhere.

    Python flushes stdout again at exit and would print a BrokenPipeError there; pointing
    the descriptor at /dev/null ends the process quietly (Python docs, "Note on SIGPIPE").
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit 0, 2 for the user's errors (one Turkish line), 1 for our bugs,
    130 after Ctrl-C (one line), 141 when the output pipe was closed (silently)."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        result = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers, not at exit
    except UserError as exc:
        print(f"evrak: hata: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("evrak: durduruldu (Ctrl-C)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except Exception as exc:  # a bug, not the user's fault: one line here, the details in a log
        log = _log_traceback()
        print(f"evrak: beklenmeyen hata ({type(exc).__name__}: {_one_line(str(exc))}); ayrıntılar: {log}",
              file=sys.stderr)
        return 1
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
