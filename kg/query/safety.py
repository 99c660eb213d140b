"""What a query may do: SPARQL Update and federated SERVICE calls are refused unless asked
for, and keywords are looked for only where they act, never inside strings, IRIs or comments."""
from __future__ import annotations

import re

from kg.errors import QueryRefused

UPDATE_WORDS = re.compile(r"^\s*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)


def code_only(text: str) -> str:
    """The query without comments, strings and IRIs, so keywords are found only where they act.

    >>> code_only('SELECT * # SERVICE\\nWHERE { ?s ?p "SERVICE" . <http://x/SERVICE> ?p ?o }')
    'SELECT * \\nWHERE { ?s ?p "" . <> ?p ?o }'
    """
    pattern = r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    def blank(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return ""
        quote = token[:3] if token[:3] in ('"""', "\'\'\'") else token[0]
        return quote + (quote if quote != "<" else ">") if quote != '"""' else '""'
    return re.sub(pattern, blank, text)


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update rather than a query, however its prologue is laid
    out.

    >>> is_update("PREFIX a: <http://x/> PREFIX b: <http://y/> INSERT DATA { a:b a:c b:d }")
    True
    >>> is_update("PREFIX a: <http://x/>\\nSELECT ?add WHERE { ?add a:b ?c }")
    False
    """
    body = re.sub(r"^(?:\s*(?:PREFIX\s+\S*\s*<>|BASE\s*<>))+\s*", "", code_only(text),
                  flags=re.IGNORECASE | re.MULTILINE)
    return bool(UPDATE_WORDS.search(body))


def check_query(text: str, *, allow_update: bool = False, allow_service: bool = False) -> None:
    """Refuse what `kg query` does not do unless asked: updates and federated SERVICE calls."""
    if is_update(text) and not allow_update:
        raise QueryRefused("this is SPARQL Update; kg query changes the store only with --update")
    if re.search(r"\bSERVICE\b", code_only(text), re.IGNORECASE) and not allow_service:
        raise QueryRefused("SERVICE reaches other servers over the network; pass --allow-service to allow it")
