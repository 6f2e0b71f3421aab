"""Entry point of a parse worker process: ``python -m core.documents.worker FD MEMORY_MB`` (see ``isolate``)."""

import sys

from core.documents.isolate import serve

if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
