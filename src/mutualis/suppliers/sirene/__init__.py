"""Enriching suppliers from files a user loads, with no network at run time: INSEE SIRENE stock
files (StockEtablissement, StockUniteLegale, CSV or the published .zip) and inclusion lists.

files.py streams the rows, records.py and inclusion.py say what a row sets on a supplier,
importer.py matches the known suppliers and writes in batches, one transaction per file.
"""
