"""A very long text is extracted a piece at a time: offsets still slice it, one actor stays one."""

import pytest

import app.extract.pipeline as pipeline
from app.extract import extract


def test_a_long_text_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "LONG_TEXT_CHARS", 2_000)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 1_000)
    paragraph = (
        "Dmitry Peskov said on Friday that the talks in Minsk would go on. "
        "The Ukrainian defence ministry said the troops posed no threat yet.\n\n"
    )
    text = "Long log\n\n" + paragraph * 40
    extraction = extract(text)
    assert len(extraction.attributions) >= 40
    for attribution in extraction.attributions:
        assert text[attribution.start : attribution.end] == attribution.content
        assert attribution.sentence_start <= attribution.start < attribution.end
    for mention in extraction.mentions:
        assert text[mention.start : mention.end] == mention.text
    keys = [actor.key for actor in extraction.actors]
    assert len(keys) == len(set(keys))
    assert sum("peskov" in actor.key for actor in extraction.actors) == 1
