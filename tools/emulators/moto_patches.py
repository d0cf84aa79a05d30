"""Two of moto's costs that real AWS does not have, removed without changing what moto answers.

Found by the load run (npm run load, docs/PERFORMANCE.md), where they made a 5,000-upload
run quadratic and grew moto past 12 GiB:

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
    """Patch 2."""
    from moto.s3 import models

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
            return [metadata_copy(v) for v in value]
        return copy.deepcopy(value, memo)

    models.copy = _CopyShim(deepcopy)
