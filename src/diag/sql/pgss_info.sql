-- pg_stat_statements_info (extension 1.9+, PG14+): when its figures were last reset.
SELECT stats_reset FROM {pgss_info}
