-- `sla run` without reading fired history: failures from the partial index of failed
-- milestones (idx_milestone_failed), the lag from the oldest due milestone
-- (idx_milestone_due). Same figures as metrics_sla_actions.sql but the fired count.
SELECT /* wfctl:metrics_sla_actions_estimate */ coalesce((SELECT sum(sla_failures) FROM milestone WHERE sla_failures > 0), 0)::bigint
         AS failed,
       coalesce((SELECT extract(epoch FROM now()) - min(target_ts) / 1000.0 FROM milestone
                 WHERE status = 'enqueued'
                   AND target_ts < (extract(epoch FROM now()) * 1000)::bigint), 0)::float8
         AS lag_seconds
