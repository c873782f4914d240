"""The stages of `stratplan import` after the review model: the base document, the review's
units, the alignment, the index of the plan, the interpreters of each kind of edit, the
self-check (see `stratplan.proposals.importer`, which runs them in order)."""
