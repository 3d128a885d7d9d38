"""Importers from other help desks: Zendesk Help Center exports, Markdown folders (Raneto,
MkDocs) and CSV files of questions and answers.

Each converter is a pure function from the source's data to article source texts (front
matter and Markdown, the shape the web editor saves) plus the problems it met; the
`portal import …` commands then dry-run or save every text through `sink.save_imported`.
"""
