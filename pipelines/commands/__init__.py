"""newsbeam's commands, one module each (its SUMMARY line and its main(argv) -> exit code), over the
shared option handling of common.py. Modules are imported when their command runs, so that
`newsbeam query` does not pay for importing Beam."""

COMMANDS = ("run", "stream", "demo", "report", "query", "extract", "compact", "migrate", "tail", "publish")
