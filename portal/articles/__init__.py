"""Articles: the content model, loading and rendering Markdown, categories, the repository
of a worker's articles, authoring and revisions."""
