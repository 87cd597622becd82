"""Write-audit-publish of the marts for BI tools, and the cross-run quality gate; imports no Dagster.

- ``publishing.publish``: ``publish_marts``, ``PublishedVersion``, ``current_version``
- ``publishing.gate``: ``critical_failures``
"""

from publishing.gate import critical_failures
from publishing.publish import PublishAuditError, PublishedVersion, current_version, publish_marts

__all__ = [
    "PublishAuditError",
    "PublishedVersion",
    "critical_failures",
    "current_version",
    "publish_marts",
]
