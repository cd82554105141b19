//! What every journey needs: the demo's accounts read off the sign-in page, signing in and
//! out, finding elements by XPath inside a page's blocks, and typing dates and times into
//! chromium's date and time fields as a person would.

use fantoccini::Locator;
use fantoccini::elements::Element;
use tandem_browser::{Browser, Error, Result};

pub(crate) const PASSWORD: &str = "mentoring-demo";

/// A demo account as the sign-in page lists it (its key, name and email).
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) role: String,
    pub(crate) name: String,
    pub(crate) email: String,
}

impl Account {
    /// What the role applies to, e.g. `E Division (Edinburgh)` in
    /// `constable who has not applied (police-scotland / E Division (Edinburgh))`.
    pub(crate) fn division(&self) -> String {
        self.role
            .split_once(" / ")
            .map(|(_, rest)| rest.strip_suffix(')').unwrap_or(rest).to_owned())
            .unwrap_or_default()
    }
}

/// The demo account whose role starts with `role`, read off the sign-in page.
pub(crate) async fn account(browser: &Browser, role: &str) -> Result<Account> {
    browser.goto("/sign-in").await?;
    // The page says who each person is in words; the row keeps the account's key for tools.
    let roles = browser.attributes(".demo tbody tr", "data-account").await?;
    let names = browser.texts(".demo tbody .demo-name").await?;
    let emails = browser.texts(".demo tbody .demo-email").await?;
    let index = roles
        .iter()
        .position(|it| it.starts_with(role))
        .ok_or_else(|| Error::Check(format!("no demo account for {role:?}: {roles:?}")))?;
    Ok(Account {
        role: roles[index].clone(),
        name: names[index].clone(),
        email: emails[index].clone(),
    })
}

/// Signs out whoever is signed in, then signs in as `who` and lands on the home page.
pub(crate) async fn sign_in(browser: &Browser, who: &Account) -> Result<()> {
    browser.goto("/").await?;
    if !browser
        .find_all("form[action='/sign-out'] button")
        .await?
        .is_empty()
    {
        browser.click("Sign out").await?;
    }
    browser.goto("/sign-in").await?;
    submit_sign_in(browser, &who.email).await?;
    assert_eq!(browser.path().await?, "/", "{} signs in", who.email);
    Ok(())
}

/// Signs in as `email` with the sign-in form the browser shows. The server takes ten attempts a
/// minute from one network: a journey that signs in as many people in turn is told to wait,
/// and waits and tries again, as a person would.
pub(crate) async fn submit_sign_in(browser: &Browser, email: &str) -> Result<()> {
    for _ in 0..30 {
        browser.fill("Email address", email).await?;
        browser.fill("Password", PASSWORD).await?;
        browser.submit("Sign in").await?;
        if !browser
            .text()
            .await?
            .contains("too many attempts to sign in from your network")
        {
            return Ok(());
        }
        // One attempt comes back every six seconds.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    Err(Error::Check(format!(
        "{email} could not sign in: still too many attempts after a minute"
    )))
}

pub(crate) fn check(err: impl std::fmt::Display) -> Error {
    Error::Check(err.to_string())
}

/// `text` as an XPath string literal.
pub(crate) fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|it| format!("'{it}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

pub(crate) async fn xpath_all(browser: &Browser, xpath: &str) -> Result<Vec<Element>> {
    browser
        .client()
        .find_all(Locator::XPath(xpath))
        .await
        .map_err(|err| Error::Check(format!("cannot look for {xpath}: {err}")))
}

pub(crate) async fn xpath_one(browser: &Browser, xpath: &str) -> Result<Element> {
    let mut found = xpath_all(browser, xpath).await?;
    match found.len() {
        1 => Ok(found.remove(0)),
        n => Err(Error::Check(format!(
            "expected one element at {xpath} on {}, found {n}",
            browser.path().await.unwrap_or_default()
        ))),
    }
}

pub(crate) async fn xpath_texts(browser: &Browser, xpath: &str) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    for element in xpath_all(browser, xpath).await? {
        texts.push(element.text().await.map_err(check)?);
    }
    Ok(texts)
}

/// The block (`div.scheme`) whose heading starts with `heading`, e.g. one application on the
/// approvals page or one proposed pair on the matching board.
pub(crate) fn block(heading: &str) -> String {
    format!(
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' scheme ')]\
         [(h2|h3)[starts-with(normalize-space(.), {})]]",
        literal(heading)
    )
}

/// Presses the button `button` inside the block headed `heading` and waits for the next page.
pub(crate) async fn press_in(browser: &Browser, heading: &str, button: &str) -> Result<()> {
    let target = xpath_one(
        browser,
        &format!(
            "{}//button[normalize-space(.)={}]",
            block(heading),
            literal(button)
        ),
    )
    .await?;
    browser.follow(target).await
}

/// Types `value` into the text area or input named `name` inside the block headed `heading`.
pub(crate) async fn type_in(
    browser: &Browser,
    heading: &str,
    name: &str,
    value: &str,
) -> Result<()> {
    let field = xpath_one(
        browser,
        &format!(
            "{}//*[(self::input or self::textarea) and @name={}]",
            block(heading),
            literal(name)
        ),
    )
    .await?;
    field.send_keys(value).await.map_err(check)
}

pub(crate) async fn notice(browser: &Browser) -> Result<String> {
    Ok(browser
        .texts(".notification, .notification-banner__heading")
        .await?
        .join("\n"))
}

/// The text of the summary-list value next to `key` (the first such row on the page).
pub(crate) async fn summary_value(browser: &Browser, key: &str) -> Result<String> {
    browser
        .summary_list()
        .await?
        .into_iter()
        .find(|(it, _)| it == key)
        .map(|(_, value)| value)
        .ok_or_else(|| Error::Check(format!("no summary row {key:?}")))
}

/// The date `days` from today (negative: in the past) as (year, month, day), by the browser's
/// clock, which is the server's machine's clock.
pub(crate) async fn date_from_today(browser: &Browser, days: i64) -> Result<(i64, u32, u32)> {
    let value = browser
        .client()
        .execute(
            "const d = new Date(Date.now() + arguments[0] * 86400000); \
             return [d.getFullYear(), d.getMonth() + 1, d.getDate()];",
            vec![serde_json::json!(days)],
        )
        .await
        .map_err(check)?;
    let parts: Vec<i64> = value
        .as_array()
        .map(|it| it.iter().filter_map(serde_json::Value::as_i64).collect())
        .unwrap_or_default();
    match parts.as_slice() {
        [year, month, day] => Ok((
            *year,
            u32::try_from(*month).map_err(check)?,
            u32::try_from(*day).map_err(check)?,
        )),
        _ => Err(Error::Check(format!("the browser gave no date: {value}"))),
    }
}

/// A date as the pages write it, e.g. `30 November 2026`, as (year, month, day).
pub(crate) fn long_date(text: &str) -> Result<(i64, u32, u32)> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = text.split_whitespace().collect();
    let parsed = match parts.as_slice() {
        [day, month, year] => day.parse().ok().zip(year.parse().ok()).zip(
            MONTHS
                .iter()
                .position(|it| it == month)
                .and_then(|it| u32::try_from(it + 1).ok()),
        ),
        _ => None,
    };
    parsed
        .map(|((day, year), month)| (year, month, day))
        .ok_or_else(|| Error::Check(format!("{text:?} is not a date like 30 November 2026")))
}

/// Types a date into the date field labelled `label` as a person would: its day, month and
/// year boxes (GOV.UK's date input, the group's legend being `label`), or a native date field
/// (chromium's takes the parts in the locale's order, so the field is checked to hold it).
pub(crate) async fn fill_date(
    browser: &Browser,
    label: &str,
    (year, month, day): (i64, u32, u32),
) -> Result<()> {
    // GOV.UK's date input: three boxes in a group whose legend is the question.
    let group = format!("//fieldset[legend[normalize-space(.)={}]]", literal(label));
    let boxes = browser
        .client()
        .find_all(Locator::XPath(&format!("{group}//input")))
        .await
        .map_err(check)?;
    if !boxes.is_empty() {
        for (which, typed) in [
            ("day", day.to_string()),
            ("month", month.to_string()),
            ("year", year.to_string()),
        ] {
            let field = browser
                .client()
                .find(Locator::XPath(&format!(
                    "{group}//input[substring(@name, string-length(@name) - {}) = '-{which}']",
                    which.len()
                )))
                .await
                .map_err(check)?;
            field.clear().await.map_err(check)?;
            field.send_keys(&typed).await.map_err(check)?;
        }
        return Ok(());
    }
    let wanted = format!("{year:04}-{month:02}-{day:02}");
    for keys in [
        format!("{month:02}{day:02}{year:04}"),
        format!("{day:02}{month:02}{year:04}"),
        format!("{year:04}{month:02}{day:02}"),
    ] {
        let field = browser.field(label).await?;
        field.clear().await.map_err(check)?;
        field.send_keys(&keys).await.map_err(check)?;
        if field.prop("value").await.map_err(check)?.as_deref() == Some(wanted.as_str()) {
            return Ok(());
        }
    }
    Err(Error::Check(format!(
        "could not type {wanted} into the date field {label:?}"
    )))
}

/// Types a 24-hour time into the time field labelled `label` and checks it holds it.
pub(crate) async fn fill_time(
    browser: &Browser,
    label: &str,
    hour: u32,
    minute: u32,
) -> Result<()> {
    let wanted = format!("{hour:02}:{minute:02}");
    let (twelve, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    for keys in [
        format!("{twelve:02}{minute:02}{half}"),
        format!("{hour:02}{minute:02}"),
    ] {
        let field = browser.field(label).await?;
        field.clear().await.map_err(check)?;
        field.send_keys(&keys).await.map_err(check)?;
        if field.prop("value").await.map_err(check)?.as_deref() == Some(wanted.as_str()) {
            return Ok(());
        }
    }
    Err(Error::Check(format!(
        "could not type {wanted} into the time field {label:?}"
    )))
}

/// The current value of the field labelled `label`.
pub(crate) async fn value_of(browser: &Browser, label: &str) -> Result<String> {
    Ok(browser
        .field(label)
        .await?
        .prop("value")
        .await
        .map_err(check)?
        .unwrap_or_default())
}

/// Ticks the checkbox labelled `label` unless it is ticked already.
pub(crate) async fn tick(browser: &Browser, label: &str) -> Result<()> {
    let field = browser.field(label).await?;
    if !field.is_selected().await.map_err(check)? {
        browser.choose(label).await?;
    }
    Ok(())
}

/// Opens the relationship with `partner` from Your mentoring.
pub(crate) async fn open_relationship(browser: &Browser, partner: &str) -> Result<()> {
    browser.goto("/applications").await?;
    browser
        .click(&format!("Open your relationship with {partner}"))
        .await?;
    assert_eq!(
        browser.h1().await?,
        format!("Your mentoring with {partner}")
    );
    Ok(())
}

/// The moment `days` from now by the browser's clock (the server machine's), as RFC 3339 for
/// `tandem sweep --at`.
pub(crate) async fn moment_from_now(browser: &Browser, days: i64) -> Result<String> {
    let value = browser
        .client()
        .execute(
            "return new Date(Date.now() + arguments[0] * 86400000).toISOString();",
            vec![serde_json::json!(days)],
        )
        .await
        .map_err(check)?;
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::Check(format!("the browser gave no moment: {value}")))
}

/// The HR directory as `tandem export people` writes it: its header and rows.
pub(crate) struct HrExport {
    pub(crate) header: csv::StringRecord,
    pub(crate) rows: Vec<csv::StringRecord>,
}

impl HrExport {
    /// Reads the export (its marking and note lines are comments).
    pub(crate) fn read(export: &str) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(export.as_bytes());
        let header = reader.headers().map_err(check)?.clone();
        let rows = reader
            .records()
            .collect::<std::result::Result<_, _>>()
            .map_err(check)?;
        Ok(Self { header, rows })
    }

    /// The position of the column `name`.
    pub(crate) fn column(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|it| it == name)
            .ok_or_else(|| Error::Check(format!("no {name} column in the export")))
    }
}

/// The code an authenticator app shows now for `key` (base 32, as the set-up page shows it),
/// computed by Python's standard library: RFC 6238 with SHA-1, 6 digits, 30 seconds.
pub(crate) fn totp_now(key: &str) -> Result<String> {
    const SCRIPT: &str = r"
import base64, hashlib, hmac, struct, sys, time
key = sys.argv[1].replace(' ', '')
secret = base64.b32decode(key + '=' * (-len(key) % 8))
digest = hmac.new(secret, struct.pack('>Q', int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 15
print('%06d' % ((struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7fffffff) % 1000000))
";
    let output = std::process::Command::new("python3")
        .args(["-c", SCRIPT, key])
        .output()
        .map_err(check)?;
    if !output.status.success() {
        return Err(Error::Check(format!(
            "python3 could not compute the code: {output:?}"
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
