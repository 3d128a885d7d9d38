"""Insights for ops: what customers need, what the manual fixes, what the product must fix.

Plain modules, no views: `periods` (the date range and filters), `searches` (self-service
and demand), `content`, `tickets`, `problems` (root causes), `reports` (the tables the
page, CSV and JSON share), `export` (CSV), `digest` (the weekly e-mail) and `scheduler`.
"""
