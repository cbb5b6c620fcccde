//! The audit log: listing with filters and keyset paging, an entry's diff and hashes, tamper detection
//! (server function and the `audit verify` CLI), and the CSV export's record, escaping and access rules.

use crate::helpers::{test_db, Persona, TestApp, PASSWORD};
use agora_app::audit::filter::parse_date_ms;
use agora_app::audit::EXPORT_PATH;
use agora_app::domain::audit::ChainBreak;
use agora_app::domain::permissions::OperatorRole;
use agora_app::platform::audit_log::{self, verify_chain, Actor, AuditEntry, ChainStatus};
use agora_app::platform::caller::RequestMeta;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

const HOUR_MS: i64 = 3_600_000;

fn entry<'a>(action: &'a str, target_id: &str) -> AuditEntry<'a> {
    AuditEntry {
        action,
        target_type: "user",
        target_id: target_id.to_string(),
        before: json!({}),
        after: json!({}),
        reason: "",
        result: "ok",
    }
}

/// Writes one entry the way every feature does: `audit_log::record` inside a committed transaction.
async fn record(app: &TestApp, actor: &Actor, at_ms: i64, e: AuditEntry<'_>) -> i64 {
    let mut tx = app.state.db.begin().await.unwrap();
    let meta = RequestMeta { ip: "203.0.113.7".into(), user_agent: "audit-test".into() };
    let id = audit_log::record(&mut tx, actor, &meta, at_ms, e).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// `n` entries in one transaction; `action_of(i)` names each one's action. Returns their ids.
async fn record_many(app: &TestApp, n: usize, action_of: impl Fn(usize) -> &'static str) -> Vec<i64> {
    let mut tx = app.state.db.begin().await.unwrap();
    let now = app.state.now_ms();
    let mut ids = vec![];
    for i in 0..n {
        let e = entry(action_of(i), &i.to_string());
        ids.push(audit_log::record(&mut tx, &Actor::system("test"), &RequestMeta::default(), now, e).await.unwrap());
    }
    tx.commit().await.unwrap();
    ids
}

fn ids_of(page: &Value) -> Vec<i64> {
    page["rows"].as_array().expect("a page").iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

async fn list(app: &TestApp, who: &Persona, filters: &[(&str, &str)]) -> Vec<i64> {
    let (status, body) = app.call(who, "list_audit", filters).await;
    assert_eq!(status, StatusCode::OK, "{filters:?}: {body}");
    ids_of(&body)
}

fn invalid_field(body: &Value) -> Option<&str> {
    body["Invalid"]["field"].as_str()
}

async fn count_exports(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.export'")
        .fetch_one(app.state.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_from_real_changes_are_listed_and_filtered() {
    let app = TestApp::spawn().await;
    let admin = app.persona("auditor", &[OperatorRole::Admin]).await;
    let user = app.persona("user", &[]).await;
    let user_id = user.user_id.unwrap();

    // A real privileged action, audited by the feature itself.
    let (status, body) = app
        .call(
            &user,
            "change_password",
            &[("current_password", PASSWORD), ("new_password", "a fresh and unusual passphrase 42")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let changed = list(&app, &admin, &[("action", "account.change_password")]).await;
    assert_eq!(changed.len(), 1);

    // Dated entries around one day, 2030-01-02 UTC.
    let day = parse_date_ms("2030-01-02").unwrap();
    let operator = Actor { id: admin.user_id, roles: "admin".into() };
    let before_day = record(&app, &Actor::system("cli"), day - 1, entry("users.ban", "7")).await;
    let first_in_day = record(&app, &operator, day, entry("users.ban", "42")).await;
    let last_in_day = record(&app, &operator, day + 24 * HOUR_MS - 1, entry("users.unban", "42")).await;
    let next_day = record(&app, &operator, day + 24 * HOUR_MS, entry("roles.assign", "42")).await;

    // Actor: by email (any case), by id, or the system.
    assert_eq!(list(&app, &admin, &[("actor", &user.email.to_uppercase())]).await, changed);
    assert_eq!(list(&app, &admin, &[("actor", &user_id.to_string())]).await, changed);
    assert_eq!(list(&app, &admin, &[("actor", "system")]).await, vec![before_day]);
    assert_eq!(list(&app, &admin, &[("actor", "nobody@example.com")]).await, Vec::<i64>::new());

    // Action: exact, or a category ending in a dot.
    assert_eq!(list(&app, &admin, &[("action", "users.ban")]).await, vec![first_in_day, before_day]);
    assert_eq!(list(&app, &admin, &[("action", "users.")]).await, vec![last_in_day, first_in_day, before_day]);
    assert!(list(&app, &admin, &[("action", "users")]).await.is_empty());

    // Target, and both together with an action.
    assert_eq!(
        list(&app, &admin, &[("target_type", "user"), ("target_id", "42")]).await,
        vec![next_day, last_in_day, first_in_day]
    );
    assert_eq!(
        list(
            &app,
            &admin,
            &[("target_id", "42"), ("action", "users."), ("actor", &admin.user_id.unwrap().to_string())]
        )
        .await,
        vec![last_in_day, first_in_day]
    );

    // Dates are whole UTC days, both ends inclusive.
    assert_eq!(
        list(&app, &admin, &[("from", "2030-01-02"), ("to", "2030-01-02")]).await,
        vec![last_in_day, first_in_day]
    );
    assert_eq!(list(&app, &admin, &[("from", "2030-01-03")]).await, vec![next_day]);
    assert_eq!(list(&app, &admin, &[("to", "2030-01-01"), ("actor", "system")]).await, vec![before_day]);

    // The list row carries who, what and on what.
    let (_, page) = app.call(&admin, "list_audit", &[("action", "users.unban")]).await;
    let row = &page["rows"][0];
    assert_eq!(row["actor_email"], json!(admin.email));
    assert_eq!(row["actor_roles"], json!("admin"));
    assert_eq!(row["target_id"], json!("42"));
    assert_eq!(row["result"], json!("ok"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_values_are_literals_and_bad_ones_name_their_field() {
    let app = TestApp::spawn().await;
    let admin = app.persona("auditor", &[OperatorRole::Analyst]).await;
    let now = app.state.now_ms();
    record(&app, &Actor::system("cli"), now, entry("account.change_password", "1")).await;

    // SQL and LIKE wildcards match nothing: they are compared as plain text.
    for (k, v) in [
        ("target_id", "1' OR '1'='1"),
        ("action", "x'; DROP TABLE audit_log; --"),
        ("action", "%"),
        ("action", "acc_unt."),
        ("actor", "' OR 1=1 --"),
    ] {
        assert!(list(&app, &admin, &[(k, v)]).await.is_empty(), "{k}={v} matched something");
    }
    assert_eq!(list(&app, &admin, &[("action", "account.")]).await.len(), 1, "the audit_log table is intact");

    let long = "a".repeat(201);
    for (k, v, field) in [
        ("from", "2024-02-30", "from"),
        ("to", "tomorrow", "to"),
        ("from", "2030-01-02", "to"),
        ("actor", long.as_str(), "actor"),
        ("target_id", long.as_str(), "target_id"),
        ("action", long.as_str(), "action"),
    ] {
        let mut form = vec![(k, v)];
        if field == "to" && k == "from" {
            form.push(("to", "2030-01-01"));
        }
        let (status, body) = app.call(&admin, "list_audit", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}: {body}");
        assert_eq!(invalid_field(&body), Some(field), "{form:?}: {body}");
    }
    // A garbage cursor is the first page, not an error.
    assert_eq!(list(&app, &admin, &[("cursor", "'; --")]).await.len(), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyset_paging_returns_every_entry_exactly_once() {
    let app = TestApp::spawn().await;
    let admin = app.persona("auditor", &[OperatorRole::Tech]).await;
    let ids = record_many(&app, 130, |i| if i % 2 == 0 { "test.even" } else { "other.odd" }).await;

    for (filter, expected) in
        [(None, ids.clone()), (Some(("action", "test.")), ids.iter().step_by(2).copied().collect::<Vec<_>>())]
    {
        let mut seen = vec![];
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut form: Vec<(&str, &str)> = filter.into_iter().collect();
            if let Some(c) = &cursor {
                form.push(("cursor", c));
            }
            let (status, page) = app.call(&admin, "list_audit", &form).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            let rows = ids_of(&page);
            assert!(rows.len() <= 100, "page size above the limit");
            seen.extend(rows);
            pages += 1;
            match page["next"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        assert!(pages > 1, "{filter:?}: one page only");
        let mut want = expected.clone();
        want.reverse();
        assert_eq!(seen, want, "{filter:?}: every entry once, newest first");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), expected.len());
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_shows_its_fields_diff_and_hashes() {
    let app = TestApp::spawn().await;
    let admin = app.persona("auditor", &[OperatorRole::Admin]).await;
    let operator = Actor { id: admin.user_id, roles: "admin".into() };
    let now = app.state.now_ms();
    let first = record(&app, &operator, now, entry("users.note", "42")).await;
    let mut ban = entry("users.ban", "42");
    ban.before = json!({"status": "active", "roles": ["seller"], "note": "old"});
    ban.after = json!({"status": "banned", "roles": ["seller"], "ban_reason": "spam"});
    ban.reason = "Repeated spam listings";
    let id = record(&app, &operator, now, ban).await;

    let (status, d) = app.call(&admin, "get_audit_entry", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["row"]["action"], json!("users.ban"));
    assert_eq!(d["row"]["reason"], json!("Repeated spam listings"));
    assert_eq!(d["row"]["actor_email"], json!(admin.email));
    assert_eq!(d["ip"], json!("203.0.113.7"));
    assert_eq!(d["user_agent"], json!("audit-test"));
    assert_eq!(
        d["changes"],
        json!([
            {"field": "ban_reason", "before": null, "after": "\"spam\""},
            {"field": "note", "before": "\"old\"", "after": null},
            {"field": "status", "before": "\"active\"", "after": "\"banned\""},
        ])
    );
    let (_, prev) = app.call(&admin, "get_audit_entry", &[("id", &first.to_string())]).await;
    assert_eq!(d["prev_hash"], prev["hash"], "each entry chains from the one before");
    assert_eq!(d["hash_matches"], json!(true));
    assert_eq!(d["linked"], json!(true));

    let (status, body) = app.call(&admin, "get_audit_entry", &[("id", "987654321")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    app.finish().await;
}

/// The database URL the test app runs on, for the CLI.
async fn database_url(app: &TestApp) -> String {
    if test_db() == "postgres" {
        let name: String =
            sqlx::query_scalar("SELECT CAST(current_database() AS TEXT)").fetch_one(app.state.db.read()).await.unwrap();
        let admin_url = std::env::var("AGORA_TEST_PG_URL").unwrap();
        let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url);
        format!("{base}/{name}")
    } else {
        let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
        format!("sqlite://{file}")
    }
}

/// Runs `agora-server audit verify` against the test database: its exit code and output.
async fn cli_verify(app: &TestApp) -> (i32, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_agora-server"))
        .args(["--config", "/nonexistent/agora/Leptos.toml", "audit", "verify"])
        .env("AGORA_DATABASE_URL", database_url(app).await)
        .env("AGORA_DATABASE_MAX_CONNECTIONS", "2")
        .env("AGORA_LOG", "error")
        .output()
        .await
        .expect("running agora-server");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_with_one_row_breaks_the_chain_at_that_row() {
    let app = TestApp::spawn().await;
    let verifier = app.persona("verifier", &[OperatorRole::Tech]).await;
    let ids = record_many(&app, 5, |_| "users.ban").await;

    assert_eq!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { entries: 5 });
    let (status, body) = app.call(&verifier, "verify_audit_chain", &[]).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"Intact": {"entries": 5}})));
    let (code, out) = cli_verify(&app).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("intact: 5 entries"), "{out}");

    // Someone with database access rewrites a reason.
    let victim = ids[2];
    app.state
        .db
        .execute_write(sqlx::query("UPDATE audit_log SET reason = 'nothing to see here' WHERE id = $1").bind(victim))
        .await
        .unwrap();

    let broken = ChainStatus::Broken { entries_checked: 2, at: ChainBreak::Altered { id: victim } };
    assert_eq!(verify_chain(&app.state.db).await.unwrap(), broken);
    let (status, body) = app.call(&verifier, "verify_audit_chain", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"Broken": {"entries_checked": 2, "at": {"Altered": {"id": victim}}}}));
    let (code, out) = cli_verify(&app).await;
    assert_ne!(code, 0, "{out}");
    assert!(out.contains(&format!("BROKEN at entry {victim}")), "{out}");

    // The entry's own page shows that its hash no longer matches, while its neighbours still link.
    let (_, d) = app.call(&verifier, "get_audit_entry", &[("id", &victim.to_string())]).await;
    assert_eq!((d["hash_matches"].clone(), d["linked"].clone()), (json!(false), json!(true)));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_newest_row_reports_truncation_and_a_middle_one_the_gap() {
    let app = TestApp::spawn().await;
    let verifier = app.persona("verifier", &[OperatorRole::Analyst]).await;
    let ids = record_many(&app, 4, |_| "users.ban").await;

    let delete = |id: i64| sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(id);
    app.state.db.execute_write(delete(ids[3])).await.unwrap();
    assert_eq!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Truncated { entries: 3 });
    let (_, body) = app.call(&verifier, "verify_audit_chain", &[]).await;
    assert_eq!(body, json!({"Truncated": {"entries": 3}}));
    let (code, out) = cli_verify(&app).await;
    assert_ne!(code, 0, "{out}");

    app.state.db.execute_write(delete(ids[1])).await.unwrap();
    let (_, body) = app.call(&verifier, "verify_audit_chain", &[]).await;
    assert_eq!(body, json!({"Broken": {"entries_checked": 1, "at": {"Unlinked": {"id": ids[2]}}}}));
    app.finish().await;
}

/// Splits RFC 4180 text into records of cells (quoted cells may hold commas, quotes, line breaks).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut cell, mut quoted) = (vec![], vec![], String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && record.is_empty(), "the file ends mid-record");
    records
}

async fn export(app: &TestApp, who: &Persona, filters: &[(&str, &str)]) -> reqwest::Response {
    who.client.post(app.url(EXPORT_PATH)).form(filters).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_is_recorded_escaped_and_filtered() {
    let app = TestApp::spawn().await;
    let admin = app.persona("exporter", &[OperatorRole::SuperAdmin]).await;
    let operator = Actor { id: admin.user_id, roles: "super_admin".into() };
    let nasty = "=HYPERLINK(\"http://evil.example\",\"click\"), said \"hi\"\nsecond line";
    let mut e = entry("users.ban", "-42");
    e.reason = nasty;
    e.after = json!({"status": "banned"});
    let nasty_id = record(&app, &operator, app.state.now_ms(), e).await;
    let others = record_many(&app, 1_050, |i| if i % 3 == 0 { "other.thing" } else { "users.note" }).await;

    let res = export(&app, &admin, &[("action", "users."), ("actor", "")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(header("content-type"), "text/csv; charset=utf-8");
    let today = &agora_app::components::states::format_utc(app.state.now_ms())[..10];
    assert_eq!(header("content-disposition"), format!("attachment; filename=\"agora-audit-{today}.csv\""));
    assert_eq!(header("cache-control"), "no-store");
    let matching = others.iter().enumerate().filter(|(i, _)| i % 3 != 0).count() + 1;
    assert_eq!(header("x-audit-export-rows"), matching.to_string());
    let body = res.text().await.unwrap();
    let body = body.strip_prefix('\u{feff}').expect("a UTF-8 byte-order mark");
    let records = parse_csv(body);
    assert_eq!(records[0][..3], ["id", "seq", "time_utc"]);
    assert!(records.iter().all(|r| r.len() == 17), "every record has every column");

    // Exactly the matching entries, newest first, across several streamed pages.
    let ids: Vec<i64> = records[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    let mut want: Vec<i64> = others.iter().enumerate().filter(|(i, _)| i % 3 != 0).map(|(_, id)| *id).collect();
    want.push(nasty_id);
    want.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, want);

    // The reason survives the round trip, defused: a spreadsheet shows it as text.
    let row = records.iter().find(|r| r[0] == nasty_id.to_string()).unwrap();
    assert_eq!(row[10], format!("'{nasty}"));
    assert_eq!(row[8], "'-42", "a leading minus is neutralised too");
    assert_eq!(row[14], r#"{"status":"banned"}"#);
    assert!(body.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\"), said \"\"hi\"\"\nsecond line\""));

    // The export itself is on record: who, with which filters, how many rows; and not in its own file.
    let (status, page) = app.call(&admin, "list_audit", &[("action", "audit.export")]).await;
    assert_eq!(status, StatusCode::OK);
    let export_id = ids_of(&page)[0];
    assert!(!ids.contains(&export_id));
    let (_, d) = app.call(&admin, "get_audit_entry", &[("id", &export_id.to_string())]).await;
    assert_eq!(d["row"]["actor_id"], json!(admin.user_id));
    let after: Value = serde_json::from_str(d["after_json"].as_str().unwrap()).unwrap();
    assert_eq!(after["filters"], json!({"action": "users."}));
    assert_eq!(after["rows"], json!(want.len()));
    assert_eq!(after["capped"], json!(false));
    assert_eq!(verify_chain(&app.state.db).await.unwrap(), ChainStatus::Intact { entries: 1_052 });
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_audit_exporters_may_export_and_refusals_leave_no_record() {
    let app = TestApp::spawn().await;
    record_many(&app, 3, |_| "users.ban").await;

    let res = export(&app, &app.anonymous(), &[]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    for role in OperatorRole::ALL.into_iter().filter(|r| *r != OperatorRole::SuperAdmin) {
        let who = app.persona(role.as_str(), &[role]).await;
        assert_eq!(export(&app, &who, &[]).await.status(), StatusCode::FORBIDDEN, "{role:?} exported");
    }
    let buyer = app.persona("buyer", &[]).await;
    assert_eq!(export(&app, &buyer, &[]).await.status(), StatusCode::FORBIDDEN);

    let admin = app.persona("exporter", &[OperatorRole::SuperAdmin]).await;
    // Another site cannot make an operator's browser export: cross-origin POSTs are refused.
    for (name, value) in [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")] {
        let res = admin
            .client
            .post(app.url(EXPORT_PATH))
            .header(name, value)
            .form(&[("action", "users.")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    let res = export(&app, &admin, &[("from", "2024-02-30")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("from"));
    assert_eq!(count_exports(&app).await, 0, "a refused export was recorded as done");

    // Same origin, as the console's own form posts it.
    let origin = app.base.clone();
    let res = admin
        .client
        .post(app.url(EXPORT_PATH))
        .header("Origin", origin)
        .form(&[("to", "2999-12-31")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(parse_csv(res.text().await.unwrap().trim_start_matches('\u{feff}')).len(), 1 + 3);
    assert_eq!(count_exports(&app).await, 1);
    app.finish().await;
}

async fn page(app: &TestApp, who: &Persona, path: &str) -> (StatusCode, String) {
    // A bounded wait: a page that never finishes rendering fails here instead of hanging the suite.
    let res = who.client.get(app.url(path)).timeout(std::time::Duration::from_secs(30)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_pages_render_what_each_role_may_do() {
    let app = TestApp::spawn().await;
    let mut ban = entry("users.ban", "42");
    ban.before = json!({"status": "active"});
    ban.after = json!({"status": "banned"});
    ban.reason = "Spam <script>alert(1)</script>";
    let id = record(&app, &Actor::system("cli"), app.state.now_ms(), ban).await;

    let admin = app.persona("super", &[OperatorRole::SuperAdmin]).await;
    let (status, html) = page(&app, &admin, "/console/audit?action=users.").await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "data-testid=\"audit-filters\"",
        "data-testid=\"export-form\"",
        "data-testid=\"verify-form\"",
        &format!("audit-row-{id}"),
        "<caption",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("<script>alert(1)"), "a reason is text, never markup");
    assert!(html.contains(r#"name="action" type="text" value="users.""#), "the filter keeps its value");
    assert!(
        html.contains(r#"<input type="hidden" name="action" value="users.">"#),
        "the export posts the filters in effect"
    );

    let analyst = app.persona("analyst", &[OperatorRole::Analyst]).await;
    let (_, html) = page(&app, &analyst, "/console/audit").await;
    assert!(html.contains("data-testid=\"verify-form\"") && !html.contains("data-testid=\"export-form\""));

    let (_, html) = page(&app, &analyst, "/console/audit?from=2024-02-30").await;
    assert!(html.contains("data-testid=\"error-from\""), "the bad field shows its error");

    let (_, html) = page(&app, &analyst, &format!("/console/audit/{id}")).await;
    assert!(html.contains(r#"data-testid="audit-diff""#));
    assert!(html.contains(r#"text-red-800 no-underline">"active""#), "the old value is marked removed");
    assert!(html.contains(r#"text-green-800 no-underline">"banned""#), "the new value is marked added");
    let (_, d) = app.call(&analyst, "get_audit_entry", &[("id", &id.to_string())]).await;
    assert!(html.contains(d["hash"].as_str().unwrap()), "the hash is shown");

    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    let (_, html) = page(&app, &reviewer, "/console/audit").await;
    assert!(html.contains("data-testid=\"forbidden\"") && !html.contains("audit-row-"));
    app.finish().await;
}

/// A browser asks for gzip: the compressed stream must end cleanly (an unfused stream once panicked
/// at its end under the compression layer and reset the connection).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_accepting_client_receives_the_whole_export() {
    let app = TestApp::spawn().await;
    let admin = app.persona("gzip", &[OperatorRole::SuperAdmin]).await;
    let res = admin
        .client
        .post(app.url(EXPORT_PATH))
        .header("Accept-Encoding", "gzip")
        .form(&[("action", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    let body = res.bytes().await.expect("the whole compressed body arrives");
    assert!(body.len() > 10);
    app.finish().await;
}
