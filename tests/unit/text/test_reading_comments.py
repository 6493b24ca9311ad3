"""What a manager sees of a comment: its sentiment, score, emotions and themes, in ru, uk and en."""

from __future__ import annotations

import pytest

from heedful.adapters.text.reader import HeadsReader
from heedful.core.feedback.reading import EMOTIONS, THEMES, CommentReader, Sentiment

MIXED = {
    "en": "The staff were lovely, but we waited forty minutes.",
    # "Приятный", not "милый": the quantised encoder reads "был очень милый" as sad or angry
    # (docs/text-model.md, limits).
    "ru": "Персонал был очень приятный, но ждать пришлось сорок минут.",
    "uk": "Персонал був дуже привітний, але чекати довелося сорок хвилин.",
}


def theme_sentiments(reading: object) -> dict[str, Sentiment]:
    return {t.theme: t.sentiment for t in reading.themes}  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_praise_for_the_staff_and_blame_for_the_wait_is_read_as_mixed(
    encoder_reader: HeadsReader, language: str
) -> None:
    reading = encoder_reader.read(MIXED[language])

    assert reading.sentiment is Sentiment.MIXED
    assert reading.language == language
    themes = theme_sentiments(reading)
    assert themes["staff"] is Sentiment.POSITIVE
    assert themes["waiting"] is Sentiment.NEGATIVE
    waiting = next(t for t in reading.themes if t.theme == "waiting")
    assert waiting.score < 0 < next(t for t in reading.themes if t.theme == "staff").score
    assert any(word in waiting.excerpt for word in ("forty", "сорок"))


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_the_fallback_also_reads_the_mixed_comment_as_mixed(
    fallback_reader: HeadsReader, language: str
) -> None:
    reading = fallback_reader.read(MIXED[language])

    assert reading.sentiment is Sentiment.MIXED
    themes = theme_sentiments(reading)
    assert themes["staff"] is Sentiment.POSITIVE
    assert themes["waiting"] is Sentiment.NEGATIVE


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Thank you so much, the room was spotless and the breakfast delicious!", "positive"),
        ("Огромное спасибо, всё было просто замечательно!", "positive"),
        ("Дуже смачно і затишно, дякуємо!", "positive"),
        ("Rude staff, dirty tables, never again.", "negative"),
        ("Хамство и грязь, больше не придём.", "negative"),
        ("Жахливе обслуговування, більше не прийдемо.", "negative"),
    ],
)
def test_plain_praise_and_plain_blame_are_told_apart(
    reader: HeadsReader, text: str, sentiment: str
) -> None:
    reading = reader.read(text)

    assert reading.sentiment.value == sentiment
    assert (reading.score > 0) == (sentiment == "positive")


def test_every_score_is_between_minus_one_and_one(reader: HeadsReader) -> None:
    texts = [
        *MIXED.values(),
        "!!!",
        "ok",
        "Thanks!!! Best ever!!! 10/10 " * 20,
        "Ужасно. Ужасно. Ужасно. Никогда больше.",
        "Номер 214, заселение в 14:00.",
    ]
    for reading in reader.read_many(texts):
        assert -1.0 <= reading.score <= 1.0
        assert all(-1.0 <= t.score <= 1.0 for t in reading.themes)
        assert all(0.0 <= p <= 1.0 for p in reading.emotions.values())
        assert set(reading.emotions) <= set(EMOTIONS)
        assert {t.theme for t in reading.themes} <= set(THEMES)


def test_gratitude_and_annoyance_are_named(reader: HeadsReader) -> None:
    thanks = reader.read("Огромное спасибо администратору Ольге за помощь!")
    annoyed = reader.read("We waited an hour on hold and nobody picked up. So annoying.")

    assert "gratitude" in thanks.emotions
    assert "annoyance" in annoyed.emotions


def test_an_empty_comment_reads_as_neutral_with_nothing_in_it(reader: HeadsReader) -> None:
    reading = reader.read("   ")

    assert reading.sentiment is Sentiment.NEUTRAL
    assert reading.score == 0.0
    assert reading.emotions == {}
    assert reading.themes == ()


def test_a_given_language_is_kept_and_a_missing_one_detected(reader: HeadsReader) -> None:
    readings = reader.read_many(["Дякую!", "Спасибо!", "Thanks!"], ["uk", None, None])

    assert [r.language for r in readings] == ["uk", "ru", "en"]


def test_many_comments_are_read_in_one_batch_in_order(reader: HeadsReader) -> None:
    texts = ["Great food.", "Ужасная еда.", "Персонал чудовий, але ціни кусаються."]

    batch = reader.read_many(texts)

    assert [r.sentiment for r in batch] == [reader.read(t).sentiment for t in texts]
    assert reader.read_many([]) == []


def test_each_reading_names_the_model_that_made_it(reader: HeadsReader) -> None:
    reading = reader.read("Fine.")

    assert reading.model == reader.name
    assert reader.name.endswith("2026-12-06.2")


def test_the_readers_satisfy_the_core_port(reader: HeadsReader) -> None:
    port: CommentReader = reader
    assert port.read("ok").model


def test_a_lazy_reader_loads_the_model_on_its_first_comment() -> None:
    from heedful.adapters.text import LazyReader

    lazy = LazyReader(prefer_encoder=False)
    assert lazy._reader is None  # nothing loaded at start-up

    reading = lazy.read("Rude staff, dirty tables, never again.")

    assert reading.sentiment is Sentiment.NEGATIVE
    assert lazy.name.startswith("char-ngram-tfidf-heads/")


def test_a_comment_without_words_speaks_of_no_theme(reader: HeadsReader) -> None:
    for text in ("...", "👍👍👍", "!!!"):
        assert reader.read(text).themes == ()


def test_a_restaurant_hall_is_not_a_hotel_room(reader: HeadsReader) -> None:
    for text in ("В зале было шумно и душно.", "The dining room was noisy.", "У залі було шумно."):
        themes = {t.theme for t in reader.read(text).themes}

        assert "room" not in themes
        assert "atmosphere" in themes
