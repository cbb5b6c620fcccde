//! `sqlx::migrate!` embeds `migrations/` at compile time: a new migration file must rebuild this crate
//! even when no source file changed (as sqlx's documentation recommends).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
