"""The `stratplan` program (and `python -m stratplan`).

The questions a user asks and waits for, `--version`, `rules` and `explain CODE`, are answered
here from text, without the command-line framework or the plan model (together 0.3 s of
imports); everything else goes to the CLI (`stratplan.cli`).
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    text = _quick_answer(args)
    if text is not None:
        print(text)
        return
    from stratplan.cli import main as cli_main

    cli_main()


def _quick_answer(args: list[str]) -> str | None:
    if args == ["--version"]:
        from stratplan import __version__

        return f"stratplan {__version__}"
    if args == ["rules"]:
        from stratplan.checks.catalogue import listing

        return listing()
    if len(args) == 2 and args[0] == "explain":
        from stratplan.checks.catalogue import explanation

        # An unknown code is the CLI's to refuse, with its message and exit status.
        return explanation(args[1])
    return None


if __name__ == "__main__":
    main()
