-- What keeps `wfctl metrics` and `diag all` flat as completed history grows: they count what is
-- active through partial indexes and take the history's figures from statistics.

-- CREATE INDEX blocks writes to its table while it builds, and a migration runs in a
-- transaction, where CREATE INDEX CONCURRENTLY is refused. So the indexes are built here only
-- while their tables are small (seconds at most); on a bigger table `diag indexes` lists them as
-- missing and `diag doctor --write-migration DIR` writes the CONCURRENTLY statements. Until
-- then the statements that use them read the table instead: slower, never wrong.
DO $$
BEGIN
  IF pg_relation_size('workflow_info') < 64 * 1024 * 1024 THEN
    -- running cases (not complete, not pended): the stuck-case scan and the running count.
    CREATE INDEX IF NOT EXISTS idx_wf_info_running ON workflow_info(ts)
      WHERE is_complete = FALSE AND coalesce(pend_exec_path, '') = '';
  END IF;
  IF pg_relation_size('milestone') < 64 * 1024 * 1024 THEN
    -- milestones whose SLA action failed: the failed-actions counter without reading history.
    CREATE INDEX IF NOT EXISTS idx_milestone_failed ON milestone(sla_failures)
      WHERE sla_failures > 0;
  END IF;
  -- The execution-time histogram of completed cases, from the distribution ANALYZE keeps of
  -- the expression (PostgreSQL 14+; no index: nothing to build, no cost on writes).
  IF current_setting('server_version_num')::int >= 140000 THEN
    EXECUTE 'CREATE STATISTICS IF NOT EXISTS wfctl_case_duration
               ON (completed_ts - started_ts) FROM workflow_info';
  END IF;
END
$$;
