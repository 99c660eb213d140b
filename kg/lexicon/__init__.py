"""lexicon: the extraction vocabulary read from `ontology/`: the gazetteer of known entities and the office titles (`gazetteer`), the triggers and word lists of `lexicon.ttl` (`words`)."""
