"""Charts rendered on the server as inline SVG: no JavaScript library, no CDN."""
from collections.abc import Sequence
from decimal import Decimal
from html import escape

# Colour-blind-safe (Okabe-Ito), in the order services first appear.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


def stacked_bars_svg(
    labels: Sequence[str], series: dict[str, Sequence[Decimal]], *, width: int = 900,
    height: int = 260, unit: str = "$",
) -> str:
    """One bar per label, stacked by series, with a y axis, a legend and a tooltip per segment."""
    left, bottom, top, legend_height = 56, 28, 10, 22
    plot_height = height - bottom - top - legend_height
    totals = [sum((values[i] for values in series.values()), Decimal(0))
              for i in range(len(labels))]
    peak = max(totals, default=Decimal(0)) or Decimal(1)
    slot = (width - left - 10) / max(len(labels), 1)
    bar = max(slot * 0.7, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="cost per day by service" class="chart">']
    for step in range(5):  # y grid and labels
        value = peak * step / 4
        y = top + plot_height - plot_height * step / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#555">{unit}{value:.2f}</text>')
    colours = dict(zip(series, PALETTE * (len(series) // len(PALETTE) + 1)))
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_height
        for name, values in series.items():
            value = values[i]
            if not value:
                continue
            h = plot_height * float(value / peak)
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colours[name]}"><title>{escape(label)} {escape(name)}: '
                f'{unit}{value.normalize():f}</title></rect>')
        if i % max(len(labels) // 10, 1) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_height + 16}" '
                         f'text-anchor="middle" font-size="10" fill="#555">{escape(label)}</text>')
    x = left
    for name, colour in colours.items():
        parts.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{height - 5}" font-size="11">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)
