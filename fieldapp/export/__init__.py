"""Export and merge: decrypted interviews → XLSX (codes, labels, repeats, codebook, summary
with charts, about), SPSS, Stata, CSV; several exports → one checked workbook.

Entry points (imported lazily by the CLI): :func:`fieldapp.export.run.export` and
:func:`fieldapp.export.merge.merge`. See docs/export.md.
"""
