"""Drafting tools off the compile path: `fmt` (canonical layout), `newcycle` (start the next
cycle), `export` (flat tables), `crosswalk` (the lineage table between two cycles)."""
