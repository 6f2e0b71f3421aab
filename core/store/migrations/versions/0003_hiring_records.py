"""hiring records: candidates and their links, human decisions, the audit log, interview links

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    _candidate_tables()
    _decision_tables()
    _interview_tables()


def _candidate_tables() -> None:
    """Candidates and the links from each to their documents, reports and jobs."""
    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(32), nullable=False, unique=True, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False, index=True),
        sa.Column("phone", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        _at("created_at"), _at("updated_at"),
    )
    op.create_table(
        "candidate_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("candidates.id"), nullable=False, index=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=True, index=True),
        sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id"), nullable=True, index=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id"), nullable=True, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("candidate_id", "document_id", "result_id", name="uq_candidate_links"),
    )


def _decision_tables() -> None:
    """People's decisions on candidates and the append-only audit log."""
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("candidates.id"), nullable=False, index=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id"), nullable=True, index=True),
        sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id"), nullable=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=False),
        sa.Column("shown", sa.JSON, nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        _at("at"),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(32), nullable=False, index=True),
        sa.Column("candidate_ref", sa.String(32), nullable=False, index=True),
        sa.Column("job_id", sa.Integer, nullable=True),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("model_profile", sa.String(120), nullable=False),
        sa.Column("prompt_version", sa.String(64), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def _interview_tables() -> None:
    """Interview links and the answers given through them."""
    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("candidates.id"), nullable=True, index=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id"), nullable=True),
        sa.Column("questions", sa.JSON, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("model_profile", sa.String(120), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("time_limit_minutes", sa.Integer, nullable=False),
        _at("expires_at"), _at("opened_at", True), _at("submitted_at", True),
        sa.Column("status", sa.String(16), nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "interview_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("interview_id", sa.Integer, sa.ForeignKey("interviews.id"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        _at("created_at"),
        sa.UniqueConstraint("interview_id", "position", name="uq_interview_answers_position"),
    )


def downgrade() -> None:
    for table in ("interview_answers", "interviews", "audit_log", "decisions", "candidate_links", "candidates"):
        op.drop_table(table)
