"""`make screenshots` names five desk pages and one phone page, each saved where the docs look."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "console_screenshots.py"


def test_the_screenshot_script_imports_and_lists_the_pages_the_docs_show() -> None:
    spec = importlib.util.spec_from_file_location("console_screenshots", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclass looks its module up there
    spec.loader.exec_module(script)

    screens = [shot.screen for shot in script.SHOTS]
    assert screens.count("desk") == 5
    assert screens.count("phone") == 1
    docs = (SCRIPT.parent.parent / "README.md").read_text(encoding="utf-8")
    for shot in script.SHOTS:
        assert f"docs/screenshots/{shot.name}.png" in docs
