-- no-transaction
-- This migration runs outside a transaction (safety = "online"): each statement commits on its own,
-- so no lock outlives one statement; each is idempotent, so after a failure, run it again.
-- autogen revision: 20261207132919
-- autogen parent: 20261207132918
-- autogen message: add student email (online, 1 of 4)
-- autogen change: 20261207132918
-- autogen dialect: postgres (planned on PostgreSQL 15.20)
-- autogen direction: up

-- bound lock waits and statement time
SET lock_timeout = '5s';
SET statement_timeout = '1h';

-- create index idx-student-email on student (email)
DO $autogen$
DECLARE
  rel oid := (SELECT oid FROM pg_class WHERE relname = 'student' AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()));
  held pg_class;
  ix pg_index;
BEGIN
  SELECT * INTO held FROM pg_class WHERE relname = 'idx-student-email' AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema());
  IF NOT FOUND THEN RETURN; END IF;
  SELECT * INTO ix FROM pg_index WHERE indexrelid = held.oid;
  IF NOT FOUND OR ix.indrelid <> rel OR ix.indisunique <> false
     OR (ix.indpred IS NOT NULL) <> false
     OR (SELECT amname FROM pg_am WHERE oid = held.relam) <> 'btree'
     OR NOT (ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(n, o)
      JOIN pg_attribute a ON a.attrelid = rel AND a.attnum = k.n ORDER BY k.o)
      = ARRAY['email']::text[]) THEN
    RAISE EXCEPTION 'autogen: % is held by an object autogen does not own (not % of table %); nothing was dropped',
      'idx-student-email', 'an index of this definition', 'student'
      USING ERRCODE = 'duplicate_object', HINT = 'rename or drop that object, or run autogen -m again to pick another name';
  END IF;
END
$autogen$;
