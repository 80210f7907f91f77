"""Small bar and line charts as PNG or SVG, in pure Python (standard library only).

Shipped with Threadwork's code interpreter so charts work without matplotlib:

    import twchart
    chart = twchart.bar(["Jan", "Feb", "Mar"], [120, 95, 143], title="Monthly revenue", ylabel="USD")
    chart.show()                          # shows the chart in the conversation
    chart.save("/mnt/data/revenue.png")   # or .svg; a file the user can download

    twchart.line(["Jan", "Feb", "Mar"], {"2023": [1, 2, 3], "2024": [2, 3, 5]}, title="Revenue").show()

`values` is a list of numbers (one series) or a dict of series name -> list of numbers.
A chart that is the last expression of a cell is shown as if `.show()` was called.
"""

import math
import os
import struct
import zlib

__all__ = ["bar", "line", "Chart"]

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d"]
INK = "#333333"
GRID = "#dddddd"
BACKGROUND = "#ffffff"

# A 5x7 bitmap font for printable ASCII (32..126): 7 rows per glyph, one base-32 digit per row,
# the high bit being the leftmost pixel. Anything else is drawn as "?".
_FONT_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_FONT = (
    "00000004444404aa00000aavavaa4fke5u4op248j3cik8lid448000024888428422248"
    "04lel40044v4400000c48000v00000000cc01248g0ehjlphe4c4444eeh1248vv2421he"
    "26aiv22vgu11he68guhhev124888ehhehheehhf12c0cc0cc00cc0c48248g84200v0v00"
    "8421248eh12404eh1dlleehhvhhhuhhuhhuehggghesihhhisvgguggvvggugggehgnhhf"
    "hhhvhhhe44444e72222ichikokihggggggvhrllhhhhhpljhhehhhhheuhhugggehhhlid"
    "uhhukihfgge11uv444444hhhhhhehhhhha4hhhlllahha4ahhhha4444v1248gve88888e"
    "0g84210e22222e4ah0000000000v842000000e1fhfggmphhu00egghe11djhhf00ehvge"
    "698s8880fhhf1eggmphhh40c444e20622icggikokic44444e00qllhh00mphhh00ehhhe"
    "00uhugg00djf1100mpggg00ege1u88s889600hhhjd00hhha400hhlla00ha4ah00hhf1e"
    "00v248v244844244444448442448008l200"
)
_GLYPH_W, _GLYPH_H, _ADVANCE = 5, 7, 6


def _glyph(ch):
    code = ord(ch)
    if code < 32 or code > 126:
        code = ord("?")
    start = (code - 32) * _GLYPH_H
    return [_FONT_DIGITS.index(d) for d in _FONT[start:start + _GLYPH_H]]


def text_width(text, scale=1):
    return max(0, len(text) * _ADVANCE - 1) * scale


def _rgb(color):
    color = color.lstrip("#")
    return bytes(int(color[i:i + 2], 16) for i in (0, 2, 4))


class _PixelCanvas:
    """An RGB raster with just the primitives the charts need."""

    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = bytearray(_rgb(BACKGROUND) * (width * height))

    def rect(self, x, y, w, h, color):
        # floor(v + 0.5) rounds every edge the same way (round() goes to even and drops rows)
        x0, y0 = max(0, math.floor(x + 0.5)), max(0, math.floor(y + 0.5))
        x1, y1 = min(self.width, math.floor(x + w + 0.5)), min(self.height, math.floor(y + h + 0.5))
        if x1 <= x0 or y1 <= y0:
            return
        row = _rgb(color) * (x1 - x0)
        for yy in range(y0, y1):
            start = (yy * self.width + x0) * 3
            self.pixels[start:start + len(row)] = row

    def line(self, x0, y0, x1, y1, color, width=1):
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        half = width / 2
        for i in range(steps + 1):
            t = i / steps
            self.rect(x0 + (x1 - x0) * t - half, y0 + (y1 - y0) * t - half, width, width, color)

    def text(self, x, y, text, color, scale=1, anchor="start", vertical=False):
        width = text_width(text, scale)
        offset = {"start": 0, "middle": width / 2, "end": width}[anchor]
        for index, ch in enumerate(text):
            rows = _glyph(ch)
            for r, bits in enumerate(rows):
                for c in range(_GLYPH_W):
                    if bits & (1 << (_GLYPH_W - 1 - c)):
                        along = index * _ADVANCE + c
                        if vertical:  # reads bottom to top, baseline at x
                            px, py = x + r * scale, y + offset - (along + 1) * scale
                        else:
                            px, py = x - offset + along * scale, y + r * scale
                        self.rect(px, py, scale, scale, color)

    def encode(self):
        stride = self.width * 3
        raw = bytearray()
        for yy in range(self.height):
            raw.append(0)  # filter type "none" for every scanline
            raw += self.pixels[yy * stride:(yy + 1) * stride]

        def chunk(tag, data):
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class _SvgCanvas:
    """Records the same primitives as SVG elements, sized to match the bitmap font's metrics."""

    def __init__(self, width, height):
        self.width, self.height = width, height
        self.parts = [f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>']

    def rect(self, x, y, w, h, color):
        if w > 0 and h > 0:
            self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}"/>')

    def line(self, x0, y0, x1, y1, color, width=1):
        self.parts.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{color}" stroke-width="{width}"/>')

    def text(self, x, y, text, color, scale=1, anchor="start", vertical=False):
        if vertical:  # baseline runs upwards at the right edge of the glyph box, as in the bitmap
            x, y = x + _GLYPH_H * scale, y
            transform = f' transform="rotate(-90 {x:.1f} {y:.1f})"'
        else:
            y, transform = y + _GLYPH_H * scale, ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family="monospace" font-size="{10 * scale}" fill="{color}" '
            f'text-anchor="{anchor}"{transform}>{_escape(text)}</text>'
        )

    def encode(self):
        body = "\n".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}">\n{body}\n</svg>\n'
        ).encode("utf-8")


def _nice_step(span):
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _tick_label(value, step):
    decimals = max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0
    if step >= 1 and step != int(step):
        decimals = 1
    return f"{value:,.{decimals}f}"


def _fit(text, max_width, scale=1):
    limit = max(1, int((max_width + 1) // (_ADVANCE * scale)))
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "~"


class Chart:
    """A bar or line chart. `png()`/`svg()` give bytes; `save(path)` writes; `show()` displays."""

    def __init__(self, kind, labels, values, title="", xlabel="", ylabel="", width=640, height=400):
        if kind not in ("bar", "line"):
            raise ValueError("kind must be 'bar' or 'line'")
        labels = [str(label) for label in labels]
        series = list(values.items()) if isinstance(values, dict) else [("", list(values))]
        if not series:
            raise ValueError("at least one series of values is needed")
        for name, numbers in series:
            if len(numbers) != len(labels):
                raise ValueError(f"series {name!r} has {len(numbers)} values for {len(labels)} labels")
        self.kind, self.labels, self.title = kind, labels, str(title)
        self.series = [(str(name), [float(v) for v in numbers]) for name, numbers in series]
        self.xlabel, self.ylabel = str(xlabel), str(ylabel)
        self.width, self.height = max(160, int(width)), max(120, int(height))

    def __repr__(self):
        return f"<twchart {self.kind} chart {self.width}x{self.height} {self.title!r}>"

    def png(self):
        return self._draw(_PixelCanvas(self.width, self.height))

    def svg(self):
        return self._draw(_SvgCanvas(self.width, self.height)).decode("utf-8")

    def save(self, path):
        lower = str(path).lower()
        if lower.endswith(".svg"):
            data = self.svg().encode("utf-8")
        elif lower.endswith(".png"):
            data = self.png()
        else:
            raise ValueError("save() writes .png or .svg files")
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def show(self, format="png"):
        """Hands the chart to the conversation as an image (not as a file in /mnt/data)."""
        outbox = os.environ.get("TW_OUTBOX") or "/mnt/data"
        os.makedirs(outbox, exist_ok=True)
        index = len(os.listdir(outbox)) + 1
        path = os.path.join(outbox, f"chart-{index}.{format}")
        while os.path.exists(path):
            index += 1
            path = os.path.join(outbox, f"chart-{index}.{format}")
        self.save(path)

    def _repr_png_(self):
        return self.png()

    def _draw(self, canvas):
        numbers = [v for _, values in self.series for v in values] or [0.0]
        low, high = min(0.0, min(numbers)), max(0.0, max(numbers))
        if high == low:
            high = low + 1
        step = _nice_step(high - low)
        low, high = math.floor(low / step) * step, math.ceil(high / step) * step
        ticks = [low + i * step for i in range(int(round((high - low) / step)) + 1)]
        tick_labels = [_tick_label(t, step) for t in ticks]

        top = 12 + (24 if self.title else 0) + (14 if len(self.series) > 1 else 0)
        left = 12 + (14 if self.ylabel else 0) + max(text_width(t) for t in tick_labels) + 6
        bottom = self.height - (12 + 14 + (14 if self.xlabel else 0))
        right = self.width - 16
        plot_w, plot_h = right - left, bottom - top

        def y_of(value):
            return bottom - (value - low) / (high - low) * plot_h

        if self.title:
            canvas.text(self.width / 2, 10, _fit(self.title, self.width - 20, 2), INK, scale=2, anchor="middle")
        if len(self.series) > 1:
            x = left
            for index, (name, _) in enumerate(self.series):
                canvas.rect(x, top - 13, 8, 8, PALETTE[index % len(PALETTE)])
                canvas.text(x + 12, top - 13, name, INK)
                x += 12 + text_width(name) + 14
        for tick, label in zip(ticks, tick_labels):
            y = y_of(tick)
            canvas.rect(left, y, plot_w, 1, GRID)
            canvas.text(left - 6, y - 3, label, INK, anchor="end")
        if self.ylabel:
            canvas.text(8, top + plot_h / 2, _fit(self.ylabel, plot_h), INK, anchor="middle", vertical=True)
        if self.xlabel:
            canvas.text(left + plot_w / 2, self.height - 18, _fit(self.xlabel, plot_w), INK, anchor="middle")

        count = max(1, len(self.labels))
        slot = plot_w / count
        label_every = max(1, math.ceil(count * (text_width("0000") + 8) / plot_w)) if count > 1 else 1
        widest = max([text_width(label) for label in self.labels] or [0])
        if widest + 8 <= slot:
            label_every = 1
        for index, label in enumerate(self.labels):
            if index % label_every == 0:
                room = slot * label_every - 4
                canvas.text(left + slot * (index + 0.5), bottom + 6, _fit(label, room), INK, anchor="middle")

        zero = y_of(0.0)
        if self.kind == "bar":
            group = slot * 0.8
            bar_w = group / len(self.series)
            for s, (_, values) in enumerate(self.series):
                color = PALETTE[s % len(PALETTE)]
                for index, value in enumerate(values):
                    x = left + slot * index + (slot - group) / 2 + bar_w * s
                    y0, y1 = sorted((zero, y_of(value)))
                    canvas.rect(x, y0, max(1, bar_w - 1), max(1, y1 - y0), color)
        else:
            for s, (_, values) in enumerate(self.series):
                color = PALETTE[s % len(PALETTE)]
                points = [(left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(values)]
                for (x0, y0), (x1, y1) in zip(points, points[1:]):
                    canvas.line(x0, y0, x1, y1, color, 2)
                for x, y in points:
                    canvas.rect(x - 2.5, y - 2.5, 5, 5, color)
        canvas.rect(left, top, 1, plot_h + 1, INK)
        canvas.rect(left, zero, plot_w, 1, INK)
        return canvas.encode()


def bar(labels, values, title="", xlabel="", ylabel="", width=640, height=400):
    """A bar chart; `values` is a list, or a dict of series name -> list (grouped bars)."""
    return Chart("bar", labels, values, title, xlabel, ylabel, width, height)


def line(labels, values, title="", xlabel="", ylabel="", width=640, height=400):
    """A line chart; `values` is a list, or a dict of series name -> list (one line each)."""
    return Chart("line", labels, values, title, xlabel, ylabel, width, height)
