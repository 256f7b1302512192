-- SLA milestones still waiting (status 'enqueued') whose due time has passed; $1 = how many.
SELECT /* wfctl:diag_overdue_milestones */ coalesce(m.case_id, '')::text AS case_id,
       m.name::text AS milestone,
       coalesce(m.work_basket_name, '')::text AS basket,
       ((extract(epoch FROM now()) * 1000 - m.target_ts) / 1000)::float8 AS overdue_seconds,
       count(*) OVER () AS total
FROM milestone m
WHERE m.status = 'enqueued' AND m.target_ts < (extract(epoch FROM now()) * 1000)::bigint
ORDER BY m.target_ts
LIMIT $1
