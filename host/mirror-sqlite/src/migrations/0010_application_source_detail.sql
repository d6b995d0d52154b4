-- An application's source detail (iCIMS `sourcename`), so search by source finds people by
-- where their applications came from, not only by their profile's source.
ALTER TABLE applications ADD COLUMN source_detail TEXT;
UPDATE applications SET source_detail = json_extract(record_json, '$.source_detail');
