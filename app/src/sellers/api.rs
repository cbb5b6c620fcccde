//! Server functions of seller onboarding, for the applicant and the seller's team. Applying needs only
//! a signed-in user; everything about an existing seller goes through `require_seller` with the
//! member role's permission (the owner edits the application and the team, staff only see).

use super::model::{MyApplication, Team};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::seller::{RawSellerApplication, SellerAction, SellerApplication, SellerRight};
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

/// The caller's application (with documents and history), or that they have none, or that they
/// are staff of a seller.
#[server(prefix = "/api", endpoint = "my_seller_application")]
pub async fn my_seller_application() -> Result<MyApplication, AppError> {
    let ctx = require_signed_in().await?;
    service::my_application(&ctx.state, ctx.caller.user_id).await
}

/// Creates the caller's seller application as a draft, or updates it while it is editable.
#[server(prefix = "/api", endpoint = "save_seller_application")]
pub async fn save_seller_application(
    name: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    business_type: String,
    region: String,
    #[server(default)] description: String,
) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    let raw = RawSellerApplication {
        name: &name,
        contact_name: &contact_name,
        contact_email: &contact_email,
        contact_phone: &contact_phone,
        business_type: &business_type,
        region: &region,
        description: &description,
    };
    let app = SellerApplication::parse(&raw).map_err(|(field, code)| AppError::invalid(field, code))?;
    service::save_application(&ctx.state, &ctx.caller, &ctx.meta, &app).await
}

/// Sends the application to review (draft or returned -> submitted). Needs a business licence.
#[server(prefix = "/api", endpoint = "submit_seller_application")]
pub async fn submit_seller_application() -> Result<(), AppError> {
    let s = require_seller(SellerRight::EditApplication).await?;
    let org = s.membership.organisation_id;
    service::transition(&s.ctx.state, &s.ctx.caller, &s.ctx.meta, org, SellerAction::Submit, "", None).await?;
    Ok(())
}

/// Removes a document from the application while it is editable.
#[server(prefix = "/api", endpoint = "remove_seller_document")]
pub async fn remove_seller_document(id: i64) -> Result<(), AppError> {
    let s = require_seller(SellerRight::EditApplication).await?;
    service::remove_document(&s.ctx.state, &s.ctx.caller, &s.ctx.meta, s.membership.organisation_id, id).await
}

/// The seller's team; every member may see it.
#[server(prefix = "/api", endpoint = "my_seller_team")]
pub async fn my_seller_team() -> Result<Team, AppError> {
    let s = require_seller(SellerRight::ViewTeam).await?;
    service::team(&s.ctx.state, &s.membership).await
}

/// Adds an existing account to the team as staff (owner only).
#[server(prefix = "/api", endpoint = "invite_seller_staff")]
pub async fn invite_seller_staff(email: String) -> Result<i64, AppError> {
    let s = require_seller(SellerRight::ManageTeam).await?;
    service::invite_staff(&s.ctx.state, &s.ctx.caller, &s.ctx.meta, s.membership.organisation_id, &email).await
}

/// Takes a staff member off the team (owner only).
#[server(prefix = "/api", endpoint = "remove_seller_staff")]
pub async fn remove_seller_staff(user_id: i64) -> Result<(), AppError> {
    let s = require_seller(SellerRight::ManageTeam).await?;
    service::remove_staff(&s.ctx.state, &s.ctx.caller, &s.ctx.meta, s.membership.organisation_id, user_id).await
}
