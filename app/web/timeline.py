"""A per-day bar chart as server-rendered SVG: no chart library, readable without scripts."""

from datetime import date, timedelta

from markupsafe import Markup, escape

WIDTH = 720
HEIGHT = 120
MAX_BARS = 400


def _buckets(days: list[tuple[date, int]]) -> tuple[list[tuple[date, int]], int]:
    """Per-day counts with the empty days filled in; weeks or months when the range is long."""
    first, last = days[0][0], days[-1][0]
    span = (last - first).days + 1
    step = 1 if span <= MAX_BARS else 7 if span <= MAX_BARS * 7 else 30
    counts: dict[date, int] = {}
    for day, count in days:
        bucket = first + timedelta(days=((day - first).days // step) * step)
        counts[bucket] = counts.get(bucket, 0) + count
    buckets = [
        (first + timedelta(days=offset), counts.get(first + timedelta(days=offset), 0))
        for offset in range(0, span, step)
    ]
    return buckets, step


def timeline_svg(days: list[tuple[date, int]]) -> Markup:
    """Bars of statements per day (or week, month), with a title per bar for hover and focus."""
    if not days:
        return Markup("")
    buckets, step = _buckets(days)
    peak = max(count for _, count in buckets) or 1
    bar_width = WIDTH / len(buckets)
    unit = {1: "day", 7: "week from", 30: "30 days from"}[step]
    bars = []
    for index, (day, count) in enumerate(buckets):
        if not count:
            continue
        height = max(2.0, (HEIGHT - 20) * count / peak)
        label = escape(f"{count} on the {unit} {day.isoformat()}".replace("on the day ", "on "))
        bars.append(
            f'<rect x="{index * bar_width:.1f}" y="{HEIGHT - 16 - height:.1f}" '
            f'width="{max(bar_width - 1, 1):.1f}" height="{height:.1f}">'
            f"<title>{label}</title></rect>"
        )
    total = sum(count for _, count in buckets)
    summary = escape(
        f"{total} statements between {buckets[0][0].isoformat()} and {days[-1][0].isoformat()}, "
        f"at most {peak} per {unit.split()[0]}"
    )
    return Markup(
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{summary}">'
        f"{''.join(bars)}"
        f'<text x="0" y="{HEIGHT - 2}">{escape(buckets[0][0].isoformat())}</text>'
        f'<text x="{WIDTH}" y="{HEIGHT - 2}" text-anchor="end">'
        f"{escape(days[-1][0].isoformat())}</text></svg>"
    )
