"""The background worker: the queue's admin, retries, a worker that recovers dead workers' tasks."""
