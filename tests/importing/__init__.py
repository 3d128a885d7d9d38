"""Tests of the importers from other help desks."""
