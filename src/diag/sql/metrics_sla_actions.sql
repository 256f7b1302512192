-- `sla run`: milestones fired and actions failed (counters), and its lag: how long past its due
-- time the oldest due milestone not fired yet has waited (0 when none). One pass over milestone.
SELECT /* wfctl:metrics_sla_actions */ count(*) FILTER (WHERE status = 'fired') AS fired,
       coalesce(sum(sla_failures), 0)::bigint AS failed,
       coalesce(max(extract(epoch FROM now()) - target_ts / 1000.0)
                FILTER (WHERE status = 'enqueued'
                        AND target_ts < (extract(epoch FROM now()) * 1000)::bigint), 0)::float8
         AS lag_seconds
FROM milestone
