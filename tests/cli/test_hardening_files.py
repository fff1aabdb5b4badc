"""Hostile and unlucky files (issue #18, items 4, 5, 9 and `fmt` of item 6): devices, FIFOs,
symlinks leading out of the rule set, absolute and `..` example facts, non-UTF-8 text, a
double byte order mark, page names that collide, a closed output pipe and Ctrl-C.

Every test that could hang if a file were read naively runs under `deadline` (SIGALRM), so
a regression fails in seconds instead of blocking the suite."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import policylang
import policylang.cli.main
from policylang.core.diagnostics import PolicyError
from policylang.core.files import BOM, FileRefused, decode_text, read_bytes, read_text
from policylang.cli.exits import CLOSED_PIPE
from conftest import EXAMPLES, ROOT, RULES

SECRET = "sk_live_SECRET_4242"
DATE = ("--date", "2023-08-01")
CHANGZHOU = str(EXAMPLES / "changzhou-dibao.json")


class TookTooLong(Exception):
    pass


@pytest.fixture
def deadline():
    """Fail (rather than hang) when the test takes more than 20 seconds."""
    def expired(signum, frame):
        raise TookTooLong("a file read blocked or did not end")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the bundled rules and examples: `project/rules`, `project/examples`, and a
    secret file beside the project, outside it."""
    shutil.copytree(RULES, tmp_path / "project" / "rules")
    shutil.copytree(EXAMPLES, tmp_path / "project" / "examples")
    (tmp_path / "secret.json").write_text(json.dumps({"id": SECRET, "place": SECRET}),
                                          encoding="utf-8")
    (tmp_path / "secret.txt").write_text(f"{SECRET} is the first line\n", encoding="utf-8")
    return tmp_path / "project"


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


def with_example(project: Path, facts: str) -> Path:
    """Add an example reading `facts "FACTS"` to the project's rules; the rules folder."""
    (project / "rules" / "zz_probe.policy").write_text(
        f'example "probe" on 2023-08-01\n  facts "{facts}"\n'
        "  expect dibao for household eligible\nend\n", encoding="utf-8")
    return project / "rules"


def probe_failures(run, rules: Path, *options) -> tuple[int, str]:
    code, out, err = run("test", str(rules), *options)
    probe = [line for line in out.splitlines() if "probe" in line]
    assert probe and probe[0].startswith("✗"), out
    lines = out.splitlines()
    at = lines.index(probe[0])
    return code, "\n".join(lines[at:at + 2]) + "\n" + err


# ---------------------------------------------------------------- core/files.py
def test_read_bytes_refuses_devices_fifos_and_folders(tmp_path, fifo, deadline):
    for path, kind in ((Path("/dev/zero"), "a device"), (fifo, "a named pipe (FIFO)"),
                       (tmp_path, "a folder"), (tmp_path / "nope", None)):
        with pytest.raises(FileRefused) as refused:
            read_bytes(path, 100)
        assert refused.value.reason == "path"
        assert (kind or "does not exist") in refused.value.message


def test_read_bytes_reads_at_most_the_limit_plus_one(tmp_path):
    path = tmp_path / "a.policy"
    path.write_bytes(b"x" * 11)
    assert read_bytes(path, 11) == b"x" * 11
    with pytest.raises(FileRefused) as refused:
        read_bytes(path, 10)
    assert refused.value.reason == "size" and "larger than 10 bytes" in refused.value.message


def test_decode_accepts_one_bom_and_refuses_a_second_or_invalid_utf8():
    assert decode_text(BOM + b"ok") == "ok"
    with pytest.raises(FileRefused) as two:
        decode_text(BOM + BOM + b"ok")
    assert "two byte order marks" in two.value.message and two.value.position == (1, 1)
    with pytest.raises(FileRefused) as bad:
        decode_text("低保\n".encode() + b"ab\xe9")
    assert bad.value.position == (2, 3)
    assert "byte 0xe9 at line 2, column 3" in bad.value.message


# ---------------------------------------------------------------- rules (item 4, 5)
@pytest.mark.parametrize("command", [("check",), ("test",), ("eval", "{rules}", CHANGZHOU, *DATE)])
def test_dev_zero_and_a_fifo_as_rules_are_refused_at_once(run, fifo, deadline, command):
    for rules in ("/dev/zero", str(fifo)):
        args = [a.format(rules=rules) for a in command]
        code, out, err = run(*args, rules) if len(args) == 1 else run(*args)
        assert code == 1, err
        assert "error[PL006]" in err and "not a regular file" in err
        assert "internal error" not in err


def test_a_policy_symlink_leading_out_of_the_rules_folder_is_refused_unquoted(run, project):
    (project / "rules" / "passwd.policy").symlink_to(project.parent / "secret.txt")
    code, out, err = run("check", str(project / "rules"))
    assert code == 1
    assert "error[PL006]" in err and "leads outside" in err and "passwd.policy" in err
    assert SECRET not in out + err
    code, out, err = run("check", "--format", "json", str(project / "rules"))
    assert code == 1 and SECRET not in out + err


def test_a_symlink_inside_the_rules_folder_is_read(run, project):
    (project / "rules" / "alias").mkdir()
    (project / "rules" / "alias" / "dibao_again.policy").symlink_to(
        project / "rules" / "dibao.policy")
    code, out, err = run("check", str(project / "rules" / "alias"))  # leads out of `alias`
    assert code == 1 and "leads outside" in err
    code, out, err = run("check", str(project / "rules" / "dibao.policy"))
    assert "PL006" not in err


def test_a_rule_set_over_the_total_limit_is_pl004(run, project, monkeypatch):
    monkeypatch.setattr("policylang.pipeline.MAX_RULESET_BYTES", 10_000)
    code, out, err = run("check", str(project / "rules"))
    assert code == 1
    assert "error[PL004]" in err and "the rule set is larger than 10000 bytes" in err


def test_a_policy_file_over_its_limit_is_pl004_without_reading_it_all(run, project, monkeypatch):
    monkeypatch.setattr("policylang.core.source.MAX_POLICY_BYTES", 1_000)
    code, out, err = run("check", str(project / "rules" / "dibao.policy"))
    assert code == 1 and "error[PL004]" in err and "larger than 1003 bytes" in err


def test_a_non_utf8_policy_file_is_pl002_with_its_position(run, project):
    (project / "rules" / "latin1.policy").write_bytes(b"# r\xe9gles\n")
    code, out, err = run("check", str(project / "rules"))
    assert code == 1
    assert "latin1.policy:1:4: error[PL002]" in err and "byte 0xe9" in err


# ---------------------------------------------------------------- facts and --previous
@pytest.mark.parametrize("command", ["eval", "explain"])
def test_dev_zero_and_a_fifo_as_facts_are_pl101(run, fifo, deadline, command):
    for facts in ("/dev/zero", str(fifo)):
        code, out, err = run(command, str(RULES), facts, *DATE)
        assert code == 1
        assert "the facts file is a device" in out or "the facts file is a named pipe" in out
        assert "PL101" in out or command == "explain"  # explain's text names no codes
        assert "internal error" not in err


def test_dev_zero_and_a_fifo_as_previous_are_pl101(run, fifo, deadline):
    for previous in ("/dev/zero", str(fifo)):
        code, out, err = run("eval", str(RULES), CHANGZHOU, *DATE, "--previous", previous)
        assert code == 1
        assert "error[PL101]" in err and "not a regular file" in err


def test_a_facts_file_over_the_limit_is_pl101(run, monkeypatch):
    monkeypatch.setattr("policylang.facts.load.MAX_FACTS_BYTES", 100)
    code, out, err = run("eval", str(RULES), CHANGZHOU, *DATE)
    assert code == 1 and "larger than 100 bytes" in out


def test_a_facts_file_with_a_bom_is_read(run, tmp_path):
    facts = tmp_path / "bom.json"
    facts.write_bytes(BOM + Path(CHANGZHOU).read_bytes())
    code, out, err = run("eval", str(RULES), str(facts), *DATE)
    assert code == 0, out + err


# ---------------------------------------------------------------- example facts (item 5)
@pytest.mark.parametrize("facts, says", [
    ("/dev/zero", "is an absolute path"),
    ("/dev/stdin", "is an absolute path"),
    ("{secret}", "is an absolute path"),
    ("../../secret.json", "leads outside"),
    ("../examples/../../secret.json", "leads outside"),
])
def test_example_facts_outside_the_project_are_refused(run, project, deadline, facts, says):
    rules = with_example(project, facts.format(secret=project.parent / "secret.json"))
    code, failure = probe_failures(run, rules)
    assert code == 1
    assert "error[PL006]" in failure and says in failure
    assert SECRET not in failure


def test_example_facts_through_a_symlink_leading_out_are_refused(run, project, deadline):
    (project / "examples" / "leak.json").symlink_to(project.parent / "secret.json")
    (project / "examples" / "zero.json").symlink_to("/dev/zero")
    for name in ("leak.json", "zero.json"):
        code, failure = probe_failures(run, with_example(project, f"../examples/{name}"))
        assert "error[PL006]" in failure and "leads outside" in failure
        assert SECRET not in failure


def test_example_facts_that_are_a_fifo_inside_the_project_are_refused(run, project, deadline):
    os.mkfifo(project / "examples" / "pipe.json")
    code, failure = probe_failures(run, with_example(project, "../examples/pipe.json"))
    assert "error[PL101]" in failure and "not a regular file" in failure


def test_facts_root_widens_where_example_facts_may_come_from(run, project, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(EXAMPLES / "changzhou-dibao.json", shared / "changzhou.json")
    rules = with_example(project, "../../shared/changzhou.json")
    code, failure = probe_failures(run, rules)
    assert "leads outside" in failure
    code, out, err = run("test", str(rules), "--facts-root", str(shared))
    assert "✓" in next(line for line in out.splitlines() if "probe" in line), out


# ---------------------------------------------------------------- fmt (items 5, 6)
UNFORMATTED = 'jurisdiction   national "全国"\n'


def test_fmt_never_rewrites_a_file_outside_the_folder_it_was_given(run, project, tmp_path):
    outside = tmp_path / "outside.policy"
    outside.write_text(UNFORMATTED, encoding="utf-8")
    folder = tmp_path / "to_format"
    folder.mkdir()
    (folder / "link.policy").symlink_to(outside)
    code, out, err = run("fmt", str(folder))
    assert code == 1 and "error[PL006]" in err and "leads outside" in err
    assert outside.read_text(encoding="utf-8") == UNFORMATTED


@pytest.mark.parametrize("content, says", [
    (b"jurisdiction national \"\xc8\xab\xb9\xfa\"\n", "is not UTF-8 text"),
    (BOM + BOM + UNFORMATTED.encode(), "two byte order marks"),
])
def test_fmt_on_a_non_utf8_file_or_a_double_bom_is_pl002(run, tmp_path, content, says):
    path = tmp_path / "bad.policy"
    path.write_bytes(content)
    code, out, err = run("fmt", str(path))
    assert code == 1, err
    assert "error[PL002]" in err and says in err and "internal error" not in err
    assert path.read_bytes() == content


def test_fmt_still_formats_a_file_with_one_bom(run, tmp_path):
    path = tmp_path / "bom.policy"
    path.write_bytes(BOM + UNFORMATTED.encode())
    code, out, err = run("fmt", str(path))
    assert code == 0, err
    assert path.read_text(encoding="utf-8") == 'jurisdiction national "全国"\n'


# ---------------------------------------------------------------- docs (item 5)
def test_docs_refuses_a_program_named_index(run, project, tmp_path):
    (project / "rules" / "index.policy").write_text(
        'program Index "索引" / "index"\n  subject member\n  applies in national\n  cite changzhou_2023 \"x\"\n'
        '  condition alive "在世" / "alive": alive\nend\n', encoding="utf-8")
    assert policylang.load(project / "rules")  # the rules themselves are fine
    out_dir = tmp_path / "catalogue"
    code, out, err = run("docs", str(project / "rules"), "-o", str(out_dir))
    assert code == 1, err
    assert "error[PL006]" in err and "program `Index`" in err and "same file as the index" in err
    assert not out_dir.exists()  # nothing written


def test_page_names_a_file_system_cannot_hold_apart_are_refused():
    from types import SimpleNamespace as Program
    from policylang.tools.page_names import page_name_problems
    programs = [Program(name=n, span=None) for n in
                ("dibao", "DIBAO", "con", "a" * 260, "ok_程序", "x/../y")]
    messages = [d.message for d in page_name_problems(programs)]
    assert len(messages) == 4
    assert "same file as the page of program `dibao`" in messages[0]
    assert "device name on Windows" in messages[1]
    assert "longer than 255 bytes" in messages[2]
    assert "not a safe file name" in messages[3]


# ---------------------------------------------------------------- exit codes (item 9)
def policylang_process(*args, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "policylang.cli", *args], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True, **options)


def test_a_closed_pipe_exits_quietly_with_141(deadline):
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before anything is written, as `| head -1` does
    try:
        process = policylang_process("eval", "rules", CHANGZHOU, *DATE, stdout=writer)
    finally:
        os.close(writer)
    _, err = process.communicate(timeout=60)
    assert process.returncode == CLOSED_PIPE == 141
    assert err == ""


def test_head_of_a_long_output_exits_141(deadline, tmp_path):
    household = json.loads(Path(CHANGZHOU).read_text(encoding="utf-8"))
    many = tmp_path / "many.json"  # decisions JSON far larger than a pipe's buffer
    many.write_text(json.dumps([dict(household, id=f"h{i}") for i in range(150)]),
                    encoding="utf-8")
    process = policylang_process("eval", "rules", str(many), *DATE, stdout=subprocess.PIPE)
    assert process.stdout.readline()  # read one line, then go away, as `head -1` does
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141
    assert err == ""


def test_ctrl_c_exits_130(deadline):
    slow = ("import os, signal, sys, time\n"
            "import policylang.cli.main as m\n"
            "def interrupted(*args):\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    time.sleep(30)\n"
            "m._load = interrupted\n"
            "sys.argv = ['policylang', 'test', 'rules']\n"
            "m.main()\n")
    process = subprocess.run([sys.executable, "-c", slow], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in process.stderr


def test_keyboard_interrupt_in_a_command_is_130_not_2(run, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(policylang.cli.main, "_invoke", interrupted)
    code, out, err = run("check", "rules")
    assert code == 130 and "Traceback" not in err
