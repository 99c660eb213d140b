"""web: the SPARQL endpoint and the page (`kg serve`), and the pictures of the graph shared with `kg viz`."""
