"""The chart drawing: well-formed SVG, values become proportional bars and dots, an
empty series draws an empty plot, and every label is escaped."""

import re
import xml.etree.ElementTree as ET

import pytest

from tend.patterns import svg

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = ["Jan", "Feb", "Mar", "Apr"]


def _parse(drawing: str) -> ET.Element:
    return ET.fromstring(drawing)  # noqa: S314  (our own output)


def _bars(root: ET.Element) -> list[ET.Element]:
    return root.findall("svg:rect", NS)


@pytest.mark.parametrize("draw", [svg.columns, svg.rows, svg.dots])
def test_every_shape_is_well_formed_and_named_by_its_words(draw) -> None:  # type: ignore[no-untyped-def]
    drawing = draw(MONTHS, [svg.Series("Repairs", (1, 0, 3, 2))], labelledby="repairs-words")
    root = _parse(drawing)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "repairs-words"
    assert root.get("viewBox", "").startswith("0 0 320 ")
    assert "style=" not in drawing  # the CSP allows no inline style


def test_column_heights_are_proportional_to_the_values() -> None:
    root = _parse(svg.columns(MONTHS, [svg.Series("n", (1, 0, 4, 2))], labelledby="x"))
    bars = _bars(root)
    # A zero draws no bar; the scale's top is 4.
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights == pytest.approx([svg.PLOT_HEIGHT / 4, svg.PLOT_HEIGHT, svg.PLOT_HEIGHT / 2])
    # Every bar stands on the base line.
    for bar in bars:
        bottom = float(bar.get("y", "0")) + float(bar.get("height", "0"))
        assert bottom == pytest.approx(svg.TOP + svg.PLOT_HEIGHT)


def test_row_lengths_follow_the_values_and_a_fixed_maximum() -> None:
    series = [svg.Series("Before", (8, 6)), svg.Series("After", (4, 6))]
    root = _parse(svg.rows(["Slow breath", "Shake it out"], series, labelledby="x", maximum=10))
    widths = [float(b.get("width", "0")) for b in _bars(root)]
    longest = svg.WIDTH - 40
    assert widths == pytest.approx([longest * 0.8, longest * 0.4, longest * 0.6, longest * 0.6])
    # The second series is told apart by its class (hollow in the stylesheet), not colour.
    assert [b.get("class") for b in _bars(root)][:2] == ["chart-bar chart-s0", "chart-bar chart-s1"]
    # Each value is written beside its bar too.
    values = [t.text for t in root.findall("svg:text", NS) if t.get("class") == "chart-value"]
    assert values == ["8", "4", "6", "6"]


def test_dots_sit_at_their_values_and_are_joined() -> None:
    root = _parse(svg.dots(MONTHS, [svg.Series("n", (0, 2, 4, 1))], labelledby="x"))
    circles = root.findall("svg:g/svg:circle", NS)
    ys = [float(c.get("cy", "0")) for c in circles]
    base = svg.TOP + svg.PLOT_HEIGHT
    assert ys == pytest.approx(
        [base, base - svg.PLOT_HEIGHT / 2, base - svg.PLOT_HEIGHT, base - svg.PLOT_HEIGHT / 4]
    )
    assert len(root.findall("svg:polyline", NS)) == 1


def test_more_series_differ_in_mark_as_well_as_class() -> None:
    series = [svg.Series(name, (1, 2)) for name in ("a", "b", "c")]
    root = _parse(svg.dots(["x", "y"], series, labelledby="x"))
    groups = root.findall("svg:g", NS)
    assert [len(g.findall("svg:circle", NS)) for g in groups] == [2, 0, 0]
    assert [len(g.findall("svg:rect", NS)) for g in groups] == [0, 2, 0]
    assert [len(g.findall("svg:polygon", NS)) for g in groups] == [0, 0, 2]


@pytest.mark.parametrize("draw", [svg.columns, svg.rows, svg.dots])
def test_an_empty_series_draws_an_empty_plot(draw) -> None:  # type: ignore[no-untyped-def]
    for labels, series in (
        ([], []),
        ([], [svg.Series("n", ())]),
        (["a", "b"], [svg.Series("n", (0, 0))]),
    ):
        root = _parse(draw(labels, series, labelledby="x"))
        assert not root.findall("svg:rect", NS)
        assert not root.findall("svg:polyline", NS) or draw is svg.dots


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        svg.columns(["a", "b", "c"], [svg.Series("n", (1, 2))], labelledby="x")


@pytest.mark.parametrize("draw", [svg.columns, svg.rows, svg.dots])
def test_labels_are_escaped(draw) -> None:  # type: ignore[no-untyped-def]
    hostile = '</svg><script>alert("x")</script>&'
    drawing = draw([hostile, "b"], [svg.Series("n", (1, 2))], labelledby='a" onload="x')
    assert "<script>" not in drawing
    assert 'onload="x"' not in drawing
    root = _parse(drawing)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert hostile in texts


def test_labels_thin_out_under_a_crowded_plot_but_the_newest_stays() -> None:
    labels = [f"m{i}" for i in range(12)]
    root = _parse(svg.columns(labels, [svg.Series("n", (1,) * 12)], labelledby="x"))
    shown = [t.text for t in root.findall("svg:text", NS) if t.get("class") == "chart-label"]
    assert shown == labels[1::2]


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 1), (1, 1), (3, 4), (5, 6), (9, 10), (12, 20), (0.4, 1), (130, 200)]
)
def test_the_scale_top_is_a_round_number(largest: float, top: float) -> None:
    assert svg.nice_top(largest) == top


def test_a_swatch_matches_its_series() -> None:
    assert re.search(r'class="chart-bar chart-s1"', svg.swatch(1, bar=True))
    swatch = _parse(svg.swatch(2, bar=False))
    assert swatch.get("aria-hidden") == "true"
    assert swatch.find("svg:g/svg:polygon", NS) is not None


def test_the_scale_numbers_only_whole_halves() -> None:
    def scale(values: tuple[float, ...]) -> list[str | None]:
        root = _parse(svg.columns(["a", "b"], [svg.Series("n", values)], labelledby="x"))
        return [t.text for t in root.findall("svg:text", NS) if t.get("class") == "chart-scale"]

    assert scale((1, 0)) == ["0", "1"]
    assert scale((3, 1)) == ["0", "2", "4"]
