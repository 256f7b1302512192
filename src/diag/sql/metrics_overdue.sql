-- Enqueued SLA milestones past due, per work basket: from idx_milestone_due_basket alone when
-- it exists (the due milestones with their basket), so no milestone row is visited.
SELECT /* wfctl:metrics_sla_overdue */ coalesce(work_basket_name, '')::text AS basket, count(*) AS milestones
FROM milestone
WHERE status = 'enqueued' AND target_ts < (extract(epoch FROM now()) * 1000)::bigint
GROUP BY 1
ORDER BY 1
