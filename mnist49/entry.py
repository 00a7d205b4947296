"""The mnist49 command's entry point: the CLI, imported here so that a Ctrl-C while torch and the
rest load (the command's first seconds) ends in one line, exit 130, not a traceback."""

import sys

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


def main(argv: list[str] | None = None) -> int:
    try:
        from mnist49 import cli

        return cli.main(argv)
    except KeyboardInterrupt:  # before the command's own signal handlers are in place
        print("mnist49: interrupted", file=sys.stderr)
        return INTERRUPTED
