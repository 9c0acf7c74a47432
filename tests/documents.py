"""The same small lecture as PDF, DOCX, PPTX, EPUB and HTML, made with each format's own
writers (reportlab, python-docx, python-pptx, zipfile), for the converters' tests."""

from __future__ import annotations

import io
import zipfile

TITLE = "Plate Tectonics"
SECTIONS = ["Plate boundaries", "Earthquakes"]
INTRO = "The outer shell of the Earth is broken into moving plates."
ITEMS = [
    "Divergent boundaries pull plates apart",
    "Convergent boundaries push plates together",
    "Transform boundaries slide plates past each other",
]
TABLE = [
    ["Boundary", "Motion", "Example"],
    ["Divergent", "apart", "Mid-Atlantic Ridge"],
    ["Convergent", "together", "Andes"],
    ["Transform", "sideways", "San Andreas Fault"],
]
QUAKES = "Earthquakes happen where plates lock and then slip, mostly along the boundaries."
WORDS = [TITLE, *SECTIONS, INTRO, *ITEMS, QUAKES] + [c for row in TABLE for c in row]


_FILL = [
    "Plates move a few centimetres a year.",
    "The mantle below them flows slowly.",
    "Oceanic crust is younger than continental crust.",
    "Mountains rise where plates collide.",
    "Rift valleys open where plates part.",
    "Volcanoes line many plate boundaries.",
    "Old ocean floor sinks back into the mantle.",
]


def markdown() -> str:
    rows = ["| " + " | ".join(r) + " |" for r in TABLE]
    rows.insert(1, "|---|---|---|")
    items = "\n".join(f"- {i}" for i in ITEMS)
    return (
        f"# {TITLE}\n\n## {SECTIONS[0]}\n\n{INTRO}\n\n{items}\n\n"
        + "\n".join(rows)
        + f"\n\n## {SECTIONS[1]}\n\n{QUAKES}\n"
    )


def html(*, chrome: bool = True) -> bytes:
    """A web page: the lecture in <article>, menus and a footer around it."""
    items = "".join(f"<li>{i}</li>" for i in ITEMS)
    head, *body = TABLE
    table = "<table><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>"
    table += "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
    table += "</table>"
    nav = (
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/shop'>Shop the store</a></li>"
        "</ul></nav>"
        if chrome
        else ""
    )
    footer = "<footer>Copyright Example University. Privacy policy.</footer>" if chrome else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{TITLE}</title></head>"
        f"<body>{nav}<article><h1>{TITLE}</h1><h2>{SECTIONS[0]}</h2><p>{INTRO}</p>"
        f"<ul>{items}</ul>{table}<h2>{SECTIONS[1]}</h2><p>{QUAKES}</p></article>{footer}"
        "</body></html>"
    ).encode()


def pdf(pages_of_padding: int = 0) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Table,
    )

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    story = [
        Paragraph(TITLE, styles["Title"]),
        Paragraph(SECTIONS[0], styles["Heading2"]),
        Paragraph(INTRO, styles["BodyText"]),
        ListFlowable(
            [ListItem(Paragraph(i, styles["BodyText"])) for i in ITEMS], bulletType="bullet"
        ),
        Table(TABLE),
        Paragraph(SECTIONS[1], styles["Heading2"]),
        Paragraph(QUAKES, styles["BodyText"]),
    ]
    for n in range(pages_of_padding):
        story += [
            PageBreak(),
            Paragraph(f"Extra topic {n + 1}", styles["Heading2"]),
            *[
                Paragraph(
                    f"{_FILL[(n + k) % len(_FILL)]} Paragraph {k} of page {n + 2} says more "
                    f"about it: {_FILL[(n * 7 + k) % len(_FILL)].lower()}",
                    styles["BodyText"],
                )
                for k in range(12)
            ],
        ]
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading(TITLE, level=0)  # the Title style
    document.add_heading(SECTIONS[0], level=1)
    p = document.add_paragraph("The outer shell of the Earth is broken into ")
    p.add_run("moving plates").bold = True
    p.add_run(".")
    for item in ITEMS:
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=len(TABLE), cols=3)
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    document.add_heading(SECTIONS[1], level=1)
    document.add_paragraph(QUAKES)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx(extra_slides: int = 0) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = TITLE
    first.placeholders[1].text = INTRO
    bullets = deck.slides.add_slide(deck.slide_layouts[1])
    bullets.shapes.title.text = SECTIONS[0]
    frame = bullets.placeholders[1].text_frame
    frame.text = ITEMS[0]
    for item in ITEMS[1:]:
        frame.add_paragraph().text = item
    bullets.notes_slide.notes_text_frame.text = "Say that plates move a few centimetres a year."
    table_slide = deck.slides.add_slide(deck.slide_layouts[5])
    table_slide.shapes.title.text = "Boundaries in a table"
    shape = table_slide.shapes.add_table(4, 3, Inches(1), Inches(2), Inches(8), Inches(3))
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            shape.table.cell(r, c).text = cell
    quakes = deck.slides.add_slide(deck.slide_layouts[1])
    quakes.shapes.title.text = SECTIONS[1]
    quakes.placeholders[1].text_frame.text = QUAKES
    for n in range(extra_slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Extra slide {n + 1}"
        slide.placeholders[1].text_frame.text = f"Point {n + 1} about plates and their motion."
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def epub() -> bytes:
    out = io.BytesIO()
    items = "".join(f"<li>{i}</li>" for i in ITEMS)
    head, *body = TABLE
    table = "<table><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>"
    table += "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
    table += "</table>"
    chapters = {
        "ch1.xhtml": f"<h1>{SECTIONS[0]}</h1><p>{INTRO}</p><ul>{items}</ul>{table}",
        "ch2.xhtml": f"<h1>{SECTIONS[1]}</h1><p>{QUAKES}</p>",
    }
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        manifest = "".join(
            f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
            for i, name in enumerate(chapters)
        )
        spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
        book.writestr(
            "OEBPS/book.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{TITLE}</dc:title></metadata><manifest>{manifest}</manifest>"
            f"<spine>{spine}</spine></package>",
        )
        for name, body_html in chapters.items():
            book.writestr(
                f"OEBPS/{name}",
                '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                f"<head><title>{name}</title></head><body>{body_html}</body></html>",
            )
    return out.getvalue()
