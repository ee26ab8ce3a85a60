"""The layer picture (docs/architecture.md) and the import contracts (pyproject.toml)
name every package the program has: a new package must take its place in both."""
from __future__ import annotations

import tomllib

from conftest import ROOT


def _packages() -> set[str]:
    return {p.parent.name for p in (ROOT / "desktop_app").glob("*/__init__.py")}


def test_every_package_is_a_layer_of_the_contract_and_the_picture():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    in_contract = {name.strip(" ()").split(".")[-1] for layer in layers for name in layer.replace(":", "|").split("|")}
    picture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert _packages() <= in_contract, _packages() - in_contract
    assert all(f"{name}/" in picture for name in _packages())


def test_no_package_below_the_window_may_import_qt():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    no_qt = next(c for c in contracts if "PySide6" in c.get("forbidden_modules", []))
    assert {f"desktop_app.{p}" for p in _packages() - {"ui"}} <= set(no_qt["source_modules"])
