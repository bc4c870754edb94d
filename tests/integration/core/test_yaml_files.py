"""The packaged YAML files are parsed once and then read back parsed from beside them, unless
they changed; nothing is kept where Python would keep no compiled module."""

from __future__ import annotations

import importlib
import sys
from datetime import date
from pathlib import Path

import pytest

from services.core import yaml_files
from services.core.yaml_files import read_yaml

DOCUMENT = "topic:\n  - valid_from: 2026-07-01\n    texte: « Loyer de juillet »\n"


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "yaml_fixture_package"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "data.yml").write_text(DOCUMENT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "yaml_fixture_package", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    importlib.invalidate_caches()
    return folder


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    parse = yaml_files.parse

    def counting(raw: bytes) -> object:
        seen.append(raw)
        return parse(raw)

    monkeypatch.setattr(yaml_files, "parse", counting)
    return seen


def test_a_file_is_parsed_once_then_read_back_from_beside_it(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses = _parses(monkeypatch)
    expected = {"topic": [{"valid_from": date(2026, 7, 1), "texte": "« Loyer de juillet »"}]}
    assert read_yaml("yaml_fixture_package", "data.yml") == expected
    assert (package / "__pycache__" / "data.yml.pickle").exists()
    assert read_yaml("yaml_fixture_package", "data.yml") == expected
    assert len(parses) == 1


def test_a_changed_file_is_parsed_again(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_yaml("yaml_fixture_package", "data.yml")
    (package / "data.yml").write_text("topic: []\n", encoding="utf-8")
    assert read_yaml("yaml_fixture_package", "data.yml") == {"topic": []}


def test_a_damaged_copy_is_parsed_again(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_yaml("yaml_fixture_package", "data.yml")
    (package / "__pycache__" / "data.yml.pickle").write_bytes(b"\x80\x05garbage")
    assert read_yaml("yaml_fixture_package", "data.yml")["topic"][0]["valid_from"] == date(
        2026, 7, 1
    )


def test_nothing_is_kept_when_python_keeps_no_compiled_module(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    read_yaml("yaml_fixture_package", "data.yml")
    assert not (package / "__pycache__").exists()


def test_where_nothing_can_be_kept_the_file_is_parsed_without_failing(package: Path) -> None:
    (package / "__pycache__").write_bytes(b"")  # a file where the folder should be
    assert read_yaml("yaml_fixture_package", "data.yml")["topic"]
    assert read_yaml("yaml_fixture_package", "data.yml")["topic"]
    assert sorted(p.name for p in package.iterdir()) == sorted(
        ["__init__.py", "data.yml", "__pycache__"]
    )
