"""The printed result slip: which benefits look likely, where to apply, what to bring, and a
QR code that opens the public catalogue entries for those benefits.

The QR code carries only public facts — the region and the benefit ids — never an answer:
the same slip comes out for everyone with the same likely benefits in that region.
"""
from urllib.parse import quote

import segno

from .catalogue import benefits_path

# The order the slip lists results in: what the person can likely get first.
SLIP_STATUSES = ("eligible", "undetermined")


def slip_results(report):
    """Likely benefits (eligible, in force or planned) and those still to confirm, eligible first."""
    chosen = [r for r in report.results if r.status in SLIP_STATUSES]
    return sorted(chosen, key=lambda r: (SLIP_STATUSES.index(r.status), r.benefit.policy_status != "in_force"))


def catalogue_url(base_url, region_code, benefit_ids):
    """The public catalogue page of a region, narrowed to some benefits: no answers in it, and
    no query string (access logs keep those)."""
    url = f"{base_url.rstrip('/')}/catalogue/{quote(region_code, safe='')}"
    return url + "/" + quote(benefits_path(benefit_ids), safe="+") if benefit_ids else url


def qr_svg(url, title):
    """An inline SVG QR code (no inline style: the strict CSP forbids it), with an accessible name."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title,
                          svgclass="kiosk-qr", lineclass=None, omitsize=False)
    return svg.replace("<svg ", '<svg role="img" aria-label="' + _attr(title) + '" ', 1)


def _attr(text):
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))
