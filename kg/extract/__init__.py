"""extract: one parsed document in, its entities, events, quotations and offices out (`kg.extract.document.extract`)."""
