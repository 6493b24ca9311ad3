"""Which thread an e-mail joins: Message-ID, In-Reply-To and References as mailers write them."""

from __future__ import annotations

from heedful.core.conversations.threading import (
    MAX_REFERENCES,
    candidates,
    message_ids,
    normalise,
    references_for_reply,
    reply_subject,
)


def test_a_message_id_keeps_its_brackets_and_loses_its_whitespace() -> None:
    assert normalise("  <abc@mail.example>  ") == "<abc@mail.example>"
    assert normalise("abc@mail.example") == "<abc@mail.example>"
    assert normalise("Re: <x@y> (comment)") == "<x@y>"
    assert normalise("") == ""
    assert normalise("two words") == ""


def test_a_folded_references_header_gives_each_id_once_in_order() -> None:
    header = "<a@x>\r\n <b@x>,<c@x> <a@x>"
    assert message_ids(header) == ["<a@x>", "<b@x>", "<c@x>"]
    assert message_ids("a@x b@x") == ["<a@x>", "<b@x>"]


def test_the_answered_message_is_tried_first_then_the_nearest_reference() -> None:
    found = candidates("<ours@heedful>", ["<first@x> <second@x>", "<third@x>"])
    assert found == ["<ours@heedful>", "<third@x>", "<second@x>", "<first@x>"]
    assert candidates("", ["<first@x>"]) == ["<first@x>"]
    assert candidates("", []) == []


def test_our_reply_references_the_chain_and_ends_with_the_message_answered() -> None:
    chain = ["<1@x>", "<2@heedful>", "<3@x>"]
    assert references_for_reply(chain, "<3@x>") == ["<1@x>", "<2@heedful>", "<3@x>"]
    assert references_for_reply(chain, "<2@heedful>")[-1] == "<2@heedful>"
    long_chain = [f"<{n}@x>" for n in range(100)]
    trimmed = references_for_reply(long_chain, "<99@x>")
    assert len(trimmed) == MAX_REFERENCES
    assert trimmed[-1] == "<99@x>"


def test_a_reply_subject_says_re_once_whatever_the_mailer_wrote() -> None:
    assert reply_subject("Order 1042") == "Re: Order 1042"
    assert reply_subject("RE: Re: AW: Order 1042") == "Re: Order 1042"
    assert reply_subject("Відп: Замовлення") == "Re: Замовлення"
    assert reply_subject("") == "Re:"
