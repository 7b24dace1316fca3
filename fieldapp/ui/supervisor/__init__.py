"""The supervisor's desk: open a hub, import, progress, quality, review, export and merge.

Every screen calls only :class:`fieldapp.supervisor.SupervisorSession`; slow work runs in
the background (:mod:`fieldapp.ui.ops` and :class:`.common.Task`).
"""
