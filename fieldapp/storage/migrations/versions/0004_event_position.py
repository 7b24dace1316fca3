"""Events carry their position in the interview, unique per interview.

The position is part of each event's encryption AAD. It used to be counted by the writing
process, so two processes appending to one draft could give two events the same position and
make the draft unreadable. From this revision the store assigns it inside the write
transaction and a unique index refuses any duplicate.

Revision ID: 0004_event_position
Revises: 0003_hub
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_event_position"
down_revision: str | None = "0003_hub"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add events.position (1, 2, … per interview in seq order) and index it uniquely."""
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=True))
    # Existing events were numbered by their order in the interview (the old AAD counter).
    op.execute(
        "UPDATE events SET position = (SELECT count(*) FROM events AS e2 "
        "WHERE e2.interview_id = events.interview_id AND e2.seq <= events.seq)"
    )
    op.drop_index("ix_events_interview_id_seq", table_name="events")
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("position", existing_type=sa.Integer(), nullable=False)
    op.create_index(
        "ix_events_interview_id_position", "events", ["interview_id", "position"], unique=True
    )


def downgrade() -> None:
    """Remove the position column (development use only)."""
    op.drop_index("ix_events_interview_id_position", table_name="events")
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("position")
    op.create_index("ix_events_interview_id_seq", "events", ["interview_id", "seq"], unique=True)
