"""Backup and restore: the whole help centre (every table, the articles) in one archive.

`archive` writes and reads the archive, `restore` loads one into an empty database,
`scheduled` keeps the backups `portal worker` makes, `analysis` exports searches and
tickets for analysts with personal data masked, and `commands` is the `portal backup`
and `portal export` command groups.
"""
