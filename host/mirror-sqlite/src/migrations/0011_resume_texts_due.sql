-- The résumés whose text the host still has to ask for (FeatureState::resume_texts_due): a
-- partial index, so that a mirror whose texts are all in finds none without a scan.
CREATE INDEX attachments_text_due ON attachments (conn, candidate_id, id)
    WHERE kind = 'resume' AND text IS NULL;
