"""Staff import and export in the data contract: CSV files, a zip of them, or GeoJSON.

- ``read_upload`` / ``read_path`` turn what was uploaded (a CSV, a zip, a GeoJSON file, a folder)
  into data-contract CSV bytes by file name, reporting files that are not part of the contract,
  oversized or suspicious zip members and unreadable GeoJSON as ``Problem``s.
- ``preview`` validates with the seed's own parsers and cross-file checks against the union of
  the upload and the database, checks permissions, optionally geocodes landmarks that have an
  address but no coordinates, and lists every row that would be added or changed (field by
  field) and every problem as ``file:line: column: message`` in the upload's own names.
- ``apply`` writes a problem-free plan in one transaction, through the curation writers (history
  rows, action ``import``), based on the versions the preview saw: a concurrent edit in between
  raises ``curation.Conflict`` and nothing is written.
- ``export_zip`` / ``export_geojson`` write a city in the contract; importing the export again
  changes nothing (round trip).

An import is an upsert by id, never a delete. An itinerary whose stops are in the upload gets
exactly those stops. Rows of cities.csv and themes.csv that would change the database need
``MANAGE_CITIES``; identical ones are ignored, so an editor can import an export unchanged.

The modules: ``reading`` (uploads) and ``geojson``; ``plan`` (what an import would do),
``preview`` with ``rows`` (the row-by-row steps) and ``geocoding``; ``apply``; ``export``.
"""

from __future__ import annotations

from itinerary.transfer.apply import PlanHasProblems, RulesBroken, Stale, apply
from itinerary.transfer.export import (
    CityContent,
    UnknownCity,
    city_content,
    export_files,
    export_geojson,
    export_zip,
)
from itinerary.transfer.plan import (
    CITY,
    ENTITIES,
    ITINERARY,
    LANDMARK,
    THEME,
    EntityPlan,
    Geocoded,
    ImportPlan,
    ImportSummary,
    Progress,
    RowChange,
    Snapshot,
    describe_counts,
)
from itinerary.transfer.preview import preview
from itinerary.transfer.reading import (
    CONTRACT_FILES,
    GEOJSON_NAME,
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    Upload,
    UploadFile,
    contract_name,
    read_path,
    read_upload,
)

__all__ = [
    "CITY",
    "CONTRACT_FILES",
    "ENTITIES",
    "GEOJSON_NAME",
    "ITINERARY",
    "LANDMARK",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "THEME",
    "CityContent",
    "EntityPlan",
    "Geocoded",
    "ImportPlan",
    "ImportSummary",
    "PlanHasProblems",
    "Progress",
    "RowChange",
    "RulesBroken",
    "Snapshot",
    "Stale",
    "UnknownCity",
    "Upload",
    "UploadFile",
    "apply",
    "city_content",
    "contract_name",
    "describe_counts",
    "export_files",
    "export_geojson",
    "export_zip",
    "preview",
    "read_path",
    "read_upload",
]
