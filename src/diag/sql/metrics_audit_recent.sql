-- Audit rows written in the last minute (by ts) among the newest $1 rows by id: the caller
-- widens $1 only while every row read is that recent, so the read follows the write rate.
SELECT /* wfctl:metrics_audit_recent */ count(*) AS recent
FROM (SELECT ts FROM audit_log ORDER BY id DESC LIMIT $1) r
WHERE r.ts >= (extract(epoch FROM now()) * 1000)::bigint - 60000
