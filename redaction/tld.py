"""tldextract, offline: the bundled public-suffix snapshot and never a fetch. Its own module so
that the URL and email recognizers, which the engine loads, need not import the engine."""

from __future__ import annotations

import functools


def offline_tldextract() -> None:
    """Make every tldextract user (Presidio's email validator included) offline.

    ``tldextract.extract`` looks up the module-level extractor at call time,
    so swapping it for one with no suffix-list URLs and no cache directory
    means the bundled snapshot is always used and no request is ever made.
    """
    import tldextract.tldextract as tx

    current = tx.TLD_EXTRACTOR
    if getattr(current, "_onprem_offline", False):
        return
    offline = tx.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    offline._onprem_offline = True  # type: ignore[attr-defined]
    tx.TLD_EXTRACTOR = offline


@functools.lru_cache(maxsize=1)
def tld_extractor():
    """An offline extractor for our own validators."""
    offline_tldextract()
    import tldextract.tldextract as tx

    return tx.TLD_EXTRACTOR
