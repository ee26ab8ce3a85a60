"""Templates and imported files cannot run code.

Program folders (program.yaml and its templates) and draft files are data that
may come from elsewhere. They are read with yaml.safe_load and json, rendered
in jinja2's immutable sandbox, and the program holds no pickle, eval or exec
that data could reach.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from desktop_app.book.compose import compose
from desktop_app.core import textrender
from desktop_app.core.program import load_program
from desktop_app.core.textrender import TemplateTextError, render

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "desktop_app"
CJK = re.compile(r"[\u4e00-\u9fff]")

#: Ways Python runs code or objects from data. Qt's dialog.exec() is a method, not the builtin.
FORBIDDEN = {
    "pickle and friends": re.compile(r"\b(?:import|from)\s+(?:c?pickle|_pickle|marshal|shelve|dill|jsonpickle)\b"),
    "eval()": re.compile(r"(?<![\w.])eval\s*\("),
    "exec()": re.compile(r"(?<![\w.])exec\s*\("),
    "compile()": re.compile(r"(?<![\w.])compile\s*\("),
    "__import__()": re.compile(r"\b__import__\s*\("),
    "yaml.load()": re.compile(r"\byaml\.(?:unsafe_)?load(?:_all)?\s*\(|\b(?:Unsafe|Full)?Loader\s*=\s*yaml\.(?:Unsafe|Full)?Loader"),
    "an unsandboxed jinja2 Environment": re.compile(r"(?<!Sandboxed)Environment\s*\(|\bfrom\s+jinja2\s+import\s+[^\n]*\bEnvironment\b"),
    "shell=True": re.compile(r"shell\s*=\s*True"),
}


def test_the_patterns_would_catch_what_they_look_for():
    caught = ["import pickle", "from marshal import loads", "x = eval(text)", "exec(code)", "compile(src, 'f', 'exec')",
              "__import__('os')", "yaml.load(f)", "yaml.unsafe_load(f)", "Loader=yaml.Loader", "Environment(loader=x)",
              "from jinja2 import Environment", "subprocess.run(cmd, shell=True)"]
    for line in caught:
        assert any(p.search(line) for p in FORBIDDEN.values()), line
    allowed = ["dialog.exec()", "app.exec()", "re.compile(r'x')", "yaml.safe_load(text)", "literal_eval",
               "ImmutableSandboxedEnvironment(", "evaluate(x)", "self.executor(", "pickled = False"]
    for line in allowed:
        assert not any(p.search(line) for p in FORBIDDEN.values()), line


def test_no_pickle_eval_or_exec_anywhere_in_the_program():
    found = []
    files = sorted(SOURCE.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for what, pattern in FORBIDDEN.items():
                if pattern.search(code):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {what}: {line.strip()}")
    assert found == []


def test_the_one_environment_is_the_immutable_sandbox():
    env = textrender.environment()
    assert isinstance(env, ImmutableSandboxedEnvironment)
    assert env.undefined is StrictUndefined


ESCAPES = [
    "{{ city.__class__.__mro__[1].__subclasses__() }}",
    "{{ city|attr('__class__') }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ (city.upper).__self__.__class__ }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_template_text_cannot_reach_python_internals(source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TemplateTextError) as info:
        render(source, {"city": "扬州市"}, "plan_title")
    message = str(info.value)
    assert "plan_title" in message and CJK.search(message)
    assert "拦截" in message  # the sandbox's SecurityError, said plainly
    assert list(tmp_path.iterdir()) == []  # nothing ran


@pytest.mark.parametrize("field, source", [
    ("plan_title", "{{ city.__class__.__mro__[1].__subclasses__() }}"),
    ("cover_title", "{{ lipsum.__globals__['os'].system('touch PWNED') }}"),
    # resource bombs: would hang the program (or fill memory) rather than run code
    ("plan_title", "{{ 'a' * 10**9 }}"),
    ("plan_title", "{{ city * 100000000 }}"),
    ("cover_title", "{{ 2 ** 100000000 }}"),
])
def test_a_malicious_program_yaml_stops_the_export_with_a_message(tmp_path, monkeypatch, sample_draft, field, source):
    folder = tmp_path / "key_city_2021"
    shutil.copytree(ROOT / "templates" / "key_city_2021", folder)
    data = yaml.safe_load((folder / "program.yaml").read_text(encoding="utf-8"))
    if field == "plan_title":
        data["book"]["plan_title"] = source
    else:
        data["book"].setdefault("cover", {})["title"] = source
    (folder / "program.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    program = load_program(folder)
    with pytest.raises(TemplateTextError) as info:
        compose(program, sample_draft)
    assert "拦截" in str(info.value) and "program.yaml" in str(info.value)
    assert not (tmp_path / "PWNED").exists()


def test_program_yaml_cannot_build_python_objects(tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "program.yaml").write_text("id: !!python/object/apply:os.system ['touch PWNED']\n", encoding="utf-8")
    from desktop_app.core.program import ProgramError

    with pytest.raises(ProgramError):
        load_program(folder)
    assert not (folder / "PWNED").exists() and not Path("PWNED").exists()
