"""The service page's texts: each key the page's script asks for (app.js `t(key)`) with its English text, the
message id of the "page" context of the catalogues; `page_catalogue` is the JSON the page reads, built per
language from the catalogues once (GET /messages.json), so the page has no catalogue of its own."""

from __future__ import annotations

from functools import lru_cache

from ..i18n import LANGS
from ..i18n.catalog import PAGE, P_, translations

PAGE_TEXTS: dict[str, str] = {
    "title": P_("kzcompliance"),
    "subtitle": P_("Is a foreign national's stay in Kazakhstan lawful? Check one case."),
    "language": P_("Language"),
    "person": P_("Person and date"),
    "f.citizenship": P_("Citizenship (ISO code)"),
    "f.name": P_("Name"),
    "f.as_of": P_("Date to check"),
    "check": P_("Check"),
    "clear": P_("Clear"),
    "file": P_("Case file"),
    "file.hint": P_("Paste a case (JSON) here, or drop a file"),
    "load": P_("Load and check"),
    "token": P_("Access token"),
    "token.hint": P_("Bearer token, if the service requires one"),
    "share": P_("Link to this case"),
    "api": P_("API documentation"),
    "add": P_("Add"),
    "remove": P_("Remove"),
    "known": P_("complete list (empty: none; unticked: not known)"),
    "s.trips": P_("Trips (entries and exits)"),
    "s.documents": P_("Documents (visas, permits)"),
    "s.stays": P_("Stays and registration"),
    "s.hosts": P_("Hosts"),
    "s.employment": P_("Jobs"),
    "s.employers": P_("Employers"),
    "f.entry": P_("Entry"),
    "f.exit": P_("Exit"),
    "f.purpose": P_("Purpose"),
    "f.type": P_("Type"),
    "f.valid_from": P_("Valid from"),
    "f.valid_until": P_("Valid until"),
    "f.category": P_("Category"),
    "f.employer": P_("Employer (id)"),
    "f.region": P_("Region"),
    "f.host": P_("Host (id)"),
    "f.from": P_("From"),
    "f.to": P_("To"),
    "f.registered_on": P_("Registered on"),
    "f.id": P_("Id"),
    "f.size": P_("Size"),
    "f.start": P_("Start"),
    "f.end": P_("End"),
    "error": P_("The case could not be checked:"),
    "v.compliant": P_("Compliant"),
    "v.violations": P_("Violations found"),
    "v.undetermined": P_("Undetermined: no violation found, but not everything could be checked"),
    "as_of": P_("as of"),
    "regime": P_("regime"),
    "fines_total": P_("fines"),
    "fine_unknown": P_("fine not known"),
    "mrp": P_("MRP"),
    "warning": P_("or a warning"),
    "expulsion": P_("expulsion"),
    "expulsion_possible": P_("expulsion possible"),
    "entry_ban": P_("entry ban, years:"),
    "unverified": P_("figure not verified"),
    "article": P_("KoAP article"),
    "since": P_("since"),
    "subject.foreigner": P_("the foreign national"),
    "subject.host": P_("host"),
    "subject.employer": P_("employer"),
    "h.violations": P_("Violations"),
    "h.obligations": P_("Obligations and deadlines"),
    "h.findings": P_("Findings"),
    "h.unchecked": P_("Not checked"),
    "due": P_("due"),
    "needs": P_("would be settled by the field:"),
    "timeline": P_("Timeline of the stay"),
    "overstay": P_("overstay from"),
    "window": P_("visa-free days in the rolling window"),
    "bad_file": P_("Not a case file (a JSON object):"),
    "bad_link": P_("The link's case could not be read."),
}


@lru_cache(maxsize=1)
def page_catalogue() -> dict[str, dict[str, str]]:
    """{lang: {key: text}} for every language of LANGS."""
    return {lang: {key: translations(lang).pgettext(PAGE, text) for key, text in PAGE_TEXTS.items()}
            for lang in LANGS}
