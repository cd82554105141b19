//! Notifications (R9.1, R9.2): everything the product tells a person lands in their in-app
//! inbox, and goes by email at once or, if they chose, in a daily or weekly digest. A notice
//! and its email are written in the transaction of the change that causes them; its key makes it
//! happen once. Escalations go by email at once whatever the person chose.

use crate::{App, AppError};
use tandem_core::PersonId;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::hr::ExistingPerson;
use tandem_core::notice::DeliveryMode;
use tandem_store::{Notification, Tx};
use time::OffsetDateTime;
use uuid::Uuid;

/// One notification for one person.
pub(crate) struct Notice<'a> {
    /// Who it is for.
    pub(crate) to: &'a ExistingPerson,
    /// What makes it happen once.
    pub(crate) key: String,
    /// What kind of notice it is, as a stored code (e.g. `reminder.book_session`).
    pub(crate) kind: String,
    /// Its subject.
    pub(crate) subject: String,
    /// What happened and what to do next.
    pub(crate) body: String,
    /// The page to act on.
    pub(crate) link: Option<String>,
    /// Email it at once whatever the person chose (an escalation).
    pub(crate) urgent: bool,
    /// A file for the email (a calendar invitation); a digest carries the link instead.
    pub(crate) attachment: Option<tandem_store::MailAttachment>,
}

impl<'a> Notice<'a> {
    /// A notice written the way Tandem's emails are: when the body's last line is the address
    /// of the page to act on, that line is the notice's link (the inbox shows it as a link; the
    /// email ends with it).
    pub(crate) fn of(
        to: &'a ExistingPerson,
        key: String,
        kind: String,
        subject: String,
        body: String,
    ) -> Self {
        let (text, link) = match body.rsplit_once('\n') {
            Some((text, last))
                if (last.starts_with("https://") || last.starts_with("http://"))
                    && !last.contains(' ') =>
            {
                (text.to_owned(), Some(last.to_owned()))
            }
            _ => (body, None),
        };
        Self {
            to,
            key,
            kind,
            subject,
            body: text,
            link,
            urgent: false,
            attachment: None,
        }
    }

    /// With a file attached to its email.
    pub(crate) fn with_attachment(self, attachment: tandem_store::MailAttachment) -> Self {
        Self {
            attachment: Some(attachment),
            ..self
        }
    }

    /// Emailed at once whatever the person chose: an escalation.
    pub(crate) fn urgent(self) -> Self {
        Self {
            urgent: true,
            ..self
        }
    }
}

/// Sending notices inside a use case's transaction.
pub(crate) trait Notify {
    /// Puts `notice` in the person's inbox and, unless it waits for their digest, in the
    /// outbox; false (and nothing written) when a notice with its key was sent before.
    async fn notify(&mut self, notice: Notice<'_>, now: OffsetDateTime) -> Result<bool, AppError>;
}

impl Notify for Tx {
    async fn notify(&mut self, notice: Notice<'_>, now: OffsetDateTime) -> Result<bool, AppError> {
        send(self, notice, now).await
    }
}

/// A person's choice of email (immediate until they choose).
async fn mode_of(tx: &mut Tx, person: PersonId) -> Result<DeliveryMode, AppError> {
    Ok(tx
        .notification_mode(person)
        .await?
        .and_then(|(mode, _)| DeliveryMode::parse(&mode))
        .unwrap_or(DeliveryMode::Immediate))
}

/// Puts `notice` in the person's inbox and, unless it waits for their digest, in the outbox;
/// false (and nothing written) when a notice with its key was sent before.
pub(crate) async fn send(
    tx: &mut Tx,
    notice: Notice<'_>,
    now: OffsetDateTime,
) -> Result<bool, AppError> {
    Ok(send_all(tx, vec![notice], now).await?.len() == 1)
}

/// Sends many notices in a few statements (the sweep's reminders): each lands in its person's
/// inbox and, unless it waits for their digest, in the outbox; a notice whose key was sent
/// before is left out. Answers the keys of those sent now.
pub(crate) async fn send_all(
    tx: &mut Tx,
    notices: Vec<Notice<'_>>,
    now: OffsetDateTime,
) -> Result<std::collections::HashSet<String>, AppError> {
    if notices.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    let mut people: Vec<PersonId> = notices.iter().map(|it| it.to.id).collect();
    people.sort_unstable();
    people.dedup();
    let modes = tx.notification_modes(&people).await?;
    let immediate = |notice: &Notice<'_>| {
        notice.urgent
            || modes
                .get(&notice.to.id)
                .and_then(|it| DeliveryMode::parse(it))
                .unwrap_or(DeliveryMode::Immediate)
                == DeliveryMode::Immediate
    };
    let rows: Vec<Notification> = notices
        .iter()
        .map(|notice| Notification {
            id: Uuid::now_v7(),
            person: notice.to.id,
            key: notice.key.clone(),
            kind: notice.kind.clone(),
            subject: notice.subject.clone(),
            body: notice.body.clone(),
            link: notice.link.clone(),
            created_at: now,
            read_at: None,
            delivery: if immediate(notice) {
                "immediate"
            } else {
                "digest"
            }
            .to_owned(),
            digested_at: None,
        })
        .collect();
    let added = tx.insert_notifications(&rows).await?;
    let mut letters = Vec::new();
    for notice in notices {
        if !added.contains(&notice.key) || !immediate(&notice) {
            continue;
        }
        let body = match &notice.link {
            Some(link) => format!("{}\n{link}", notice.body),
            None => notice.body,
        };
        let mut letter = crate::outbox::letter(notice.to, notice.key, notice.subject, body, now);
        letter.attachment = notice.attachment;
        letters.push(letter);
    }
    tx.enqueue_many(&letters).await?;
    Ok(added)
}

/// Sends the digests that are due at `now`: one email a person with every notification it
/// gathered, each with its link. Returns how many went.
pub async fn send_digests(
    app: &App,
    now: OffsetDateTime,
    public_url: &str,
) -> Result<usize, AppError> {
    let mut tx = app.store.begin_write().await?;
    let mut sent = 0;
    for (person, mode, last) in tx.digests_waiting().await? {
        let Some(mode) = DeliveryMode::parse(&mode) else {
            continue;
        };
        let notices = tx.undigested(person).await?;
        let Some(first) = notices.first() else {
            continue;
        };
        if !mode.digest_due(last, first.created_at, now) {
            continue;
        }
        let who = tx.person(person).await?;
        let period = match mode {
            DeliveryMode::Weekly => "weekly",
            _ => "daily",
        };
        let mut body =
            format!("Here is what happened in your mentoring since your last {period} digest:\n");
        for notice in &notices {
            body.push_str(&format!("\n- {}", notice.subject));
            if let Some(link) = &notice.link {
                body.push_str(&format!(": {link}"));
            }
        }
        body.push_str(&format!(
            "\n\nYour inbox has them all: {base}/inbox\nTo have each email as it happens, or to change your digest: {base}/account/notifications",
            base = public_url.trim_end_matches('/')
        ));
        tx.enqueue(&crate::outbox::letter(
            &who,
            format!(
                "digest.{person}.{}",
                last.unwrap_or(first.created_at).unix_timestamp()
            ),
            format!(
                "Your {period} mentoring digest: {} notification{}",
                notices.len(),
                if notices.len() == 1 { "" } else { "s" }
            ),
            body,
            now,
        ))
        .await?;
        tx.mark_digested(person, now, now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

fn own(actor: &Actor) -> Result<PersonId, AppError> {
    let person = actor
        .person()
        .ok_or_else(|| AppError::NotFound("only a signed-in person has an inbox".to_owned()))?;
    authorize(actor, &Action::OwnSettings { person })?;
    Ok(person)
}

/// A page of the signed-in person's inbox.
#[derive(Debug, Clone)]
pub struct Inbox {
    /// The notifications on the page, newest first.
    pub notices: Vec<Notification>,
    /// How many there are in all.
    pub total: i64,
    /// How many are unread.
    pub unread: i64,
}

/// Notifications on a page of the inbox.
pub const INBOX_PAGE: i64 = 50;

/// The signed-in person's inbox, `page` from 1.
pub async fn inbox(app: &App, actor: &Actor, page: u32) -> Result<Inbox, AppError> {
    let person = own(actor)?;
    let mut tx = app.store.begin_read().await?;
    let offset = i64::from(page.max(1) - 1) * INBOX_PAGE;
    let (notices, total) = tx.notifications_of(person, INBOX_PAGE, offset).await?;
    let unread = tx.unread_count(person).await?;
    tx.rollback().await?;
    Ok(Inbox {
        notices,
        total,
        unread,
    })
}

/// How many of the signed-in person's notifications are unread (for the page header).
pub async fn unread(app: &App, actor: &Actor) -> Result<i64, AppError> {
    let person = own(actor)?;
    let mut tx = app.store.begin_read().await?;
    let count = tx.unread_count(person).await?;
    tx.rollback().await?;
    Ok(count)
}

/// Opens one of the person's notifications: marks it read and answers where it leads.
pub async fn open(app: &App, actor: &Actor, id: Uuid) -> Result<Option<String>, AppError> {
    let person = own(actor)?;
    let mut tx = app.store.begin_write().await?;
    let notice = tx
        .notification(id)
        .await?
        .filter(|it| it.person == person)
        .ok_or_else(|| AppError::NotFound("there is no such notification".to_owned()))?;
    tx.mark_read(person, id, app.clock.now()).await?;
    tx.commit().await?;
    Ok(notice.link)
}

/// Marks every notification of the person read.
pub async fn mark_all_read(app: &App, actor: &Actor) -> Result<u64, AppError> {
    let person = own(actor)?;
    let mut tx = app.store.begin_write().await?;
    let marked = tx.mark_all_read(person, app.clock.now()).await?;
    tx.commit().await?;
    Ok(marked)
}

/// The person's choice of email.
pub async fn mode(app: &App, actor: &Actor) -> Result<DeliveryMode, AppError> {
    let person = own(actor)?;
    let mut tx = app.store.begin_read().await?;
    let mode = mode_of(&mut tx, person).await?;
    tx.rollback().await?;
    Ok(mode)
}

/// Records the person's choice of email.
pub async fn set_mode(app: &App, actor: &Actor, mode: &str) -> Result<DeliveryMode, AppError> {
    let person = own(actor)?;
    let mode = DeliveryMode::parse(mode.trim()).ok_or_else(|| {
        AppError::Invalid(vec![tandem_core::application::FormProblem::at(
            "mode",
            "choose each email as it happens, a daily digest or a weekly digest",
        )])
    })?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    tx.set_notification_mode(person, mode.as_str(), now).await?;
    tx.insert_audit(&[crate::audit::entry(
        actor,
        now,
        AuditAction::NotificationsModeChanged,
        None,
        "person",
        Some(person.0),
        serde_json::json!({ "fields": ["mode"] }),
    )])
    .await?;
    tx.commit().await?;
    Ok(mode)
}
