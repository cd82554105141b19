//! Sending email by SMTP (the outbox's delivery), configured by URL.

use lettre::message::{Attachment, Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tandem_store::OutboxMessage;

/// Sends the outbox's emails through an SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
    /// The site's address as people reach it, for the link to their email settings.
    site: Option<String>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp://host:port` (plain, for a relay on the same network),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://…` (TLS), sending as
    /// `from` (`Name <address>`).
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| format!("the SMTP URL '{url}' cannot be used: {err}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|err| format!("'{from}' is not a sender address: {err}"))?;
        let domain = from.email.domain().to_owned();
        Ok(Self {
            transport,
            from,
            domain,
            site: None,
        })
    }

    /// The same mailer, linking people to their email settings on the site at `url` (e.g.
    /// `https://tandem.force.police.uk`).
    pub fn with_site(mut self, url: &str) -> Self {
        self.site = Some(url.trim_end_matches('/').to_owned());
        self
    }

    /// Sends one email, framed by [`crate::letter`] with the recipient organisation's
    /// `marking`, as a plain-text and an HTML part. Its Message-ID comes from the outbox key, so
    /// a message sent twice after a crash is recognisably the same message.
    pub async fn send(&self, message: &OutboxMessage, marking: Option<&str>) -> Result<(), String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|err| format!("'{}' is not an address: {err}", message.recipient))?;
        let id: String = message
            .key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '.'
                }
            })
            .collect();
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(Some(format!("<{id}@{}>", self.domain)));
        let letter = crate::letter::write(
            &message.body,
            &crate::letter::Frame {
                marking: marking.map(str::to_owned),
                settings: message
                    .person
                    .and(self.site.as_ref())
                    .map(|site| format!("{site}/account/notifications")),
            },
        );
        let parts = MultiPart::alternative_plain_html(letter.text, letter.html);
        let email = match &message.attachment {
            None => builder.multipart(parts),
            Some(file) => {
                let content_type = ContentType::parse(&file.content_type).map_err(|err| {
                    format!(
                        "the attachment's type '{}' is not valid: {err}",
                        file.content_type
                    )
                })?;
                builder.multipart(MultiPart::mixed().multipart(parts).singlepart(
                    Attachment::new(file.name.clone()).body(file.content.clone(), content_type),
                ))
            }
        }
        .map_err(|err| format!("the email cannot be built: {err}"))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|err| format!("the SMTP server refused or could not be reached: {err}"))
    }
}
