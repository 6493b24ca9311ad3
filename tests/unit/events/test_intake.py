"""The decisions every way in (route, lean path, file, stream) takes about events, made once."""

from __future__ import annotations

import pytest
from unit.events.event_samples import stock_changed

from heedful.core.events.intake import (
    MAX_BATCH,
    IngestReport,
    Rejection,
    UnreadableJson,
    check_batch_size,
    decode_json,
    read_events,
)
from heedful.core.shared.errors import InvalidInput


def test_json_is_read_from_bytes_and_from_text_alike() -> None:
    assert decode_json(b'{"a": [1, 2]}') == decode_json('{"a": [1, 2]}') == {"a": [1, 2]}


@pytest.mark.parametrize(
    "text", [b"{not json", b'{"specversion": NaN}', b"[Infinity]", b"-Infinity", b"\xff\xfe", b""]
)
def test_what_json_has_not_is_unreadable(text: bytes) -> None:
    with pytest.raises(UnreadableJson) as unreadable:
        decode_json(text)
    assert not unreadable.value.too_deep
    assert unreadable.value.reason("the line") == "the line is not valid JSON"


def test_nesting_past_the_decoder_is_a_refusal_not_a_crash() -> None:
    with pytest.raises(UnreadableJson) as unreadable:
        decode_json("[" * 100_000 + "]" * 100_000)
    assert unreadable.value.too_deep
    assert unreadable.value.reason("the body") == "the JSON nests deeper than 32 levels"


def test_a_batch_of_the_limit_is_taken_and_one_more_is_refused_whole() -> None:
    check_batch_size(MAX_BATCH)
    with pytest.raises(InvalidInput) as refused:
        check_batch_size(MAX_BATCH + 1)
    assert refused.value.field == "body"
    assert str(MAX_BATCH) in refused.value.message


def test_stored_events_are_counted_as_new_or_seen_before() -> None:
    report = IngestReport()
    report.count_stored([True, False, True, False, False])
    assert (report.accepted, report.duplicates) == (2, 3)


def test_bad_events_are_reported_by_index_and_the_good_ones_read() -> None:
    good = stock_changed("evt-1")
    events, report = read_events(["not an event", good, {**good, "type": "x.y"}])
    assert [event.id for event in events] == ["evt-1"]
    assert report.rejected == [
        Rejection(0, "an event must be a JSON object", "event"),
        Rejection(2, "unknown event type: register it at /api/v1/event-types", "type"),
    ]
    assert report.as_json()["rejected"][1] == {
        "index": 2,
        "reason": "unknown event type: register it at /api/v1/event-types",
        "field": "type",
    }


def test_one_event_that_cannot_be_stored_refuses_the_request_naming_its_field() -> None:
    _, report = read_events([{**stock_changed("evt-1"), "type": "x.y"}])
    with pytest.raises(InvalidInput) as refused:
        report.refuse_one()
    assert (refused.value.message, refused.value.field) == (
        "unknown event type: register it at /api/v1/event-types",
        "type",
    )
    _, fine = read_events([stock_changed("evt-2")])
    fine.refuse_one()  # nothing to refuse
