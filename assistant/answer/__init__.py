"""Answers: the reply's shape, citing passages, rendering determinations and composing the text."""
