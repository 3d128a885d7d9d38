"""The Whoosh engine: jieba analysis with script folding, schema, store, ranking, snippets."""
