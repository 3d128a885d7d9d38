"""What customers tell us by searching: the search log, opened results, votes, the
failed-search queue, articles to review and roll-ups of old searches."""
