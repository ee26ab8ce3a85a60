"""The application layer: what the program does, in plain Python (no Qt).

The window (ui/) and the command line (cli.py) are two faces of these use-cases, so the
same draft gives the same book from either. Modules here are imported when first used:
nothing in this package is on the start path of the window.
"""
