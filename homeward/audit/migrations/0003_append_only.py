"""On PostgreSQL the database itself refuses to change or remove an audit event, and
refuses to move the chain's head backwards or remove it: a trigger on each table. (The
application's own code never tries: the ORM refuses first.) Someone who owns the tables
can still drop the triggers; run the service under a role that does not own them to
close that, and rely on the keyed chain and its checkpoints to show it if they are."""

from django.db import migrations

FORWARDS = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE OR REPLACE FUNCTION audit_head_only_forwards() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.sequence < OLD.sequence
        OR (NEW.sequence = OLD.sequence AND NEW.hash <> OLD.hash) THEN
        RAISE EXCEPTION 'the audit chain head only moves forwards: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_head_only_forwards
    BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_head_only_forwards();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS audit_head_only_forwards ON audit_auditchainhead;
DROP FUNCTION IF EXISTS audit_head_only_forwards();
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def _run(schema_editor, sql) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: the % in the messages are PL/pgSQL's


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, FORWARDS)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_keyed_chain")]

    operations = [migrations.RunPython(forwards, backwards)]
