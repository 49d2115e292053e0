"""Workbook builders (openpyxl, write-only) and the cell sanitiser: rows in, files out."""
