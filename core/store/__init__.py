from core.store.db import ResultRecord, Store, get_store

__all__ = ["ResultRecord", "Store", "get_store"]
