"""Source data for the shipped XLSForm questionnaires (see tools/author_questionnaires.py).

Every piece of text lives here as ``T(en, ko, zh, ja)`` so that translations can be
reviewed line by line in diffs; the workbooks in ``questionnaires/`` are generated.
"""
