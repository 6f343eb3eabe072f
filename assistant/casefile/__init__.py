"""Case files: the audit log of answered turns, masking of personal data, and case reports (Markdown, PDF)."""
