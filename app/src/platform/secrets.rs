//! Secrets the platform makes itself: the key that signs links (unsubscribe, verification) and hashes
//! account tokens. Made on first use and kept in `platform_secrets`, so every server on one database
//! signs with the same key and a fresh install needs no configuration. Read once per process.

use super::db::Db;
use rand::RngCore;
use tokio::sync::OnceCell;

const SIGNING_KEY: &str = "signing_key";

/// 32 random bytes, hex in the database.
pub async fn signing_key(db: &Db, now_ms: i64) -> Result<Vec<u8>, sqlx::Error> {
    let existing: Option<String> = sqlx::query_scalar("SELECT value FROM platform_secrets WHERE name = $1")
        .bind(SIGNING_KEY)
        .fetch_optional(db.read())
        .await?;
    if let Some(hex_key) = existing {
        return Ok(hex::decode(hex_key).unwrap_or_default());
    }
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    // Two servers starting together: one insert wins, both then read the winner's key.
    let insert = sqlx::query(
        "INSERT INTO platform_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(SIGNING_KEY)
    .bind(hex::encode(key))
    .bind(now_ms);
    db.execute_write(insert).await?;
    let stored: String = sqlx::query_scalar("SELECT value FROM platform_secrets WHERE name = $1")
        .bind(SIGNING_KEY)
        .fetch_one(db.read())
        .await?;
    Ok(hex::decode(stored).unwrap_or_default())
}

/// The signing key, read from the database once per `AppState`.
#[derive(Clone, Default)]
pub struct SigningKey(std::sync::Arc<OnceCell<Vec<u8>>>);

impl SigningKey {
    pub async fn get(&self, db: &Db, now_ms: i64) -> Result<&[u8], sqlx::Error> {
        self.0.get_or_try_init(|| signing_key(db, now_ms)).await.map(Vec::as_slice)
    }
}
