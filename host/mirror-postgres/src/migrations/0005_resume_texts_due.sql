-- As SQLite's migration 12: the résumés whose text the host still has to ask for
-- (FeatureState::resume_texts_due), as a partial index.
CREATE INDEX attachments_text_due ON attachments (conn, candidate_id, id)
    WHERE kind = 'resume' AND text IS NULL;
