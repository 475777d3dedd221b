"""The spider chart widget paints both assessments: the current one filled, the previous one dashed."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from ui.widgets.radar import CURRENT, PREVIOUS, RadarChart, Series

AXES = ["Pašaprūpe", "Pārvietošanās", "Veselība", "Finanses", "Mājoklis", "Kontakti"]


def near(colour: QColor, target: QColor, tolerance: int = 60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in ((colour.red(), target.red()), (colour.green(), target.green()),
                                                    (colour.blue(), target.blue())))


def colours_along(image, start: QPointF, end: QPointF, steps: int = 60) -> list[QColor]:
    found = []
    for k in range(1, steps):
        x = start.x() + (end.x() - start.x()) * k / steps
        y = start.y() + (end.y() - start.y()) * k / steps
        found.append(image.pixelColor(round(x), round(y)))
    return found


def test_radar_paints_the_current_and_the_previous_assessment(qtbot):
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.resize(500, 440)
    chart.set_chart(AXES, 1, 5, [Series("05.09.2026.", (5,) * 6, PREVIOUS),
                                 Series("20.11.2026.", (3,) * 6, CURRENT, filled=True)])
    image = chart.grab().toImage()
    centre, radius, _legend = chart._layout()
    outer = [chart.point(i, 5, centre, radius) for i in range(6)]
    middle = [chart.point(i, 3, centre, radius) for i in range(6)]
    assert any(near(c, PREVIOUS) for c in colours_along(image, outer[0], outer[1]))  # the dashed outline
    assert any(near(c, CURRENT) for c in colours_along(image, middle[0], middle[1]))  # the current outline
    inside = image.pixelColor(round(centre.x() + radius * 0.2), round(centre.y() + radius * 0.05))
    assert inside.blue() > inside.red() + 20  # filled with the current assessment's tint
    between = chart.point(0, 4, centre, radius)  # between the two polygons: neither colour
    assert not near(image.pixelColor(round(between.x()) + 3, round(between.y())), CURRENT, 30)


def test_an_empty_chart_paints_nothing(qtbot):
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.resize(300, 300)
    chart.set_chart(AXES, 1, 5, [Series("x", (5,) * 6, PREVIOUS)])
    chart.clear()
    image = chart.grab().toImage()
    background = image.pixelColor(150, 150)
    assert all(image.pixelColor(x, 150) == background for x in range(0, 300, 10))
