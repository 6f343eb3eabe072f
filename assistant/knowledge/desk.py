"""The import desk: what the console's Import section and `assistant knowledge import-*` do, in one place.

It reads an upload, proposes the column mapping (the one saved for the profile, else a guess), turns the rows
into a pack draft checked against the packs in force (shipped and published), and saves the draft in the
knowledge store only when nothing is left unread. It never publishes: a draft goes through preview, approval
and publish like any other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from os import PathLike
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from ..rules import RuleBook, default_rulebook, load_rulebook
from .itemdraft import ItemDraft, PackMeta, table_to_draft
from .mapping import Mapping, header_row, mapping_store, reuse
from .sheets import Grid, read_table
from .texts import TextDraft, TextMeta, text_draft

if TYPE_CHECKING:
    from ..settings import Settings
    from .store import KnowledgeStore


@dataclass
class TableImport:
    """An import's outcome: the draft (or why there is none), the mapping used and the saved draft's id."""

    draft: ItemDraft
    mapping: Mapping
    headers: list[str]
    draft_id: int | None = None


class ImportDesk:
    """Imports and their drafts for one deployment (settings) and knowledge store."""

    def __init__(self, settings: Settings, store: KnowledgeStore | None) -> None:
        """Work with these settings; without a store, imports are checked but cannot be saved."""
        self.settings = settings
        self.store = store
        self.mappings = mapping_store(settings.data_dir)

    @property
    def limit(self) -> int:
        """The largest upload read (the app's upload limit)."""
        return self.settings.max_upload_bytes

    def upload(self, path: str | PathLike[str] | None) -> tuple[str, bytes]:
        """An uploaded file's name and bytes, for the console and the CLI alike: its size is checked before it
        is read, so a huge file is refused without being loaded.

        Raises:
            UploadError: no file attached (`no_file`), larger than the limit (`too_large`), unreadable
                (`unreadable`).
        """
        from ..errors import UploadError

        if not path:
            raise UploadError("no_file", "no file was attached")
        file = Path(path)
        try:
            if file.stat().st_size > self.limit:
                megabytes = f"{self.limit / 1_048_576:.0f} MB"
                raise UploadError("too_large", f"{file.name}: larger than {self.limit} bytes", limit=megabytes)
            return file.name, file.read_bytes()
        except OSError as exc:
            raise UploadError("unreadable", f"{file.name}: cannot be read ({exc.strerror})") from None

    def packs_in_force(self) -> tuple[RuleBook, dict[str, str]]:
        """The rule book with the published packs in force, and those packs' YAML by label."""
        documents = self.settings.corpus_dir / "documents.yaml"
        published: dict[str, str] = {}
        if self.store is not None:
            published = {f"knowledge version {v.id} ({v.name})": v.body for v in self.store.published("pack")}
        if not published:
            return default_rulebook(self.settings.rules_path(), documents), published
        return load_rulebook(self.settings.rules_path(), documents, published=published), published

    def read(self, name: str, data: bytes) -> Grid:
        """An uploaded table's rows (raises `UploadError` with a code)."""
        return read_table(name, data, self.limit)

    def mapping(self, grid: Grid, profile: str) -> tuple[Mapping, list[str]]:
        """The mapping for this table: the profile's saved choices where the table has those headers, else guessed."""
        headers = header_row(grid).cells
        return reuse(self.mappings.get(profile), headers), headers

    def import_table(
        self,
        grid: Grid,
        mapping: Mapping,
        author: str,
        *,
        base: str | None = None,
        meta: PackMeta | None = None,
        data: bytes = b"",
        note: str = "",
        save: bool = True,
    ) -> TableImport:
        """Read the table with `mapping` into a draft of `base` (a loaded pack) or a new pack (`meta`); save the
        mapping under the pack's id and, when every row was read and the pack validates, the draft."""
        book, published = self.packs_in_force()
        documents = self.settings.corpus_dir / "documents.yaml"
        draft = table_to_draft(
            grid, mapping, book, self.settings.rules_path(), documents, meta=meta, base=base, published=published
        )
        result = TableImport(draft=draft, mapping=mapping, headers=header_row(grid).cells)
        profile = base or (meta.pack if meta else "")
        if profile:
            self.mappings.save(profile, mapping)
        if save and draft.ok and draft.pack is not None and self.store is not None:
            provenance = {
                "file": PurePath(grid.source).name[:200],
                "sha256": hashlib.sha256(data).hexdigest() if data else "",
                "uploaded_by": author,
                "uploaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "rows": str(draft.items),
                "import": "item table",
            }
            if draft.replaced:  # the preview shows it, so that whoever approves and publishes sees it
                provenance["replaces"] = str(sum(draft.replaced.values()))
                provenance["replaced_sectors"] = ", ".join(draft.replaced)
            result.draft_id = self.store.save_draft("pack", draft.pack.pack, draft.yaml_text, author, note, provenance)
        return result

    def import_text(self, meta: TextMeta, name: str, data: bytes, author: str, note: str = "") -> tuple[TextDraft, int]:
        """Read an official text into a "text" draft and save it (raises `UploadError`, `KnowledgeError`)."""
        from ..errors import UploadError

        made = text_draft(meta, name, data, self.limit, author)
        if self.store is None:
            raise UploadError("no_store", "the knowledge store is not available")
        draft_id = self.store.save_draft("text", made.name, made.body, author, note, made.provenance)
        return made, draft_id
