"""Tickets: asking a question, the agent's inbox and conversation, the composer, article
links in replies, and mail to customers."""
