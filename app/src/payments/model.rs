//! What the payment pages show and accept: the buyer's view of a checkout's payment, the finance
//! queue's rows and detail, and the platform's bank account. Plain data shared by server and
//! browser; the input rules live here so they are unit-tested without a database.

use crate::domain::money::{Currency, Money};
use crate::domain::payment::{PaymentStatus, Provider};
use serde::{Deserialize, Serialize};

/// The `platform_settings` row holding the bank account buyers pay into.
pub const BANK_ACCOUNT_SETTING: &str = "bank_account";

/// The platform's bank account, as configured in the console and shown on the pay page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub holder: String,
    pub bank_name: String,
    pub account_number: String,
    /// Branch, SWIFT/BIC or routing code; optional.
    pub branch: String,
    /// A line for the buyer, e.g. "Transfers arrive within one working day"; optional.
    pub note: String,
}

fn text(input: &str, field: &'static str, min: usize, max: usize) -> Result<String, (&'static str, &'static str)> {
    let s = input.trim();
    let n = s.chars().count();
    if n < min {
        return Err((field, "payments.bank.required"));
    }
    if n > max || s.chars().any(|c| c.is_control()) {
        return Err((field, "payments.bank.too_long"));
    }
    Ok(s.to_string())
}

impl BankAccount {
    /// Checks the form's fields; the error is `(field, message key)`.
    pub fn parse(
        holder: &str,
        bank_name: &str,
        account_number: &str,
        branch: &str,
        note: &str,
    ) -> Result<BankAccount, (&'static str, &'static str)> {
        let holder = text(holder, "holder", 1, 100)?;
        let bank_name = text(bank_name, "bank_name", 1, 100)?;
        let account_number = text(account_number, "account_number", 1, 40)?;
        let ok = account_number.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
        if !ok || account_number.chars().filter(char::is_ascii_alphanumeric).count() < 4 {
            return Err(("account_number", "payments.bank.bad_account_number"));
        }
        let branch = text(branch, "branch", 0, 100)?;
        let note = text(note, "note", 0, 300)?;
        Ok(BankAccount { holder, bank_name, account_number, branch, note })
    }
}

/// One order of the checkout, as the payment pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBrief {
    pub number: String,
    pub status: String,
    pub seller_name: String,
    pub total_minor: i64,
}

/// The uploaded proof of a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofFile {
    pub upload_id: i64,
    pub url: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub submitted_at_ms: i64,
}

/// The buyer's pay page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub checkout_id: i64,
    pub payment_id: i64,
    pub provider: Provider,
    pub status: PaymentStatus,
    pub currency: Currency,
    pub amount_minor: i64,
    pub reference: String,
    /// When the orders cancel if unpaid.
    pub pay_by_ms: i64,
    /// The orders were cancelled (or their time to pay ran out): nothing can be paid any more.
    pub expired: bool,
    /// Whether this deployment still offers the checkout's provider.
    pub provider_enabled: bool,
    /// The account to transfer to (bank transfer; `None` when the platform has not configured one).
    pub bank_account: Option<BankAccount>,
    pub proof: Option<ProofFile>,
    /// Why finance rejected the last proof.
    pub decision_reason: String,
    pub orders: Vec<OrderBrief>,
}

impl PaymentView {
    pub fn amount(&self) -> String {
        Money::new(self.amount_minor, self.currency).display()
    }

    /// The buyer may still upload proof (again) or pay by card.
    pub fn payable(&self) -> bool {
        !self.expired
            && self.provider_enabled
            && matches!(self.status, PaymentStatus::Pending | PaymentStatus::Rejected | PaymentStatus::ProofSubmitted)
    }
}

/// A row of the finance queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub id: i64,
    pub checkout_id: i64,
    pub reference: String,
    pub provider: Provider,
    pub status: PaymentStatus,
    pub currency: Currency,
    pub amount_minor: i64,
    pub buyer_email: String,
    pub orders: i64,
    pub created_at_ms: i64,
    pub proof_submitted_at_ms: Option<i64>,
}

/// One payment in the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentDetail {
    pub row: PaymentRow,
    pub buyer_id: i64,
    pub buyer_name: String,
    pub pay_by_ms: i64,
    pub proof: Option<ProofFile>,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
    pub decision_reason: String,
    pub orders: Vec<OrderBrief>,
    /// The ledger posting of the money received, once approved.
    pub posting_id: Option<i64>,
}

/// The console's payment settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSettingsView {
    pub bank_account: Option<BankAccount>,
    pub updated_at_ms: Option<i64>,
    pub updated_by: Option<String>,
    /// Providers this deployment offers (configuration, not editable here).
    pub providers: Vec<Provider>,
    pub production: bool,
}

/// The queue's status filter: a payment status, or none for all.
pub fn parse_status_filter(input: Option<&str>) -> Result<Option<PaymentStatus>, (&'static str, &'static str)> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => PaymentStatus::parse(s).map(Some).ok_or(("status", "payments.bad_status")),
    }
}

pub fn status_key(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Pending => "payments.status.pending",
        PaymentStatus::ProofSubmitted => "payments.status.proof_submitted",
        PaymentStatus::Approved => "payments.status.approved",
        PaymentStatus::Rejected => "payments.status.rejected",
        PaymentStatus::Cancelled => "payments.status.cancelled",
    }
}

pub fn status_colour(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Pending => "bg-slate-50 text-slate-700 ring-slate-500/20",
        PaymentStatus::ProofSubmitted => "bg-amber-50 text-amber-800 ring-amber-600/20",
        PaymentStatus::Approved => "bg-green-50 text-green-700 ring-green-600/20",
        PaymentStatus::Rejected => "bg-red-50 text-red-700 ring-red-600/20",
        PaymentStatus::Cancelled => "bg-slate-100 text-slate-500 ring-slate-400/20",
    }
}

pub fn provider_key(provider: Provider) -> &'static str {
    match provider {
        Provider::BankTransfer => "payments.provider.bank_transfer",
        Provider::Sandbox => "payments.provider.sandbox",
    }
}

/// `1.2 MB`-style sizes for the proof link.
pub fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bank_account_needs_holder_bank_and_number() {
        let ok = BankAccount::parse(" Agora Ltd ", "Bank of Tests", "6222 0000 1234 5678", "BKTSCNSH", "").unwrap();
        assert_eq!(ok.holder, "Agora Ltd");
        assert_eq!(BankAccount::parse("", "B", "12345", "", ""), Err(("holder", "payments.bank.required")));
        assert_eq!(BankAccount::parse("A", "", "12345", "", ""), Err(("bank_name", "payments.bank.required")));
        assert_eq!(
            BankAccount::parse("A", "B", "12<script>", "", ""),
            Err(("account_number", "payments.bank.bad_account_number"))
        );
        assert_eq!(
            BankAccount::parse("A", "B", "1-2", "", ""),
            Err(("account_number", "payments.bank.bad_account_number"))
        );
        assert_eq!(
            BankAccount::parse("A", "B", "12345", "", &"x".repeat(301)),
            Err(("note", "payments.bank.too_long"))
        );
    }

    #[test]
    fn the_status_filter_accepts_statuses_only() {
        assert_eq!(parse_status_filter(None), Ok(None));
        assert_eq!(parse_status_filter(Some(" ")), Ok(None));
        assert_eq!(parse_status_filter(Some("proof_submitted")), Ok(Some(PaymentStatus::ProofSubmitted)));
        assert_eq!(parse_status_filter(Some("paid'--")), Err(("status", "payments.bad_status")));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MB");
    }
}
