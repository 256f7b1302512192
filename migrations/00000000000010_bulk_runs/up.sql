-- A bulk run's selection time, shared by its workers and by a re-run after a kill: a worker
-- takes only cases last written before it, so a case the run already did (written since) is
-- never taken again. The row lives while the run is unfinished; the worker that finds nothing
-- left deletes it, so the next run of the same selection starts afresh.
CREATE TABLE wfctl_bulk_run (
    run_key TEXT PRIMARY KEY,
    selected_before BIGINT NOT NULL,
    started_ts BIGINT NOT NULL
);
