-- Transaction-id age of this database and of the oldest one in the cluster (wraparound at 2^31).
SELECT (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database())::bigint AS xid_age,
       (SELECT max(age(datfrozenxid)) FROM pg_database)::bigint AS cluster_xid_age,
       current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max_age
