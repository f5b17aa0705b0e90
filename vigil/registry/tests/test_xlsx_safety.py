import openpyxl.xml


def test_openpyxl_parses_uploads_with_defusedxml():
    # Uploaded XLSX files are XML inside a zip: without defusedxml openpyxl would
    # expand entity bombs. The dependency is pinned; this guards against losing it.
    assert openpyxl.xml.DEFUSEDXML is True
