"""owners and link reasons: who made a candidate, run or interview link (a demo visitor sees only their own),
and why a document or result was linked to a candidate

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OWNED = ("candidates", "runs", "interviews")


def upgrade() -> None:
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("owner", sa.String(64), nullable=False, server_default=""))
            batch.create_index(f"ix_{table}_owner", ["owner"])
    with op.batch_alter_table("candidate_links") as batch:
        batch.add_column(sa.Column("reason", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("candidate_links") as batch:
        batch.drop_column("reason")
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_owner")
            batch.drop_column("owner")
