"""Characters that no XML 1.0 document can hold, not even as character references.

pyoxigraph and rdflib write them as they are, giving a document no XML parser
reads; every XML output (RDF/XML, SPARQL XML results) checks for them first and
refuses with a message naming the character, rather than serve a broken file.
"""

from __future__ import annotations

import re

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def first_non_xml_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot hold, as ``U+XXXX``; or None."""
    found = NOT_XML.search(text)
    return f"U+{ord(found.group()):04X}" if found else None
