//! The audit chain. Each entry stores the hash of the one before it, so editing, deleting or reordering
//! any entry breaks every hash after it, and `audit verify` names the first broken one.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash the first entry chains from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit entry records (DESIGN.md, "Audit log"). `before`/`after` are JSON documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContent {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: Option<i64>,
    pub actor_roles: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub ip: String,
    pub user_agent: String,
    pub result: String,
}

impl AuditContent {
    /// Each field is length-prefixed so that no two different entries serialise to the same bytes
    /// (without it, moving a character from `reason` to `ip` would keep the hash).
    fn canonical_bytes(&self) -> Vec<u8> {
        let actor = self.actor_id.map(|a| a.to_string()).unwrap_or_default();
        let fields: [&str; 13] = [
            &self.seq.to_string(),
            &self.at_ms.to_string(),
            &actor,
            &self.actor_roles,
            &self.action,
            &self.target_type,
            &self.target_id,
            &self.before,
            &self.after,
            &self.reason,
            &self.ip,
            &self.user_agent,
            &self.result,
        ];
        let mut out = Vec::new();
        for f in fields {
            out.extend_from_slice(f.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(f.as_bytes());
            out.push(b'\n');
        }
        out
    }

    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical_bytes());
        hex_lower(&h.finalize())
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored entry as the verifier reads it back.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub id: i64,
    pub content: AuditContent,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainBreak {
    /// The entry's own fields no longer produce its hash: it was edited.
    Altered { id: i64 },
    /// The entry does not point at the hash of the entry before it: something was deleted, inserted
    /// or reordered.
    Unlinked { id: i64 },
}

impl ChainBreak {
    pub fn id(&self) -> i64 {
        match self {
            ChainBreak::Altered { id } | ChainBreak::Unlinked { id } => *id,
        }
    }
}

/// Incremental verifier: feed entries in id order; the first break is returned and verification stops.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_prev: String,
    expected_seq: i64,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { expected_prev: GENESIS_HASH.to_string(), expected_seq: 1, checked: 0 }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, e: &StoredEntry) -> Result<(), ChainBreak> {
        if e.prev_hash != self.expected_prev || e.content.seq != self.expected_seq {
            return Err(ChainBreak::Unlinked { id: e.id });
        }
        if e.content.chain_hash(&e.prev_hash) != e.hash {
            return Err(ChainBreak::Altered { id: e.id });
        }
        self.expected_prev = e.hash.clone();
        self.expected_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// The hash the next entry must chain from; after the last entry it must match the stored head.
    pub fn head(&self) -> &str {
        &self.expected_prev
    }
}

/// One changed field between the before and after documents, for the detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Top-level fields that differ between two JSON objects; non-objects compare as a whole.
pub fn diff(before: &str, after: &str) -> Vec<FieldChange> {
    use serde_json::Value;
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let (b, a) = (parse(before), parse(after));
    let show = |v: Option<&Value>| v.filter(|v| !v.is_null()).map(|v| v.to_string());
    match (&b, &a) {
        (Value::Object(bo), Value::Object(ao)) => {
            let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| bo.get(*k) != ao.get(*k))
                .map(|k| FieldChange { field: k.clone(), before: show(bo.get(k)), after: show(ao.get(k)) })
                .collect()
        }
        _ if b == a => vec![],
        _ => vec![FieldChange { field: String::new(), before: show(Some(&b)), after: show(Some(&a)) }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(seq: i64) -> AuditContent {
        AuditContent {
            seq,
            at_ms: 1_000 * seq,
            actor_id: Some(7),
            actor_roles: "super_admin".into(),
            action: "users.ban".into(),
            target_type: "user".into(),
            target_id: "42".into(),
            before: r#"{"status":"active"}"#.into(),
            after: r#"{"status":"banned"}"#.into(),
            reason: "spam".into(),
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
            result: "ok".into(),
        }
    }

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let c = content(seq);
                let hash = c.chain_hash(&prev);
                let e = StoredEntry { id: seq, content: c, prev_hash: prev.clone(), hash: hash.clone() };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry]) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        Ok(v.checked)
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let mut c = chain(5);
        c[2].content.reason = "nothing to see".into();
        assert_eq!(verify(&c), Err(ChainBreak::Altered { id: 3 }));
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c), Err(ChainBreak::Unlinked { id: 3 }));
    }

    #[test]
    fn swapped_entries_are_found() {
        let mut c = chain(5);
        c.swap(1, 2);
        assert_eq!(verify(&c).unwrap_err().id(), 3);
    }

    #[test]
    fn moving_characters_between_fields_changes_the_hash() {
        let mut a = content(1);
        let mut b = content(1);
        a.reason = "ab".into();
        a.ip = "c".into();
        b.reason = "a".into();
        b.ip = "bc".into();
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }

    #[test]
    fn diff_lists_only_changed_fields() {
        let d = diff(r#"{"status":"active","roles":[]}"#, r#"{"status":"banned","roles":[]}"#);
        assert_eq!(
            d,
            vec![FieldChange {
                field: "status".into(),
                before: Some("\"active\"".into()),
                after: Some("\"banned\"".into())
            }]
        );
        assert!(diff("{}", "{}").is_empty());
        assert_eq!(diff("null", r#"{"a":1}"#).len(), 1);
    }
}
