"""Sample photos for the demo needs, drawn with Pillow: a studio-style picture of a part
with the need's Persian title and HS code, so every card has a real image to show."""

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = Path(__file__).resolve().parent / "assets" / "Vazirmatn-Bold.ttf"
PHOTO_SIZE = (960, 720)
THUMB_SIZE = (480, 360)


def _font(size: int) -> ImageFont.FreeTypeFont:
    # Raqm layout shapes and orders Persian text; without it Pillow falls back to basic
    # layout, which draws the letters unjoined, so we prefer it when present.
    layout = ImageFont.Layout.RAQM if ImageFont.core.HAVE_RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONT_PATH), size, layout_engine=layout)


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t: float):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b))


def draw_sample(*, title: str, hs_code: str, colour: str, shape: int, number: int) -> Image.Image:
    base = _hex(colour)
    light = _mix(base, (255, 255, 255), 0.85)
    image = Image.new("RGB", PHOTO_SIZE, light)
    draw = ImageDraw.Draw(image)
    w, h = PHOTO_SIZE
    # A soft floor and shadow under the part, like a photo on a shelf.
    draw.rectangle((0, int(h * 0.68), w, h), fill=_mix(base, (255, 255, 255), 0.7))
    draw.ellipse((w * 0.3, h * 0.64, w * 0.7, h * 0.7), fill=_mix(light, (60, 60, 60), 0.25))
    dark = _mix(base, (0, 0, 0), 0.35)
    cx, cy = w // 2, int(h * 0.4)
    kind = shape % 5
    if kind == 0:  # bearing / ring
        draw.ellipse((cx - 190, cy - 190, cx + 190, cy + 190), fill=base, outline=dark, width=10)
        draw.ellipse((cx - 90, cy - 90, cx + 90, cy + 90), fill=light, outline=dark, width=10)
        for i in range(10):
            import math

            a = i * math.pi / 5
            x, y = cx + 140 * math.cos(a), cy + 140 * math.sin(a)
            draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=_mix(base, (255, 255, 255), 0.4), outline=dark)
    elif kind == 1:  # box / block
        draw.polygon([(cx - 200, cy - 80), (cx + 60, cy - 160), (cx + 220, cy - 90), (cx - 40, cy - 10)],
                     fill=_mix(base, (255, 255, 255), 0.3), outline=dark)
        draw.polygon([(cx - 200, cy - 80), (cx - 40, cy - 10), (cx - 40, cy + 170), (cx - 200, cy + 90)],
                     fill=base, outline=dark)
        draw.polygon([(cx - 40, cy - 10), (cx + 220, cy - 90), (cx + 220, cy + 90), (cx - 40, cy + 170)],
                     fill=dark, outline=dark)
    elif kind == 2:  # drum / roll
        draw.ellipse((cx - 170, cy + 110, cx + 170, cy + 190), fill=base, outline=dark, width=8)
        draw.rectangle((cx - 170, cy - 150, cx + 170, cy + 150), fill=base)
        draw.line((cx - 170, cy - 150, cx - 170, cy + 150), fill=dark, width=8)
        draw.line((cx + 170, cy - 150, cx + 170, cy + 150), fill=dark, width=8)
        draw.ellipse((cx - 170, cy - 190, cx + 170, cy - 110), fill=_mix(base, (255, 255, 255), 0.35), outline=dark, width=8)
    elif kind == 3:  # bolt / rod
        draw.rectangle((cx - 260, cy - 40, cx + 150, cy + 40), fill=base, outline=dark, width=6)
        for x in range(cx - 250, cx + 150, 24):
            draw.line((x, cy - 40, x + 12, cy + 40), fill=dark, width=4)
        draw.polygon([(cx + 150, cy - 110), (cx + 250, cy - 110), (cx + 280, cy), (cx + 250, cy + 110),
                      (cx + 150, cy + 110)], fill=dark)
    else:  # sack / granules
        draw.rounded_rectangle((cx - 160, cy - 170, cx + 160, cy + 170), radius=60, fill=base, outline=dark, width=8)
        for i in range(18):
            x = cx - 130 + (i * 53) % 260
            y = cy + 190 + (i * 29) % 40
            draw.ellipse((x - 12, y - 8, x + 12, y + 8), fill=dark)
    label_font = _font(44)
    small_font = _font(30)
    draw.rectangle((0, h - 150, w, h), fill=(255, 255, 255))
    draw.text((w - 40, h - 120), title, font=label_font, fill=(30, 30, 30), anchor="ra", direction="rtl"
              if ImageFont.core.HAVE_RAQM else None)
    draw.text((40, h - 110), f"HS {hs_code}", font=small_font, fill=dark)
    draw.text((40, h - 60), f"#{number}", font=small_font, fill=(110, 110, 110))
    return image


def encode_jpeg(image: Image.Image, size: tuple[int, int] | None = None, quality: int = 80) -> bytes:
    if size:
        image = image.copy()
        image.thumbnail(size)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
