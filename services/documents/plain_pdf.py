"""A PDF written directly, for the receipt's page: text in the standard Helvetica fonts, grey
rectangles and lines, nothing else.

The receipt drew on reportlab's canvas, whose document model (an object per font, dictionary and
string, each formatted when saved) was most of a receipt's cost, the largest single cost left in
a declaration's turns. This canvas offers the few drawing calls the receipt's layout makes
(`services.documents.receipts._Page`), writes the same operators, and saves the file in one pass.
Text goes in WinAnsiEncoding, as reportlab writes the standard fonts: a text outside it raises
`NotPlain`, and the receipt is then drawn by reportlab (which knows what to do with it).
"""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime

_FONTS = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
_CONTROL = re.compile(rb"[\x00-\x1f]")


class NotPlain(ValueError):
    """A text this canvas cannot write (a character outside WinAnsiEncoding)."""


def _string(text: str) -> bytes:
    """A PDF literal string of `text` in WinAnsiEncoding (Windows-1252)."""
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError as error:
        raise NotPlain(text) from error
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    # Control characters as octal escapes (a line break would be read as one).
    raw = _CONTROL.sub(lambda found: b"\\%03o" % found.group()[0], raw)
    return b"(" + raw + b")"


def _info_string(text: str) -> bytes:
    """A document information string: UTF-16BE with its byte order mark, in hexadecimal."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


class PlainCanvas:
    """The subset of reportlab's `Canvas` the receipt draws with, same coordinates and units."""

    def __init__(self, pagesize: tuple[float, float]) -> None:
        from reportlab.lib.rl_accel import fp_str
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self._width = stringWidth
        self._numbers = fp_str  # reportlab's own (C) formatting of coordinates
        self._pagesize = pagesize
        self._pages: list[bytes] = []
        self._ops: list[bytes] = []
        self._font = _FONTS[0]
        self._size = 12.0
        self._info: dict[str, str] = {}
        self.setFont(self._font, self._size)

    def setTitle(self, title: str) -> None:  # reportlab's names
        self._info["Title"] = title

    def setAuthor(self, author: str) -> None:
        self._info["Author"] = author

    def setSubject(self, subject: str) -> None:
        self._info["Subject"] = subject

    def setFont(self, font: str, size: float) -> None:
        if font not in _FONTS:
            raise NotPlain(font)
        self._font, self._size = font, size
        number = _FONTS.index(font) + 1
        self._ops.append(b"BT /F%d %s Tf %s TL ET" % (number, self._n(size), self._n(size * 1.2)))

    def drawString(self, x: float, y: float, text: str) -> None:
        # As reportlab writes it (the move to the next line included: text extractors read
        # the lines of the page the same way).
        self._ops.append(b"BT 1 0 0 1 %s Tm %s Tj T* ET" % (self._n(x, y), _string(text)))

    def drawCentredString(self, x: float, y: float, text: str) -> None:
        self.drawString(x - self._width(text, self._font, self._size) / 2, y, text)

    def setLineWidth(self, width: float) -> None:
        self._ops.append(self._n(width) + b" w")

    def setFillGray(self, gray: float) -> None:
        self._ops.append(self._n(gray) + b" g")

    def setStrokeGray(self, gray: float) -> None:
        self._ops.append(self._n(gray) + b" G")

    def rect(
        self, x: float, y: float, width: float, height: float, *, stroke: int, fill: int
    ) -> None:
        box = self._n(x, y, width, height)
        paint = b"B" if stroke and fill else b"f" if fill else b"S" if stroke else b"n"
        self._ops.append(b"n " + box + b" re " + paint)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self._ops.append(b"n %s m %s l S" % (self._n(x1, y1), self._n(x2, y2)))

    def _n(self, *values: float) -> bytes:
        return str(self._numbers(*values)).encode("ascii")

    def showPage(self) -> None:
        """End this page; the next one starts with PDF's default graphics state."""
        self._pages.append(b"\n".join(self._ops))
        self._ops = []
        self.setFont(self._font, self._size)  # a page starts with no font

    def save(self, now: datetime | None = None) -> bytes:
        """The whole file: catalog, pages, fonts, information and cross-reference table."""
        self._pages.append(b"\n".join(self._ops))
        self._ops = []
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"")  # filled in once the pages' number is known
        pages = add(b"")
        fonts = b" ".join(
            b"/F%d %d 0 R"
            % (
                n,
                add(
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /%s"
                    b" /Encoding /WinAnsiEncoding >>" % name.encode()
                ),
            )
            for n, name in enumerate(_FONTS, start=1)
        )
        box = self._n(0, 0, *self._pagesize)
        kids = []
        for content in self._pages:
            packed = zlib.compress(content)
            stream = add(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                % (len(packed), packed)
            )
            kids.append(
                add(
                    b"<< /Type /Page /Parent %d 0 R /MediaBox [%s] /Contents %d 0 R"
                    b" /Resources << /Font << %s >> /ProcSet [/PDF /Text] >> >>"
                    % (pages, box, stream, fonts)
                )
            )
        objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
        objects[pages - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
            len(kids),
            b" ".join(b"%d 0 R" % kid for kid in kids),
        )
        stamp = (now or datetime.now(UTC)).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
        fields = b"".join(
            b" /%s %s" % (key.encode(), _info_string(value)) for key, value in self._info.items()
        )
        info = add(b"<<%s /CreationDate (%s) /ModDate (%s) >>" % (fields, stamp, stamp))
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            catalog,
            info,
            xref,
        )
        return bytes(out)
