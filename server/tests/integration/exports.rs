//! Exports through their HTTP endpoints (`server/src/http/exports.rs`): a small export streams with
//! its header and its cells defused, is recorded and audited with its filters and row count; personal
//! data needs a reason and the password (refused: nothing exported, nothing recorded); each dataset
//! needs its own view permission; bad input is refused by field; a large export runs as a job with
//! progress, tells its requester, downloads once ready, and expires after 24 hours.

use crate::audit::parse_csv;
use crate::helpers::{fresh, Persona, TestApp, PASSWORD};
use agora_app::domain::permissions::OperatorRole;
use agora_app::exports::RUN_PATH;
use reqwest::StatusCode;
use serde_json::Value;

const DAY: i64 = 86_400_000;

async fn export(app: &TestApp, who: &Persona, form: &[(&str, &str)]) -> reqwest::Response {
    who.client.post(app.url(RUN_PATH)).form(form).send().await.unwrap()
}

/// The personal-data confirmation: a reason and the password.
fn protected<'a>(form: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = form.to_vec();
    all.extend([("reason", "Quarterly user review for the board"), ("password", PASSWORD)]);
    all
}

/// The file's records, without its byte-order mark.
pub(crate) async fn records(res: reqwest::Response) -> Vec<Vec<String>> {
    let text = res.text().await.unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark first");
    parse_csv(text)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

async fn audit_after(app: &TestApp, action: &str) -> Vec<Value> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT after_json FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(app.state.db.read())
        .await
        .unwrap();
    rows.iter().map(|r| serde_json::from_str(r).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_export_streams_defused_cells_and_is_audited_with_its_filters_and_rows() {
    let app = TestApp::spawn().await;
    let admin = app.persona("exporter", &[OperatorRole::SuperAdmin]).await;
    let formula = app.persona("=HYPERLINK(\"http://evil\")", &[]).await;
    app.advance(1_000);

    // Personal data without the confirmation: refused by field, nothing recorded.
    let res = export(&app, &admin, &[("dataset", "users"), ("period", "7d")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("reason"));
    let res =
        export(&app, &admin, &[("dataset", "users"), ("reason", "Quarterly user review"), ("password", "wrong")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("password.wrong"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM data_exports").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'exports.%'").await, 0);

    let res = export(&app, &admin, &protected(&[("dataset", "users"), ("period", "7d"), ("status", "active")])).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"agora-users-"));
    let id: i64 = res.headers()["x-export-id"].to_str().unwrap().parse().unwrap();
    let rows = records(res).await;
    assert_eq!(
        rows[0],
        ["id", "created_at_utc", "email", "display_name", "status", "locale", "email_verified_at_utc", "banned_at_utc"]
    );
    assert_eq!(rows.len(), 3, "the header, the exporter and the formula user: {rows:?}");
    let row = rows.iter().find(|r| r[0] == formula.user_id.unwrap().to_string()).unwrap();
    // The typed formula arrives as text: a leading quote, its own quotes intact.
    assert_eq!(row[3], "'=HYPERLINK(\"http://evil\")");
    assert_eq!(row[4], "active");

    // On record: the export row and the audit entry with its filters, row count and reason.
    let status: String = sqlx::query_scalar("SELECT status FROM data_exports WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    assert_eq!(status, "streamed");
    let after = audit_after(&app, "exports.create").await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["dataset"], "users");
    assert_eq!(after[0]["rows"], 2);
    assert_eq!(after[0]["filters"]["period"], "7d");
    assert_eq!(after[0]["filters"]["status"], "active");
    assert_eq!(after[0]["delivery"], "stream");
    let (target, reason): (String, String) =
        sqlx::query_as("SELECT target_id, reason FROM audit_log WHERE action = 'exports.create'")
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!((target, reason.as_str()), (id.to_string(), "Quarterly user review for the board"));

    // A filter that matches nothing: the header alone. The ledger holds no personal data: no
    // confirmation asked.
    let res = export(
        &app,
        &admin,
        &[("dataset", "ledger"), ("period", "custom"), ("from", "2020-01-01"), ("to", "2020-01-31")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-export-rows"], "0");
    let rows = records(res).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "posting_id");
    assert_eq!(audit_after(&app, "exports.create").await[1]["rows"], 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_dataset_needs_its_own_view_permission_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let res = export(&app, &app.anonymous(), &[("dataset", "ledger")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Analysts read everything but export nothing; support has no exports at all.
    for role in [OperatorRole::Analyst, OperatorRole::Support] {
        let who = app.persona("no-exports", &[role]).await;
        assert_eq!(export(&app, &who, &[("dataset", "ledger")]).await.status(), StatusCode::FORBIDDEN, "{role:?}");
    }
    // Finance exports the ledger and payouts, but not users (no users.view), even with a password.
    let finance = app.persona("finance", &[OperatorRole::Finance]).await;
    let res = export(&app, &finance, &protected(&[("dataset", "users")])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(export(&app, &finance, &[("dataset", "ledger")]).await.status(), StatusCode::OK);
    assert_eq!(export(&app, &finance, &[("dataset", "payouts")]).await.status(), StatusCode::OK);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM data_exports").await, 2);

    let bad: &[(&[(&str, &str)], &str)] = &[
        (&[("dataset", "passwords")], "invalid dataset: exports.unknown_dataset"),
        (&[("dataset", "")], "invalid dataset: exports.unknown_dataset"),
        (
            &[("dataset", "ledger"), ("period", "custom"), ("from", "2026-03-10"), ("to", "2026-03-01")],
            "invalid to: period.ends_before_starts",
        ),
        (
            &[("dataset", "ledger"), ("period", "custom"), ("from", "2020-01-01"), ("to", "2023-01-01")],
            "invalid to: period.too_long",
        ),
        (
            &[("dataset", "ledger"), ("period", "custom"), ("from", "2026-02-30"), ("to", "2026-03-01")],
            "invalid from: period.bad_date",
        ),
        (&[("dataset", "ledger"), ("period", "forever")], "invalid period: period.bad_preset"),
        (&[("dataset", "payouts"), ("status", "paid' OR '1'='1")], "invalid status: exports.bad_status"),
        (&[("dataset", "payouts"), ("status", "shipped")], "invalid status: exports.bad_status"),
        (&[("dataset", "payouts"), ("seller", "1 OR 1=1")], "invalid seller: exports.bad_seller"),
        (&[("dataset", "ledger"), ("seller", "3")], "invalid seller: exports.bad_seller"),
    ];
    for (form, expected) in bad {
        let res = export(&app, &finance, form).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{form:?}");
        assert_eq!(res.text().await.unwrap(), *expected, "{form:?}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM data_exports").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'exports.create'").await, 2);

    // A browser's form comes back to the page, the refused field named, what was typed kept.
    let res = finance
        .client
        .post(app.url(RUN_PATH))
        .header("Accept", "text/html")
        .form(&[("dataset", "payouts"), ("status", "nope"), ("password", "secret")])
        .send()
        .await
        .unwrap();
    let url = res.url().to_string();
    assert!(url.contains("/console/exports?dataset=payouts"), "{url}");
    assert!(url.contains("field=status&error=exports.bad_status"), "{url}");
    assert!(!url.contains("secret"), "the password is never put in a URL: {url}");
    app.finish().await;
}

/// An app where two rows stream and more go to the background, an exporter, and `users` (and the
/// exporter) exported for today: the queued export's id.
async fn users_export_in_the_background(users: [&str; 3]) -> (TestApp, Persona, i64) {
    let app = TestApp::spawn_with(&[("AGORA_EXPORT_STREAM_MAX_ROWS", "2")]).await;
    let admin = app.persona("exporter", &[OperatorRole::SuperAdmin]).await;
    for label in users {
        app.persona(label, &[]).await;
    }
    app.advance(1_000);
    let res = export(&app, &admin, &protected(&[("dataset", "users"), ("period", "today")])).await;
    // Answered with the exports page, which says the export is being prepared.
    assert_eq!(res.status(), StatusCode::OK);
    let id = res.url().as_str().split("queued=").nth(1).expect("the queued export's id").parse().unwrap();
    (app, admin, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_export_runs_in_the_background_tells_its_requester_and_expires_after_a_day() {
    let (app, admin, id) = users_export_in_the_background(["ann", "bob", "=cmd|' /C calc'!A0"]).await;
    let mine = crate::helpers::ok(&app, &admin, "my_exports", &[]).await;
    assert_eq!(mine["rows"][0]["id"].as_i64(), Some(id));
    assert_eq!(mine["rows"][0]["status"], "Queued");
    assert_eq!((mine["rows"][0]["rows_total"].as_i64(), mine["rows"][0]["rows_done"].as_i64()), (Some(4), Some(0)));
    assert_eq!(mine["rows"][0]["downloadable"], false);
    let file = app.url(&agora_app::exports::file_path(id));
    let res = admin.client.post(&file).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("exports.not_ready"));

    // The job runs: the file is written, the export is ready, its requester told.
    app.run_due_jobs().await;
    app.drain_outbox().await;
    let mine = crate::helpers::ok(&app, &admin, "my_exports", &[]).await;
    assert_eq!(mine["rows"][0]["status"], "Ready");
    assert_eq!((mine["rows"][0]["rows_total"].as_i64(), mine["rows"][0]["rows_done"].as_i64()), (Some(4), Some(4)));
    assert_eq!(mine["rows"][0]["downloadable"], true);
    let told: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'exports.ready'")
            .bind(admin.user_id.unwrap())
            .fetch_one(app.state.db.read())
            .await
            .unwrap();
    assert_eq!(told, 1);
    let complete = audit_after(&app, "exports.complete").await;
    assert_eq!((complete.len(), complete[0]["rows"].as_i64()), (1, Some(4)));

    // Only its requester downloads it; the download is audited.
    let other = app.persona("other-admin", &[OperatorRole::SuperAdmin]).await;
    assert_eq!(other.client.post(&file).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = admin.client.post(&file).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let rows = records(res).await;
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().any(|r| r[3] == "'=cmd|' /C calc'!A0"), "{rows:?}");
    assert_eq!(audit_after(&app, "exports.download").await.len(), 1);

    // A day later the file is gone, and the download says so.
    app.advance(DAY);
    app.run_due_jobs().await;
    let admin = fresh(&app, &admin).await;
    let res = admin.client.post(&file).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("exports.expired"));
    let mine = crate::helpers::ok(&app, &admin, "my_exports", &[]).await;
    assert_eq!(mine["rows"][0]["status"], "Expired");
    let left = std::fs::read_dir(app.uploads.path().join("exports")).unwrap().count();
    assert_eq!(left, 0, "the expired file was deleted");
    assert_eq!(audit_after(&app, "exports.download").await.len(), 1);
    app.finish().await;
}

/// An export queued before its spec held slices (a deploy in between) still writes every row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_queued_without_slices_reads_its_whole_range() {
    let (app, admin, id) = users_export_in_the_background(["ann", "bob", "cy"]).await;
    let stored: String = sqlx::query_scalar("SELECT filters_json FROM data_exports WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.read())
        .await
        .unwrap();
    let mut spec: Value = serde_json::from_str(&stored).unwrap();
    assert!(spec["slices"].as_array().is_some_and(|s| !s.is_empty()), "{spec}");
    for field in ["slices", "first"] {
        spec.as_object_mut().unwrap().remove(field);
    }
    sqlx::query("UPDATE data_exports SET filters_json = $1 WHERE id = $2")
        .bind(spec.to_string())
        .bind(id)
        .execute(app.state.db.read())
        .await
        .unwrap();
    app.run_due_jobs().await;
    let res = admin.client.post(app.url(&agora_app::exports::file_path(id))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(records(res).await.len(), 5, "the header and the four users");
    app.finish().await;
}

/// An export of several pages reads every row once, in key order, across the pages' boundaries, with
/// text that needs escaping, NULLs and numbers, on both databases (a page is read as one JSON array).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_many_page_export_reads_every_row_once_in_order() {
    use agora_app::domain::export::Dataset;
    use agora_app::exports::model::ExportSpec;
    use agora_app::exports::rows;
    // Past two rows an export runs in the background.
    let app = TestApp::spawn_with(&[("AGORA_EXPORT_STREAM_MAX_ROWS", "2")]).await;
    let admin = app.persona("exporter", &[OperatorRole::SuperAdmin]).await;
    app.advance(1_000);
    let n = rows::PAGE_ROWS * 2 + 7;
    let now = app.state.now_ms();
    sqlx::query(
        "INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at) \
         SELECT 'many-' || CAST(k AS TEXT) || '@example.test', '=SUM(A1), \"' || CAST(k AS TEXT) || '\"', 'x', 'active', 'zh', \
         $1 + k, $1 + k FROM (WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < $2) SELECT k FROM s) AS t",
    )
    .bind(now)
    .bind(n)
    .execute(app.state.db.read())
    .await
    .unwrap();
    let head: i64 = sqlx::query_scalar("SELECT MAX(id) FROM users").fetch_one(app.state.db.read()).await.unwrap();
    let spec = ExportSpec {
        dataset: Dataset::Users,
        period: "custom".into(),
        from: String::new(),
        to: String::new(),
        from_ms: now,
        until_ms: now + n + 1,
        status: None,
        seller: None,
        first: 0,
        head,
        slices: vec![],
    };
    let (mut cursor, mut csv, mut pages) = (None, String::new(), 0);
    loop {
        let chunk = rows::page(&app.state.db, &spec, cursor).await.unwrap();
        csv.push_str(&chunk.csv);
        pages += 1;
        match chunk.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let records: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(records.len() as i64, n);
    let ids: Vec<i64> = records.iter().map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in key order, none twice");
    let first = records[0];
    assert!(first.contains(",many-1@example.test,\"'=SUM(A1), \"\"1\"\"\",active,zh,"), "{first}");
    assert!(first.ends_with(",,"), "no verification, no ban: empty cells: {first}");

    // In the background the same rows are read in slices, by two readers at once, and joined in
    // order into one file: the same records as the pages above.
    let day = |offset: i64| agora_app::domain::period::format_date(now + offset, 0);
    let (from, to) = (day(-2 * DAY), day(2 * DAY));
    let form = protected(&[("dataset", "users"), ("period", "custom"), ("from", &from), ("to", &to)]);
    let res = export(&app, &admin, &form).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id: i64 = res.url().as_str().split("queued=").nth(1).expect("a background export").parse().unwrap();
    app.run_due_jobs().await;
    let res = admin.client.post(app.url(&agora_app::exports::file_path(id))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    let mut file = text.strip_prefix('\u{feff}').expect("a byte-order mark first").split("\r\n");
    file.next(); // the header
    let many: Vec<&str> = file.filter(|r| r.contains("@example.test,\"'=SUM(A1)")).collect();
    assert_eq!(many, records, "the background file holds the pages' records, in order");
    let parts = std::fs::read_dir(app.uploads.path().join("exports")).unwrap().count();
    assert_eq!(parts, 1, "the slices' part files are gone");
    app.finish().await;
}
