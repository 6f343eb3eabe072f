"""The one error hierarchy of the assistant, split by who is at fault.

AssistantError
├── ConfigurationError        the operator's settings are wrong or incomplete
├── DataError                 a file the project loads is invalid
│   ├── RulePackError         a rule pack failed validation (names file and rule)
│   └── CorpusError           a note, document registry or official text is malformed
├── AssistantRuntimeError     a component failed while answering
│   ├── RetrievalError        the index or the embedder failed
│   └── ModelError            the optional language model failed or timed out
└── UserError                 the caller's input is invalid; the message is safe to show
    ├── FactsError            a Facts object is invalid (names the field)
    ├── CitationError         a (document, article) pair does not resolve
    ├── AccountError          an account change is refused (weak password, unknown account, ...)
    ├── KnowledgeError        a knowledge draft, approval, publish or rollback is refused
    └── UploadError           an uploaded table or text is refused (type, size, corrupt, empty)
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""


class ConfigurationError(AssistantError):
    """The settings are wrong or incomplete."""


class DataError(AssistantError):
    """A data file the project loads is invalid."""


class RulePackError(DataError):
    """A rule pack failed validation; `problems` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class CorpusError(DataError):
    """A corpus note, the document registry or an official text is malformed."""


class AssistantRuntimeError(AssistantError):
    """A component failed while answering."""


class RetrievalError(AssistantRuntimeError):
    """The index or the embedder failed."""


class ModelError(AssistantRuntimeError):
    """The optional language model failed, timed out or answered badly."""


class UserError(AssistantError):
    """The caller's input is invalid; the message is safe to show to a user."""


class FactsError(UserError):
    """A Facts object is invalid; the message names the field."""


class CitationError(UserError):
    """A (document, article) pair does not resolve to a passage."""


class AccountError(UserError):
    """An account change is refused; `code` names the reason (catalogue key `accounts.error.CODE`)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(message)


class KnowledgeError(UserError):
    """A knowledge change is refused; `code` names the reason (catalogue key `knowledge.error.CODE`)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(message)


class UploadError(UserError):
    """An uploaded file is refused (wrong type, too large, corrupt, empty); `code` names the reason
    (catalogue key `imports.error.CODE`)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(message)
