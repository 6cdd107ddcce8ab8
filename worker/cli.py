"""The `evrak` command: a thin layer over functions the tests call directly.

Each area registers its subcommands from a module in worker/commands/ (a `register(sub)`
function), so no area edits another's code. A user's mistake gives one line and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from evrak.errors import UserError

COMMAND_MODULES = [
    "worker.commands.programs",
    "worker.commands.schedule",
    "worker.commands.verify",
    "worker.commands.docs",
    "worker.commands.prescreen",
    "worker.commands.service",
    "worker.commands.web",
    "worker.commands.demo",
    "worker.commands.ranking",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evrak",
        description="Kalkınma ajansları için belge üretimi ve başvuru ön incelemesi",
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMUT")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # area not built yet
                continue
            raise
        module.register(sub)
    return parser



def _log_traceback() -> str:
    import os
    import tempfile
    import traceback
    from pathlib import Path

    folder = Path(os.environ.get("EVRAK_HOME") or tempfile.gettempdir()) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "evrak-hata.log"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(traceback.format_exc() + "\n")
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except UserError as exc:
        print(f"evrak: hata: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("evrak: durduruldu", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not the user's fault: one line here, the details in a log
        log = _log_traceback()
        print(f"evrak: beklenmeyen hata ({type(exc).__name__}: {exc}); ayrıntılar: {log}", file=sys.stderr)
        return 1
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
