"""The command line: ``python -m kenniskaart <command>`` (export, coverage, check, refresh, ...)."""
