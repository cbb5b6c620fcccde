//! The built-in roles and their default grants, stored at start-up. A default is offered once
//! (`role_defaults_offered`): one a later release adds is granted on the next start, and one a super
//! admin removed stays removed. `super_admin` always holds the whole catalog.

use crate::domain::permissions::{grants, OperatorRole, ALL_PERMISSIONS};
use crate::platform::db::{Db, Tx};
use std::collections::HashSet;

/// Stores what is missing; returns how many grants it added.
pub async fn seed_built_in(db: &Db, now_ms: i64) -> Result<usize, sqlx::Error> {
    let offered: HashSet<(String, String)> =
        sqlx::query_as::<_, (String, String)>("SELECT role, permission FROM role_defaults_offered")
            .fetch_all(db.read())
            .await?
            .into_iter()
            .collect();
    let held: HashSet<String> = sqlx::query_scalar("SELECT permission FROM role_grants WHERE role = 'super_admin'")
        .fetch_all(db.read())
        .await?
        .into_iter()
        .collect();
    let mut added = 0;
    let mut tx = db.begin().await?;
    for role in OperatorRole::ALL {
        sqlx::query(
            "INSERT INTO roles (name, description, built_in, created_at, updated_at) VALUES ($1, '', 1, $2, $2) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(role.as_str())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        let defaults = grants(role).iter().map(|p| p.name());
        for permission in defaults.filter(|p| !offered.contains(&(role.as_str().to_string(), p.clone()))) {
            sqlx::query("INSERT INTO role_defaults_offered (role, permission) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(role.as_str())
                .bind(&permission)
                .execute(&mut *tx)
                .await?;
            added += grant(&mut tx, role, &permission).await?;
        }
    }
    for permission in ALL_PERMISSIONS.iter().map(|p| p.name()).filter(|p| !held.contains(p)) {
        added += grant(&mut tx, OperatorRole::SuperAdmin, &permission).await?;
    }
    tx.commit().await?;
    Ok(added)
}

async fn grant(tx: &mut Tx, role: OperatorRole, permission: &str) -> Result<usize, sqlx::Error> {
    let done = sqlx::query("INSERT INTO role_grants (role, permission) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(role.as_str())
        .bind(permission)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() as usize)
}
