"""Small, valid PDF documents for the tests of uploads (the upload check opens every PDF with
pikepdf to remove its metadata, so a PDF in a test must be a real one)."""

import io

import pikepdf


def pdf_bytes(
    text: str = "Vigil test document", *, author: str = "", xmp_creator: str = ""
) -> bytes:
    """A one-page PDF whose page shows `text`; with `author`, a document information
    dictionary naming it, and with `xmp_creator`, XMP metadata naming that creator."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.Contents = pdf.make_stream(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
    if xmp_creator:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:creator"] = [xmp_creator]
    if author:
        pdf.docinfo["/Author"] = author
        pdf.docinfo["/Producer"] = "Vigil tests"
    out = io.BytesIO()
    if author or xmp_creator:  # streams left readable, so a test can find the metadata
        pdf.save(out, compress_streams=False)
        return out.getvalue()
    # Saved as the upload check saves a cleaned PDF (twice, so that its /ID settles): uploaded,
    # it comes back byte for byte the same.
    for _round in range(2):
        pdf.save(out, deterministic_id=True, encryption=False)
        pdf = pikepdf.open(io.BytesIO(out.getvalue()))
        out = io.BytesIO()
    pdf.save(out, deterministic_id=True, encryption=False)
    return out.getvalue()


PDF_BYTES = pdf_bytes()
