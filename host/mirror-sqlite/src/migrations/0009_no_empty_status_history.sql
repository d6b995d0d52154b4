-- An application read without any status (hidden from the integration user, say) leaves no
-- all-empty row in its status history: only statuses actually seen are history.
DROP TRIGGER applications_status_first;
DROP TRIGGER applications_status_change;
CREATE TRIGGER applications_status_first AFTER INSERT ON applications
WHEN new.status_id IS NOT NULL OR new.stage IS NOT NULL BEGIN
    INSERT INTO application_status_history (conn, application_id, status_id, status_name, stage, changed_at, seen_at)
    VALUES (new.conn, new.id, new.status_id, new.status_name, new.stage, new.updated_at, new.last_seen_at);
END;
CREATE TRIGGER applications_status_change AFTER UPDATE OF status_id, stage ON applications
WHEN (old.status_id IS NOT new.status_id OR old.stage IS NOT new.stage)
    AND (new.status_id IS NOT NULL OR new.stage IS NOT NULL) BEGIN
    INSERT INTO application_status_history (conn, application_id, status_id, status_name, stage, changed_at, seen_at)
    VALUES (new.conn, new.id, new.status_id, new.status_name, new.stage, new.updated_at, new.last_seen_at);
END;
DELETE FROM application_status_history WHERE status_id IS NULL AND stage IS NULL;
