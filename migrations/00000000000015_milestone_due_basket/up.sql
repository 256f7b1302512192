-- Overdue milestones per work basket (`wfctl metrics`) read from the index alone: the due
-- milestones by due time with their basket, so a scrape visits no milestone rows and its cost
-- follows the overdue milestones, not the SLA history.

-- Built here only while milestone is small, as in 00000000000012_active_case_indexes: on a
-- bigger table `diag indexes` lists it as missing and `diag doctor --write-migration DIR`
-- writes the CONCURRENTLY statement; until then the count reads the milestone rows.
DO $$
BEGIN
  IF pg_relation_size('milestone') < 64 * 1024 * 1024 THEN
    CREATE INDEX IF NOT EXISTS idx_milestone_due_basket ON milestone(target_ts, work_basket_name)
      WHERE status = 'enqueued';
  END IF;
END
$$;
