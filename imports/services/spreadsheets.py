"""Reading uploaded tables exactly: text encodings, numbers as each locale writes them, .xlsx."""

import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

# --- Limits (documented in docs/imports.md) --------------------------------------------------

MAX_COLUMNS = 200
MAX_SHEET_ROWS = 100_000  # blank rows included: an .xlsx can hold a million empty ones
# Cells a sheet may hold, recognised or not: 5,000 sites × 80 columns, more than every
# site and circuit column the import knows. Each costs a few µs to read, so the largest
# sheet allowed reads in about a second or two (5,000 × 200 numbers took 14 s on a loaded
# 2-core machine before it was refused at the old limit of a million).
MAX_SHEET_CELLS = 400_000
MAX_XML_PART = 60 * 1024 * 1024
# Wall-clock budget for reading and checking one upload inside the request.
READ_SECONDS = 10.0


class ImportFileError(Exception):
    """The file as a whole cannot be read as a site list; the message says why and what to do."""


class Budget:
    """A wall-clock allowance for reading one file; ``check`` refuses the file past it."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = READ_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise ImportFileError once the allowance is spent."""
        if time.monotonic() > self.deadline:
            raise ImportFileError(
                f"Reading the file took longer than {self.seconds:.0f} seconds, so it was "
                "stopped. Remove the columns and rows that are not sites (or split the file) "
                "and upload it again."
            )


# --- Cells that carry more than their text ------------------------------------------------


class SheetNumber(str):
    """A number cell of a workbook, as digits with a ``.`` decimal point (no locale applies).

    A percentage-formatted cell ends in ``%`` and holds the percentage shown (0.5 %, not the
    0.005 Excel stores).
    """


class BadCell(str):
    """A cell whose value cannot be known (an uncalculated formula, an error value)."""

    message: str

    def __new__(cls, text: str, message: str) -> "BadCell":
        """The cell's text as the file holds it, and why it has no usable value."""
        cell = super().__new__(cls, text)
        cell.message = message
        return cell


# --- Text encodings -------------------------------------------------------------------------

# Code pages Excel's "CSV" (not "CSV UTF-8") writes, by the Windows region, and Mac Excel's.
# Ties are settled in this order: Western European files are the most common.
LEGACY_ENCODINGS = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1257": "Windows-1257 (Baltic)",
    "mac_roman": "Mac OS Roman",
}
ENCODING_CHOICES = [("", "Detect"), ("utf-8", "UTF-8")] + list(LEGACY_ENCODINGS.items())
# Non-letters that occur in real names and notes; other symbols inside words betray a wrong
# code page ("£ódŸ" is Łódź read as Windows-1252).
_TEXT_SYMBOLS = set("€°§–—‘’‚“”„…•·×²³½¼¾«»¡¿ªº©®™ \u00a0")


def _unlikely_characters(text: str) -> int:
    """How many characters of ``text`` look like a wrong code page's (lower is likelier)."""
    score = 0
    previous = " "
    for char in text:
        if ord(char) > 127:
            category = unicodedata.category(char)
            if not category.startswith("L") and char not in _TEXT_SYMBOLS:
                score += 2
            elif category == "Lu" and unicodedata.category(previous) == "Ll":
                score += 1  # "dŸ": a capital inside a word
        previous = char
    return score


def _non_ascii_lines(data: bytes, limit: int = 65_536) -> bytes:
    """The lines that hold non-ASCII bytes (the only ones that tell code pages apart)."""
    picked: list[bytes] = []
    size = 0
    for line in data.splitlines():
        if max(line, default=0) > 127:
            picked.append(line)
            size += len(line)
            if size > limit:
                break
    return b"\n".join(picked)


def guess_encoding(data: bytes) -> str | None:
    """The likeliest legacy code page of bytes that are not UTF-8, or None for none of them.

    charset-normalizer measures how messy each decoding reads; short site lists often tie
    (Windows-1250 and -1252 both read "Siège" without mess, one as "Sičge"), so ties go to
    the decoding with fewer symbols inside words, then to the commoner code page.
    """
    from charset_normalizer import from_bytes

    readable = []
    for encoding in LEGACY_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readable.append(encoding)
    if not readable:
        return None
    sample = _non_ascii_lines(data)
    matches = from_bytes(sample, cp_isolation=readable, threshold=0.5)
    chaos = {}
    for match in matches:
        for encoding in [match.encoding, *match.could_be_from_charset]:
            if encoding in readable:
                chaos.setdefault(encoding, match.chaos)
    if not chaos:
        chaos = dict.fromkeys(readable, 1.0)
    best = min(chaos.values())
    close = [e for e in readable if e in chaos and chaos[e] <= best + 0.05]
    order = list(LEGACY_ENCODINGS)
    return min(
        close,
        key=lambda e: (_unlikely_characters(sample.decode(e)), order.index(e)),
    )


def decode_bytes(data: bytes, encoding: str = "") -> tuple[str, str, bool]:
    """Text of an uploaded text file: (text, encoding's name, whether it was a guess).

    A byte-order mark or valid UTF-8 is certain; anything else is guessed among the code
    pages Excel writes, unless the user named the encoding.

    Raises:
        ImportFileError: binary content, or bytes no known encoding reads.
    """
    if encoding:
        name = LEGACY_ENCODINGS.get(encoding, "UTF-8")
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), name, False
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"The file cannot be read as {name}: byte {exc.start + 1:,} does not belong to "
                "that encoding. Choose “Detect” or another encoding."
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", False
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "The file says it is UTF-16 but is not readable as such."
            ) from exc
    head = data[:8192]
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        if head[1::2].count(0) > len(head) * 0.4:
            try:
                return data.decode("utf-16-le"), "UTF-16", False
            except UnicodeDecodeError:
                pass
        raise ImportFileError(
            "This is not a CSV or Excel file (it contains binary data). Upload a .csv "
            "or .xlsx file; the template shows the expected columns."
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    guessed = guess_encoding(data)
    if guessed is None:
        raise ImportFileError(
            "The file's text encoding could not be read: it is neither UTF-8 nor one of the "
            "Windows code pages Excel writes. In Excel choose File → Save As → “CSV UTF-8”, "
            "then upload again."
        )
    return data.decode(guessed), LEGACY_ENCODINGS[guessed], True


def accented_words(text: str, limit: int = 3) -> list[str]:
    """A few distinct words with non-ASCII letters, to show how a guessed encoding reads."""
    found: list[str] = []
    for word in re.findall(r"[^\s,;\t|\"]+", text[:200_000]):
        if not word.isascii() and word not in found:
            found.append(word[:30])
            if len(found) >= limit:
                break
    return found


# --- Numbers as locales write them ----------------------------------------------------------

NUMBER_FORMATS = [
    ("", "Detect from the file"),
    ("dot", "1,234.5 (English)"),
    ("comma", "1.234,5 (German, Polish, French …)"),
]
_GROUPED_SPACE = re.compile(r"\d{1,3}(?:[ '’]\d{3})+(?:[.,]\d+)?")
_ONE_MARK = re.compile(r"(\d+)([.,])(\d+)")


def decimal_mark_shown(text: str) -> str | None:
    """The decimal mark a number written as ``text`` proves, or None when it proves none.

    ``1.234,5``, ``0,5`` and ``1.000.000`` prove a decimal comma; ``1,234.5``, ``1.5`` and
    ``1,000,000`` a decimal point. ``3.000`` and ``1,200`` prove nothing: they are a whole
    number with a thousands separator in one locale and a fraction in the other.
    """
    text = text.strip().lstrip("+-")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}", text):
        return "comma"
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}", text):
        return "dot"
    match = _ONE_MARK.fullmatch(text)
    if match is None:
        return None
    whole, mark, fraction = match.groups()
    if len(fraction) != 3 or len(whole) > 3 or whole.startswith("0"):
        return "comma" if mark == "," else "dot"
    return None


def read_number(text: str, decimal: str | None) -> float:
    """The value of a number as people and Excel write it, with units already removed.

    ``decimal`` is the file's decimal mark ("dot" or "comma") when known.

    Raises:
        ValueError: not a number.
        AmbiguousNumber: ``3.000``-like text in a file whose decimal mark is unknown.
    """
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:].strip()
    if _GROUPED_SPACE.fullmatch(text):  # 1 000 / 1'000 / 1 000,5: space groups, any mark
        text = re.sub(r"[ '’]", "", text).replace(",", ".")
        return float(sign + text)
    shown = decimal_mark_shown(text)
    if shown is None and _ONE_MARK.fullmatch(text):
        if decimal is None:
            raise AmbiguousNumber(text)
        shown = decimal
    if shown == "comma":
        text = text.replace(".", "").replace(",", ".")
    elif shown == "dot":
        text = text.replace(",", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+", text):
        raise ValueError(text)
    return float(sign + text)


class AmbiguousNumber(ValueError):
    """``3.000``: 3 or 3000, depending on the file's locale, which is unknown."""


# --- .xlsx workbooks, streamed --------------------------------------------------------------

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_C, _V, _F, _T, _R, _IS, _ROW, _SI = (
    _NS + tag for tag in ("c", "v", "f", "t", "r", "is", "row", "si")
)
_DAMAGED = "The Excel file could not be opened. Save it again from Excel as .xlsx, or as CSV."


def _refuse_dtd(head: bytes) -> None:
    """Refuse XML with a document type declaration (entity tricks); Excel never writes one."""
    start = re.search(rb"<[A-Za-z_]", head)
    if start is None or b"<!DOCTYPE" in head[: start.start()].upper():
        raise ImportFileError(_DAMAGED)


def _xml_events(archive: zipfile.ZipFile, name: str, budget: Budget) -> Iterator[Element]:
    """Elements of one part of the workbook as each closes, read in chunks."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportFileError(_DAMAGED) from None
    if info.file_size > MAX_XML_PART:
        raise ImportFileError("The Excel file unpacks to more than 60 MB: too large to import.")
    parser = XMLPullParser(events=("end",))
    with archive.open(info) as stream:
        first = True
        while chunk := stream.read(1 << 16):
            if first:
                _refuse_dtd(chunk)
                first = False
            try:
                parser.feed(chunk)
            except ParseError as exc:
                raise ImportFileError(_DAMAGED) from exc
            for _event, element in parser.read_events():
                yield element
            budget.check()
    try:
        parser.close()
    except ParseError as exc:
        raise ImportFileError(_DAMAGED) from exc


def _xml_root(archive: zipfile.ZipFile, name: str) -> Element:
    root = None
    for element in _xml_events(archive, name, Budget()):
        root = element
    if root is None:
        raise ImportFileError(_DAMAGED)
    return root


def _sheet_path(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The "Sites" sheet's part name (else the first sheet's) and whether dates count from 1904."""
    book = _xml_root(archive, "xl/workbook.xml")
    properties = book.find(_NS + "workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    sheets = [(s.get("name"), s.get(_DOC_REL)) for s in book.iter(_NS + "sheet")]
    if not sheets:
        raise ImportFileError("The Excel file has no sheet.")
    rels = {
        r.get("Id"): r.get("Target", "")
        for r in _xml_root(archive, "xl/_rels/workbook.xml.rels").iter(_PKG_REL)
    }
    _name, rel = next((s for s in sheets if s[0] == "Sites"), sheets[0])
    target = rels.get(rel, "")
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return path.replace("xl/./", "xl/"), date1904


def _style_kinds(archive: zipfile.ZipFile) -> list[str]:
    """For each cell style: "date", "percent" or "" (any other number format)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return []
    styles = _xml_root(archive, "xl/styles.xml")
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "")
        for f in styles.iter(_NS + "numFmt")
        if f.get("numFmtId", "").isdigit()
    }
    kinds = []
    cell_formats = styles.find(_NS + "cellXfs")
    for xf in cell_formats if cell_formats is not None else []:
        number = int(xf.get("numFmtId", "0")) if xf.get("numFmtId", "0").isdigit() else 0
        code = custom.get(number) or BUILTIN_FORMATS.get(number, "General")
        # Quoted text and [colour]/[locale] sections are not the format's symbols.
        bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
        kinds.append("date" if is_date_format(code) else "percent" if "%" in bare else "")
    return kinds


def _shared_strings(archive: zipfile.ZipFile, budget: Budget) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    for element in _xml_events(archive, "xl/sharedStrings.xml", budget):
        if element.tag != _SI:
            continue
        # Plain text (<t>) or rich-text runs (<r><t>); phonetic guides (<rPh>) are not text.
        parts = [child.text or "" for child in element if child.tag == _T]
        for run in element.iter(_R):
            parts.extend(t.text or "" for t in run.iter(_T))
        strings.append("".join(parts))
        element.clear()
        if len(strings) > MAX_SHEET_CELLS:
            raise ImportFileError(
                f"The Excel file holds more than {MAX_SHEET_CELLS:,} texts: not a site list."
            )
    return strings


def _plain(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _number_cell(text: str, kind: str, date1904: bool) -> str:
    if not kind:
        try:
            return SheetNumber(_plain(float(text)))
        except ValueError:
            raise ImportFileError(_DAMAGED) from None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ImportFileError(_DAMAGED) from None
    if kind == "percent":
        # Excel stores 0.5 % as 0.005; the cell means 0.5 (per cent). Decimal keeps it exact.
        return SheetNumber(_plain(float(value * 100)) + "%")
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    try:
        moment = from_excel(float(value), epoch)
    except (OverflowError, ValueError):
        return BadCell(text, "the cell is formatted as a date but holds no valid date")
    if isinstance(moment, datetime):
        midnight = moment.time() == datetime.min.time()
        return moment.date().isoformat() if midnight else str(moment)
    return moment.isoformat() if isinstance(moment, date) else str(moment)


class SheetRow(Sequence):
    """One sheet row whose cells are read only when looked at (most columns never are)."""

    def __init__(self, slots: list[Element | None], read: Callable[[Element], str]) -> None:
        self._slots = slots
        self._read = read
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._slots)

    def __getitem__(self, index):  # noqa: D105
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._slots)))]
        if index < 0:
            index += len(self._slots)
        if index not in self._cache:
            slot = self._slots[index]
            self._cache[index] = "" if slot is None else self._read(slot)
        return self._cache[index]


_DIMENSION = _NS + "dimension"
_TOO_MANY_CELLS = (
    "The sheet holds more than {:,} cells: a site list needs far fewer. Delete the columns "
    "and rows that are not sites, or save only the site columns as CSV, and upload it again."
)


def _check_dimension(reference: str) -> None:
    """Refuse at once a sheet that declares more cells than allowed (``A1:GR5001``)."""
    match = re.fullmatch(r"[A-Z]{1,3}(\d+):([A-Z]{1,3})(\d+)", reference.replace("$", ""))
    if match:
        first_row, last_column, last_row = match.groups()
        rows = int(last_row) - int(first_row) + 1
        if rows * _column_index(last_column) > MAX_SHEET_CELLS:
            raise ImportFileError(_TOO_MANY_CELLS.format(MAX_SHEET_CELLS))


def _column_index(reference: str) -> int:
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(reference.rstrip("0123456789"))


def xlsx_rows(data: bytes, budget: Budget) -> Iterator[tuple[int, Sequence[str]]]:
    """(row number, cells) of the "Sites" sheet, else the first one, streamed.

    Cells are text as shown, ``SheetNumber`` for numbers, ``BadCell`` for formulas without
    a saved result and error values; each is converted only when read. Bounded: at most
    ``MAX_SHEET_CELLS`` cells, ``MAX_SHEET_ROWS`` rows and the reading budget, or
    ImportFileError.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError("The file looks like an Excel file but is damaged.") from exc
    if unpacked > MAX_XML_PART:
        raise ImportFileError("The Excel file unpacks to more than 60 MB: too large to import.")
    if "xl/workbook.xml" not in archive.namelist():
        raise ImportFileError(
            "This is a zip archive but not an Excel workbook. Upload a .csv or .xlsx file."
        )
    path, date1904 = _sheet_path(archive)
    kinds = _style_kinds(archive)
    shared = _shared_strings(archive, budget)

    def read(cell: Element) -> str:
        return _cell_text(cell, kinds, shared, date1904)

    cells_read = 0
    number = 0
    for element in _xml_events(archive, path, budget):
        if element.tag == _DIMENSION:
            _check_dimension(element.get("ref", ""))
        if element.tag != _ROW:
            continue
        reference = element.get("r", "")
        number = int(reference) if reference.isdigit() else number + 1
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(
                f"The sheet has more than {MAX_SHEET_ROWS:,} rows: this is not a site list."
            )
        children = list(element)
        element.clear()  # the cells live on in ``children`` until the row is dropped
        cells_read += len(children)
        if cells_read > MAX_SHEET_CELLS:
            raise ImportFileError(_TOO_MANY_CELLS.format(MAX_SHEET_CELLS))
        slots = _placed(children)
        row = SheetRow(slots, read)
        if len(slots) > MAX_COLUMNS:
            if any(value.strip() for value in row[MAX_COLUMNS:]):
                raise ImportFileError(
                    f"Row {number} has more than {MAX_COLUMNS} columns: this is not a site list."
                )
            row = SheetRow(slots[:MAX_COLUMNS], read)
        yield number, row


def _placed(cells: list[Element]) -> list[Element | None]:
    """The row's cells at their columns: Excel leaves blank cells out (``A1``, ``C1``)."""
    last = cells[-1].get("r") if cells else None
    if not last or _column_index(last) == len(cells):
        return list(cells)  # no gaps: the usual case, without reading every reference
    slots: list[Element | None] = []
    for cell in cells:
        reference = cell.get("r")
        index = _column_index(reference) if reference else len(slots) + 1
        if index > MAX_SHEET_CELLS:
            raise ImportFileError(_DAMAGED)
        slots.extend([None] * (index - len(slots) - 1))
        if index == len(slots) + 1:
            slots.append(cell)
    return slots


def _cell_text(cell: Element, kinds: list[str], shared: list[str], date1904: bool) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(_T))
    value = cell.findtext(_V)
    if not value:
        formula = cell.find(_F)
        if formula is not None:
            shown = "=" + (formula.text or "…")
            return BadCell(
                shown[:60],
                f"the cell holds a formula ({shown[:40]}) whose result was never calculated: "
                "open the file in Excel and save it again, or paste the values instead",
            )
        return ""
    if kind == "s":
        try:
            return shared[int(value)]
        except (ValueError, IndexError):
            raise ImportFileError(_DAMAGED) from None
    if kind == "b":
        return "yes" if value.strip() == "1" else "no"
    if kind == "e":
        return BadCell(value, f"the cell shows the error {value}: correct it in the file")
    if kind in ("str", "d"):
        return value[:10] if kind == "d" and value.endswith("T00:00:00") else value
    style = cell.get("s", "0")
    style_kind = kinds[int(style)] if style.isdigit() and int(style) < len(kinds) else ""
    return _number_cell(value, style_kind, date1904)
