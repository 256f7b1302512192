-- Realistic parameters for diag explain, from the data: the busiest work basket, the most
-- recently written case, now in epoch ms.
SELECT /* wfctl:diag_explain_params */ (SELECT e.pend_workbasket FROM exec_path e
        WHERE e.pend_workbasket IS NOT NULL
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)::text AS basket,
       (SELECT w.case_id FROM workflow_info w ORDER BY w.ts DESC NULLS LAST LIMIT 1)::text AS case_id,
       (extract(epoch FROM now()) * 1000)::bigint AS now_ms
