"""Feeds in: outlets' RSS and Atom feeds followed for new articles."""
