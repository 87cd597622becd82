select table_schema || '.' || table_name as table_ref, column_name
from information_schema.columns
where table_catalog = current_database()
