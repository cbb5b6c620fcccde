-- The audit head's hash follows the newest entry by trigger, in the INSERT's own statement: one round
-- trip less inside every audited change (app/src/platform/audit_log.rs), and the head lock, which
-- every audited writer takes, is held that much shorter.
CREATE FUNCTION audit_head_follows_the_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_head SET hash = NEW.hash WHERE id = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER audit_head_follows_the_log AFTER INSERT ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_head_follows_the_log();
