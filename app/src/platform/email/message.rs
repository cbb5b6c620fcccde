//! One mail as it goes on the wire: multipart text + HTML, a `Message-ID` derived from the outbox id
//! (the same across retries, so a receiver can drop a duplicate), and on non-transactional mail the
//! RFC 2369 / RFC 8058 one-click unsubscribe headers.

use crate::domain::template::EmailTemplate;
use crate::platform::state::MailSettings;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// A rendered mail, ready to be built for a sender.
#[derive(Debug, Clone)]
pub struct Mail {
    pub outbox_id: i64,
    pub to: String,
    pub content: EmailTemplate,
    pub unsubscribe_url: Option<String>,
}

impl Mail {
    pub fn new(outbox_id: i64, to: &str, locale: &str, rendered: EmailTemplate, unsubscribe: Option<String>) -> Mail {
        let content = with_footer(rendered, locale, unsubscribe.as_deref());
        Mail { outbox_id, to: to.to_string(), content, unsubscribe_url: unsubscribe }
    }

    /// The message, or why it cannot be built (a malformed address: a permanent failure).
    pub fn build(&self, settings: &MailSettings) -> Result<Message, String> {
        let from_address = settings.from_address.parse().map_err(|e| format!("mail_from_address: {e}"))?;
        let from = Mailbox::new(Some(settings.from_name.clone()), from_address);
        let to: Mailbox = self.to.parse().map_err(|e| format!("recipient {}: {e}", self.to))?;
        let domain = settings.from_address.rsplit_once('@').map(|(_, d)| d).unwrap_or("agora.invalid");
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(self.content.subject.clone())
            .message_id(Some(format!("<outbox-{}@{domain}>", self.outbox_id)));
        if let Some(url) = &self.unsubscribe_url {
            builder = builder.header(ListUnsubscribe(format!("<{url}>"))).header(ListUnsubscribePost);
        }
        let text = SinglePart::plain(self.content.text.clone());
        let built = if self.content.html.is_empty() {
            builder.singlepart(text)
        } else {
            builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(SinglePart::html(self.content.html.clone())),
            )
        };
        built.map_err(|e| format!("building the message: {e}"))
    }
}

/// `List-Unsubscribe: <https://…/unsubscribe?token=…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): mail clients may POST to the link.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The rendered parts with the unsubscribe footer, when there is one.
fn with_footer(t: EmailTemplate, locale: &str, unsubscribe: Option<&str>) -> EmailTemplate {
    let Some(url) = unsubscribe else { return t };
    let (text_label, html_label) = match locale {
        "zh" => ("不想再收到此类邮件？退订：", "退订此类邮件"),
        _ => ("Don't want these emails? Unsubscribe: ", "Unsubscribe from these emails"),
    };
    let escaped = crate::domain::template::escape_html(url);
    EmailTemplate {
        subject: t.subject,
        text: format!("{}\n\n{text_label}{url}\n", t.text.trim_end()),
        html: if t.html.is_empty() {
            t.html
        } else {
            format!("{}<p style=\"font-size:12px;color:#64748b\"><a href=\"{escaped}\">{html_label}</a></p>", t.html)
        },
    }
}
