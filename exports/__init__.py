"""Workbook builders (XlsxWriter, streamed) and the cell sanitiser: rows in, files out."""
