"""moto's server with DynamoDB requests serialized; S3 and SQS stay concurrent.

moto applies TransactWriteItems to the live tables and, when a condition fails, restores a
deep copy taken before the transaction started. In moto's threaded server that restore can
undo writes another request committed in between (seen here: appended records lost when two
appenders raced). Real DynamoDB isolates transactions; running one DynamoDB request at a time
gives the emulator that guarantee back. Usage: python moto_server_serialized_dynamodb.py HOST PORT

It also removes three of moto's costs that AWS does not have, and a race of its SQS queues
that loses messages: see moto_patches.py.
"""
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple

from moto_patches import (
    cheap_sqs_receive,
    metadata_copies_when_listing_versions,
    one_backup_per_table,
    serialized_sqs_queues,
)
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    one_backup_per_table()
    metadata_copies_when_listing_versions()
    cheap_sqs_receive()
    serialized_sqs_queues()
    app = DomainDispatcherApplication(create_backend_app)
    dynamodb = threading.Lock()

    def serialized(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with dynamodb:
                # Produce the whole response while holding the lock.
                return list(app(environ, start_response))
        return app(environ, start_response)

    run_simple(host, port, serialized, threaded=True, use_reloader=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
