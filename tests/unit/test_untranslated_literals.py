"""The lint check finds words a reader would see untranslated, and lets marked ones through."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_untranslated_literals.py"


def _check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_untranslated_literals", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


CHECK = _check()
PAGE = Path("tasks.html")


def test_a_template_with_an_english_heading_and_placeholder_fails() -> None:
    bad = """{% extends "base.html" %}
<h2>Open tasks</h2>
<input name="q" placeholder="Search customers">
<p>{{ _("Marked") }} · {{ count }}</p>"""

    found = CHECK.template_problems(PAGE, bad)

    assert len(found) == 2
    assert "tasks.html:2" in found[0]
    assert "'Open tasks'" in found[0]
    assert "placeholder: 'Search customers'" in found[1]


def test_a_string_printed_by_an_expression_fails_and_one_in_a_call_passes() -> None:
    bad = """<p>{{ task.note or "No note" }}</p>
<span class="{{ 'is-done' if done else 'is-missing' }}">{{ when(at, "UTC") }}</span>
<p>{{ _("Due") if due else "Never due" }}</p>"""

    found = CHECK.template_problems(PAGE, bad)

    assert len(found) == 2
    assert "tasks.html:1" in found[0]
    assert "'No note'" in found[0]
    assert "'Never due'" in found[1]


def test_marked_words_trans_blocks_code_and_the_allow_list_pass() -> None:
    good = """<h2>{{ _("Open tasks") }}</h2>
<details{% if open %} open{% endif %}><summary>{{ _("More") }}</summary></details>
<p>{% trans count=n %}{{ count }} task{% pluralize %}{{ count }} tasks{% endtrans %}</p>
<p><code>trigger.event</code> <span translate="no">Deluxe King</span> NPS · UTC · Heedful</p>
<input aria-label="{{ _('Search') }}"{% if bad %} aria-invalid="true"{% endif %}>"""

    assert CHECK.template_problems(PAGE, good) == []


def test_a_console_module_that_hands_a_bare_sentence_to_the_page_fails() -> None:
    bad = """
def done(console):
    console.render("tasks.html", notice="Task added.")
    return _tasks_page(console, "Handed over.")
FORM = FormState(values={}, errors={"title": "Say what is to be done."})
"""
    found = CHECK.module_problems(Path("promises.py"), bad)

    assert [problem.split(": ", 2)[-1] for problem in found] == [
        "render(notice=): 'Task added.'",
        "_tasks_page(): 'Handed over.'",
        "FormState(errors=): 'Say what is to be done.'",
    ]


def test_a_label_table_value_outside_n_fails_and_codes_pass() -> None:
    table = """
KIND = {"call": N_("Call the customer"), "visit": "Visit the shop"}
console.render("tasks.html", notice=console.ui.gettext(N_("Saved.")), page="done")
"""
    found = CHECK.module_problems(Path("labels.py"), table)

    assert len(found) == 1
    assert "label: 'Visit the shop'" in found[0]


def test_a_core_module_storing_an_english_sentence_for_staff_fails_and_a_phrase_passes() -> None:
    bad = """
def fire(book, location_id, reasons):
    reasons.append(f"segment is {segment}")
    return Firing(reasons=(f"tonight {book.day} at {location_id}", *reasons), done=("a task",))

def why(found) -> Phrase:
    return f"likes the {found.subject}"
"""
    good = """
def fire(book, location_id, reasons):
    reasons.append(Phrase("why.segment", {"segment": segment}))
    reasons.append(f"{field} {actual!r} {op} {value}")
    return Firing(reasons=(Phrase("why.tonight", {"day": day}), *reasons), done=(Phrase("x"),))
"""

    found = CHECK.core_problems(Path("firing.py"), bad)

    assert [line.split(": ", 2)[2] for line in found] == [
        "reasons.append(): 'segment is'",
        "reasons=: 'tonight   at'",
        "done=: 'a task'",
        "return from why(): 'likes the'",
    ]
    assert CHECK.core_problems(Path("firing.py"), good) == []


def test_the_console_as_it_is_passes() -> None:
    assert CHECK.main() == 0
