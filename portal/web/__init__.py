"""The web layer: one blueprint package per audience, plus `common` for what every
audience shares. Audiences never import one another."""
