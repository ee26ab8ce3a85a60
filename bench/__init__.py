"""python -m bench — the program's speed and memory against its budgets (see bench/__main__.py)."""
