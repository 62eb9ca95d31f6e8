"""Outlets and URLs: registered domain, canonical URL, and the outlet registry (config/outlets.yaml).

The registry is data: domain -> display name, country, language. Lookups try the full host first and then
shorter suffixes down to the registered domain, so `timesofindia.indiatimes.com` and `abcnews.go.com` can
be listed without claiming every site under `indiatimes.com` or `go.com`.
tldextract runs offline on its bundled public-suffix snapshot: ingest never fetches the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract
import yaml

REGISTRY_PATH = Path(__file__).resolve().parents[2] / "config" / "outlets.yaml"
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_WRAPPER_LABELS = {"www", "m", "amp", "mobile", "www1", "www2"}

# Query parameters that identify a click or campaign, never the document.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
        "mc_cid", "mc_eid", "igshid", "igsh", "ref_src", "ref_url", "_ga", "_gl", "_hsenc", "_hsmi",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "cmpid", "ncid", "ocid", "smid",
        "smtyp", "sr_share", "s_cid", "guccounter", "guce_referrer",
        "guce_referrer_sig", "at_medium", "at_campaign", "at_custom1", "at_custom2", "ito",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hsa_")


@dataclass(frozen=True)
class Outlet:
    domain: str
    name: str
    country: str | None = None
    language: str | None = None


def _host(url_or_host: str) -> str:
    text = url_or_host.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def unwrap_host(host: str) -> str:
    """Drop www./m./amp. labels that name a rendering, not a site."""
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in _WRAPPER_LABELS:
        labels = labels[1:]
    return ".".join(labels)


def registered_domain(url: str | None) -> str | None:
    """`https://www.bbc.co.uk/news/x` -> `bbc.co.uk`; None for IPs, localhost and non-URLs."""
    if not url:
        return None
    host = _host(url)
    if not host:
        return None
    parts = _EXTRACT(host)
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


@lru_cache(maxsize=1)
def load_registry(path: str | None = None) -> dict[str, Outlet]:
    data = yaml.safe_load(Path(path or REGISTRY_PATH).read_text(encoding="utf-8")) or {}
    registry: dict[str, Outlet] = {}
    for domain, entry in data.items():
        key = str(domain).lower()
        registry[key] = Outlet(key, entry["name"], entry.get("country"), entry.get("language"))
    return registry


def lookup_outlet(domain: str | None) -> Outlet | None:
    """Outlet for a domain, host or URL: the longest listed host suffix wins; None when unlisted."""
    if not domain:
        return None
    host = unwrap_host(_host(domain))
    registry = load_registry()
    base = registered_domain(host)
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in registry:
            return registry[candidate]
        if candidate == base:
            break
    return None


# Countries that write dates month first (11/04/2024 is November 4). Canada mixes both orders: unknown.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "GU", "PR", "AS", "VI", "MP", "UM", "BZ"})
MIXED_ORDER_COUNTRIES = frozenset({"CA"})
# Languages written with the day first in numeric dates wherever they are spoken (English is not one of them).
DAY_FIRST_LANGUAGES = frozenset({"de", "fr", "es", "it", "pt", "nl", "da", "nb", "nn", "no", "fi", "pl", "cs", "sk",
                                 "ru", "uk", "tr", "el", "ro", "hr", "sr", "sl", "bg", "ca", "id", "vi", "he", "ar",
                                 "hi"})


def dayfirst_for(url: str | None, lang: str | None = None) -> bool | None:
    """Day/month order for ambiguous numeric dates: the registered outlet's country, else a regional
    language tag (`en-GB` day first, `en-US` month first), else a language written day first everywhere
    (`de`, `fr`, `es` …); None when none says (the date stays ambiguous).
    """
    outlet = lookup_outlet(url) if url else None
    country = (outlet.country or "").upper() if outlet else ""
    parts = (lang or "").lower().replace("_", "-").split("-")
    if not country and lang:
        country = parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else ""
    if not country and parts[0] in DAY_FIRST_LANGUAGES:
        return True
    if not country or country in MIXED_ORDER_COUNTRIES:
        return None
    return country not in MONTH_FIRST_COUNTRIES


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, drop default ports, tracking parameters and the fragment; keep the rest."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.scheme or not parts.netloc:
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port if parts.port and (scheme, parts.port) not in {("http", 80), ("https", 443)} else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))
