-- What holds the xmin horizon back (vacuum cannot remove rows deleted after it): old
-- transactions and snapshots of this database's sessions (others' do not hold back its tables),
-- replication slots, prepared transactions of this database, standbys' feedback.
SELECT * FROM (
  SELECT 'session' AS kind, pid::text AS holder,
         concat_ws(' ', nullif(application_name, ''), coalesce(state, 'hidden'), datname) AS detail,
         greatest(age(backend_xmin), age(backend_xid))::bigint AS xmin_age,
         extract(epoch FROM now() - xact_start)::float8 AS seconds
  FROM pg_stat_activity
  WHERE (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL) AND pid <> pg_backend_pid()
    AND datname = current_database()
  UNION ALL
  SELECT 'replication slot', slot_name::text,
         concat_ws(' ', slot_type, CASE WHEN active THEN 'active' ELSE 'inactive' END),
         greatest(age(xmin), age(catalog_xmin))::bigint, NULL::float8
  FROM pg_replication_slots
  WHERE xmin IS NOT NULL OR catalog_xmin IS NOT NULL
  UNION ALL
  SELECT 'prepared transaction', gid, concat_ws(' ', owner, database),
         age(transaction)::bigint, extract(epoch FROM now() - prepared)::float8
  FROM pg_prepared_xacts
  WHERE database = current_database()
  UNION ALL
  SELECT 'standby feedback', coalesce(application_name, pid::text), coalesce(state, ''),
         age(backend_xmin)::bigint, NULL::float8
  FROM pg_stat_replication
  WHERE backend_xmin IS NOT NULL
) h
ORDER BY xmin_age DESC NULLS LAST
