//! `Browser`: what a journey does with the page, in the words a person would use (go to, fill
//! in the field labelled…, click the button…), plus the accessibility and keyboard checks.

use crate::axe::{self, AxeReport};
use crate::driver::{Driver, JavaScript};
use crate::error::{Error, Result};
use crate::keyboard::{self, KeyboardReport};
use crate::server::Server;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::path::{Path, PathBuf};

/// A headless chromium session on a fresh `tandem demo` server, driven by one journey.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    javascript: JavaScript,
    artifacts: PathBuf,
    // Dropped after `client` is closed: the driver stops chromium, the server goes last.
    driver: Driver,
    server: Server,
}

impl Browser {
    /// Starts the server and chromedriver side by side, then opens a session.
    pub(crate) async fn open(javascript: JavaScript, artifacts: PathBuf) -> Result<Self> {
        let (server, driver) = tokio::try_join!(Server::start(), Driver::start())?;
        let client = driver.session(javascript).await?;
        let browser = Self {
            client,
            javascript,
            artifacts,
            driver,
            server,
        };
        if javascript == JavaScript::Disabled
            && let Err(err) = browser.prove_javascript_is_off().await
        {
            browser.close().await;
            return Err(err);
        }
        Ok(browser)
    }

    /// Fails unless a page's script really cannot run, so a journey "without JavaScript" can
    /// never pass with scripts quietly on.
    async fn prove_javascript_is_off(&self) -> Result<()> {
        self.client
            .goto("data:text/html,<title>static</title><script>document.title='scripted'</script>")
            .await
            .map_err(Error::webdriver("cannot open the JavaScript probe page"))?;
        let title = self.title().await?;
        if title == "static" {
            Ok(())
        } else {
            Err(Error::Check(format!(
                "chromium ran a page's script although JavaScript should be off (title {title:?})"
            )))
        }
    }

    /// Ends the session so chromedriver stops chromium, then stops chromedriver and the server.
    pub(crate) async fn close(self) {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.client.close()).await;
    }

    /// Runs a `tandem` command against this journey's database, as an operator at the command
    /// line would, and returns what it printed.
    pub async fn tandem(&self, args: &[&str]) -> Result<String> {
        self.server.command(args).await
    }

    /// The raw WebDriver client, for what this helper does not cover yet.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Whether this session runs page scripts.
    pub fn javascript(&self) -> JavaScript {
        self.javascript
    }

    /// Resizes the window, e.g. to 320 × 640 CSS pixels for the narrow screen WCAG's reflow
    /// criterion (1.4.10) asks pages to work on without scrolling sideways.
    pub async fn resize(&self, width: u32, height: u32) -> Result<()> {
        self.client
            .set_window_size(width, height)
            .await
            .map_err(Error::webdriver(format!(
                "cannot resize the window to {width}×{height}"
            )))
    }

    /// The server's address for `path`, e.g. `url("/")` is `http://127.0.0.1:PORT/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// Opens `path` (e.g. `/organisations/cleveland/schemes/reverse`) on the server and waits
    /// for it to load.
    pub async fn goto(&self, path: &str) -> Result<()> {
        self.client
            .goto(&self.url(path))
            .await
            .map_err(Error::webdriver(format!("cannot open {path}")))
    }

    /// The current page's path and query, e.g. `/organisations/cleveland/schemes/reverse`.
    pub async fn path(&self) -> Result<String> {
        let url = self
            .client
            .current_url()
            .await
            .map_err(Error::webdriver("cannot read the current address"))?;
        Ok(match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// The document's `<title>`.
    pub async fn title(&self) -> Result<String> {
        self.client
            .title()
            .await
            .map_err(Error::webdriver("cannot read the page title"))
    }

    /// The text of the page's one `<h1>`; a page with none or several is an error.
    pub async fn h1(&self) -> Result<String> {
        let headings = self.find_all("h1").await?;
        match headings.as_slice() {
            [heading] => text_of(heading).await,
            _ => Err(Error::Check(format!(
                "{} has {} <h1> elements; a page has exactly one",
                self.path().await.unwrap_or_default(),
                headings.len()
            ))),
        }
    }

    /// The page's visible text, as a person reads it.
    pub async fn text(&self) -> Result<String> {
        let body = self.find("body").await?;
        text_of(&body).await
    }

    /// The one element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.one(Locator::Css(css), &format!("an element matching `{css}`"))
            .await
    }

    /// Every element matching a CSS selector (maybe none).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map_err(Error::webdriver(format!("cannot look for `{css}`")))
    }

    /// The visible text of every element matching a CSS selector, in document order.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.find_all(css).await? {
            texts.push(text_of(&element).await?);
        }
        Ok(texts)
    }

    /// The value of attribute `name` of every element matching a CSS selector, in document
    /// order (empty where an element lacks it).
    pub async fn attributes(&self, css: &str, name: &str) -> Result<Vec<String>> {
        let mut values = Vec::new();
        for element in self.find_all(css).await? {
            values.push(
                element
                    .attr(name)
                    .await
                    .map_err(Error::webdriver(format!(
                        "cannot read the {name} of `{css}`"
                    )))?
                    .unwrap_or_default(),
            );
        }
        Ok(values)
    }

    /// The rows of the page's summary lists (`<dl class="summary-list">`) as (key, value) pairs,
    /// the GOV.UK pattern for showing a record.
    pub async fn summary_list(&self) -> Result<Vec<(String, String)>> {
        let keys = self.texts("dl.summary-list dt").await?;
        let values = self.texts("dl.summary-list dd").await?;
        if keys.len() != values.len() {
            return Err(Error::Check(format!(
                "a summary list has {} keys but {} values; each row has one of each",
                keys.len(),
                values.len()
            )));
        }
        Ok(keys.into_iter().zip(values).collect())
    }

    /// The one element whose own text is `text` (spaces normalised), whatever its tag.
    pub async fn find_by_text(&self, text: &str) -> Result<Element> {
        let literal = xpath_literal(text);
        self.one(
            Locator::XPath(&format!(
                "//body//*[normalize-space(text())={literal} or (not(*) and normalize-space(.)={literal})]"
            )),
            &format!("an element with the text {text:?}"),
        )
        .await
    }

    /// The one link whose text is `text`.
    pub async fn link(&self, text: &str) -> Result<Element> {
        let literal = xpath_literal(text);
        self.one(
            Locator::XPath(&format!("//a[@href and normalize-space(.)={literal}]")),
            &format!("a link with the text {text:?}"),
        )
        .await
    }

    /// The one field (input, select or text area) labelled `label`, by `<label for>` or by a
    /// label around it.
    pub async fn field(&self, label: &str) -> Result<Element> {
        let literal = xpath_literal(label);
        self.one(
            Locator::XPath(&format!(
                "//*[(self::input or self::select or self::textarea) and \
                 (@id = //label[normalize-space(.)={literal}]/@for or ancestor::label[normalize-space(.)={literal}])]"
            )),
            &format!("a field labelled {label:?}"),
        )
        .await
    }

    /// What the link whose text is `text` downloads (a CSV file, say), fetched by the page
    /// with the visitor's cookies, as their browser would save it.
    pub async fn download(&self, text: &str) -> Result<String> {
        let href = self
            .link(text)
            .await?
            .attr("href")
            .await
            .map_err(Error::webdriver(format!("cannot read where {text:?} goes")))?
            .ok_or_else(|| Error::Check(format!("the link {text:?} has no href")))?;
        let fetched = self
            .client
            .execute_async(
                "const [href, done] = arguments; \
                 fetch(href, { credentials: 'same-origin' }) \
                   .then(reply => reply.text().then(body => done({ status: reply.status, body }))) \
                   .catch(error => done({ status: 0, body: String(error) }));",
                vec![serde_json::json!(href)],
            )
            .await
            .map_err(Error::webdriver(format!("cannot download {href}")))?;
        let status = fetched["status"].as_u64().unwrap_or_default();
        let body = fetched["body"].as_str().unwrap_or_default().to_owned();
        if status == 200 {
            Ok(body)
        } else {
            Err(Error::Check(format!(
                "downloading {href} answered {status}: {body}"
            )))
        }
    }

    /// Replaces the text in the field labelled `label` with `value`, as if typed.
    pub async fn fill(&self, label: &str, value: &str) -> Result<()> {
        let field = self.field(label).await?;
        field.clear().await.map_err(Error::webdriver(format!(
            "cannot clear the field {label:?}"
        )))?;
        field
            .send_keys(value)
            .await
            .map_err(Error::webdriver(format!(
                "cannot type into the field {label:?}"
            )))
    }

    /// Picks the option labelled `label` in a select labelled `field`.
    pub async fn select(&self, field: &str, label: &str) -> Result<()> {
        self.field(field)
            .await?
            .select_by_label(label)
            .await
            .map_err(Error::webdriver(format!(
                "cannot choose {label:?} in {field:?}"
            )))
    }

    /// Ticks the radio button or checkbox labelled `label`.
    pub async fn choose(&self, label: &str) -> Result<()> {
        self.field(label)
            .await?
            .click()
            .await
            .map_err(Error::webdriver(format!("cannot choose {label:?}")))
    }

    /// Clicks the one link or button whose text is `text` and waits for any page it opens
    /// (a link to a place on the same page opens none).
    pub async fn click(&self, text: &str) -> Result<()> {
        let literal = xpath_literal(text);
        let target = self
            .one(
                Locator::XPath(&format!(
                    "//a[@href and normalize-space(.)={literal}] | //button[normalize-space(.)={literal}] | \
                     //input[(@type='submit' or @type='button') and @value={literal}] | //summary[normalize-space(.)={literal}]"
                )),
                &format!("a link or button with the text {text:?}"),
            )
            .await?;
        // A link to a place on the page, or a disclosure's summary, opens no page.
        let in_page = target
            .attr("href")
            .await
            .ok()
            .flatten()
            .is_some_and(|href| href.starts_with('#'))
            || target
                .tag_name()
                .await
                .is_ok_and(|tag| tag.eq_ignore_ascii_case("summary"));
        let page = self.current_page().await?;
        target
            .click()
            .await
            .map_err(Error::webdriver(format!("cannot click {text:?}")))?;
        if in_page {
            Ok(())
        } else {
            self.wait_for_next_page(page, text).await
        }
    }

    /// Submits a form with its button whose text is `button` and waits for the next page.
    pub async fn submit(&self, button: &str) -> Result<()> {
        let literal = xpath_literal(button);
        let target = self
            .one(
                Locator::XPath(&format!(
                    "//form//button[normalize-space(.)={literal}] | //form//input[@type='submit' and @value={literal}]"
                )),
                &format!("a form button with the text {button:?}"),
            )
            .await?;
        let page = self.current_page().await?;
        target
            .click()
            .await
            .map_err(Error::webdriver(format!("cannot press {button:?}")))?;
        self.wait_for_next_page(page, button).await
    }

    /// Clicks an element found some other way (e.g. the first link in a table) and waits for
    /// the page it opens.
    pub async fn follow(&self, element: Element) -> Result<()> {
        let page = self.current_page().await?;
        element
            .click()
            .await
            .map_err(Error::webdriver("cannot click the element"))?;
        self.wait_for_next_page(page, "the element").await
    }

    async fn current_page(&self) -> Result<Element> {
        self.client
            .find(Locator::Css("html"))
            .await
            .map_err(Error::webdriver("cannot find the page's root element"))
    }

    /// Waits until `page` (the old document's root) is gone, so the next read sees the new page
    /// rather than racing the navigation.
    async fn wait_for_next_page(&self, page: Element, what: &str) -> Result<()> {
        for _ in 0..200 {
            if page.tag_name().await.is_err() {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(Error::Check(format!(
            "no new page opened within 10 s after clicking {what:?}"
        )))
    }

    /// Runs axe-core on the current page against WCAG 2.0, 2.1 and 2.2 A and AA; any
    /// violation is an error listing each rule, its impact, its help and the elements to fix.
    pub async fn assert_accessible(&self) -> Result<AxeReport> {
        let report = axe::run(&self.client).await?;
        if report.violations.is_empty() {
            Ok(report)
        } else {
            Err(Error::Check(axe::describe_violations(
                &report,
                &self.path().await.unwrap_or_default(),
            )))
        }
    }

    /// Reloads the current page and tabs through it: the skip link comes first and moves focus
    /// to the main content, Tab reaches every link, button and field, and each shows focus.
    pub async fn assert_keyboard_reachable(&self) -> Result<KeyboardReport> {
        let path = self.path().await?;
        let mut url = self
            .client
            .current_url()
            .await
            .map_err(Error::webdriver("cannot read the current address"))?;
        // A fragment would start the tab order at its target instead of the top of the page.
        url.set_fragment(None);
        self.reload(url.as_str()).await?;
        let report = keyboard::check(&self.client, &path).await?;
        self.reload(url.as_str()).await?;
        keyboard::follow_skip_link(&self.client, &path).await?;
        Ok(report)
    }

    async fn reload(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .map_err(Error::webdriver(format!("cannot reload {url}")))
    }

    /// Saves a screenshot of the current page as `<name>.png` in this journey's artifacts
    /// folder and returns its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(Error::webdriver("cannot take a screenshot"))?;
        let path = self.artifacts.join(format!("{name}.png"));
        write(&path, &png)?;
        Ok(path)
    }

    /// Saves what explains a failure: a screenshot, the page's HTML, the server's and
    /// chromedriver's logs and the failure message. Best effort: a dead session still leaves
    /// the logs and the message.
    pub(crate) async fn save_artifacts(&self, failure: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if let Err(err) = self.screenshot("screenshot").await {
            problems.push(err.to_string());
        }
        match self.client.source().await {
            Ok(html) => {
                if let Err(err) = write(&self.artifacts.join("page.html"), html.as_bytes()) {
                    problems.push(err.to_string());
                }
            }
            Err(err) => problems.push(format!("cannot read the page's HTML: {err}")),
        }
        let url = self
            .client
            .current_url()
            .await
            .map(|it| it.to_string())
            .unwrap_or_default();
        for (name, content) in [
            ("failure.txt", format!("{failure}\n\npage: {url}\n")),
            ("server.log", self.server.log()),
            ("chromedriver.log", self.driver.log()),
        ] {
            if let Err(err) = write(&self.artifacts.join(name), content.as_bytes()) {
                problems.push(err.to_string());
            }
        }
        problems
    }

    async fn one(&self, locator: Locator<'_>, what: &str) -> Result<Element> {
        let mut found = self
            .client
            .find_all(locator)
            .await
            .map_err(Error::webdriver(format!("cannot look for {what}")))?;
        match found.len() {
            1 => Ok(found.remove(0)),
            n => Err(Error::Check(format!(
                "expected {what} on {}, found {n}",
                self.path().await.unwrap_or_default()
            ))),
        }
    }
}

async fn text_of(element: &Element) -> Result<String> {
    element
        .text()
        .await
        .map_err(Error::webdriver("cannot read an element's text"))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(Error::io(format!("cannot create {}", dir.display())))?;
    }
    std::fs::write(path, bytes).map_err(Error::io(format!("cannot write {}", path.display())))
}

/// `text` as an XPath string literal; XPath 1.0 has no escapes, so a text with both kinds of
/// quote is spelt with `concat`.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|it| format!("'{it}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

#[cfg(test)]
mod tests;
