"""query: saved queries, parameters bound as terms, the checks a query passes, and running one within a time limit."""
