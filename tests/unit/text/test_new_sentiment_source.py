"""A sentiment source added to training is judged by the other sources' held-out rows (ADR 0075).

The training script is not a package module (``scripts/`` is run from the repository root), so
it is loaded from its file, as the screenshot script's test does.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


def _choices() -> Any:
    spec = importlib.util.spec_from_file_location(
        "text_model_choices", SCRIPTS / "text_model_choices.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


# Held-out macro-F1 per family for each share of the newcomer "cedr": its own rows climb with
# its weight, as any source's do; what the others do is what differs between the two tables.
HELPS_ONLY_ITSELF = {
    0.0: {"goemotions": 0.64, "uk": 0.62, "uci": 0.60, "cx": 0.79, "cedr": 0.60},
    0.5: {"goemotions": 0.63, "uk": 0.62, "uci": 0.60, "cx": 0.79, "cedr": 0.70},
    1.0: {"goemotions": 0.62, "uk": 0.62, "uci": 0.60, "cx": 0.78, "cedr": 0.74},
    2.0: {"goemotions": 0.60, "uk": 0.63, "uci": 0.60, "cx": 0.78, "cedr": 0.80},
}
HELPS_THE_OTHERS = {
    0.0: {"goemotions": 0.64, "uk": 0.62, "uci": 0.60, "cx": 0.79, "cedr": 0.60},
    0.5: {"goemotions": 0.64, "uk": 0.64, "uci": 0.61, "cx": 0.79, "cedr": 0.70},
    1.0: {"goemotions": 0.64, "uk": 0.65, "uci": 0.61, "cx": 0.79, "cedr": 0.74},
    2.0: {"goemotions": 0.63, "uk": 0.65, "uci": 0.60, "cx": 0.78, "cedr": 0.75},
}


def test_a_source_that_only_helps_itself_gets_no_share() -> None:
    choices = _choices()
    # Counted among the families, its own rise would have won it the largest share.
    mean_of_all = {s: sum(f.values()) / len(f) for s, f in HELPS_ONLY_ITSELF.items()}
    assert max(mean_of_all, key=lambda share: mean_of_all[share]) == 2.0

    assert choices.share_judged_by_others(HELPS_ONLY_ITSELF, "cedr") == 0.0


def test_a_source_that_helps_the_others_gets_the_share_that_helps_them_most() -> None:
    assert _choices().share_judged_by_others(HELPS_THE_OTHERS, "cedr") == 1.0


def test_a_tie_among_the_others_goes_to_the_smaller_share() -> None:
    same = {"goemotions": 0.64, "uk": 0.62, "uci": 0.60, "cx": 0.79}
    table = {2.0: same | {"cedr": 0.75}, 0.0: same | {"cedr": 0.60}, 1.0: same | {"cedr": 0.7}}

    assert _choices().share_judged_by_others(table, "cedr") == 0.0
