"""The revisions, one independent branch per area (see the package docstring for how to add one)."""
