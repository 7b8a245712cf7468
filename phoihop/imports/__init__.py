"""Importing units, people, users, targets, activities and figures from Excel and CSV files."""
