"""Word files that try to make the machine reading them fetch a URL, read a local file or run
something: for the reference-document and PDF tests and the bad-input corpus (tests/bad/).

Made from python-docx's own template, then edited as XML, as an attacker would.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)


def png(width: int = 64, height: int = 64, rgb: tuple[int, int, int] = (200, 0, 0)) -> bytes:
    """A small solid PNG."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _drawing(rel: str, attribute: str = "r:link") -> str:
    """An inline picture whose blip names relationship `rel` (r:link: linked, not embedded)."""
    return (
        '<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="7" name="Picture 7"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="7" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {attribute}="{rel}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


def hostile_header(url: str, file_url: str) -> str:
    """A header that links out every way Word knows."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NS}>'
        '<w:p><w:r><w:t>SECRETARIAT HEADER</w:t></w:r></w:p>'
        # a picture linked to a URL, and one linked to a local file
        f'<w:p>{_drawing("rIdHttpImage")}{_drawing("rIdFileImage")}</w:p>'
        # a picture the package embeds: kept
        f'<w:p>{_drawing("rIdOwnImage", "r:embed")}</w:p>'
        # INCLUDEPICTURE as a simple field, INCLUDETEXT as a complex one
        f'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;{url}/field.png&quot; \\d ">'
        '<w:r><w:t>PICTURE RESULT</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "{file_url}" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>INCLUDED RESULT</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        # a DDE link and a LINK field
        '<w:p><w:fldSimple '
        'w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc&quot; ">'
        '<w:r><w:t>DDE RESULT</w:t></w:r></w:fldSimple></w:p>'
        f'<w:p><w:fldSimple w:instr=" LINK Excel.Sheet.8 &quot;{url}/book.xls&quot; Sheet1 \\a ">'
        '<w:r><w:t>LINK RESULT</w:t></w:r></w:fldSimple></w:p>'
        # an OLE object linked to a file, with a VML picture whose image is a URL
        '<w:p><w:r><w:object><v:shape id="ole1" style="width:50pt;height:50pt">'
        '<v:imagedata r:id="rIdOleImage" o:title=""/></v:shape>'
        '<o:OLEObject Type="Link" ProgID="Word.Document.12" ShapeID="ole1" '
        'DrawAspect="Content" r:id="rIdOle" UpdateMode="Always"/></w:object></w:r></w:p>'
        # a VML picture with a src of its own
        '<w:p><w:r><w:pict><v:shape style="width:20pt;height:20pt">'
        f'<v:imagedata src="{url}/vml.png" '
        'o:title=""/></v:shape></w:pict></w:r></w:p>'
        # a hyperlink to the listener
        '<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>LINK TEXT</w:t></w:r></w:hyperlink></w:p>'
        '</w:hdr>'
    )


def _footer() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {NS}>'
        '<w:p><w:r><w:t xml:space="preserve">Secretariat footer, page </w:t></w:r>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'
    )


def _rels(entries: list[tuple[str, str, str, bool]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
             f'<Relationships xmlns="{RELS}">']
    for rid, kind, target, external in entries:
        mode = ' TargetMode="External"' if external else ""
        lines.append(f'<Relationship Id="{rid}" Type="{RT}/{kind}" Target="{target}"{mode}/>')
    return "".join(lines) + "</Relationships>"


def hostile_template(path: Path, url: str, file_url: str) -> Path:
    """A reference .docx whose header links to `url` (an http:// address) and `file_url` (a
    file:// one) every way Word knows, with an OLE object, a DDE field, macros and an attached
    template; its own embedded image, its footer and its PAGE field are fair."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "placeholder header"
    section.footer.paragraphs[0].text = "placeholder footer"
    document.add_paragraph("Template body text that must not appear.")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    files = {name: source.read(name) for name in source.namelist()}
    rels = files["word/_rels/document.xml.rels"].decode()
    header = next(n for n in files if n.startswith("word/header"))
    footer = next(n for n in files if n.startswith("word/footer"))
    files[header] = hostile_header(url, file_url).encode()
    files[footer] = _footer().encode()
    files[f"word/_rels/{header[5:]}.rels"] = _rels([
        ("rIdHttpImage", "image", f"{url}/header.png", True),
        ("rIdFileImage", "image", file_url, True),
        ("rIdOwnImage", "image", "media/own.png", False),
        ("rIdOleImage", "image", f"{url}/ole.png", True),
        ("rIdOle", "oleObject", f"{url}/object.docx", True),
        ("rIdLink", "hyperlink", f"{url}/hyperlink", True),
    ]).encode()
    files["word/media/own.png"] = png(rgb=(0, 90, 200))
    files["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a macro project"
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdVba" Target="vbaProject.bin" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>'
        f'<Relationship Id="rIdBodyLink" Type="{RT}/image" Target="{url}/body.png" '
        'TargetMode="External"/>'
        "</Relationships>",
    )
    files["word/_rels/document.xml.rels"] = rels.encode()
    files["word/_rels/settings.xml.rels"] = _rels(
        [("rIdTemplate", "attachedTemplate", f"{url}/template.dotm", True)]
    ).encode()
    settings = files["word/settings.xml"].decode()
    files["word/settings.xml"] = settings.replace(
        "<w:zoom ", '<w:attachedTemplate r:id="rIdTemplate"/><w:zoom ', 1
    ).encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace(
        "<Default ", '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


class Listener:
    """A local TCP server that records the first line of every request it gets (and answers
    with an image, so that a fetch would succeed): `with Listener() as listener:` then
    `listener.url` and `listener.requests`."""

    def __init__(self) -> None:
        import socket

        self.requests: list[str] = []
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                try:
                    line = connection.recv(4096).split(b"\r\n", 1)[0]
                    self.requests.append(line.decode("latin-1"))
                    connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n"
                                       + png(rgb=(0, 200, 0)))
                except OSError as exc:
                    self.requests.append(f"(connection: {exc})")

    def __enter__(self) -> Listener:
        import threading

        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._socket.close()


# -- damaged packages: every way a zip can fail --------------------------------------------


def _local_header(data: bytes, name: str) -> int:
    """The offset of `name`'s local file header."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.getinfo(name).header_offset


def patch_central(data: bytes, name: str, offset: int, value: bytes) -> bytes:
    """Overwrite bytes at `offset` inside `name`'s central directory record."""
    encoded = name.encode()
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(encoded))
    return data[: at + offset] + value + data[at + offset + len(value):]


def bad_crc(data: bytes, name: str) -> bytes:
    at = _local_header(data, name)
    crc = data[at + 14: at + 18]
    wrong = bytes(b ^ 0xFF for b in crc)
    data = data[: at + 14] + wrong + data[at + 18:]
    return patch_central(data, name, 16, wrong)


def encrypted(data: bytes, name: str) -> bytes:
    at = _local_header(data, name)
    flags = struct.unpack("<H", data[at + 6: at + 8])[0] | 1
    data = data[: at + 6] + struct.pack("<H", flags) + data[at + 8:]
    return patch_central(data, name, 8, struct.pack("<H", flags))


def unknown_method(data: bytes, name: str) -> bytes:
    at = _local_header(data, name)
    data = data[: at + 8] + struct.pack("<H", 99) + data[at + 10:]
    return patch_central(data, name, 10, struct.pack("<H", 99))


def corrupt_deflate(data: bytes, name: str) -> bytes:
    at = _local_header(data, name)
    name_len, extra_len = struct.unpack("<HH", data[at + 26: at + 30])
    start = at + 30 + name_len + extra_len
    return data[:start] + b"\xff\xff\xff\xff" + data[start + 4:]


def truncated(data: bytes, name: str) -> bytes:
    return data[: len(data) // 2]


DAMAGES: dict[str, Callable[[bytes, str], bytes]] = {
    "bad CRC": bad_crc,
    "encrypted": encrypted,
    "unknown compression": unknown_method,
    "corrupt deflate": corrupt_deflate,
    "truncated": truncated,
}


def zip_bomb(data: bytes, name: str) -> bytes:
    """`name` replaced by 4 MB of zeros, which deflate about a thousand times."""
    return edit_package(data, {name: b"\0" * (4 * 1024 * 1024)})


def edit_package(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The package with some parts replaced (None: removed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files: dict[str, bytes | None] = {name: source.read(name) for name in source.namelist()}
    files.update(changes)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in files.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def plain_template(path: Path) -> Path:
    """A reference .docx as Word would save a template: python-docx's, with a header."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "SECRETARIAT HEADER"
    document.save(str(path))
    return path
