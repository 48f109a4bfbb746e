"""What a deployment installs is what was tested: every package pinned with its hashes
(`make lock`), the top-level lists (requirements*.in) in step with the locked files."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, tuple[str, int]]:
    """{name: (version, number of hashes)} of a pip-compile output."""
    found, current = {}, None
    for line in path.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", line):
            current = match.group(1).lower().replace("_", "-")
            found[current] = (match.group(2), 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def top_level(path: Path) -> dict[str, str]:
    wanted = {}
    for line in path.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==(\S+)", line):
            wanted[match.group(1).lower().replace("_", "-")] = match.group(3)
    return wanted


def test_every_installed_package_is_pinned_with_hashes():
    for name in ("requirements.txt", "requirements-dev.txt"):
        locked = pins(ROOT / name)
        assert locked, name
        assert [package for package, (_version, hashes) in locked.items() if hashes == 0] == [], name


def test_the_locked_files_hold_the_top_level_packages_at_their_versions():
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    for wanted, locked in ((top_level(ROOT / "requirements.in"), runtime), (top_level(ROOT / "requirements-dev.in"), dev)):
        assert {name: locked.get(name, ("missing",))[0] for name in wanted} == wanted


def test_tests_and_tools_are_not_installed_in_production_and_agree_with_it():
    runtime, dev = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-dev.txt")
    assert not {"pytest", "pytest-django", "factory-boy", "hypothesis", "schemathesis", "pip-tools"} & set(runtime)
    assert {name: dev[name][0] for name in set(dev) & set(runtime)} == {name: runtime[name][0] for name in set(dev) & set(runtime)}
