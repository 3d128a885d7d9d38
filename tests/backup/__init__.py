"""Tests of backup, restore, scheduled backups and the analysis export."""
