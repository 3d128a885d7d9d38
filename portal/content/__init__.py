"""Articles on disk: the content model, its loader, its renderer and its live repository."""
