"""The staff web page: review queue, evidence, decisions, uploads and batches.

A Flask app over the same job store, queue and EVRAK_HOME the drop folder uses, so a
package uploaded here is one more intake (worker.intake.take) and the page shows what
`evrak worker` produced. Server-rendered Jinja with autoescape; no applicant data without
a login; every POST carries the session's CSRF token.
"""

# The package imports nothing itself: `from worker.web import db` in a submodule must not pull
# in the app (and through it every view), or the submodules form a cycle. The app is
# worker.web.app.create_app.
