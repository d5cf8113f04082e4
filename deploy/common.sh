# Shared by deploy/backup.sh and deploy/restore.sh (sourced, not run).

# Every table of every schema but PostgreSQL's own, with its row count: what
# backup.sh records in the dump's snapshot and restore.sh compares with.
COUNT_ROWS="SELECT n.nspname || '.' || c.relname,
       (xpath('/row/n/text()', query_to_xml(
          format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),
          false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_(toast|temp)'
 ORDER BY 1;"
