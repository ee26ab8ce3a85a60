"""The application layer: use-cases shared by the window and the command line (no Qt here).

The window (ui/) and the command line (cli.py) are two faces of these use-cases, so the
same draft gives the same book from either. Only wizard_plan (small, core only) is on
the window's start path; the others are imported when first used.
"""
