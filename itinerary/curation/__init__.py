"""Staff edits of landmarks and itineraries, with nothing lost.

- Validation is the data files' own (``seed.SPECS`` column parsers and cross-file checks), field
  by field, before anything is saved: ``parse_landmark`` and ``parse_itinerary`` raise
  ``FieldErrors`` mapping each bad field to its message.
- Optimistic concurrency: every landmark and itinerary row carries a ``version``. A save names
  the version it was based on; if someone saved in between, it is refused with ``Conflict``,
  which says who changed what, and nothing is written.
- History: every saved version is a row of ``changes`` (who, when, the whole record before and
  after, as JSON). ``history`` lists them and ``restore`` saves an earlier one as a new version.
- Every write is one database transaction: a crash mid-save leaves the database as it was.

- The content rules (``itinerary.rules``) are checked by the writers themselves, so every path
  (the editor, imports, restore) obeys them.

Pages ask ``accounts.can`` before offering an action; the ``Curator`` asks again before writing.
The modules: ``records`` (entities, snapshots, refusals), ``validation`` (form values),
``history``, ``writers`` (on a connection, also used by imports) and ``curator`` (the service).
"""

from __future__ import annotations

from itinerary.curation.curator import Curator
from itinerary.curation.history import history_row
from itinerary.curation.records import (
    ARCHIVE,
    CITY,
    CREATE,
    EDIT,
    ENTITIES,
    IMPORT,
    ITINERARY,
    ITINERARY_FIELDS,
    LANDMARK,
    LANDMARK_FIELDS,
    RESTORE,
    SEEDED,
    STOP_FIELDS,
    Change,
    Conflict,
    FieldChange,
    FieldErrors,
    NotFound,
    Snapshot,
    diff,
    itinerary_from_snapshot,
    itinerary_snapshot,
    landmark_from_snapshot,
    landmark_snapshot,
)
from itinerary.curation.validation import (
    DUPLICATE_RADIUS_M,
    Context,
    context_for,
    likely_duplicates,
    parse_city,
    parse_itinerary,
    parse_landmark,
)
from itinerary.curation.writers import (
    enforce_rules,
    itinerary_rule_errors,
    landmark_rule_errors,
    landmark_states,
    published_itineraries_using,
    read_itinerary,
    read_landmark,
    write_itinerary,
    write_landmark,
)
from itinerary.models import City, Itinerary, Landmark, Stop  # the records the editors handle

__all__ = [
    "ARCHIVE",
    "CITY",
    "CREATE",
    "DUPLICATE_RADIUS_M",
    "EDIT",
    "ENTITIES",
    "IMPORT",
    "ITINERARY",
    "ITINERARY_FIELDS",
    "LANDMARK",
    "LANDMARK_FIELDS",
    "RESTORE",
    "SEEDED",
    "STOP_FIELDS",
    "Change",
    "City",
    "Conflict",
    "Context",
    "Curator",
    "FieldChange",
    "FieldErrors",
    "Itinerary",
    "Landmark",
    "NotFound",
    "Snapshot",
    "Stop",
    "context_for",
    "diff",
    "enforce_rules",
    "history_row",
    "itinerary_from_snapshot",
    "itinerary_rule_errors",
    "itinerary_snapshot",
    "landmark_from_snapshot",
    "landmark_rule_errors",
    "landmark_snapshot",
    "landmark_states",
    "likely_duplicates",
    "parse_city",
    "parse_itinerary",
    "parse_landmark",
    "published_itineraries_using",
    "read_itinerary",
    "read_landmark",
    "write_itinerary",
    "write_landmark",
]
