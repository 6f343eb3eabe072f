"""The optional language model: proposes facts and writes prose, never decides."""
