-- Every notification written paid for five indexes. A person's unread count reads their own
-- few notifications through notifications_person_idx, so it needs no index of its own; and only
-- digest notifications not yet sent are ever looked up by digest, so only they are indexed.
DROP INDEX notifications_unread_idx;
DROP INDEX notifications_digest_idx;
CREATE INDEX notifications_digest_idx ON notifications (person_id, created_at)
    WHERE delivery = 'digest' AND digested_at IS NULL;
