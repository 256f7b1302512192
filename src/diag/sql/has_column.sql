-- Whether a relation has a column (system views gain columns between versions).
SELECT EXISTS (SELECT 1 FROM pg_attribute
               WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped) AS found
