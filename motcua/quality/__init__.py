"""ISO 9001 quality management of the province's units (plans 71/KH-UBND and 34/KH-UBND;
QĐ 19/2014/QĐ-TTg; DOMAIN.md §7): each unit's system, its controlled documents, the plans'
roadmap, audits and reviews. See docs/quality.md."""

# A dissolution or merger recorded in org hands the agency's system over (registers a listener).
from motcua.quality import reorganisation as _reorganisation  # noqa: F401
