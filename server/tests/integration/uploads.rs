//! Uploads: who may send which file, what is refused (by its bytes, not its name), and who may read
//! it back.

use crate::helpers::{Persona, TestApp};
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::upload::fixtures;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

async fn upload(
    app: &TestApp,
    who: &Persona,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
    kind: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    if let Some(kind) = kind {
        form = form.text("kind", kind.to_string());
    }
    let res = who.client.post(app.url(path)).multipart(form).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn image(app: &TestApp, who: &Persona, bytes: Vec<u8>) -> (StatusCode, Value) {
    upload(app, who, "/uploads/listing-image", "photo.png", bytes, None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_uploads_a_product_photo_that_anyone_can_see() {
    let app = TestApp::spawn().await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let (status, body) = image(&app, &seller, fixtures::png(800, 600)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["content_type"], "image/png");
    assert_eq!((body["width"].as_i64(), body["height"].as_i64()), (Some(800), Some(600)));
    let url = body["url"].as_str().unwrap().to_string();
    let res = app.anonymous().client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), fixtures::png(800, 600));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_types_oversized_and_tiny_images_are_refused_with_a_message() {
    let app = TestApp::spawn_with(&[("AGORA_UPLOAD_MAX_IMAGE_BYTES", "2000")]).await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let (status, body) =
        upload(&app, &seller, "/uploads/listing-image", "evil.png", b"<script>alert(1)</script>".to_vec(), None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!((body["field"].as_str(), body["code"].as_str()), (Some("file"), Some("upload.wrong_type")));
    assert!(!body["message"].as_str().unwrap().is_empty());
    let mut big = fixtures::png(800, 600);
    big.resize(5000, 0);
    let (status, body) = image(&app, &seller, big).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("upload.too_large")));
    let (status, body) = image(&app, &seller, fixtures::png(20, 20)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("upload.image_too_small")));
    let (status, _) = upload(&app, &seller, "/uploads/listing-image", "x.pdf", b"%PDF-1.4".to_vec(), None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads").fetch_one(app.state.db.read()).await.unwrap();
    assert_eq!(stored, 0, "nothing refused was stored");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_far_over_the_limit_is_cut_off() {
    let app =
        TestApp::spawn_with(&[("AGORA_UPLOAD_MAX_IMAGE_BYTES", "2000"), ("AGORA_UPLOAD_MAX_DOCUMENT_BYTES", "2000")])
            .await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let mut huge = fixtures::png(800, 600);
    huge.resize(2 * 1024 * 1024, 0);
    let form = Form::new().part("file", Part::bytes(huge).file_name("photo.png"));
    // The server answers 413 and stops reading: the client either reads the 413, or (when the
    // server closed the connection before the client finished writing) fails writing the body.
    match seller.client.post(app.url("/uploads/listing-image")).multipart(form).send().await {
        Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE),
        Err(e) => assert!(e.is_request() && !e.is_timeout(), "{e:?}"),
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM uploads").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_seller_members_upload_photos() {
    let app = TestApp::spawn().await;
    let (status, _) = image(&app, &app.anonymous(), fixtures::png(800, 600)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let buyer = app.persona("buyer", &[]).await;
    let (status, _) = image(&app, &buyer, fixtures::png(800, 600)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_go_with_an_open_application_and_are_private() {
    let app = TestApp::spawn().await;
    let owner = app.persona("owner", &[]).await;
    let org = app.organisation_owned_by(&owner, "Tea House").await;
    // An active seller's application is closed: no more documents.
    let (status, _) = upload(
        &app,
        &owner,
        "/uploads/seller-document",
        "licence.pdf",
        b"%PDF-1.7 x".to_vec(),
        Some("business_licence"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    sqlx::query("UPDATE organisations SET status = 'draft' WHERE id = $1")
        .bind(org)
        .execute(app.state.db.read())
        .await
        .unwrap();
    let (status, body) =
        upload(&app, &owner, "/uploads/seller-document", "licence.pdf", b"%PDF-1.7 x".to_vec(), Some("passport")).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("kind")));
    let (status, body) = upload(
        &app,
        &owner,
        "/uploads/seller-document",
        "../licence.pdf",
        b"%PDF-1.7 x".to_vec(),
        Some("business_licence"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["file_name"], "licence.pdf");
    let url = body["url"].as_str().unwrap().to_string();

    let get = |who: &Persona| who.client.get(app.url(&url)).send();
    let res = get(&owner).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let reviewer = app.persona("reviewer", &[OperatorRole::Reviewer]).await;
    assert_eq!(get(&reviewer).await.unwrap().status(), StatusCode::OK);
    let stranger = app.persona("stranger", &[]).await;
    assert_eq!(get(&stranger).await.unwrap().status(), StatusCode::NOT_FOUND);
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    assert_eq!(get(&tech).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&app.anonymous()).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // A document is not a public photo.
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        app.anonymous().client.get(app.url(&format!("/media/{id}"))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_origin_upload_is_refused() {
    let app = TestApp::spawn().await;
    let seller = app.persona("seller", &[]).await;
    app.organisation_owned_by(&seller, "Tea House").await;
    let form = Form::new().part("file", Part::bytes(fixtures::png(800, 600)).file_name("p.png"));
    let res = seller
        .client
        .post(app.url("/uploads/listing-image"))
        .header("Origin", "https://evil.example")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    app.finish().await;
}
