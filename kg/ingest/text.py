"""From bytes on disk to a `Document`: decode, clean, find the dateline and the date.

Cleaning never moves a character. Page furniture (share buttons, photo credits, site
blurbs, lines in another script) is overwritten with spaces, wrapped lines are joined by
turning their newline into a space, and a glued-on headline is cut off by turning a space
into a newline. Every offset the extractor reports therefore points into the file as read,
and every newline left in the text is a sentence boundary.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

from kg.errors import InputError
from kg.records import Document

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTH_RE = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

# VOLGOGRAD, May 7. /TASS/.   UNITED NATIONS, September 27 (RIA Novosti) -   WASHINGTON (Reuters) -
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\u2019-]{2,40}?)"
    r"(?:,\s*(?P<month>" + MONTH_RE + r")\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?)?"
    r"\.?\s*(?:/(?P<agency1>[^/\n]{2,30})/|\((?P<agency2>[^()\n]{2,30})\))\s*[.:\u2013\u2014-]*\s*",
    re.MULTILINE)

FURNITURE_WORDS = re.compile(
    r"\b(?:subscribe|share this|share on|stay tuned|log in|sign in|sign up|register|newsfeed|"
    r"all news|website|newsletter|cookies?|advertisement|read more|click here|follow us|"
    r"related news|most read|comments?|copyright|all rights reserved|"
    r"breaking news|latest news)\b", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
COPYRIGHT_CREDIT = re.compile(r"\u00a9[^\n]*")
# "... Sergey Lavrov  Dmitry Rogulin/TASS", "EPA/SERGEI CHIRIKOV", "Sergei Bobylev/TASS"
SLASH_CREDIT = re.compile(
    r"(?:(?<=\s\s)|^)(?:[A-Z][\w.'\u2019-]*\s){0,3}[A-Z][\w.'\u2019-]*\s?/\s?[A-Z][\w.'\u2019-]*"
    r"(?:\s[A-Z][\w.'\u2019-]*){0,3}[ \t]*$", re.MULTILINE)
# "... Alexander Grushko Sergei Bobylev/TASS": a credit after one space ends in capitals
CAPS_CREDIT = re.compile(
    r"(?:(?<=\s)|^)(?:[A-Z][\w.'\u2019-]*\s)?[A-Z][\w.'\u2019-]*/[A-Z][A-Z.'\u2019-]+(?:\s[A-Z][A-Z.'\u2019-]+){0,2}[ \t]*$",
    re.MULTILINE)
EDITOR_INITIALS = re.compile(r"^[A-Z]{1,4}(?:/[A-Z]{1,4})+$")
# A byline: "By Maria Keller", "By Maria Keller, Reuters", "By Northern Wire staff",
# "By Maria Keller and Jon Lee | Updated 12:03", "Maria Keller, staff correspondent",
# "(Reporting by Maria Keller; Editing by Jon Lee)". Names are capitalized words (a
# particle such as "de" or "al-" between them); a credit after a comma is an outlet's name
# or a reporter's role; a timestamp or anything else after a bar or bullet is the page's.
NAME_WORD = r"(?:(?:de|da|del|van|von|der|den|le|la|al|el|bin|ibn)[ -]){0,2}[A-Z][\w.'\u2019-]*"
BYLINE_NAME = NAME_WORD + r"(?: " + NAME_WORD + r"){0,4}"
BYLINE_NAMES = BYLINE_NAME + r"(?:(?:,| and| &) " + BYLINE_NAME + r"){0,3}"
BYLINE_ROLE = (r"(?:(?:our|an?|the|staff|senior|chief|special|political|diplomatic|foreign|economics|"
               r"defen[cs]e|security|deputy|bureau|news|wire)\s+)*"
               r"(?:staff|correspondents?|reporters?|writers?|editors?|contributors?|journalists?|"
               r"analysts?|columnists?|bureau)\b(?:\s+(?:in|at|for)\s+" + BYLINE_NAME + r")?")
BYLINE_CREDIT = r"(?:" + BYLINE_ROLE + r"|" + BYLINE_NAME + r"(?:\s+" + BYLINE_ROLE + r")?)"
BYLINE_TAIL = (r"(?:\s*[|\u2022\u00b7]\s*[^\n]*"
               r"|\s+[\u2013\u2014-]\s*(?:[Uu]pdated|[Pp]ublished|[Pp]osted|[Ll]ast updated|\d)[^\n]*)?")
BYLINE = re.compile(
    r"^\s*(?:"
    r"[Bb][Yy]:?\s+" + BYLINE_NAMES + r"(?:\s+" + BYLINE_ROLE + r")?(?:\s*,\s*" + BYLINE_CREDIT + r"){0,2}"
    r"|" + BYLINE_NAMES + r"\s*,\s*(?:(?:an?|the|our)\s+)?(?:" + BYLINE_NAME + r"\s+)?" + BYLINE_ROLE +
    r"(?:\s*,\s*" + BYLINE_CREDIT + r")?"
    r")" + BYLINE_TAIL + r"\s*$")
REPORTING_CREDIT = re.compile(
    r"^\s*\(?\s*(?:(?:Additional )?[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled) by\b[^\n]*$")
BREADCRUMB = re.compile(r"\s/\s")
TERMINAL = re.compile(r"[.!?\"'\u201d\u2019)\]:;]$")
CAPS_HEADLINE = re.compile(r"^\s*((?:[A-Z0-9][A-Z0-9'&.,/-]*\s+){2,}[A-Z0-9][A-Z0-9'&.,/-]*)\s+(?=[A-Z][a-z])")


def read_document(path: Path, *, date: str | None = None, name: str | None = None,
                  doc_id: str | None = None, max_size: int | None = None) -> Document:
    """Read one article from disk, with its sidecar `.json` when there is one; a file larger
    than `max_size` bytes is refused after reading one byte past the limit."""
    try:
        with path.open("rb") as handle:
            data = handle.read() if max_size is None else handle.read(max_size + 1)
    except FileNotFoundError as exc:
        raise InputError(f"{shown(path)}: no such file") from exc
    except PermissionError as exc:
        raise InputError(f"{shown(path)}: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{shown(path)}: is a directory") from exc
    except OSError as exc:
        raise InputError(f"{shown(path)}: {exc.strerror or exc}") from exc
    if max_size is not None and len(data) > max_size:
        raise InputError(f"{shown(path)}: larger than the size limit of {max_size} bytes (--max-size)")
    sidecar = path.with_suffix(".json")
    meta = read_sidecar(sidecar) if sidecar.is_file() else {}
    return document_from_bytes(data, name or shown(path.name), date=date, meta=meta, doc_id=doc_id)


def read_sidecar(path: Path) -> dict[str, str]:
    """The url, published date and publisher a sidecar file gives, as strings; a sidecar
    that cannot be used is refused by its name."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{shown(path)}: not a readable JSON sidecar ({exc})") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{shown(path)}: a sidecar must be a JSON object")
    fields = {k: str(meta[k]) for k in ("url", "published", "publisher") if meta.get(k)}
    for key, value in fields.items():
        if not is_unicode(value):
            raise InputError(f"{shown(path)}: {key} is not valid Unicode text (a lone surrogate escape)")
    if fields.get("published") and DATE_PREFIX.match(fields["published"].strip()):
        if normalise_date(fields["published"]) is None:
            raise InputError(f"{shown(path)}: published {fields['published']!r} is not a real date (YYYY-MM-DD)")
    return fields


def is_unicode(text: str) -> bool:
    """Whether a string can be written as UTF-8 (JSON lets `\\ud800` through, RDF does not).

    >>> is_unicode("Caf\\u00e9"), is_unicode("\\ud800")
    (True, False)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(name: object) -> str:
    """A file name as it can be printed and stored: bytes that are not UTF-8 written as
    `\\xNN` escapes.

    >>> shown("caf\\udce9.txt")
    'caf\\\\xe9.txt'
    """
    return os.fsencode(str(name)).decode("utf-8", "backslashreplace")


def document_from_bytes(data: bytes, name: str, *, date: str | None = None,
                        meta: dict[str, str] | None = None, doc_id: str | None = None) -> Document:
    """Decode and clean an article; `date` (YYYY-MM-DD) overrides every other date source.
    The document is known by its sidecar's URL when it has one, else by `doc_id` (by
    default, the one its name gives)."""
    meta = meta or {}
    text = decode(data, name)
    if looks_like_html(text):
        text = html_to_text(text)
    if not text.strip():
        raise InputError(f"{name}: empty document")
    cleaned, headline = clean(text)
    if not cleaned.strip():
        raise InputError(f"{name}: no article text (only page furniture or another script)")
    if not looks_english(cleaned):
        raise InputError(f"{name}: does not look like English text; kg reads English news")
    dateline = find_dateline(cleaned)
    dateline_text = place = dateline_date = None
    publisher = meta.get("publisher")
    if dateline:
        dateline_text, place, dateline_date, agency = dateline
        start = cleaned.find(dateline_text)
        cleaned = cleaned[:start] + " " * len(dateline_text) + cleaned[start + len(dateline_text):]
        publisher = publisher or agency
    publisher = publisher or outlet_mark(text)
    credit = None if dateline else wire_credit(cleaned, publisher)
    if credit:
        cleaned = blank(cleaned, *credit)
    published = date or normalise_date(meta.get("published")) or dateline_date
    digest = hashlib.sha256(data)
    digest.update(json.dumps([date, meta], sort_keys=True).encode())
    return Document(
        doc_id=url_document_id(meta.get("url")) or doc_id or document_id(name), file_name=name, text=cleaned, content_hash=digest.hexdigest(),
        published=published, publisher=publisher, url=meta.get("url"), headline=headline,
        dateline=dateline_text.strip() if dateline_text else None, dateline_place=place)


def decode(data: bytes, name: str) -> str:
    """The text of a file: UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 with one,
    or Windows-1252/Latin-1 when the bytes can only be that; binary data is refused."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return normalise_newlines(data.decode(codec))
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {codec.upper()} text") from exc
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = decode_legacy(data, name, exc.start)
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: binary file ({controls} control characters), not text")
    return normalise_newlines(text)


def decode_legacy(data: bytes, name: str, bad_offset: int) -> str:
    """Windows-1252 (which Latin-1 text also reads as) when no byte is undefined there."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {bad_offset}) "
                         "and not Windows-1252 either") from None
    return text


def normalise_newlines(text: str) -> str:
    """Newlines as \\n, keeping every offset: CRLF becomes a space and a newline.

    >>> normalise_newlines("a\\r\\nb\\rc")
    'a \\nb\\nc'
    """
    return text.replace("\r\n", " \n").replace("\r", "\n")


HTML_HINT = re.compile(r"<(?:!doctype|html|head|body|p|div|br|article|span|a\s)[\s>/]", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether a file is a web page rather than plain text.

    >>> looks_like_html("<html><body><p>Hi</p></body></html>"), looks_like_html("a < b and c > d")
    (True, False)
    """
    return len(HTML_HINT.findall(text[:20000])) >= 2


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page: scripts, styles and navigation dropped, one line per block."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "button", "svg"}
        BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section",
                 "blockquote", "figcaption", "title"}

        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag, attrs):
            if tag in self.SKIP:
                self.skipping += 1
            elif tag in self.BLOCK:
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in self.SKIP and self.skipping:
                self.skipping -= 1
            elif tag in self.BLOCK:
                self.parts.append("\n")

        def handle_data(self, data):
            if not self.skipping:
                self.parts.append(data)

    parser = Text()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line) + "\n"


ENGLISH_WORDS = frozenset("the of and to in is that for on was with said as by at it from has have be are "
                          "his her their its not will an who which this were had been but they he she".split())


def looks_english(text: str) -> bool:
    """Enough common English words for the English model to read the text.

    >>> looks_english("The minister said that talks with the delegation were useful and will go on.")
    True
    >>> looks_english("Le ministre a dit que les pourparlers avec la délégation étaient utiles " * 4)
    False
    """
    words = re.findall(r"\w+", text.lower())
    if len(words) < 30:
        return True
    return sum(1 for w in words if w in ENGLISH_WORDS) >= 0.1 * len(words)


IRI_SAFE = "/-._~"  # what a document id keeps as written; every other byte is percent-encoded


def document_id(key: str) -> str:
    """The document's IRI local name, from its path relative to the folder it was loaded
    from: case and every character kept, percent-encoded, so different paths never share
    one (only a final `.txt` is dropped).

    >>> document_id("000_b46f.txt"), document_id("a/Report.TXT"), document_id("Лавров.txt")
    ('000_b46f', 'a/Report.TXT', '%D0%9B%D0%B0%D0%B2%D1%80%D0%BE%D0%B2')
    >>> document_id("caf\\udce9.txt"), document_id("100% sure!.txt"), document_id("../x/y.txt")
    ('caf%E9', '100%25%20sure%21', '%2E%2E/x/y')
    """
    stem = key[:-4] if key.endswith(".txt") and len(key) > 4 else key
    segments = quote(os.fsencode(stem), safe=IRI_SAFE).split("/")
    return "/".join("%2E" * len(s) if s in (".", "..") else s for s in segments)  # no dot segments in an IRI


def url_document_id(url: str | None) -> str | None:
    """The document id of an article a sidecar gives an absolute URL for: the URL, with
    the characters an IRI cannot hold percent-encoded. It keeps its `:`, which a path's id
    never has, so the two kinds of id cannot meet.

    >>> url_document_id("https://tass.com/politics/1?id=2"), url_document_id("tass.com/1")
    ('https://tass.com/politics/1?id=2', None)
    """
    if not url or not urlsplit(url).scheme:
        return None
    return quote(url, safe=IRI_SAFE + ":@!$&'()*+,;=?")


def legacy_document_id(name: str) -> str:
    """The id earlier versions of kg gave a document: its lower-cased ASCII file name.
    A store they wrote is still read by it.

    >>> legacy_document_id("seeds/000_b46f.txt"), legacy_document_id("Lavrov meets Steinmeier!.txt")
    ('000_b46f', 'lavrov-meets-steinmeier')
    """
    stem = Path(name).name
    stem = stem[:-4] if stem.lower().endswith(".txt") else stem
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.").lower() or "document"


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) overwritten by spaces, newlines kept.

    >>> blank("ab\\ncd", 1, 4)
    'a \\n d'
    """
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def clean(text: str) -> tuple[str, str | None]:
    """Blank page furniture, join wrapped lines; return the text and the headline."""
    for pattern in (COPYRIGHT_CREDIT, SLASH_CREDIT, CAPS_CREDIT, URL):
        for match in reversed(list(pattern.finditer(text))):
            text = blank(text, match.start(), match.end())
    text = "\n".join(" " * len(line) if is_furniture(line) else line for line in text.split("\n"))
    text = unwrap(text)
    headline = None
    caps = CAPS_HEADLINE.match(text)
    if caps and len(caps.group(1).split()) >= 3:
        cut = caps.end(1)
        headline = caps.group(1).strip()
        text = text[:cut] + "\n" + text[cut + 1:]
    else:
        for line in text.split("\n"):
            if line.strip():
                if not TERMINAL.search(line.strip()):
                    headline = line.strip()
                break
    return text, headline


def is_furniture(line: str) -> bool:
    """Whether a line is page furniture rather than article text.

    >>> is_furniture("SHARE THIS ARTICLE"), is_furniture("AR/NN/HMV"), is_furniture("News   /   Russia")
    (True, True, True)
    >>> is_furniture("Lavrov met Steinmeier in Volgograd on Thursday.")
    False
    """
    stripped = line.strip()
    if not stripped:
        return False
    words = stripped.split()
    letters = [c for c in stripped if c.isalpha()]
    if letters and sum(1 for c in letters if ord(c) < 0x250) < 0.5 * len(letters):
        return True
    if EDITOR_INITIALS.match(stripped) or is_byline(stripped):
        return True
    if len(words) <= 6 and BREADCRUMB.search(stripped):
        return True
    if len(words) <= 20 and FURNITURE_WORDS.search(stripped):
        return True
    if len(words) <= 3 and not TERMINAL.search(stripped):
        return True
    return not letters


def is_byline(line: str) -> bool:
    """Whether a line names who wrote the story rather than telling it. Left in, the
    reporter becomes an entity of the story, and the model, reading the byline's names
    into the lead, misses the lead's first actor ("By Maria Keller, staff correspondent"
    above "Sergey Lavrov met ...").

    >>> is_byline("By Maria Keller, staff correspondent"), is_byline("By Northern Wire staff")
    (True, True)
    >>> is_byline("By Maria Keller and Jon de la Cruz | Updated 12:03 GMT"), is_byline("By MARIA KELLER, Reuters")
    (True, True)
    >>> is_byline("Maria Keller, staff reporter"), is_byline("(Reporting by Maria Keller; Editing by Jon Lee)")
    (True, True)
    >>> is_byline("By Maria Keller \u2014 Updated Feb 3"), is_byline("By Land and Sea \u2014 how the ceasefire held")
    (True, False)
    >>> is_byline("By Monday the talks had ended."), is_byline("By Land and Sea: how the ceasefire held")
    (False, False)
    >>> is_byline("Sergey Lavrov, Foreign Minister"), is_byline("Lavrov met Steinmeier, the president")
    (False, False)
    """
    return len(line.split()) <= 24 and bool(BYLINE.match(line) or REPORTING_CREDIT.match(line))


def unwrap(text: str) -> str:
    """Join hard-wrapped lines (wire copy at a fixed width) into their paragraphs.

    >>> unwrap("A wire story wrapped at a fixed width of columns, as agencies do it\\n"
    ...        "and the next line goes on with the same sentence without a break.\\n"
    ...        "    A new paragraph starts indented and is kept on its own line.\\n"
    ...        "It goes on here for one more line of about the same width too.").count("\\n")
    1
    """
    lines = text.split("\n")
    body = [len(line) for line in lines if line.strip()]
    if len(body) < 4:
        return text
    widths = sorted(body)
    typical = widths[len(widths) * 3 // 4]
    wrapped = sum(1 for n in body if typical * 0.75 <= n <= typical + 2)
    if typical > 90 or wrapped < 0.6 * len(body):
        return text
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None:
            break
        joins = (line.strip() and nxt.strip() and not nxt[:1].isspace()
                 and len(line) >= typical * 0.75)
        out.append(" " if joins else "\n")
    return "".join(out)


# The marks by which an article names its own outlet when its dateline does not, most
# telling first: a wire credit opening a paragraph ("(Reuters) - ", "AP - "), the site
# speaking of itself ("Press TV's website"), a masthead line ("- Sputnik International"),
# a copyright line of its own ("\u00a9 2015 Reuters"), a wire sign-off ending the story ("Reuter"). A credit with a slash names a photographer's
# agency ("\u00a9 Sergei Bobylev/TASS"), and one at the end of a caption a picture's; neither
# says who wrote the story.
OUTLET_NAME = r"[A-Z][\w.&]*(?:[ -][A-Z][\w.&]*){0,3}"
OUTLET_MARKS = (
    re.compile(r"^[ \t]*\((?P<outlet>" + OUTLET_NAME + r")\)[ \t]*[-\u2013\u2014:][ \t]*(?=[A-Z\u201c\"])", re.MULTILINE),
    re.compile(r"^[ \t]*(?P<outlet>" + OUTLET_NAME + r")[ \t]+[-\u2013\u2014][ \t]+(?=[A-Z\u201c\"])[^\n]{40,}[.!?\"\u201d][ \t]*$",
               re.MULTILINE),
    re.compile(r"(?P<outlet>" + OUTLET_NAME + r")(?:'s|\u2019s) (?:website|web site|app|editors?|correspondent)\b"),
    re.compile(r"\A\s*[-\u2013\u2014][ \t]+(?P<outlet>" + OUTLET_NAME + r")[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t]*(?:\u00a9|\([cC]\)|[Cc]opyright|COPYRIGHT)[ \t]*(?:\d{4}[ \t]+)?(?P<outlet>" + OUTLET_NAME +
               r")\.?(?:[ \t]+All [Rr]ights [Rr]eserved\.?)?[ \t]*$", re.MULTILINE),
    re.compile(r"\n[ \t]*(?P<outlet>[A-Z][A-Za-z]{2,})\s*(?:&#3;)?\s*\Z"),
)


def outlet_mark(text: str) -> str | None:
    """The outlet an article names as its own in its text, by the first kind of mark
    found (the dateline's agency is read with the dateline).

    >>> outlet_mark("Headline\\n(Reuters) - Russia said on Monday it would talk.")
    'Reuters'
    >>> outlet_mark("AP - The two ministers met in Geneva on Monday and agreed to talk again.")
    'AP'
    >>> outlet_mark("Lavrov met Steinmeier. \\u00a9AP\\nPress TV\\u2019s website can also be accessed at:")
    'Press TV'
    >>> outlet_mark("- Sputnik International\\nRussia\\nNews"), outlet_mark("Talks.\\n\\u00a9 2015 Reuters. All rights reserved.")
    ('Sputnik International', 'Reuters')
    >>> outlet_mark("Talks resume.\\n REUTER\\n&#3;"), outlet_mark("Talks resume.\\nComments")
    ('Reuter', None)
    >>> outlet_mark("Talks.\\n\\u00a9 Sergei Bobylev/TASS\\nNATO - Russia: a caption") is None
    True
    """
    for pattern in OUTLET_MARKS:
        found = pattern.search(text)
        if found and not FURNITURE_WORDS.search(found.group("outlet")):
            name = found.group("outlet").strip().rstrip(".")
            return name.title() if name.isupper() and len(name) > 4 else name
    return None


WIRE_CREDIT = re.compile(r"^[ \t]*(?:\((?P<outlet>" + OUTLET_NAME + r")\)|(?P<named>" + OUTLET_NAME + r"))"
                         r"[ \t]*[-\u2013\u2014:][ \t]*(?=[A-Z\u201c\"])", re.MULTILINE)


def wire_credit(text: str, publisher: str | None) -> tuple[int, int] | None:
    """Where the credit opening the story's first paragraph is, when it has no dateline
    before it: "(Reuters) - ", or "AP - " when AP is the outlet. It says who reports, not
    who acts, and is blanked as a dateline is: left in, the parser makes the outlet the
    subject of the lead ("(Harbour Ledger) - Kuleba met Blinken": the Ledger met Blinken).

    >>> wire_credit("Talks in Munich\\n\\n(Harbour Ledger) - Kuleba met Blinken.", None)
    (17, 36)
    >>> wire_credit("AP - Kuleba met Blinken.", "AP"), wire_credit("NATO - Russia talks resume.", "AP")
    ((0, 5), None)
    """
    for match in WIRE_CREDIT.finditer(text[:3000]):
        named = match.group("named")
        if named is None or (publisher and named.strip().lower() == publisher.strip().lower()):
            return match.start(), match.end()
    return None


def find_dateline(text: str) -> tuple[str, str, str | None, str] | None:
    """The dateline as written, its place, its date (full or partial) and its agency.

    >>> find_dateline("Title\\n\\nVOLGOGRAD, May 7. /TASS/. Russia is ready.")
    ('VOLGOGRAD, May 7. /TASS/. ', 'Volgograd', '--05-07', 'TASS')
    >>> find_dateline("UNITED NATIONS, September 27 (RIA Novosti) - Russia said.")[1:]
    ('United Nations', '--09-27', 'RIA Novosti')
    """
    for match in DATELINE.finditer(text[:3000]):
        place = match.group("place").strip()
        if len(place) < 3 or not place.replace(" ", "").replace(".", "").isupper():
            continue
        date = None
        if match.group("month"):
            month = month_number(match.group("month"))
            day = int(match.group("day"))
            year = match.group("year")
            date = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        agency = (match.group("agency1") or match.group("agency2")).strip()
        return match.group(0), place.title(), date, agency
    return None


def month_number(name: str) -> int:
    """Month number of a month name.

    >>> month_number("Sept.")
    9
    """
    key = name.lower().rstrip(".")
    for month, number in MONTHS.items():
        if month.startswith(key[:3]):
            return number
    raise ValueError(name)


DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalise_date(value: str | None) -> str | None:
    """An ISO date from a sidecar's `published` (date or date-time), or None when it is
    none or not a real date.

    >>> normalise_date("2015-05-07T10:31:00Z"), normalise_date("2015-02-30"), normalise_date("May 7")
    ('2015-05-07', None, None)
    """
    if not value:
        return None
    match = DATE_PREFIX.match(value.strip())
    return match.group(0) if match and real_date(match.group(0)) else None


def real_date(value: str) -> bool:
    """Whether a string is exactly YYYY-MM-DD and a day of the calendar (the ISO week and
    basic forms Python also reads are not).

    >>> real_date("2015-05-07"), real_date("2015-02-30"), real_date("2015-W19-4"), real_date("20150507")
    (True, False, False, False)
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
