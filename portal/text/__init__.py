"""Pure text helpers shared by every domain: the one text fold and personal-data masking."""
