"""Cross-article linking, pure and without a database: when two names are one person
(``names``), the hand-made corrections that override it (``aliases``), syndicated copies
and statement fingerprints (``copies``), the in-memory resolver that the store's
entity writer and the full re-merge both drive (``resolver``), and a merged entity's
columns and roles computed from its observations (``entity_stats``)."""
