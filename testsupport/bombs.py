"""Hostile containers, built small at test time: what each would cost a naive reader is in
its name, what it costs here is in the tests."""
import io
import random
import struct
import zipfile
import zlib

from testsupport.files import docx_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_one_huge_member(megabytes: int) -> bytes:
    """A DOCX whose document.xml is one text node of `megabytes` MB of repeated text."""
    head = f'<w:document {W}><w:body><w:p><w:r><w:t>'
    tail = '</w:t></w:r></w:p></w:body></w:document>'
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(docx_bytes(["x"])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, base.read(info.filename))
        with target.open("word/document.xml", "w") as member:
            member.write(head.encode())
            block = b"all work and no play " * 50_000  # ~1 MB
            for _ in range(megabytes):
                member.write(block)
            member.write(tail.encode())
    return out.getvalue()


def docx_many_nodes(megabytes: int, seed: int = 19) -> bytes:
    """A DOCX of many small paragraphs with varied words: it compresses like text (passes
    the ratio check) and its XML tree takes many times its size."""
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5)) for _ in range(4096)]
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    head, tail = f'<w:document {W}><w:body>'.encode(), b'</w:body></w:document>'
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(docx_bytes(["x"])))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, base.read(info.filename))
        with target.open("word/document.xml", "w") as member:
            member.write(head)
            written = 0
            while written < megabytes << 20:
                block = "".join(paragraph.format(rng.choice(words)) for _ in range(20_000)).encode()
                member.write(block)
                written += len(block)
            member.write(tail)
    return out.getvalue()


def zip_lying_about_sizes(data: bytes, member: str = "word/document.xml",
                          declared: int = 1000) -> bytes:
    """`data` (a zip) with `member` declaring `declared` bytes in both of its headers."""
    raw = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    name = member.encode()
    # Local header: the uncompressed size is at offset 22; central directory: at 24.
    local = info.header_offset
    assert raw[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", raw, local + 22, declared)
    position = 0
    while (position := raw.find(b"PK\x01\x02", position)) != -1:
        length = struct.unpack_from("<H", raw, position + 28)[0]
        if raw[position + 46:position + 46 + length] == name:
            struct.pack_into("<I", raw, position + 24, declared)
            break
        position += 4
    else:
        raise AssertionError(f"{member} not in the central directory")
    return bytes(raw)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (1 is the catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_many_pages(count: int) -> bytes:
    """A PDF of `count` empty pages sharing one empty content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
               b"<< /Length 0 >>\nstream\n\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * count
    return _pdf(objects)


def pdf_flate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to `megabytes` MB of text operators."""
    compressor = zlib.compressobj(9)
    block = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" * 30_000  # ~1 MB
    stream = b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _pdf(objects)
