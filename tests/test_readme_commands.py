"""Every command in the README's ```bash blocks runs as written after the install, in a
throw-away copy of the checkout with a throw-away data folder (PATENT_APP_DATA).

Commands that open the window run with Qt offscreen and PATENT_APP_QUIT_WHEN_SHOWN=1
(the window is painted once, then the program leaves with 0). Those that cannot run
here are listed in SKIPPED with the reason; a README command in neither list fails."""
from __future__ import annotations

import re
import subprocess

import pytest

from installed_copy import ROOT, installed, make_copy, offline_env

README = ROOT / "README.md"

#: command (as in the README) → why this test does not run it
SKIPPED = {
    "bash scripts/test.sh": "runs this very test suite; CI (.ci/run) runs it as its first step",
    "bash packaging/linux/build.sh": "PyInstaller build, minutes long; CI (.ci/run) runs it and the .deb check",
    "apt-get install ./dist/patent-conversion-assistant_*_amd64.deb":
        "installs system-wide; CI runs packaging/linux/check-deb.sh (install, --self-test, remove)",
    "dist/patent-conversion-assistant-*/patent-conversion-assistant --self-test":
        "needs the bundle built above; CI runs it",
}
#: commands that need the checkout's installed .venv (setup.sh's stamp): run when it exists (CI)
NEEDS_INSTALL = {
    "bash scripts/start.sh": "without an installed .venv it would install one (network, minutes)",
}


def readme_commands() -> list[str]:
    """The command lines of the README's ```bash blocks, comments dropped, in order."""
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M):
        for line in block.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def test_the_readme_shows_commands_and_the_skips_are_current():
    commands = readme_commands()
    assert "./pca list" in commands and "bash scripts/start.sh" in commands
    stale = [c for c in list(SKIPPED) + list(NEEDS_INSTALL) if c not in commands]
    assert not stale, f"listed here but no longer in the README: {stale}"
    assert not any(re.match(r"python3? ", c) for c in commands), "Debian has no `python` and python3 lacks the packages"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """The copy the commands run in, and its data folder, shared by all commands in order."""
    base = tmp_path_factory.mktemp("readme")
    repo = make_copy(base / "repo", real_venv=installed())
    return repo, base / "data"


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command, checkout):
    if command in SKIPPED:
        pytest.skip(SKIPPED[command])
    if command in NEEDS_INSTALL and not installed():
        pytest.skip(NEEDS_INSTALL[command] + "; CI has one")
    repo, data = checkout
    done = subprocess.run(["bash", "-c", command], cwd=repo, env=offline_env(data),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stdout + done.stderr
    if command.startswith("./pca export"):
        out = re.search(r"--out (\S+)", command).group(1)
        assert (repo / out).stat().st_size > 10_000
        if "--pdf" in command:  # needs LibreOffice, which scripts/setup.sh installs
            assert (repo / out).with_suffix(".pdf").stat().st_size > 10_000
    if command.startswith("./pca dump-json"):
        out = re.search(r"--out (\S+)", command).group(1)
        assert "sample-czu-2022" in (repo / out).read_text(encoding="utf-8")
    if command.startswith("./pca list"):
        assert ("sample-czu-2022" in done.stdout) == ("--db" not in command)
    if command == "./pca" or "start.sh" in command:
        assert "窗口已显示" in done.stdout
