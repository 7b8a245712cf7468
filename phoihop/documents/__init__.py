"""Official documents: DOCX (Decree 30/2020 format, docxtpl templates), XLSX and PDF.

Builders are pure functions: a ``ReportDocument`` in, bytes out (``builders.py``).
"""
