"""The staff web page: review queue, evidence, decisions, uploads and batches.

A Flask app over the same job store, queue and EVRAK_HOME the drop folder uses, so a
package uploaded here is one more intake (worker.intake.take) and the page shows what
`evrak worker` produced. Server-rendered Jinja with autoescape; no applicant data without
a login; every POST carries the session's CSRF token.
"""

from worker.web.app import create_app

__all__ = ["create_app"]
