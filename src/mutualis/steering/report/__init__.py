"""The governance report: its content (content.py), read once and written twice, as a tagged PDF
(pdf.py) and as a workbook (xlsx.py)."""
