-- Milestones whose case is gone, and journeys (but not the journey of a case being started:
-- its case lock is held). Anti-joins, not `IS NULL OR NOT EXISTS`: the OR forces a hashed
-- subplan that degrades to a per-row probe on big tables. The lock test runs on the orphans
-- only (OFFSET 0 keeps it above the anti-join), not on every journey.
SELECT /* wfctl:diag_orphans */ (SELECT count(*) FROM milestone m
        WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = m.case_id)) AS n,
       (SELECT count(*) FROM (SELECT d.case_id FROM workflow_definition d
                              WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = d.case_id)
                              OFFSET 0) o
        -- a case whose wfctl case lock is held is being started, not left behind
        WHERE wfctl_case_lock_key(o.case_id) NOT IN (
            SELECT (l.classid::bigint << 32) | l.objid::bigint
            FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))) AS m
