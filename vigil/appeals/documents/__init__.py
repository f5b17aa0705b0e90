"""Letters of the appeals app (PDF via WeasyPrint with local fonts only, DOCX via python-docx)."""
