-- The audit head's hash follows the newest entry by trigger, in the INSERT's own statement: one round
-- trip less inside every audited change (app/src/platform/audit_log.rs), and the head lock, which
-- every audited writer takes, is held that much shorter.
CREATE TRIGGER audit_head_follows_the_log AFTER INSERT ON audit_log
BEGIN
  UPDATE audit_head SET hash = NEW.hash WHERE id = 1;
END;
