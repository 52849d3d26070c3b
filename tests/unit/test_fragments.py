"""Stored fragments (core.fragments): bounded, and a blank is filled in escaped."""

from lms.core.fragments import Blank, Kept, fill


def test_the_store_is_dropped_whole_when_full():
    kept, rendered = Kept(2), []

    def render(text):
        rendered.append(text)
        return text

    assert kept.get("a", lambda: render("A")) == "A"
    assert kept.get("a", lambda: render("again")) == "A"  # stored
    kept.get("b", lambda: render("B"))
    assert len(kept) == 2
    kept.get("c", lambda: render("C"))
    assert len(kept) == 1 and rendered == ["A", "B", "C"]
    assert kept.get("a", lambda: render("A2")) == "A2"  # rendered anew


def test_blanks_are_filled_escaped_and_unique():
    name, token = Blank(), Blank()
    assert name.text != token.text and str(name) == name.__html__() == name() == name.text
    html = fill(f"<p>{name}</p><i>{token}</i><b>{name}</b>",
                {name: '<script>"x"</script>', token: "t&1"})
    assert html == ("<p>&lt;script&gt;&#34;x&#34;&lt;/script&gt;</p><i>t&amp;1</i>"
                    "<b>&lt;script&gt;&#34;x&#34;&lt;/script&gt;</b>")
    assert fill("<p>none</p>", {name: "x"}) == "<p>none</p>"


def test_a_callable_value_is_asked_for_only_when_its_blank_occurs():
    blank, asked = Blank(), []

    def value():
        asked.append(1)
        return "x&y"

    assert fill("<p>none</p>", {blank: value}) == "<p>none</p>" and asked == []
    assert fill(f"<p>{blank}</p>", {blank: value}) == "<p>x&amp;y</p>" and asked == [1]
