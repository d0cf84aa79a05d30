"""moto's costs and races that real AWS does not have, removed without changing what moto answers.

Found by the load run (npm run load, docs/PERFORMANCE.md), where they made a 5,000-upload
run quadratic and grew moto past 12 GiB (1, 2), and then starved the hasher (3, below):

1. TransactWriteItems backs up each table it touches once per item of the transaction (a
   deep copy each time), not once per table: a 100-item append copied the Deposits and Ledger
   tables 100 times (0.36 s per copy of a 5,000-item table here). The copies are identical
   (nothing changes while they are taken), so one per table restores exactly the same state.

2. ListObjectVersions deep-copies every version of every key in the bucket, bytes included
   (FakeKey's pickling reads the whole object and writes it into a new buffer), and only then
   filters by prefix. The hasher lists a key's versions for every notice without a versionId,
   which is every notice moto sends, so each one copied the whole bucket. The copies only
   feed the listing (moto sets is_latest on them), so metadata copies that share no buffer
   give the same answer.

4. SQS loses messages under concurrent use (patch 4, below): a fault of the emulator, not of
   the pipeline, which real SQS does not have.
"""
import copy
import tempfile
import threading


class _CopyShim:
    """Stands in for the copy module inside one moto module; `deepcopy` is the hook."""

    def __init__(self, deepcopy):
        self.deepcopy = deepcopy

    def __getattr__(self, name):
        return getattr(copy, name)


def one_backup_per_table() -> None:
    """Patch 1. Call once; DynamoDB requests must run one at a time (one set of backups)."""
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    backups: dict[int, object] = {}
    active = threading.Event()

    def deepcopy(value, memo=None):
        # Only whole tables, which outlive the transaction (so their id is not reused).
        if not active.is_set() or not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if id(value) not in backups:
            backups[id(value)] = copy.deepcopy(value, memo)
        return backups[id(value)]

    models.copy = _CopyShim(deepcopy)
    transact = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        backups.clear()
        active.set()
        try:
            return transact(self, transact_items)
        finally:
            active.clear()
            backups.clear()

    models.DynamoDBBackend.transact_write_items = transact_write_items


def metadata_copies_when_listing_versions() -> None:
    """Patch 2. A first page with a prefix also skips the other keys before copying them: they
    would only be dropped by the prefix filter (versions of one key stay together, so which
    one is the latest does not change)."""
    import inspect

    from moto.s3 import models

    listing = threading.local()
    list_object_versions = models.S3Backend.list_object_versions
    signature = inspect.signature(list_object_versions)

    def listing_with_prefix(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs).arguments
        prefix = bound.get("prefix") or ""
        listing.prefix = prefix if prefix and bound.get("key_marker") is None else None
        try:
            return list_object_versions(self, *args, **kwargs)
        finally:
            listing.prefix = None

    def metadata_copy(key):
        if not isinstance(key, models.FakeKey):
            return copy.deepcopy(key)
        key.etag  # computed and kept on the original, so the copy never reads the bytes
        clone = models.FakeKey.__new__(models.FakeKey)
        clone.__dict__.update(key.__dict__)
        # Its own (empty) buffer, lock and no multipart: disposing the copy leaves the original intact.
        clone._value_buffer = tempfile.SpooledTemporaryFile(max_size=1)
        clone.lock = threading.Lock()
        clone.multipart = None
        return clone

    def deepcopy(value, memo=None):
        if isinstance(value, list) and all(
            isinstance(v, (models.FakeKey, models.FakeDeleteMarker)) for v in value
        ):
            prefix = getattr(listing, "prefix", None)
            if prefix is not None and value and not str(value[0].name).startswith(prefix):
                return []
            return [metadata_copy(v) for v in value]
        return copy.deepcopy(value, memo)

    models.copy = _CopyShim(deepcopy)
    models.S3Backend.list_object_versions = listing_with_prefix


def cheap_sqs_receive() -> None:
    """Patch 3: ReceiveMessage without work per message queued.

    For every message it returned, moto checked the retention period by computing all the
    queue's attributes, approximate counts included (a pass over every message), and it
    reads the clock through datetime for every message it looks at. With thousands of
    notices queued, a receive cost a fifth of a second. The same checks, read directly.
    """
    import time

    from moto.sqs import models

    def is_message_valid_based_on_retention_period(self, queue_name, message):
        retention = int(self.get_queue(queue_name).message_retention_period)
        return retention + message.sent_timestamp / 1000 > time.time()

    models.SQSBackend.is_message_valid_based_on_retention_period = (
        is_message_valid_based_on_retention_period
    )
    unix_time_millis = models.unix_time_millis
    models.unix_time_millis = lambda dt=None: time.time() * 1000 if dt is None else unix_time_millis(dt)


def serialized_sqs_queues() -> None:
    """Patch 4: one request at a time per queue, as far as its list of messages goes.

    moto's DeleteMessage rebuilds the queue's list of messages and assigns it back without
    the lock SendMessage appends under. Two deletes on one queue at once each rebuild from
    the same list: the second assignment drops whatever was appended to the first one's list
    (a message sent meanwhile: lost) and puts back the message the first one deleted (a
    duplicate). Seen in the load run as one deposit in 5,000 that never reached its signer,
    and reproduced with 4 senders and 8 receivers on one queue (1,894 of 15,000 messages
    lost, 4,651 deleted ones back in flight). Receives also read, mark and move (to the
    dead-letter queue) messages of the same list, so they take the same lock. The lock is
    the queue's own (a re-entrant Condition that a long poll releases while it waits), so
    S3's notifications, which append under it, wait for a delete to finish instead of
    vanishing.
    """
    from moto.sqs import models

    delete_message = models.Queue.delete_message

    def locked_delete_message(self, receipt_handle):
        with self._messages_lock:
            return delete_message(self, receipt_handle)

    receive_message = models.SQSBackend.receive_message

    def locked_receive_message(self, queue_name, *args, **kwargs):
        with self.get_queue(queue_name)._messages_lock:
            return receive_message(self, queue_name, *args, **kwargs)

    models.Queue.delete_message = locked_delete_message
    models.SQSBackend.receive_message = locked_receive_message
