"""A minimal streaming XLSX writer (inline strings, no formulas) chosen by measurement.

See bench/README.md "Export": it writes the same sheets several times faster than openpyxl
write-only or xlsxwriter constant-memory, and openpyxl, python-calamine and LibreOffice read
its files. Every sheet is compressed to its own temporary file on a background thread and the
package is assembled at the end, so several sheets can be written in one pass.
"""
