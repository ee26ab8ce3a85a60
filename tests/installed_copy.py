"""A throw-away copy of this checkout with a working .venv, for tests that run the
scripts and the README's commands as a user would (tests/test_offline_start.py,
tests/test_readme_commands.py). Nothing of the real checkout is changed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAMP = ROOT / ".venv" / "pca-installed"  # written by scripts/setup.sh after a successful install

IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache", "dist", "build",
                                "*.egg-info", "screenshots")


def installed() -> bool:
    """This checkout went through scripts/setup.sh (CI's clean clone after scripts/test.sh)."""
    return STAMP.is_file()


def make_copy(dst: Path, *, real_venv: bool) -> Path:
    """Copy the checkout to dst and give it a .venv.

    real_venv: the checkout's own installed .venv, hard-linked file by file (cp -al: fast,
    and scripts/setup.sh replaces its files by renaming, never in place, so the original
    stays as it was). Otherwise a bare venv that sees the running interpreter's packages,
    enough for ./pca and `.venv/bin/python -m …` but not installed in setup.sh's sense."""
    shutil.copytree(ROOT, dst, ignore=IGNORE, symlinks=True)
    venv = dst / ".venv"
    if real_venv:
        # resolved: a .venv that is a symlink would otherwise be copied as the link, and the
        # copy's setup.sh would rename files inside the real one
        subprocess.run(["cp", "-al", str((ROOT / ".venv").resolve()), str(venv)], check=True)
    else:
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
        site = next(venv.glob("lib/python*/site-packages"))
        (site / "borrowed.pth").write_text(
            "\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n", encoding="utf-8")
    return dst


def offline_env(data: Path, **extra: str) -> dict[str, str]:
    """The environment of a user's machine: no pip configuration or local wheel mirror
    (this machine has both), a throw-away data folder, Qt offscreen, quit once shown."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    # pip asks `rustc --version` for its user agent; rustup's proxy then writes its settings
    # into $HOME (the fake one the tests run under): keep Rust's tools off the path
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if ".cargo" not in p and ".rustup" not in p)
    env.update(PIP_CONFIG_FILE=os.devnull, PATENT_APP_DATA=str(data), QT_QPA_PLATFORM="offscreen",
               PATENT_APP_QUIT_WHEN_SHOWN="1", **extra)
    return env


def no_network_prefix() -> list[str] | None:
    """`unshare --net` (root) or `unshare -rn` (a user namespace); None when neither works."""
    for prefix in (["unshare", "--net"], ["unshare", "-rn"]):
        try:
            if subprocess.run(prefix + ["true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            pass
    return None
