"""Import and export of UN paragraphs with their assessments: the UN follow-up's part of the
shared pipeline (`vigil.core.importing`).

* `columns`: the columns of a file (UHRI's export plus Vigil's own and the assessments'),
  their other names and what each accepts;
* `plans`: what a checked file plans (documents, paragraphs, assessments, rows);
* `cells`: the header's names, each cell's value and the agencies, scales and grades looked up;
* `checking`: `plan_table` validates every row and plans it (documents matched on the
  symbol, paragraphs on (symbol, number), assessments added unless already recorded); it
  writes nothing;
* `applying`: `un_write` writes a checked file in bulk with the paragraphs' timeline events;
* `exporting`: a document's paragraphs and assessments in exactly the import's format;
* `kind`: the hooks registered as the kind "un_recommendations", its template, and
  `un_import_check` / `un_import`, the services the command calls.
"""
