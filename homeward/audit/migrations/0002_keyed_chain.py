"""The audit chain becomes keyed: each event's hash, until now a plain SHA-256 of its
content and the previous hash (which anyone with the database could recompute after
rewriting the log), becomes an HMAC-SHA256 with HOMEWARD_AUDIT_KEY, kept outside the
database.

The existing chain is checked with the old hash first, end to end, and re-keyed only if
it is intact: re-keying a broken chain would hide the break. Going back re-hashes it the
old way."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64
BATCH = 5000


def _canonical(event):
    content = {
        "sequence": event.sequence,
        "at": event.at.astimezone(UTC).isoformat(),
        "user": event.user_id,
        "organisation": event.organisation_id,
        "role": event.role,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_id": event.child_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def _plain(event):
    return hashlib.sha256(_canonical(event)).hexdigest()


def _keyed(event):
    key = str(settings.HOMEWARD_AUDIT_KEY).encode()
    return hmac.new(key, _canonical(event), hashlib.sha256).hexdigest()


def _rehash(apps, old_hash, new_hash):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    old_previous, new_previous, last_seen = GENESIS, GENESIS, 0
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last_seen).order_by("sequence")[:BATCH]
        )
        if not batch:
            break
        for event in batch:
            if (
                event.sequence != last_seen + 1
                or event.prev_hash != old_previous
                or old_hash(event) != event.hash
            ):
                raise RuntimeError(
                    f"The audit log is broken at event {last_seen + 1}, so it is not re-keyed: "
                    "find out what happened to it before migrating"
                )
            old_previous = event.hash
            event.prev_hash = new_previous
            event.hash = new_hash(event)
            new_previous = event.hash
            last_seen = event.sequence
        AuditEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.sequence != last_seen or head.hash != old_previous:
            raise RuntimeError(
                f"The audit log's head does not match its last event ({last_seen}), so it "
                "is not re-keyed: find out what happened to it before migrating"
            )
        head.hash = new_previous
        head.save(update_fields=["hash"])


def forwards(apps, schema_editor) -> None:
    _rehash(apps, _plain, _keyed)


def backwards(apps, schema_editor) -> None:
    _rehash(apps, _keyed, _plain)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
