-- Realistic parameters for diag explain, from the data: the busiest work basket, the most
-- recently written case, now in epoch ms. Neither reads more than a few index pages, whatever
-- the history: the busiest basket is the most common one ANALYZE saw among pended exec paths
-- (counted through idx_exec_path_workbasket only before the first ANALYZE), the newest case the
-- last entry of idx_wf_info_ts (a case without ts only when no case has one).
SELECT /* wfctl:diag_explain_params */ coalesce(
         (SELECT (s.most_common_vals::text::text[])[1] FROM pg_stats s
          WHERE s.schemaname = current_schema() AND s.tablename = 'exec_path'
            AND s.attname = 'pend_workbasket' AND s.most_common_vals IS NOT NULL),
         (SELECT e.pend_workbasket FROM exec_path e
          WHERE e.pend_workbasket IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM pg_stats s
                            WHERE s.schemaname = current_schema() AND s.tablename = 'exec_path'
                              AND s.attname = 'pend_workbasket')
          GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1))::text AS basket,
       coalesce((SELECT w.case_id FROM workflow_info w WHERE w.ts IS NOT NULL
                 ORDER BY w.ts DESC LIMIT 1),
                (SELECT w.case_id FROM workflow_info w LIMIT 1))::text AS case_id,
       (extract(epoch FROM now()) * 1000)::bigint AS now_ms
